"""Every identifier the warehouse uses is computed here, and only here.

- documents: the SHA-256 hex of the raw bytes, so the same paper fetched twice (or from
  two URLs) is one document, and a re-published paper with new bytes is a new one;
- meetings: "<source slug>:<ISO date>", stable across runs and across the routes that
  reach a meeting (its listing, its agenda, its minutes published a month later);
- runs: flow name, UTC start and a random suffix (a run is an event, not content).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def meeting_id(source_id: str, meeting_date: dt.date | None, key: str | None = None) -> str | None:
    if meeting_date is not None:
        return f"{source_id}:{meeting_date.isoformat()}"
    if key:
        # Undated meetings (a cancelled meeting with no date, a pending month) keep the
        # publisher's own key so they still get a stable id.
        return f"{source_id}:key:{key}"
    return None


def listing_key(source_id: str, meeting_key: str) -> str:
    """File-name-safe id of one listing sighting of a meeting."""
    return "listing-" + hashlib.sha256(f"{source_id}\0{meeting_key}".encode()).hexdigest()[:24]


def run_id(flow: str, started_at: dt.datetime) -> str:
    return f"{flow}-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
