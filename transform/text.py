"""Text extraction: document bytes -> cleaned logical lines (one paragraph / list entry per line).

One entry point, :func:`extract_lines`, for PDF, HTML and plain text. PDF pages are read page by
page with a selectable engine; then running headers/footers are removed (lines repeated at the
top/bottom of most pages, detected generally) and visually wrapped lines are re-joined into
paragraphs, so that downstream parsers see "109/19 <the whole first paragraph>" on one line.

Engines, measured with ``tools/score_parsers.py`` on the three corpus PDFs (32 pages; 2 shared
cores, median of 3 runs; same downstream parsers; speed = text extraction alone):

    engine        items F1  titles  figures F1  fig. refs  dates  actions F1  pages/s
    pdfium        1.0       1.0     1.0         1.0        3/3    1.0         ~200
    pypdf         0.962     0.963   1.0         1.0        2/3    0.79        ~43
    pypdf-layout  0.974     0.926   1.0         1.0        2/3    0.79        ~28

pdfium wins on quality (it gives character boxes and fonts, so wrapped lines are re-joined from
real geometry and report headings are told apart by size, where pypdf needs guesses from line
lengths) and on speed, so it is the default.
"""
from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from scrutiny.records import ParseStatus

ENGINES = ("pdfium", "pypdf", "pypdf-layout")
DEFAULT_ENGINE = "pdfium"

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


@dataclass(slots=True)
class TextResult:
    lines: list[str]  # cleaned logical lines, whole document
    pages: int | None = None
    status: ParseStatus = ParseStatus.OK
    error: str | None = None  # set for failures, and as a warning for partial recoveries
    ocr: bool = False
    kind: str = "pdf"  # "pdf", "html", "text"
    engine: str | None = None
    running: list[str] = field(default_factory=list)  # running header/footer lines removed
    # per line of `lines`: (font size, bold) of its first char, when the engine knows them;
    # report section headings are told from sub-headings by size.
    styles: list[tuple[float | None, bool]] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)  # index in `lines` where each page starts


class ExtractError(Exception):
    def __init__(self, status: ParseStatus, message: str):
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------


def extract_lines(data: bytes, content_type: str | None = None, engine: str = DEFAULT_ENGINE) -> TextResult:
    """Bytes -> TextResult. Never raises for bad input: failures come back as a status."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from {ENGINES}")
    try:
        kind = sniff(data, content_type)
        if kind == "pdf":
            return _extract_pdf(data, engine)
        if kind == "html":
            from transform.html import html_to_lines

            lines = html_to_lines(_decode(data))
            return _finish(TextResult(lines=lines, pages=None, kind="html"))
        lines = [ln.strip() for ln in _decode(data).splitlines()]
        return _finish(TextResult(lines=[ln for ln in lines if ln], pages=None, kind="text"))
    except ExtractError as e:
        return TextResult(lines=[], status=e.status, error=str(e))


def sniff(data: bytes, content_type: str | None) -> str:
    """'pdf' / 'html' / 'text', or ExtractError. Magic bytes win over the declared type."""
    if not data:
        raise ExtractError(ParseStatus.EMPTY, "empty file: 0 bytes")
    head = data[:1024].lstrip()
    ctype = (content_type or "").split(";")[0].strip().lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(ParseStatus.UNSUPPORTED, f"unsupported content: {ctype or 'zip/ole (office document?)'}")
    if ctype == "application/pdf":
        raise ExtractError(ParseStatus.CORRUPT, "corrupt PDF: no %PDF header")
    if "html" in ctype or "xml" in ctype or head[:1] == b"<":
        return "html"
    if ctype.startswith("text/") or (not ctype and _looks_textual(data)):
        return "text"
    raise ExtractError(ParseStatus.UNSUPPORTED, f"unsupported content type: {ctype or 'unknown binary'}")


def _looks_textual(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and sum(b < 9 for b in sample) == 0


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _finish(res: TextResult) -> TextResult:
    if not any(ln.strip() for ln in res.lines):
        res.status = ParseStatus.NO_TEXT
        res.error = res.error or "no extractable text"
    return res


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def _extract_pdf(data: bytes, engine: str) -> TextResult:
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
    n_pages = len(pages)
    ocr = False
    empty = [i for i, p in enumerate(pages) if not any(ln.text.strip() for ln in p)]
    if empty:
        ocred = _ocr_pages(data, empty)
        if ocred:
            for i, lines in ocred.items():
                pages[i] = lines
            ocr = True
        elif len(empty) == n_pages:
            return TextResult(lines=[], pages=n_pages, status=ParseStatus.NO_TEXT, kind="pdf", engine=engine,
                              error="no extractable text (image-only pages; OCR needed)")
    pages, running = strip_running(pages)
    lines, starts, styles = unwrap(pages)
    res = TextResult(lines=lines, pages=n_pages, kind="pdf", engine=engine, running=running,
                     page_starts=starts, ocr=ocr, error=warning, styles=styles)
    return _finish(res)


def _pages_pdfium(data: bytes) -> list[list[Line]]:
    doc = _open_pdfium(data)
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


def _open_pdfium(data: bytes):
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
        line = Line(text=_clean_chars(raw))
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


def _clean_chars(s: str) -> str:
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
        out.append([Line(text=_clean_chars(t)) for t in (txt or "").splitlines() if t.strip()])
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
            pages.append([Line(text=_clean_chars(t)) for t in txt.splitlines() if t.strip()])
    except Exception:
        raise first from None
    if not any(pages):
        raise first
    return pages, f"partial text recovered from a damaged PDF ({first})"


# --------------------------------------------------------------------------------------
# OCR (only when tesseract is installed)
# --------------------------------------------------------------------------------------


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def _ocr_pages(data: bytes, indexes: list[int]) -> dict[int, list[Line]]:
    """OCR the given pages with tesseract if it is on PATH; {} otherwise."""
    if not tesseract_available():
        return {}
    out: dict[int, list[Line]] = {}
    doc = _open_pdfium(data)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # 5x faster on 2 cores (platform-notes)
    with tempfile.TemporaryDirectory() as tmp:
        for i in indexes:
            img = os.path.join(tmp, f"p{i}.pgm")
            _write_pgm(doc[i].render(scale=300 / 72, grayscale=True), img)
            proc = subprocess.run(["tesseract", img, "-", "-l", "eng"], capture_output=True,
                                  env=env, timeout=300, check=False)
            out[i] = _ocr_lines(proc.stdout.decode("utf-8", "replace"))
    doc.close()
    return out if any(out.values()) else {}


def _ocr_lines(txt: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for t in txt.splitlines():
        if not t.strip():
            blank = True
            continue
        lines.append(Line(text=_clean_chars(t), gap_before=blank))
        blank = False
    return lines


def _write_pgm(bitmap, path: str) -> None:
    """Grey bitmap -> binary PGM, which tesseract reads; avoids needing Pillow."""
    w, h, stride = bitmap.width, bitmap.height, bitmap.stride
    buf = bytes(bitmap.buffer)
    rows = b"".join(buf[r * stride: r * stride + w] for r in range(h))
    with open(path, "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (w, h) + rows)


# --------------------------------------------------------------------------------------
# running headers / footers
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# re-joining wrapped lines
# --------------------------------------------------------------------------------------

# A line starting like this begins a new paragraph whatever the geometry says.
STARTER = re.compile(
    r"^(?:[•·▪●◦‣∙\-–*]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-z][.)]\s|\(?[ivx]{1,5}[.)]\s|[IVX]{1,5}\.\s"
    r"|\d{1,4}/\d{2,4}\b|(?:action|decision|resolved|agreed)\b\s*[:\-–]|ref\b)",
    re.I,
)


def unwrap(pages: list[list[Line]]) -> tuple[list[str], list[int], list[tuple[float | None, bool]]]:
    """Join visual lines into paragraphs; returns (lines, index where each page starts,
    style of each line)."""
    flat: list[tuple[int, Line]] = [(pi, ln) for pi, p in enumerate(pages) for ln in p]
    ctx = _Layout(right=_right_margin([ln for _, ln in flat]), pitch=_line_pitch(pages),
                  typical_len=_typical_len([ln for _, ln in flat]), body_h=_body_height(pages))
    out: list[str] = []
    styles: list[tuple[float | None, bool]] = []
    starts: list[int] = []
    prev: Line | None = None
    prev_page = -1
    prev_joined = False  # was `prev` itself a continuation line?
    for pi, ln in flat:
        while len(starts) <= pi:
            starts.append(len(out))
        joined = (prev is not None and bool(out) and _continues(prev, ln, ctx, same_page=pi == prev_page)
                  and not _parallel_entry(out[-1], ln.text) and not (prev_joined and _indent_changes(prev, ln, ctx)))
        if joined:
            out[-1] = _join(out[-1], ln.text)
        else:
            out.append(ln.text)
            styles.append((ln.size, ln.bold))
        prev, prev_page, prev_joined = ln, pi, joined
    while len(starts) < len(pages):
        starts.append(len(out))
    return out, starts, styles


@dataclass(slots=True)
class _Layout:
    right: float | None  # the body text's right margin
    pitch: float | None  # the usual distance between baselines of one paragraph's lines
    typical_len: float  # characters in a full line, for engines without geometry
    body_h: float | None = None  # line height (loose box) of body text, the size `pitch` is for


_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")
_ENDS_SENTENCE = (".", "!", "?")
_ENDS_CLAUSE = (".", ";", ":", "!", "?")
_NUMBERED_HEADING = re.compile(r"\d{1,4}[a-z]?\s+[A-Z]")


def _join(a: str, b: str) -> str:
    if a.endswith("\xad"):
        return a[:-1] + b
    if "-" in a[-2:] and _WORD_HYPHEN.search(a) and b[:1].islower():
        return a + b  # a word broken at its own hyphen: "third-" + "party"
    return a + " " + b


def _right_margin(lines: list[Line]) -> float | None:
    xs = sorted(ln.x1 for ln in lines if ln.x1 is not None)
    if not xs:
        return None
    right = xs[int(len(xs) * 0.95) - 1 if len(xs) > 1 else 0]
    # When hardly any line wraps (short hard-broken lines, a narrow font), the longest lines
    # are not full ones: the margin is then at least most of the width that a right margin
    # mirroring the left one leaves.
    widths = [ln.page_w for ln in lines if ln.page_w]
    lefts = sorted(ln.x0 for ln in lines if ln.x0 is not None)
    if widths and lefts:
        left = lefts[len(lefts) // 20]
        page_w = max(set(widths), key=widths.count)
        if page_w - left > left:
            right = max(right, left + 0.85 * (page_w - 2 * left))
    return right


def _body_height(pages: list[list[Line]]) -> float | None:
    heights = [round(ln.height * 2) / 2 for p in pages for ln in p if ln.height]
    return max(set(heights), key=heights.count) if heights else None


def _indent_changes(prev: Line, ln: Line, ctx: _Layout) -> bool:
    """After a paragraph's second or later line, a line starting at another x is another block
    (a list entry, an indented paragraph), whatever the vertical gap (none at a page break, or
    with paragraphs set without spacing). (A centred paragraph of three lines or more is split
    by this; ragged lines too often look centred to except them.)"""
    if prev.x0 is None or ln.x0 is None or abs(prev.x0 - ln.x0) <= 2.0:
        return False
    if not (ln.text[:1].isupper() or ln.text[:1].isdigit()) or prev.right_limit is not None or ln.right_limit is not None:
        return False  # a sentence running on in lower case; table cells (pdfium merges their lines)
    return True


def _line_pitch(pages: list[list[Line]]) -> float | None:
    """Distance between the lines of one paragraph of body text: the smallest step between
    consecutive body-size lines that is common, not the median step (in a document of mostly
    one-line paragraphs the median is the paragraph gap)."""
    pairs = [(a, b) for p in pages for a, b in zip(p, p[1:])
             if a.last_top is not None and b.top is not None and 0 < b.top - a.last_top < 3 * (a.height or 10)]
    if not pairs:
        return None
    heights = [round(a.height * 2) / 2 for a, _ in pairs if a.height]
    body = max(set(heights), key=heights.count) if heights else None
    steps = sorted(b.top - a.last_top for a, b in pairs
                   if body is None or (abs((a.height or 0) - body) <= 0.5 and abs((b.height or 0) - body) <= 0.5))
    if not steps:
        steps = sorted(b.top - a.last_top for a, b in pairs)
    need = max(3, len(steps) // 12)
    for i, s0 in enumerate(steps):
        group = [s for s in steps[i:] if s <= s0 + 1.0]
        if len(group) >= need and s0 >= 0.9 * (body or 0):
            return group[len(group) // 2]
    return steps[len(steps) // 2]


def _typical_len(lines: list[Line]) -> float:
    """Typical characters per line, for engines without geometry."""
    lens = sorted(len(ln.text) for ln in lines)
    return lens[int(len(lens) * 0.9)] if lens else 80


# A line ending in a word that cannot end a sentence continues on the next line.
DANGLING = re.compile(
    r"\b(and|or|but|nor|the|a|an|of|to|in|on|at|by|for|with|from|that|which|who|whose|when|where|"
    r"there|is|are|was|were|be|been|has|have|had|as|its|their|his|her|our|this|these|those|than|into)$"
)


def _dangles(text: str) -> bool:
    """DANGLING.search(text), on the last 8 characters only: the same answer (its longest word
    has 5 letters, plus a newline before ``$``, so no match can start at the cut, where ``\b``
    would differ), without trying every position of a long line (~6 µs a call)."""
    return DANGLING.search(text[-8:]) is not None


def _jumps_up(prev: Line, ln: Line, same_page: bool) -> bool:
    return same_page and prev.last_top is not None and ln.top is not None and ln.top < prev.last_top


def _continues(prev: Line, ln: Line, ctx: _Layout, same_page: bool) -> bool:
    if STARTER.match(ln.text) or ln.gap_before:
        return False
    if prev.text.rstrip().endswith(":"):
        return False  # a label or lead-in line ("Present:", "It was agreed that:")
    if prev.text.rstrip().endswith(_ENDS_SENTENCE) and _stand_alone(ln.text):
        return False  # "... make sense." + "Knife Crime" / "Additional documents:": a heading or label
    if ln.text[:1].islower() and _dangles(prev.text) and not _jumps_up(prev, ln, same_page):
        return True  # "... in September and" + "responses would ...": one sentence broken apart
    if _gap_breaks(prev, ln, ctx, same_page):
        return False  # a paragraph gap, or a jump to another column/block
    if ln.text[:1].islower() and not prev.text.rstrip().endswith(_ENDS_CLAUSE):
        return True  # a sentence cannot start in lower case: a hard break inside a sentence
    if ctx.right is not None and prev.x1 is not None and ln.first_word_w is not None:
        # It wraps iff the next line's first word would not have fitted on this one.
        space = (prev.height or 10) * 0.3
        limit = prev.right_limit if prev.right_limit is not None else ctx.right
        return prev.x1 + space + ln.first_word_w > limit + 1.0
    # No geometry (pypdf, OCR): guess from lengths against the typical full line.
    if prev.text.rstrip().endswith(_ENDS_SENTENCE) or _NUMBERED_HEADING.match(ln.text):
        return False  # a finished sentence, or what looks like a numbered heading
    first = len(ln.text.split(" ")[0])
    return len(prev.text) + 1 + first > ctx.typical_len * 0.92


SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with", "&", "-", "–", "/"}
# "Gareth Morris (GM) Chief Superintendent": an attendance entry with the person's initials
NAME_ENTRY = re.compile(r"^(?:[A-Z][\w'’.-]*\s+){1,4}\([A-Z][A-Za-z]{1,4}\)")


def _stand_alone(s: str) -> bool:
    """A short heading ("Killed and Serious Injury Road Collisions") or label ("Minutes:") that
    makes a line of its own: after a finished sentence it starts a new paragraph even where the
    geometry says the line before was full."""
    s = s.strip()
    words = s.split()
    if not words or not s[:1].isupper() or len(words) > 8:
        return False
    if s.endswith(":"):
        return len(words) <= 5
    if re.search(r"[.,;!?]$", s):
        return False
    caps = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(caps) and sum(w[:1].isupper() or w[:1].isdigit() for w in caps) >= 0.75 * len(caps)


# "Tracey Onslow, Deputy Police and Crime Commissioner": a name, a comma, a capitalised role
NAME_COMMA = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor)\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][\w'’-]+){1,2},\s+[A-Z]")


def _parallel_entry(para: str, nxt: str) -> bool:
    """Two entries of one list, each "Name (XX) role" or "Name, Role": never one paragraph,
    even where the first ends so near the margin that the second looks like its wrap."""
    return any(p.match(para) and p.match(nxt) for p in (NAME_ENTRY, NAME_COMMA))


def _gap_breaks(prev: Line, ln: Line, ctx: _Layout, same_page: bool) -> bool:
    if not same_page or prev.last_top is None or ln.top is None:
        return False
    gap = ln.top - prev.last_top
    if gap < 0:
        return True
    pitch = ctx.pitch or 1.3 * (prev.height or 10)
    if ctx.pitch and ctx.body_h and prev.height and ln.height and abs(prev.height - ln.height) <= 0.5 \
            and prev.height > ctx.body_h + 0.5:
        pitch *= prev.height / ctx.body_h  # the lines of a larger heading are further apart
    return gap > pitch * 1.1  # measured: lines of a paragraph 13.5-14.3pt apart, paragraphs 16.5+
