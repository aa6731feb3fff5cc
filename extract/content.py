"""Is a fetched body what its URL promised? Checked before anything is archived as a paper.

A publisher answering HTTP 200 with an error page, a login page or nothing at all where a PDF
was linked is common (a CMS's "document not found" template, a session timeout). Believed, it
would be archived as the paper, parsed as the paper, and the publisher's unchanged fingerprint
would then stop the real paper from ever being fetched. Pure functions of bytes.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# Readers accept the header anywhere in the first 1024 bytes (junk before it is seen in the wild).
_PDF_HEADER_WINDOW = 1024
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)


def promises_pdf(url: str) -> bool:
    """A link to a ``.pdf`` file, or to a server-side PDF conversion (ModernGov's mgConvert2PDF)."""
    path = urlsplit(url).path.lower()
    return path.endswith(".pdf") or path.endswith("convert2pdf.aspx")


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head


def _describe(body: bytes) -> str:
    if looks_like_html(body):
        title = _TITLE.search(body[:65536])
        text = " ".join(title[1].decode("utf-8", "replace").split())[:80] if title else ""
        return f"an HTML page{f' titled {text!r}' if text else ''}"
    return f"{len(body)} bytes beginning {body[:16]!r}"


def paper_problem(url: str, body: bytes) -> str | None:
    """What is wrong with ``body`` as the paper ``url`` links to; None when nothing is."""
    if not body.strip():
        return "an empty body where a paper was linked"
    if promises_pdf(url) and b"%PDF" not in body[:_PDF_HEADER_WINDOW]:
        return f"{_describe(body)} where a PDF was linked"
    return None
