#!/usr/bin/env python3
"""Run a command with SIGINT and SIGTERM reset to their default actions.

A process started with ``&`` from a non-interactive shell inherits SIGINT *ignored*, and a
shell cannot un-ignore it (POSIX). A Prefect worker (or ``flow.serve()``) started that way turns
SIGTERM into SIGINT, ignores it, and never stops. Start it through this wrapper instead:

    python scripts/with_default_signals.py prefect worker start --pool scrutiny &

then ``kill PID`` (SIGTERM) stops it in under a second. ``exec`` keeps the PID, so the PID
the shell reports is the worker's.
"""
import os
import signal
import sys


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(f"usage: {sys.argv[0]} COMMAND [ARG...]")
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    cmd = sys.argv[1:]
    # Resolve bare `prefect`/`scrutiny` next to this interpreter (the project's virtualenv).
    beside = os.path.join(os.path.dirname(sys.executable), cmd[0])
    if os.sep not in cmd[0] and os.access(beside, os.X_OK):
        cmd[0] = beside
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main()
