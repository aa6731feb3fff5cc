"""Parse time of large HTML minutes pages (issue 18: item splitting was quadratic in numbered
lines; a 4 MB page took 130 s). Prints seconds per size; not part of the test suite.

    python -m tests.benchmarks.big_html [--sizes 1 2 4 50]
"""
from __future__ import annotations

import argparse
import time

from transform import parse_document


def minutes_page(megabytes: float) -> bytes:
    """A minutes page of numbered items, each with numbered paragraphs and a list: every line
    starts with a number, the worst case for finding the item numbering."""
    parts = ["<html><body><h1>Police and Crime Panel</h1><p>Minutes of the meeting held on 5 June 2024</p>",
             "<p>Present: Cllr A Smith, Cllr B Jones</p>"]
    size, n = 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        block = (f"<p>{n}. Item heading number {n}</p>"
                 f"<p>{n}.1 The Panel considered the report on item {n} and noted the update.</p>"
                 f"<p>1. A list entry inside the item.</p><p>2. Another entry of the list.</p>")
        parts.append(block)
        size += len(block)
    parts.append("</body></html>")
    return "".join(parts).encode()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 50])
    args = ap.parse_args(argv)
    for mb in args.sizes:
        data = minutes_page(mb)
        t = time.perf_counter()
        parsed = parse_document(data, content_type="text/html")
        print(f"{len(data) / 1e6:6.1f} MB: {time.perf_counter() - t:7.2f} s, {len(parsed.items)} items, "
              f"status {parsed.parse_status}")


if __name__ == "__main__":
    main()
