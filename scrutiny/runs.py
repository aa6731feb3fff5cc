"""Runs in progress, so that a run killed mid-way gets its `runs` row (status ``crashed``).

A run writes its row at the end (``finish_run``); a run killed before that left none. So each
run leaves a marker, ``locks/runs/<run_id>.json``, holding an exclusive ``flock`` on it for as
long as its process lives (the kernel drops the lock when the process dies, however it dies).
Every run, at its start, looks at the markers: one whose lock it can take belongs to a dead run,
and is recorded as crashed, then removed. Runs may overlap: a live run's marker stays locked.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

from kernel import records as r
from kernel.config import DataDir


def _folder(data: DataDir) -> Path:
    return data.locks / "runs"


class RunMarker:
    """This run's marker, locked until ``close()`` (or the process's end)."""

    def __init__(self, data: DataDir, run_id: str, flow: str, started_at: dt.datetime):
        folder = _folder(data)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{run_id}.json"
        # Written and locked under a temporary name, then renamed in: another run never sees
        # the marker unlocked. (A file object, not a bare fd: should the run be dropped without
        # finishing, in a long-lived process, collecting it releases the lock.)
        tmp = folder / f".{run_id}.tmp"
        self._fh = open(tmp, "w", encoding="utf-8")
        fcntl.flock(self._fh, fcntl.LOCK_EX)
        json.dump({"run_id": run_id, "flow": flow, "started_at": started_at.isoformat(),
                   "pid": os.getpid()}, self._fh)
        self._fh.flush()
        os.replace(tmp, self.path)

    def close(self) -> None:
        """The run is recorded: remove the marker, then let go of its lock."""
        if self._fh.closed:
            return
        self.path.unlink(missing_ok=True)
        self._fh.close()


def record_crashed_runs(data: DataDir, write_run, noticed_by: str) -> list[str]:
    """Record every dead run's marker as a crashed run (``write_run(RunRow)``), unless its row
    was written already (it died after that); returns their run ids."""
    folder = _folder(data)
    if not folder.is_dir():
        return []
    crashed = []
    for path in sorted(folder.glob("*.json")):
        try:
            fh = open(path, encoding="utf-8")
        except FileNotFoundError:
            continue  # finished meanwhile
        with fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its run is alive
            try:
                if os.stat(path).st_ino != os.fstat(fh.fileno()).st_ino:
                    continue
            except FileNotFoundError:
                continue  # it finished (or another run recorded it) while we waited
            try:
                marker = json.load(fh)
            except ValueError:
                marker = None
            if marker and write_run(_crashed_row(marker, noticed_by)):
                crashed.append(marker["run_id"])
            path.unlink(missing_ok=True)
    return crashed


def _crashed_row(marker: dict, noticed_by: str) -> r.RunRow:
    started = dt.datetime.fromisoformat(marker["started_at"]).replace(tzinfo=None)
    return r.RunRow(run_id=marker["run_id"], flow=marker["flow"], started_at=started, finished_at=None,
                    status=r.RunStatus.CRASHED, sources=[], meetings_discovered=0, documents_discovered=0,
                    documents_fetched=0, documents_skipped=0, documents_failed=0, errors={},
                    message=f"stopped before it finished (process {marker.get('pid')} killed or its "
                            f"machine down); recorded by run {noticed_by}")
