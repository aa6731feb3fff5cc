"""Prefect flows: orchestration only. The work is done by plain functions in scrutiny.pipeline."""
import os

# A failed telemetry lookup logs an ERROR on this offline machine (platform-notes).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# The temporary API server Prefect starts when no server is configured migrates a fresh
# database first (15-18 s here, more on a busy machine): its 20 s default is too tight.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
