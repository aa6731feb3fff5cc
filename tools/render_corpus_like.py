#!/usr/bin/env python3
"""Render a document text (a corpus .txt, or a tests/fixtures/realtext file) as an A4 PDF laid out
like the corpus PDFs (tests/fixtures/corpus/pdf), printed by headless Chromium.

    python tools/render_corpus_like.py IN.txt OUT.pdf [--header TEXT] [--font "Liberation Sans"]
        [--size 14] [--valign top|middle] [--footer center|two-line|split|top] [--minutes auto|tabs|none]
        [--bullets css|text] [--html OUT.html]
    python tools/render_corpus_like.py IN.txt --compare [variation options]   # PDF parse vs text parse
    python tools/render_corpus_like.py --make-fixtures [DIR]   # (re)make tests/fixtures/rendered/*.pdf

The look copied from the corpus PDFs (Chromium 156 "print to PDF", Liberation Sans):
  * A4, running header (the body's name, bold, small, centred) and "Page N of M" footer, both in
    the @page margin boxes (so pdfium reads them first on every page, as in the corpus);
  * "NUM<TAB>text" rows (and, with --minutes auto, a ref alone on its line: "103.", "39/20",
    "Ref 01/18/01/2022") as a two-column minutes table: the number bold in a narrow left cell, the
    text (and every block up to the next numbered row) in the right cell; rows ruled above;
  * HTML fragments inside cells rendered as HTML, "•" runs in <ul style="list-style-type:none">
    split into one entry each (the bullet stays as text);
  * markdown "- " bullets as CSS disc bullets (the bullet is drawn, not text), "N. " paragraphs
    with a hanging indent, "**bold**", "*italic*", "[link](#)";
  * markdown "| a | b |" tables and tab-separated rows of 3+ columns as ruled tables;
  * a line break inside a paragraph kept as a line break (<br>), a blank line as a paragraph gap;
  * the first line as a title, short capitalised lines as bold headings.

Variations (for testing the PDF path on layouts the corpus does not have): the minute number
vertically centred in its cell, other fonts and sizes, the page number on another line or at the
top, bullets printed as text.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class Style:
    header: str = ""
    font: str = "Liberation Sans"
    size: float = 14.0  # CSS px of body text (the corpus: 14px = 10.5pt)
    line_height: float = 1.36
    valign: str = "top"  # minute number in its cell: top | middle
    footer: str = "center"  # center | two-line | split | top
    minutes: str = "tabs"  # tabs: only "NUM<TAB>text" rows; auto: also refs alone on a line; none
    bullets: str = "css"  # css: "- " lists drawn with CSS discs; text: the "-" / "•" kept as text
    num_width: float = 10.0  # % of the table width for the number column
    margins: str = "22mm 20mm 22mm 18mm"
    para_gap: float = 0.45  # space after a paragraph, in em (0: paragraphs told apart only by line ends)


# --------------------------------------------------------------------------------------
# text -> HTML
# --------------------------------------------------------------------------------------

REF_ALONE = re.compile(r"^(?:Ref\.?\s+)?(\d{1,4}(?:[./]\d{1,4}){0,3}\.?|[A-Z]{1,3}\s?\d{1,3}(?:/\d{2,4})?\.?)$")
ALLOWED_TAGS = re.compile(r"</?(?:p|ul|ol|li|br|strong|b|em|i|u|span|a)(?:\s[^<>]*)?/?>", re.I)
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s*(\(?\d{1,3}[.)]|\(?[a-z][.)]|[IVX]{1,5}\.)\s+\S")
MD_TABLE = re.compile(r"^\s*\|.*\|\s*$")
MD_RULE = re.compile(r"^\s*\|[\s:|-]*\|\s*$")


def strip_provenance(text: str) -> tuple[str, dict[str, str]]:
    """A realtext file starts with "key: value" lines ended by '---'; a corpus .txt has none."""
    if "\n---\n" in text[:3000] and text.startswith("source:"):
        head, body = text.split("\n---\n", 1)
        meta = {}
        for ln in head.splitlines():
            if ":" in ln:
                k, v = ln.split(":", 1)
                meta[k.strip()] = v.strip()
        return body, meta
    return text, {}


def default_header(text: str, meta: dict[str, str]) -> str:
    body = meta.get("body", "")
    if body:
        return re.split(r"\s+[(\-–]", body, maxsplit=1)[0].strip()
    for ln in text.splitlines():
        s = re.sub(r"[*#_]", "", ln).strip()
        if s:
            return _title(s) if s.isupper() else s
    return ""


def _title(s: str) -> str:
    small = {"and", "of", "the", "for", "in", "on", "to", "a"}
    words = s.lower().split()
    return " ".join(w if (k and w in small) else w[:1].upper() + w[1:] for k, w in enumerate(words))


def inline(s: str) -> str:
    """Escape text, keep a whitelist of HTML tags, render markdown emphasis and links."""
    out, pos = [], 0
    for m in ALLOWED_TAGS.finditer(s):
        out.append(_md(html.escape(s[pos:m.start()], quote=False)))
        out.append(m.group(0))
        pos = m.end()
    out.append(_md(html.escape(s[pos:], quote=False)))
    return _split_dot_lists("".join(out))


def _md(s: str) -> str:
    s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s, flags=re.S)
    s = re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", s)
    s = re.sub(r"\[([^\]]+)\]\(([^)]*)\)", r'<a href="\2">\1</a>', s)
    return s


def _split_dot_lists(s: str) -> str:
    """<ul style="list-style-type: none"> • a • b </ul> -> one entry per bullet, "•" kept."""
    def repl(m: re.Match) -> str:
        parts = [p.strip() for p in re.split(r"\s*•\s*", m.group(2)) if p.strip()]
        return '<ul class="dots">' + "".join(f"<li>• {p}</li>" for p in parts) + "</ul>"

    s = re.sub(r"<ul([^>]*)>(.*?)(</ul>|$)", repl, s, flags=re.S)
    return s


@dataclass
class Block:
    kind: str  # p, h1, h2, h3, h4, label, ul, num, mdtable, table, minute, cont, label_row
    lines: list
    ref: str = ""


def blocks_of(text: str, style: Style) -> list[Block]:
    raw = text.replace("\r\n", "\n").split("\n")
    tab_rows = [ln for ln in raw if "\t" in ln]
    two_col = [ln for ln in tab_rows if ln.count("\t") == 1]
    minute_tabs = style.minutes != "none" and len(two_col) >= 2
    out: list[Block] = []
    para: list[str] = []
    first = True

    def flush():
        nonlocal para, first
        if para:
            out.append(_para_block(para, first))
            first = False
        para = []

    i = 0
    while i < len(raw):
        ln = raw[i].rstrip()
        if not ln.strip():
            flush()
            i += 1
            continue
        if "\t" in ln and ln.count("\t") == 1 and minute_tabs:
            flush()
            num, rest = ln.split("\t")
            num = num.strip()
            if num and not re.match(r"^\d", num):
                out.append(Block("label_row", [rest], ref=num))
            else:
                out.append(Block("minute" if num else "cont", [rest], ref=num))
            i += 1
            continue
        if "\t" in ln:  # a data table: consecutive tab rows (blank lines inside allowed)
            flush()
            rows = []
            while i < len(raw) and ("\t" in raw[i] or (not raw[i].strip() and i + 1 < len(raw) and "\t" in raw[i + 1])):
                if raw[i].strip() or "\t" in raw[i]:
                    rows.append(raw[i].split("\t"))
                i += 1
            out.append(Block("table", rows))
            continue
        if MD_TABLE.match(ln):
            flush()
            rows = []
            while i < len(raw) and MD_TABLE.match(raw[i]):
                if not MD_RULE.match(raw[i]) or "--" not in raw[i]:
                    rows.append([c.strip() for c in raw[i].strip()[1:-1].split("|")])
                i += 1
            out.append(Block("mdtable", rows))
            continue
        m = BULLET.match(ln)
        if m:
            flush()
            if out and out[-1].kind == "ul" and not _gap_before(raw, i):
                out[-1].lines.append(m.group(1))
            else:
                out.append(Block("ul", [m.group(1)]))
            i += 1
            continue
        if NUMBERED.match(ln):
            flush()
            out.append(Block("num", [ln.strip()]))
            i += 1
            continue
        if style.minutes == "auto" and REF_ALONE.match(ln.strip()) and _ref_like(ln.strip()):
            flush()
            out.append(Block("minute", [], ref=ln.strip()))
            i += 1
            continue
        para.append(ln.strip())
        i += 1
    flush()
    return out


def _gap_before(raw: list[str], i: int) -> bool:
    return i > 0 and not raw[i - 1].strip()


def _ref_like(s: str) -> bool:
    """A minute reference alone on its line: '103.', '39/20', 'Ref 01/18/01/2022', '5'."""
    core = re.sub(r"^Ref\.?\s+", "", s).rstrip(".")
    if re.fullmatch(r"\d{1,4}", core):
        return int(core) > 0
    return bool(re.fullmatch(r"\d{1,4}(/\d{1,4}){1,3}", core))


def _para_block(lines: list[str], first: bool) -> Block:
    text = " ".join(lines)
    plain = re.sub(r"<[^>]+>|\*", "", text).strip()
    if len(lines) == 1 and first and len(plain) < 70:
        return Block("h1", lines)
    if len(lines) == 1 and len(plain) <= 60 and plain.isupper() and re.search(r"[A-Z]{3}", plain):
        return Block("h2", lines)
    if len(lines) == 1 and re.match(r"^Section \d+\b", plain) and len(plain) < 80:
        return Block("h2", lines)
    if len(lines) == 1 and len(plain) <= 90 and re.match(r"^\d{1,4}\s+[A-Z]", plain) and not re.search(r"[.,;]$", plain):
        return Block("h3", lines)
    if len(lines) == 1 and plain.endswith(":") and len(plain) <= 40:
        return Block("label", lines)
    if (len(lines) == 1 and 2 <= len(plain.split()) <= 12 and plain[:1].isupper()
            and not re.search(r"[.,;:!?)]$", plain) and sum(w[:1].isupper() for w in plain.split()) >= 2):
        return Block("h4", lines)
    return Block("p", lines)


def render_blocks(blocks: list[Block], style: Style) -> str:
    parts: list[str] = []
    table_open = False
    cell_open = False

    def close_table():
        nonlocal table_open, cell_open
        if cell_open:
            parts.append("</td></tr>")
            cell_open = False
        if table_open:
            parts.append("</table>")
            table_open = False

    def open_table():
        nonlocal table_open
        if not table_open:
            parts.append(f'<table class="minutes"><colgroup><col style="width:{style.num_width}%"><col></colgroup>')
            table_open = True

    for b in blocks:
        if b.kind in ("minute", "cont", "label_row"):
            if cell_open:
                parts.append("</td></tr>")
            open_table()
            if b.kind == "label_row":
                parts.append(f'<tr class="label"><td colspan="2">{inline(b.ref)}</td></tr>')
                cell_open = False
                if b.lines and b.lines[0].strip():
                    parts.append(f'<tr><td class="num"></td><td class="txt">{_cell(b.lines[0])}')
                    cell_open = True
                continue
            parts.append(f'<tr><td class="num">{html.escape(b.ref)}</td><td class="txt">')
            if b.lines and b.lines[0].strip():
                parts.append(_cell(b.lines[0]))
            cell_open = True
            continue
        if table_open and not cell_open:
            close_table()
        if b.kind in ("mdtable", "table"):
            close_table() if b.kind == "mdtable" else None
            parts.append(_data_table(b))
            continue
        parts.append(_block_html(b, style))
    close_table()
    return "\n".join(parts)


def _cell(s: str) -> str:
    s = s.strip()
    if re.match(r"^<(p|ul)\b", s):
        return inline(s)
    return f"<p>{inline(s)}</p>"


def _block_html(b: Block, style: Style) -> str:
    br = inline("\n".join(b.lines)).replace("\n", "<br>")
    if b.kind == "ul":
        cls = ' class="textbullets"' if style.bullets == "text" else ""
        items = "".join(f"<li>{'– ' if style.bullets == 'text' else ''}{inline(x)}</li>" for x in b.lines)
        return f"<ul{cls}>{items}</ul>"
    if b.kind == "num":
        return f'<p class="num">{br}</p>'
    if b.kind in ("h1", "h2", "h3", "h4"):
        return f"<{b.kind}>{br}</{b.kind}>"
    if b.kind == "label":
        return f'<p class="label">{br}</p>'
    return f"<p>{br}</p>"


def _data_table(b: Block) -> str:
    rows = [r for r in b.lines if any(c.strip() for c in r)]
    width = max(len(r) for r in rows)
    out = ['<table class="data">']
    for n, r in enumerate(rows):
        r = r + [""] * (width - len(r))
        tag = "th" if n == 0 and b.kind == "table" else "td"
        cells = []
        for c in r:
            c = c.strip()
            cls = ' class="amt"' if re.fullmatch(r"[£$]?[\d,.]+%?|[£$]", c) else ""
            cells.append(f"<{tag}{cls}>{inline(c)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def page_css(style: Style) -> str:
    hdr = style.header.replace("\\", "\\\\").replace('"', '\\"')
    page_no = '"Page " counter(page) " of " counter(pages)'
    boxes = {
        "center": f'@top-center {{ content: "{hdr}"; font: bold 12px "{style.font}"; color: #1f3864; }}'
                  f'@bottom-center {{ content: {page_no}; font: 12px "{style.font}"; color: #444; }}',
        # the page number on the second line of a two-line footer
        "two-line": f'@top-center {{ content: "{hdr}"; font: bold 12px "{style.font}"; color: #1f3864; }}'
                    f'@bottom-center {{ content: "OFFICIAL – {hdr}\\A" {page_no}; white-space: pre; '
                    f'font: 12px "{style.font}"; color: #444; text-align: center; }}',
        # a document label bottom left, the page number bottom right
        "split": f'@top-center {{ content: "{hdr}"; font: bold 12px "{style.font}"; color: #1f3864; }}'
                 f'@bottom-left {{ content: "{hdr} – minutes"; font: 11px "{style.font}"; color: #444; }}'
                 f'@bottom-right {{ content: {page_no}; font: 11px "{style.font}"; color: #444; }}',
        # header and page number both at the top, nothing at the bottom
        "top": f'@top-left {{ content: "{hdr}"; font: bold 12px "{style.font}"; color: #1f3864; }}'
               f'@top-right {{ content: {page_no}; font: 12px "{style.font}"; color: #444; }}',
    }[style.footer]
    fs = style.size
    return f"""
@page {{ size: A4; margin: {style.margins}; {boxes} }}
body {{ font-family: "{style.font}"; font-size: {fs}px; line-height: {style.line_height}; color: #111; margin: 0; }}
p {{ margin: 0 0 {fs * style.para_gap:.1f}px 0; }}
h1 {{ font-size: {fs * 1.43:.1f}px; margin: 0 0 {fs * 0.6:.1f}px 0; }}
h2 {{ font-size: {fs * 1.19:.1f}px; color: #1f3864; margin: {fs * 0.9:.1f}px 0 {fs * 0.45:.1f}px 0; }}
h3 {{ font-size: {fs * 1.05:.1f}px; margin: {fs * 0.9:.1f}px 0 {fs * 0.35:.1f}px 0; }}
h4 {{ font-size: {fs}px; margin: {fs * 0.7:.1f}px 0 {fs * 0.35:.1f}px 0; }}
p.label {{ font-weight: bold; margin-top: {fs * 0.6:.1f}px; }}
p.num {{ padding-left: {fs * 1.7:.1f}px; text-indent: -{fs * 1.7:.1f}px; }}
ul {{ margin: 0 0 {fs * 0.45:.1f}px 0; padding-left: {fs * 1.2:.1f}px; }}
ul.textbullets {{ list-style: none; padding-left: 0; }}
ul.textbullets li {{ padding-left: {fs * 0.9:.1f}px; text-indent: -{fs * 0.9:.1f}px; }}
li {{ margin: 0 0 {fs * 0.25:.1f}px 0; }}
ul.dots {{ list-style: none; padding-left: {fs * 0.6:.1f}px; }}
ul.dots li {{ padding-left: {fs * 0.7:.1f}px; text-indent: -{fs * 0.7:.1f}px; }}
a {{ color: #1a4f9c; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 {fs * 0.6:.1f}px 0; }}
table.minutes td {{ padding: {fs * 0.45:.1f}px 4px {fs * 0.3:.1f}px 0; border-top: 1px solid #ccc; }}
table.minutes tr:first-child td {{ border-top: none; }}
table.minutes td.num {{ font-weight: bold; vertical-align: {style.valign}; white-space: nowrap; }}
table.minutes td.txt {{ vertical-align: top; }}
table.minutes td.txt > p:last-child, table.minutes td.txt > ul:last-child {{ margin-bottom: 0; }}
table.minutes tr.label td {{ font-weight: bold; color: #1f3864; }}
table.data td, table.data th {{ border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }}
table.data th {{ background: #dfe6f3; }}
table.data td.amt {{ text-align: right; }}
"""


def to_html(text: str, style: Style) -> str:
    body = render_blocks(blocks_of(text, style), style)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(style.header)}</title>'
            f"<style>{page_css(style)}</style></head><body>\n{body}\n</body></html>")


# --------------------------------------------------------------------------------------
# HTML -> PDF
# --------------------------------------------------------------------------------------


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def print_pdf(html_text: str, out: Path, timeout: float = 120) -> None:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium not found (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="render_corpus_like_") as tmp:
        src = Path(tmp) / "doc.html"
        src.write_text(html_text, encoding="utf-8")
        profile = Path(tmp) / "profile"
        profile.mkdir()
        cmd = [exe, *CHROME_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
               "--no-pdf-header-footer", src.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")


def render(text: str, out: Path, style: Style, html_out: Path | None = None) -> Path:
    body, meta = strip_provenance(text)
    if not style.header:
        style.header = default_header(body, meta)
    h = to_html(body, style)
    if html_out:
        html_out.write_text(h, encoding="utf-8")
    print_pdf(h, out)
    return out


# --------------------------------------------------------------------------------------
# comparison: the PDF parse against the text parse
# --------------------------------------------------------------------------------------


def _ws(s):
    return " ".join(str(s).split()) if s is not None else None


def fields(doc) -> dict[str, object]:
    """The fields of a ParsedDocument that the PDF path must reproduce, normalised for whitespace."""
    return {
        "doc_kind": str(doc.doc_kind),
        "meeting_date": doc.meeting_date,
        "items": [(it.ref, _ws(it.title)) for it in doc.items],
        "attendance": [(a.person, str(a.status)) for a in doc.attendance],
        "actions": [(a.item_ref, _ws(a.owner), _ws(a.text)) for a in doc.actions],
        "figures": [(f.raw, f.value, str(f.unit), f.item_ref) for f in doc.figures],
    }


def compare(pdf: bytes, text: str) -> dict[str, tuple[object, object]]:
    """{field: (pdf value, text value)} for every field where the two parses disagree."""
    sys.path.insert(0, str(ROOT))
    from kernel.records import DocHints
    from transform.document import parse_document

    body, _ = strip_provenance(text)
    a = fields(parse_document(pdf, content_type="application/pdf", hints=DocHints()))
    b = fields(parse_document(body.encode("utf-8"), content_type="text/plain", hints=DocHints()))
    return {k: (a[k], b[k]) for k in a if a[k] != b[k]}


# The saved test inputs (tests/fixtures/rendered/): realtext file, variant name, style. All but
# the last made the PDF parse disagree with the text parse before the fixes of parser 2026.11.4.
VARIANTS = {
    "top": dict(minutes="auto"),
    "middle": dict(minutes="auto", valign="middle"),
    "big": dict(minutes="auto", size=20, footer="top", valign="middle", num_width=14),
    "narrow": dict(minutes="none", font="Liberation Sans Narrow", size=15),
    "tight": dict(minutes="auto", para_gap=0, line_height=1.15, font="Liberation Serif", size=15, footer="two-line"),
}
FIXTURES = [
    ("shropshire_cabinet_2012-09-12", "top"),  # line pitch taken from paragraph gaps: "Present:" lost
    ("northants_pab_2021-05-11", "top"),  # heading after a sentence ending at the margin
    ("wmgb_2022-11-23", "middle"),  # number centred in its cell, heading run on into the text
    ("wmgb_2023-07-26", "big"),  # "Ref 0N/…" opening two pages taken for a running header
    ("wmgb_2024-04-25", "big"),  # "Name (XX) role" entries joined
    ("wmgb_2022-01-18", "narrow"),  # no line wraps: right margin taken from the longest line
    ("wmpcp_mid587", "big"),  # "Minutes:" / "Additional documents:" taken for running text
    ("surrey_pcp_2020-09-15", "tight"),  # no paragraph spacing, two-line footer (agreed already)
]


def make_fixtures(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for stem, variant in FIXTURES:
        src = ROOT / "tests" / "fixtures" / "realtext" / f"{stem}.txt"
        out = dest / f"{stem}__{variant}.pdf"
        render(src.read_text(encoding="utf-8"), out, Style(**VARIANTS[variant]))
        print(f"{out.name}: {out.stat().st_size} bytes", file=sys.stderr)


def main(argv=None) -> int:
    if argv is None and sys.argv[1:2] == ["--make-fixtures"]:
        make_fixtures(Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "tests" / "fixtures" / "rendered")
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--header", default="")
    ap.add_argument("--font", default=Style.font)
    ap.add_argument("--size", type=float, default=Style.size)
    ap.add_argument("--line-height", type=float, default=Style.line_height)
    ap.add_argument("--valign", choices=("top", "middle"), default=Style.valign)
    ap.add_argument("--footer", choices=("center", "two-line", "split", "top"), default=Style.footer)
    ap.add_argument("--minutes", choices=("tabs", "auto", "none"), default=Style.minutes)
    ap.add_argument("--bullets", choices=("css", "text"), default=Style.bullets)
    ap.add_argument("--num-width", type=float, default=Style.num_width)
    ap.add_argument("--margins", default=Style.margins)
    ap.add_argument("--para-gap", type=float, default=Style.para_gap)
    ap.add_argument("--html", help="also write the HTML here")
    ap.add_argument("--compare", action="store_true", help="render to a temp file and diff the parses")
    args = ap.parse_args(argv)
    style = Style(header=args.header, font=args.font, size=args.size, line_height=args.line_height,
                  valign=args.valign, footer=args.footer, minutes=args.minutes, bullets=args.bullets,
                  num_width=args.num_width, margins=args.margins, para_gap=args.para_gap)
    text = Path(args.src).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp) / "out.pdf"
        render(text, out, style, Path(args.html) if args.html else None)
        print(f"{out}: {out.stat().st_size} bytes", file=sys.stderr)
        if args.compare:
            diffs = compare(out.read_bytes(), text)
            for k, (p, t) in diffs.items():
                print(f"--- {k}\n  pdf:  {p}\n  text: {t}")
            print("agree" if not diffs else f"{len(diffs)} field(s) differ")
            return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
