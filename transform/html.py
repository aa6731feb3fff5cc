"""HTML to text: the project's one place for it.

* ``html_to_lines``: an HTML paper (or a ModernGov GetMeeting XML) -> text lines, so HTML minutes
  go through the same parsers as PDF text: block elements end a line, list items become "• "
  bullets, table rows become one line with cells separated by " | ".
* ``html_to_text``: a Word-made HTML fragment (a ModernGov item's minutes) -> plain text, one
  line per paragraph or list item: the item's text as the minutes print it, no bullets or cells.
* ``strip_tags``: markup left inside a line of text (a converter's residue) removed.

bs4 is imported where a page is parsed, not with this module: parse workers import it at
start-up (for ``strip_tags``), and bs4 (0.1 s) is needed only for HTML documents.
"""
from __future__ import annotations

import re
from html import unescape
import warnings

BLOCKS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article",
    "header", "footer", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "hr", "main", "aside",
    "figure", "figcaption", "address", "nav", "form", "fieldset", "details", "summary",
}
SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "button", "select"}
# WordPress page chrome that is not the document (navigation, cookie banners, footers).
CHROME = re.compile(r"(^|[\s_-])(nav|menu|cookie|breadcrumb|footer|header|sidebar|skip|share|search|widget)", re.I)


TAG = re.compile(r"<[^>]+>")


def ws_unescape(text: str | None) -> str:
    """ModernGov web-service text is escaped twice (``&amp;amp;``, sources.md 2.5): XML parsing
    undid one layer, this undoes the other (and collapses runs of white space)."""
    return " ".join(unescape(text or "").split())


def strip_tags(text: str) -> str:
    """Every tag in ``text`` replaced by a space (words either side of one stay apart)."""
    return TAG.sub(" ", text)


def html_to_lines(markup: str) -> list[str]:
    """Text lines of an HTML document or fragment (or a ModernGov GetMeeting XML)."""
    if "<minutesnonemptyhtmlbody" in markup or "<agendaitems" in markup:
        return moderngov_meeting_lines(markup)
    soup = _soup(markup)
    root = _content_root(soup)
    buf: list[str] = []
    _walk(root, buf)
    return _split(buf)


def _soup(markup: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # bs4 warns about XML-looking or URL-looking input
        return BeautifulSoup(markup, "lxml")


def _content_root(soup: BeautifulSoup) -> Tag:
    """The main content of a CMS page if it is marked up as such, else the body."""
    # find(), not CSS selectors: the same matches in one pass each of bs4's own matching,
    # where soupsieve took most of the parse of a large page (8.6 of 22 s for 0.5 MB).
    for name, attrs in (("main", {}), ("article", {}), (None, {"role": "main"}), (None, {"class": "entry-content"}),
                        (None, {"id": "content"}), (None, {"class": "content"})):
        found = soup.find(name, attrs=attrs)
        if found is not None and len(found.get_text(" ", strip=True)) > 200:
            return found
    return soup.body or soup


def _walk(node: Tag, buf: list[str]) -> None:
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "ProcessingInstruction", "Declaration"):
                continue
            # newlines inside a text node are the markup's wrapping, not line breaks
            buf.append(re.sub(r"\s+", " ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in SKIP or _is_chrome(child):
            continue
        if name in ("td", "th"):
            buf.append(" | ")
            _walk(child, buf)
            continue
        if name in BLOCKS:
            buf.append("\n")
            if name == "li":
                buf.append("• ")
        _walk(child, buf)
        if name in BLOCKS:
            buf.append("\n")


def _is_chrome(tag: Tag) -> bool:
    if tag.name in ("nav", "footer"):
        return True
    if tag.name == "header" and tag.find(["nav", "ul"]) is not None:
        return True
    ident = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(ident.strip()) and bool(CHROME.search(ident)) and tag.name not in ("p", "span", "li", "td")


def _split(buf: list[str]) -> list[str]:
    out = []
    for raw in "".join(buf).split("\n"):
        line = re.sub(r"[ \t\r\f\v\u00a0]+", " ", raw).strip()
        line = re.sub(r"^\|\s*", "", line)
        line = re.sub(r"(\s*\|\s*)+$", "", line)
        line = re.sub(r"(\|\s*){2,}", "| ", line)
        if line and line not in ("•", "|"):
            out.append(line)
    return out


def moderngov_meeting_lines(xml: str) -> list[str]:
    """ModernGov web service GetMeeting XML: a heading line per minuted item, then its minutes.

    The first line carries the meeting date so the date parser finds it."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(xml, "xml")
    out: list[str] = []
    meeting = soup.find("meeting")
    if meeting is not None:
        date = meeting.find("meetingdate", recursive=False)
        time = meeting.find("meetingtime", recursive=False)
        loc = meeting.find("meetinglocation", recursive=False)
        if date and date.get_text(strip=True):
            out.append(f"Meeting date: {date.get_text(strip=True)}")
        if time and time.get_text(strip=True):
            out.append(f"Time: {time.get_text(strip=True)}")
        if loc and loc.get_text(strip=True):
            out.append(f"Venue: {ws_unescape(loc.get_text())}")
    items = [it for it in soup.find_all("agendaitem") if (b := it.find("minutesnonemptyhtmlbody")) and b.get_text(strip=True)]
    if items:
        out.insert(0, "Minutes")  # only the minuted text is kept: this is the meeting's minutes
    for item in items:
        body = item.find("minutesnonemptyhtmlbody")
        if body is None or not body.get_text(strip=True):
            continue
        num = (item.find("minutesitemnumber") or item.find("agendaitemnumber"))
        title = item.find("agendaitemtitle")
        ref = num.get_text(strip=True) if num else ""
        # "Item N" heads are taken as printed, however the numbers run (ModernGov skips some)
        out.append(f"Item {ref} – {ws_unescape(title.get_text()) if title else ''}".strip(" –"))
        # the XML parser has already unescaped the text node, which is the HTML markup itself
        out.extend(html_to_lines(body.get_text()))
    return out


_TEXT_BLOCKS = ("p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol")


def html_to_text(fragment: str | None) -> str:
    """Word-made HTML -> plain text: one line per paragraph / list item, whitespace collapsed."""
    if not fragment or not fragment.strip():
        return ""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(fragment, "lxml")
    for s in soup.find_all(string=True):
        s.replace_with(re.sub(r"\s+", " ", str(s)))  # source line wraps are not breaks
    for el in soup.find_all(_TEXT_BLOCKS):
        el.append(NavigableString("\n"))
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)
