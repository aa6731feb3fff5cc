"""Imported first in the parse pool's forkserver (scrutiny.parallel.FORKSERVER_PRELOAD), for its
side effect: the forkserver exits when the run that started it dies (scrutiny/deathsig.py).

Python's forkserver only exits when every holder of its "alive" pipe is gone, and the parse
workers hold it too; the workers in turn wait for the forkserver's death (their
PR_SET_PDEATHSIG): after a SIGKILL of the run, neither ever went. PR_SET_PDEATHSIG cannot serve
here: it fires when the parent *thread* ends, and the pool is started from whichever thread
submits first (in a flow, a source's short-lived thread). So a thread waits on a pidfd of the
parent process instead. Not imported anywhere else."""
from scrutiny.deathsig import exit_with_parent_process

exit_with_parent_process()
