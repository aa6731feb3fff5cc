"""A PDF's pages as visual lines: pypdfium2 (the default engine: character boxes and fonts, so
every line has its geometry) or pypdf (plain or layout mode: text only). A PDF pdfium cannot open
(a missing xref) is repaired and read by pypdf; pypdf decides encrypted files.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from kernel.records import ParseStatus
from transform.errors import ExtractError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Line:
    """One visual line. Geometry is in PDF points (None when the engine gives none)."""

    text: str
    x0: float | None = None
    x1: float | None = None
    top: float | None = None  # first char's distance from the page top (grows downwards)
    last_top: float | None = None  # last char's; differs when pdfium merged a hyphen-broken pair
    height: float | None = None
    right_limit: float | None = None  # left edge of a table cell to the right on the same row
    size: float | None = None  # font size of the first char
    bold: bool = False
    gap_before: bool = False  # a blank line came before it (OCR output marks paragraphs so)
    first_word_w: float | None = None  # width of the first word, for the "would it have fitted" test
    page_w: float | None = None  # width of its page



def read_pages(data: bytes, engine: str) -> tuple[list[list[Line]], str | None]:
    """Every page's visual lines by ``engine``, and a warning when the text was only partly
    recovered (a damaged PDF). ExtractError when there is no text to read at all."""
    warning = None
    if engine == "pdfium":
        try:
            pages = _pages_pdfium(data)
        except ExtractError as e:
            if e.status != ParseStatus.CORRUPT:
                raise
            # pdfium gives up on a missing xref; pypdf can often rebuild it from the objects.
            pages, warning = _recover_with_pypdf(data, e)
    else:
        pages = _pages_pypdf(data, layout=engine == "pypdf-layout")
    return pages, warning


def _pages_pdfium(data: bytes) -> list[list[Line]]:
    doc = open_pdfium(data)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            height = page.get_height()
            tp = page.get_textpage()
            out.append(_pdfium_lines(tp, height))
            width = page.get_width()
            for ln in out[-1]:
                ln.page_w = width
            tp.close()
            page.close()
        return out
    finally:
        doc.close()


def open_pdfium(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == 4:  # FPDF_ERR_PASSWORD: a user password is set; try the empty one.
            try:
                return pdfium.PdfDocument(data, password="")
            except pdfium.PdfiumError:
                raise ExtractError(ParseStatus.ENCRYPTED, "encrypted PDF: password required") from None
        tail = data[-2048:]
        why = "truncated (no %%EOF marker)" if b"%%EOF" not in tail else "damaged"
        raise ExtractError(ParseStatus.CORRUPT, f"corrupt PDF: {why}: {e}") from None


def _pdfium_lines(tp, page_height: float) -> list[Line]:
    """Lines in stream order, with each line's box measured from pdfium's character boxes."""
    text = tp.get_text_range().replace("\r\n", "\n")
    box = _box_reader(tp)
    font = _font_reader(tp)
    # get_text_range yields "\r\n" as two generated chars; after replace, index i of `text`
    # no longer equals char index i, so keep a running char offset per line.
    lines, pos = [], 0
    for raw in text.split("\n"):
        n = len(raw)
        stripped = raw.lstrip()
        if not stripped:
            pos += n + 2
            continue  # a blank line: no boxes read, dropped
        line = Line(text=clean_chars(raw))
        # boxes are read even where the cleaned text is empty (as before), then that line is dropped
        start = pos + (n - len(stripped))
        line.x0, _, _, first_top = box(start)
        end = pos + len(raw.rstrip()) - 1
        _, bottom, line.x1, top = box(end)
        line.top = page_height - first_top
        line.last_top = page_height - top
        line.height = max(top - bottom, 1.0)
        word = stripped.split(" ")[0]
        # the first word's left edge is the line's: one box call fewer
        wend = start + len(word) - 1
        wx1 = line.x1 if wend == end else box(wend)[2]
        line.first_word_w = max(wx1 - line.x0, 0.0)
        line.size, line.bold = font(start)
        if line.text:
            lines.append(line)
        pos += n + 2
    _mark_cells(lines)
    return lines


def _mark_cells(lines: list[Line]) -> None:
    """For a line in a table cell, note where the next cell to its right starts: that, not the
    page margin, is where its text had to wrap."""
    import bisect

    geo = sorted((o for o in lines if o.x0 is not None), key=lambda o: o.top)
    tops = [o.top for o in geo]
    for ln in lines:
        if ln.x1 is None:
            continue
        h = 0.5 * (ln.height or 10)
        # only lines whose top is near this line's first or last top can match: look there,
        # with a margin, and apply the exact test (min() makes the order irrelevant)
        lo = bisect.bisect_left(tops, min(ln.top, ln.last_top) - h - 1.0)
        hi = bisect.bisect_right(tops, max(ln.top, ln.last_top) + h + 1.0)
        for other in geo[lo:hi]:
            if other is ln or other.x0 <= ln.x1:
                continue
            if abs(other.top - ln.top) < h or abs(other.top - ln.last_top) < h:
                lim = other.x0 - 6.0  # minus the cell padding
                ln.right_limit = lim if ln.right_limit is None else min(ln.right_limit, lim)


def _box_reader(tp):
    """box(index) -> (left, bottom, right, top) of one char of this text page, calling pdfium
    directly with one reused rect. Loose boxes span the font's ascent..descent, so every char of
    a line has the same height ("." included)."""
    import pypdfium2.raw as pdfium_c
    from pypdfium2 import PdfiumError

    rect = pdfium_c.FS_RECTF()
    get = pdfium_c.FPDFText_GetLooseCharBox
    raw = tp.raw

    def box(index: int) -> tuple[float, float, float, float]:
        if not get(raw, index, rect):
            raise PdfiumError("Failed to get charbox.")
        return rect.left, rect.bottom, rect.right, rect.top

    return box


def _font_reader(tp):
    """font(index) -> (font size, bold) of one char of this text page, with the pdfium functions
    and buffers looked up once."""
    import ctypes

    try:
        import pypdfium2.raw as pdfium_c

        get_size, get_weight = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetFontWeight
        get_info = pdfium_c.FPDFText_GetFontInfo
    except Exception:  # older pdfium builds lack some of these
        return lambda index: (None, False)
    raw = tp.raw
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    flags_ref = ctypes.byref(flags)
    bold_names: dict[bytes, bool] = {}  # a page uses a few fonts, each on many lines

    def font(index: int) -> tuple[float | None, bool]:
        try:
            size = float(get_size(raw, index))
            weight = int(get_weight(raw, index))
            if weight >= 600:
                return round(size, 1), True  # bold whatever the font's name
            buf[0] = b"\0"  # as a fresh buffer: pdfium leaves it untouched when the name does not fit
            get_info(raw, index, buf, 128, flags_ref)
            key = buf.value
            bold = bold_names.get(key)
            if bold is None:
                name = key.decode("latin-1", "replace").lower()
                bold = bold_names[key] = "bold" in name or "black" in name
        except Exception:
            return None, False
        return round(size, 1), bold

    return font


def clean_chars(s: str) -> str:
    # pdfium marks a hyphen it saw at a line break with U+FFFE / U+0002. Publishers' PDFs are
    # not auto-hyphenated (Word/Chromium break only at real hyphens), so keep it as "-".
    s = s.replace("\ufffe", "-").replace("\x02", "-").replace("\xad", "")
    s = s.replace("\u00a0", " ").replace("\t", " ")
    return (_SPACES.sub(" ", s) if "  " in s else s).strip()


_SPACES = re.compile(r"[ ]{2,}")


def _pages_pypdf(data: bytes, layout: bool) -> list[list[Line]]:
    reader = _open_pypdf(data)
    out = []
    for page in reader.pages:
        try:
            txt = page.extract_text(extraction_mode="layout") if layout else page.extract_text()
        except Exception as e:  # one bad page must not lose the others
            log.warning("pypdf page failed: %s", e)
            txt = ""
        out.append([Line(text=clean_chars(t)) for t in (txt or "").splitlines() if t.strip()])
    return out


def _open_pypdf(data: bytes, strict: bool = True):
    import pypdf

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=strict)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise ExtractError(ParseStatus.ENCRYPTED, "encrypted PDF: password required")
        _ = len(reader.pages)
        return reader
    except ExtractError:
        raise
    except Exception as e:
        raise ExtractError(ParseStatus.CORRUPT, f"corrupt PDF: {type(e).__name__}: {e}") from None


def _recover_with_pypdf(data: bytes, first: ExtractError) -> tuple[list[list[Line]], str]:
    try:
        reader = _open_pypdf(data, strict=False)
        pages = []
        for page in reader.pages:
            txt = page.extract_text() or ""
            pages.append([Line(text=clean_chars(t)) for t in txt.splitlines() if t.strip()])
    except Exception:
        raise first from None
    if not any(pages):
        raise first
    return pages, f"partial text recovered from a damaged PDF ({first})"

