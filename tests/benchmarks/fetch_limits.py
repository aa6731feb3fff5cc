"""Fetch-limit figures (not a test: run by hand), for both transports, against
tests/faulty_server.py on 127.0.0.1:

    python -m tests.benchmarks.fetch_limits [--big-mb 300] [--cap-mb 50]

- requests made for a redirect loop (/a -> /b -> /a ...);
- peak RSS of a process that asks for an oversized body (with and without Content-Length),
  each case in a fresh interpreter, against its RSS before the request.
Only ``PoliteClient(HttpSettings(...)).get(url, browser=...)`` is used, so the same script
measures older versions of extract/http.py too.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _client(**kw):
    from extract.http import HttpSettings, PoliteClient

    return PoliteClient(HttpSettings(rate_per_second=0, backoff_factor=0, respect_robots=False, **kw))


def loop_requests(browser: bool) -> dict:
    from tests.faulty_server import FaultyServer

    with FaultyServer() as site:
        site.redirects.update({"/a": "/b", "/b": "/a"})
        started = time.monotonic()
        try:
            outcome = f"HTTP {_client().get(site.origin + '/a', browser=browser).status_code}"
        except Exception as exc:  # noqa: BLE001 (reported, whatever it is)
            outcome = type(exc).__name__
        return {"requests": len(site.log), "seconds": round(time.monotonic() - started, 3), "outcome": outcome}


def big_body_rss(browser: bool, big_mb: int, cap_mb: int, declared: bool) -> dict:
    from tests.faulty_server import FaultyServer

    with FaultyServer() as site:
        site.big_size = big_mb * 1024 * 1024
        client = _client(max_download_bytes=cap_mb * 1024 * 1024)
        client.get(site.origin + "/warm-up", browser=browser)  # transports imported, sessions made
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        url = site.origin + "/big" + ("" if declared else "?length=no")
        try:
            outcome = f"{len(client.get(url, browser=browser).content)} bytes"
        except Exception as exc:  # noqa: BLE001
            outcome = type(exc).__name__
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"rss_before_mb": before // 1024, "peak_rss_mb": peak // 1024, "grew_mb": (peak - before) // 1024,
                "server_sent_mb": round(site.bytes_sent / 2**20, 1), "outcome": outcome}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--big-mb", type=int, default=300)
    ap.add_argument("--cap-mb", type=int, default=50)
    ap.add_argument("--case", help=argparse.SUPPRESS)  # one case, in a child process
    args = ap.parse_args()
    if args.case:
        kind, transport, declared = args.case.split(":")
        browser = transport == "curl"
        result = (loop_requests(browser) if kind == "loop" else
                  big_body_rss(browser, args.big_mb, args.cap_mb, declared == "declared"))
        print(json.dumps(result))
        return
    for kind in ("loop", "big"):
        for transport in ("requests", "curl"):
            for declared in (("declared", "undeclared") if kind == "big" else ("-",)):
                case = f"{kind}:{transport}:{declared}"
                out = subprocess.run([sys.executable, "-m", "tests.benchmarks.fetch_limits", "--case", case,
                                      "--big-mb", str(args.big_mb), "--cap-mb", str(args.cap_mb)],
                                     capture_output=True, text=True, check=True).stdout
                print(f"{case:28} {out.strip()}")


if __name__ == "__main__":
    main()
