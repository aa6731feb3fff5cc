"""Prefect flows: orchestration only. The work is done by plain functions in scrutiny.pipeline."""
import os

from kernel.settings import prefer_system_allocator

prefer_system_allocator()  # before pyarrow is imported

# A failed telemetry lookup logs an ERROR on this offline machine (platform-notes).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# The temporary API server Prefect starts when no server is configured migrates a fresh
# database first (15-18 s here, more on a busy machine): its 20 s default is too tight.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _temporary_server_dies_with_run() -> None:
    """Prefect's temporary API server (started when no server is configured) is a subprocess
    that outlived a SIGKILLed run for good (~100 MB). Give it PR_SET_PDEATHSIG: Prefect starts
    it with a plain subprocess.Popen, so that module's Popen gets a preexec_fn doing so
    (scrutiny/deathsig.py). Only that module's name is rebound, not subprocess itself."""
    import subprocess
    import types

    from prefect.settings import get_current_settings

    if get_current_settings().api.url:
        return  # a real server: nothing is started
    from prefect.server.api import server

    if isinstance(server.subprocess, types.SimpleNamespace):
        return  # done already

    def popen(*args, **kwargs):
        import threading

        from scrutiny.deathsig import death_signal_preexec

        # The signal comes when the *thread* that started the child ends: only the main thread
        # (where Prefect starts it, measured) lives as long as the run.
        if threading.current_thread() is threading.main_thread():
            kwargs.setdefault("preexec_fn", death_signal_preexec())
        return subprocess.Popen(*args, **kwargs)

    server.subprocess = types.SimpleNamespace(**{**vars(subprocess), "Popen": popen})


_temporary_server_dies_with_run()
