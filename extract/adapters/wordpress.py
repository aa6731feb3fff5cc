"""What the WordPress adapters share (``wp_board_page``, ``wp_minutes_pages``): a page parsed
once, its content area, its links bounded to the source's site, and the start times its
headings print.

The two adapters read the same kind of site (a publisher's WordPress pages) in two layouts; each
keeps its own layout here out of the other's module.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

TIME_RE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b|\b([01]?\d|2[0-3]):([0-5]\d)\b", re.I)


def find_time(text: str) -> str | None:
    """The first start time a heading or date line prints ("10am", "2.30pm", "14:00"), as "HH:MM"."""
    m = TIME_RE.search(text)
    if not m:
        return None
    if m.group(3):  # 10am, 2.30pm
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
        return f"{hour:02d}:{int(m.group(2) or 0):02d}"
    return f"{int(m.group(4)):02d}:{m.group(5)}"


def _host_key(parts) -> tuple[str, int | None]:
    # www.example.org and example.org are the same site (sources.md §1.1 saw both).
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return host, port


# Cached: a board page and its /page/N siblings repeat the same navigation links, and a nightly
# run resolves ~1,000 links (urljoin and urlsplit were a third of its discovery time).
@lru_cache(maxsize=16384)
def site_url(href: str, page_url: str, base_url: str) -> str | None:
    """``href`` made absolute and rewritten onto ``base_url``'s scheme and host, or None when
    it points outside the source (another host, or outside base_url's path)."""
    absolute = urljoin(page_url, href.strip())
    parts, base = urlsplit(absolute), urlsplit(base_url)
    if parts.scheme not in ("http", "https"):
        return None
    if parts.hostname and _host_key(parts)[0] != _host_key(base)[0]:
        return None
    if parts.hostname and parts.port and parts.port != base.port:
        return None
    if not parts.path.startswith(base.path):
        return None
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def page_soup(html: bytes | BeautifulSoup) -> BeautifulSoup:
    """A page parsed (given parsed already: as it is, so a page is parsed once)."""
    return html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "lxml")


def content_root(soup: BeautifulSoup) -> Tag | BeautifulSoup:
    """A WordPress page's content (``.entry-content``), else its body. ``find`` with a class
    rather than ``select_one`` with a CSS selector: the same match, without compiling soupsieve's
    selector grammar (0.1 s, once per process: a nightly run pays it)."""
    return soup.find(class_="entry-content") or soup.body or soup
