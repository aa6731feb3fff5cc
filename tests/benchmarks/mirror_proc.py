"""The synthetic mirror in its own process (so its memory and CPU are not the pipeline's).

    python -m tests.benchmarks.mirror_proc ARCHIVE SOURCES_TOML

Writes a sources file pointing at the mirror (rate limit off, no back-off), prints ``ready``,
then answers one command a line on stdin: ``stats`` (JSON of requests and bytes served since the
last ``stats``), ``publish_new`` (reveal the held-back papers; prints how many), ``quit``.
"""
from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mirror import mirror_sources_toml
from mirror.server import Mirror
from mirror.synthetic import build_synthetic_mirror, publish_new

DOC_MARKERS = ("wp-content/uploads/", "/documents/", "mgconvert2pdf.aspx")


def kind_of(raw_path: str, content_type: str) -> str:
    path = unquote(urlsplit(raw_path).path).lower()
    if "pdf" in content_type or any(m in path for m in DOC_MARKERS):
        return "document"
    if path.endswith("robots.txt"):
        return "robots"
    return "listing"  # listing pages, web-service calls, WMGB minutes pages


class CountingMirror(Mirror):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.counts: Counter = Counter()
        self._count_lock = threading.Lock()

    def dispatch(self, method, raw_path, headers):
        prefix, resp = super().dispatch(method, raw_path, headers)
        kind = kind_of(raw_path, resp.content_type)
        with self._count_lock:
            self.counts[f"{kind}_requests"] += 1
            self.counts[f"{kind}_bytes"] += len(resp.body) if method != "HEAD" else 0
            self.counts[f"status_{resp.status}"] += 1
            self.log.clear()  # the request log is not needed here; keep memory flat
        return prefix, resp

    def take_stats(self) -> dict:
        with self._count_lock:
            out = dict(self.counts)
            self.counts.clear()
        return out


def main() -> None:
    archive, sources = Path(sys.argv[1]), Path(sys.argv[2])
    mirror = build_synthetic_mirror(archive, mirror_class=CountingMirror)
    mirror.start()
    # The synthetic archive has no CMIS panel: leave wmpcp out rather than send it to Birmingham.
    sources.write_text(mirror_sources_toml(mirror, drop_unmirrored=True, rate_per_second=0.0, backoff_factor=0.0))
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "stats":
            print(json.dumps(mirror.take_stats()), flush=True)
        elif cmd == "publish_new":
            print(json.dumps({"published": publish_new(mirror)}), flush=True)
        elif cmd == "quit":
            break
    mirror.stop()


if __name__ == "__main__":
    main()
