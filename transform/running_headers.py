"""Running headers and footers: lines repeated at the top or bottom of most pages (a paper's
title, "Page 3 of 8", a protective marking) are not the document's text and are removed, detected
generally, without a list of known headers."""
from __future__ import annotations

import re

from transform.pdf_pages import Line

EDGE = 3  # lines at each end of a page that may be running text
PAGE_NO = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)


def _norm_running(s: str) -> str:
    # Case kept: a page-1 title in capitals is not the running header in title case.
    return _DIGIT_RUN.sub("#", " ".join(s.split()))


_DIGIT_RUN = re.compile(r"\d+")


def strip_running(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Drop lines that recur near the top or bottom of most pages (digits ignored, so "Page 3
    of 8" matches "Page 4 of 8"), plus bare page numbers at page edges. Where the engine gives
    geometry, a running line must also sit at the same height on those pages: a minute label or
    "Ref 01/…" that happens to open two pages is body text, not a header."""
    seen: dict[str, list[float | None]] = {}
    for p in pages:
        firsts: dict[str, float | None] = {}
        for ln in _edges(p):
            firsts.setdefault(_norm_running(ln.text), ln.top)
        for key, top in firsts.items():
            seen.setdefault(key, []).append(top)
    need = max(2, (len(pages) + 1) // 2)
    running = {k for k, tops in seen.items() if _recurs(tops, need)} if len(pages) >= 2 else set()
    removed: list[str] = []
    out = []
    for p in pages:
        edge_ids = {id(ln) for ln in _edges(p)}
        keep = []
        for ln in p:
            if id(ln) in edge_ids and (_norm_running(ln.text) in running or _page_number(ln, p)):
                if ln.text not in removed:
                    removed.append(ln.text)
                continue
            keep.append(ln)
        out.append(keep)
    return out, removed


def _recurs(tops: list[float | None], need: int) -> bool:
    """Seen on `need` pages, at one height (within 4pt) when heights are known."""
    if len(tops) < need:
        return False
    known = sorted(t for t in tops if t is not None)
    if len(known) < need:
        return len(tops) >= need and not known
    return any(sum(1 for t in known if abs(t - c) <= 4.0) >= need for c in known)


def _page_number(ln: Line, page: list[Line]) -> bool:
    """A bare page number ("3", "Page 3 of 8"); with geometry, only as the page's top-most or
    bottom-most line (a minute number alone on its line is not a page number)."""
    if not PAGE_NO.match(ln.text.strip()):
        return False
    if ln.top is None or re.match(r"(?i)page\b|.*\bof\b", ln.text.strip()):
        return True
    tops = [x.top for x in page if x.top is not None]
    return ln.top <= min(tops) + 0.5 or ln.top >= max(tops) - 0.5


def _edges(p: list[Line]) -> list[Line]:
    return p[:EDGE] + p[-EDGE:] if len(p) > 2 * EDGE else list(p)

