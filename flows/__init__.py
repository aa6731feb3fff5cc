"""Prefect flows: orchestration only. The work is done by plain functions in scrutiny.pipeline."""
import os

# A failed telemetry lookup logs an ERROR on this offline machine (platform-notes).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
