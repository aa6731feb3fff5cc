"""`scrutiny report`: one self-contained static HTML page a journalist can open and read.

Per body: a timeline of meetings with every archived paper linked twice (the raw copy kept in the
data directory's archive, and the URL it was fetched from), the actions register (owner, meeting,
whether a later paper mentions the action; boilerplate actions that recur at every meeting are
marked as such and not counted as follow-up) and attendance. Across bodies: £ figures by topic
over time, the figures that mention a search term, coverage (minutes archived, papers parsed,
papers flagged, minutes overdue) and the items the search term finds.

Charts are Vega-Lite specifications rendered to SVG by vl-convert (Vega's own renderer, bundled in
the wheel: no browser, no network), embedded inline. Nothing in the page is fetched when it is
opened: the only URLs are links a reader may follow (the originals of the papers).
"""
from __future__ import annotations

import datetime as dt
import html
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb

from kernel.records import ParseFlag

# The topics of cookbook query 02 (warehouse/queries/02_items_per_topic_per_year.sql): a £ figure
# belongs to a topic when its item is about the topic (items_on_topics, the search index's stems).
TOPICS = {
    "finance and precept": ["budget", "precept", "finance", "financial", "overspend", "underspend", "savings"],
    "violence and knife crime": ["violence", "violent", "knife", "knives", "weapon", "gang"],
    "victims": ["victim"],
    "neighbourhood policing": ["neighbourhood", "community", "communities"],
    "performance": ["performance", "plan", "milestone"],
}
OTHER_TOPIC = "no listed topic"
# An action whose text recurs at this many meetings of the same body or more is boilerplate
# ("TB to update the action log…") when it also appears at this share of the body's meetings
# from its first appearance to its last: it says nothing about follow-up. An action carried
# forward now and then over years ("3/16 … report back on overtime spend", then 3/19, 3/24) is
# not boilerplate.
BOILERPLATE_MEETINGS = 3
BOILERPLATE_SHARE = 0.75
# Minutes count as overdue this many days after the meeting (six weeks: the usual promise).
MINUTES_DUE_DAYS = 42
# Tables longer than this are folded (<details>) so a body's section stays readable.
FOLD_AFTER = 12
CHART_WIDTH = 700  # plot width in px; the SVG scales down on narrow screens
# Tableau 10: distinguishable, and what Vega-Lite uses by default (named for the legend's order).
PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6",
           "#9d755d", "#bab0ac"]


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _date(d) -> str:
    return d.isoformat() if d else "undated"


@dataclass(frozen=True)
class Links:
    """How the page links a paper: its raw archived copy (relative to the page when the page sits
    beside the data directory, so the two can be moved together) and its original URL."""
    raw_root: Path
    page_dir: Path

    def archived(self, document_id: str) -> str:
        target = self.raw_root / "objects" / document_id[:2] / document_id
        try:
            return Path(os.path.relpath(target, self.page_dir)).as_posix()
        except ValueError:  # another drive (Windows): an absolute file URI
            return target.as_uri()


# -- charts -------------------------------------------------------------------------------------

def render_chart(spec: dict, chart_id: str, description: str) -> str:
    """A Vega-Lite spec as inline SVG, wrapped in a <figure> with the description as caption."""
    import vl_convert

    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": CHART_WIDTH,
            "config": {"font": "Helvetica, Arial, sans-serif", "view": {"stroke": None},
                       # labelLimit 0: names in full, never cut
                       "legend": {"labelLimit": 0, "titleLimit": 0, "labelFontSize": 13, "titleFontSize": 13,
                                  "symbolSize": 120},
                       "axis": {"labelLimit": 0, "labelFontSize": 12, "titleFontSize": 12,
                                "titleFontWeight": "normal"},
                       "text": {"fontSize": 12}},
            **spec}
    svg = vl_convert.vegalite_to_svg(spec)
    # The SVG's only URLs are its XML namespaces; the page fetches nothing.
    svg = svg.replace("<svg ", f'<svg id="{chart_id}" role="img" aria-label="{_e(description)}" ', 1)
    return f'<figure class="chart">{svg}<figcaption>{_e(description)}</figcaption></figure>'


def _year_axis(dates: list[dt.date]) -> dict:
    """A continuous time axis on the field ``date``, a tick and a label at every 1 January, none skipped."""
    first, last = min(dates).year, max(dates).year + 1
    return {"field": "date", "type": "temporal", "title": None,
            "scale": {"type": "utc", "domain": [{"year": first, "month": 1, "date": 1, "utc": True},
                                                {"year": last, "month": 1, "date": 1, "utc": True}]},
            "axis": {"format": "%Y", "formatType": "utc", "labelAlign": "left", "labelOverlap": False,
                     "tickCount": {"interval": "year", "step": 1}, "grid": True}}


def timeline_chart(rows: list[dict]) -> str:
    values = [{"date": r["meeting_date"].isoformat(), "body": r["body"], "state": r["state"]} for r in rows]
    states = ["minutes archived", "minutes overdue", "minutes not yet due", "cancelled", "future"]
    spec = {"height": {"step": 34}, "data": {"values": values},
            "mark": {"type": "point", "filled": True, "size": 110, "opacity": 0.9},
            "encoding": {"x": _year_axis([r["meeting_date"] for r in rows]),
                         "y": {"field": "body", "type": "nominal", "title": None},
                         "color": {"field": "state", "type": "nominal", "title": "Meeting",
                                   "scale": {"domain": states,
                                             "range": ["#54a24b", "#e45756", "#eeca3b", "#bab0ac", "#4c78a8"]},
                                   "legend": {"orient": "bottom", "direction": "horizontal"}},
                         "shape": {"field": "state", "type": "nominal", "scale": {"domain": states}}}}
    return render_chart(spec, "chart-timeline", "Every meeting listed, by body: one dot per meeting, "
                        "coloured by whether its minutes are in the archive.")


def _labels_collide(a: dict, b: dict) -> bool:
    """Two points' labels would overprint each other: within ~5 months and half a decade of £."""
    return (abs((a["meeting_date"] - b["meeting_date"]).days) < 150
            and abs(math.log10(a["value"]) - math.log10(b["value"])) < 0.5)


def figures_chart(rows: list[dict], chart_id: str, colour_field: str, colour_title: str, description: str,
                  label_top: int) -> str:
    """£ figures (log scale) against meeting date; the ``label_top`` largest labelled with their text
    (the largest of any points too close to label each, so no label overprints another)."""
    values, labelled = [], []
    for r in sorted(rows, key=lambda r: (-r["value"], r["meeting_date"])):
        label = len(labelled) < label_top and not any(_labels_collide(r, other) for other in labelled)
        if label:
            labelled.append(r)
        values.append({"date": r["meeting_date"].isoformat(), "value": r["value"], "raw": r["raw"],
                       colour_field: r[colour_field], "label": label})
    x = _year_axis([r["meeting_date"] for r in rows])
    y = {"field": "value", "type": "quantitative", "title": "£ (log scale)",
         "scale": {"type": "log"}, "axis": {"values": _powers_of_ten(rows), "labelExpr": MONEY_LABEL}}
    domain = sorted({v[colour_field] for v in values}, key=lambda t: (t == OTHER_TOPIC, t))
    colour = {"field": colour_field, "type": "nominal", "title": colour_title,
              "scale": {"domain": domain, "range": PALETTE[:len(domain)]},
              "legend": {"orient": "bottom", "direction": "vertical", "columns": 2}}
    spec = {"height": 300, "data": {"values": values}, "layer": [
        {"mark": {"type": "circle", "size": 70, "opacity": 0.8},
         "encoding": {"x": x, "y": y, "color": colour}},
        {"transform": [{"filter": "datum.label"}],
         "mark": {"type": "text", "align": "left", "dx": 7, "dy": -7, "fontSize": 12, "color": "#222"},
         "encoding": {"x": x, "y": y, "text": {"field": "raw"}}}]}
    return render_chart(spec, chart_id, description)


# Axis labels as a reader writes sums: £1k, £10m, £1bn.
MONEY_LABEL = ("datum.value >= 1e9 ? '£' + datum.value / 1e9 + 'bn'"
               " : datum.value >= 1e6 ? '£' + datum.value / 1e6 + 'm'"
               " : datum.value >= 1e3 ? '£' + datum.value / 1e3 + 'k' : '£' + datum.value")


def _powers_of_ten(rows: list[dict]) -> list[float]:
    lo = math.floor(math.log10(min(r["value"] for r in rows)))
    hi = math.ceil(math.log10(max(r["value"] for r in rows)))
    return [10.0 ** e for e in range(lo, max(hi, lo + 1) + 1)]


def attendance_chart(rows: list[dict]) -> str:
    values = [{"name": r["name"], "count": r[k], "status": label}
              for r in rows for k, label in (("attended", "attended"), ("apologies", "sent apologies"))
              if r[k]]
    spec = {"height": {"step": 18}, "data": {"values": values}, "mark": "bar", "width": CHART_WIDTH - 200,
            "encoding": {"y": {"field": "name", "type": "nominal", "title": None,
                               "sort": {"field": "count", "op": "sum", "order": "descending"}},
                         "x": {"field": "count", "type": "quantitative", "title": "meetings",
                               "axis": {"tickMinStep": 1, "format": "d"}},
                         "color": {"field": "status", "type": "nominal", "title": None,
                                   "scale": {"domain": ["attended", "sent apologies"],
                                             "range": ["#4c78a8", "#f58518"]},
                                   "legend": {"orient": "top"}}}}
    return render_chart(spec, "chart-attendance", "Meetings each person attended or sent apologies to, "
                        "all bodies (the people named most often in attendance lists).")


# -- queries ------------------------------------------------------------------------------------

def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def meetings_of(con, today: dt.date) -> list[dict]:
    return _rows(con, """
        SELECT meeting_id, body, meeting_date, status, items, actions, figures, attendees, apologies,
               has_minutes, days_to_minutes, url,
               CASE WHEN status = 'cancelled' THEN 'cancelled'
                    WHEN meeting_date > ?::DATE THEN 'future'
                    WHEN has_minutes THEN 'minutes archived'
                    WHEN date_diff('day', meeting_date, ?::DATE) > ? THEN 'minutes overdue'
                    ELSE 'minutes not yet due' END AS state
        FROM meeting_timeline WHERE meeting_date IS NOT NULL
        ORDER BY body, meeting_date, meeting_id""", [today, today, MINUTES_DUE_DAYS])


def papers_by_meeting(con) -> dict[str, list[dict]]:
    papers: dict[str, list[dict]] = {}
    for row in _rows(con, """
            SELECT meeting_id, document_id, doc_kind, title, url, content_type, parse_status,
                   list_sort(parse_flags) AS parse_flags
            FROM documents ORDER BY meeting_id, doc_kind, title, document_id"""):
        papers.setdefault(row["meeting_id"], []).append(row)
    return papers


def actions_of(con) -> list[dict]:
    """The action register with each action's follow-up state: 'boilerplate' when the same words
    (numbers and punctuation aside) recur at BOILERPLATE_MEETINGS meetings of the body or more and
    at BOILERPLATE_SHARE of its meetings from their first to their last appearance; else
    'mentioned later' (a later item of the body mentions it) or 'not mentioned again'."""
    return _rows(con, f"""
        WITH a AS (
            SELECT *, trim(regexp_replace(lower(text), '[^a-z]+', ' ', 'g')) AS norm FROM action_register
        ),
        recurring AS (
            SELECT body, norm, count(DISTINCT meeting_id) AS meetings,
                   min(meeting_date) AS first_date, max(meeting_date) AS last_date
            FROM a GROUP BY ALL
        ),
        -- the body's meetings held between the text's first and last appearance
        span AS (
            SELECT r.body, r.norm, count(m.meeting_id) AS held
            FROM recurring r LEFT JOIN meetings m ON m.body = r.body AND m.status IS DISTINCT FROM 'cancelled'
                 AND m.meeting_date BETWEEN r.first_date AND r.last_date
            GROUP BY ALL
        )
        SELECT a.body, a.meeting_date, a.item_ref, a.text, coalesce(a.owner_name, a.owner) AS owner,
               a.later_mentions, a.follow_ups[1] AS first_follow_up, r.meetings AS recurs_at,
               CASE WHEN r.meetings >= {BOILERPLATE_MEETINGS} AND r.meetings >= {BOILERPLATE_SHARE} * s.held
                        THEN 'boilerplate'
                    WHEN a.later_mentions > 0 THEN 'mentioned later'
                    ELSE 'not mentioned again' END AS follow_up
        FROM a JOIN recurring r USING (body, norm) JOIN span s USING (body, norm)
        ORDER BY a.body, a.meeting_date DESC NULLS LAST, a.document_id, a.ordinal""")


def topic_figures(con) -> list[dict]:
    topics = [{"topic": t, "words": w} for t, w in TOPICS.items()]
    return _rows(con, """
        WITH on_topic AS (
            SELECT t.topic, i.document_id, i.ref FROM items_on_topics(?) t
            JOIN items i USING (document_id, ordinal)
        )
        SELECT DISTINCT f.meeting_date, f.body, f.raw, f.value, f.document_id, f.ordinal,
               coalesce(t.topic, ?) AS topic
        FROM figure_series f
        LEFT JOIN on_topic t ON t.document_id = f.document_id AND t.ref IS NOT DISTINCT FROM f.item_ref
        WHERE f.unit = 'GBP' AND f.value > 0 AND f.meeting_date IS NOT NULL
        ORDER BY f.meeting_date, f.document_id, f.ordinal, topic""", [topics, OTHER_TOPIC])


def term_figures(con, term: str) -> list[dict]:
    return _rows(con, """
        SELECT meeting_date, body, raw, value, context, item_title, document_id, document_url, doc_kind
        FROM figure_series
        WHERE unit = 'GBP' AND meeting_date IS NOT NULL AND value > 0
          AND (context ILIKE '%' || ? || '%' OR item_title ILIKE '%' || ? || '%')
        ORDER BY meeting_date, document_id, ordinal""", [term, term])


def search_hits(con, term: str, limit: int = 12) -> list[dict]:
    return _rows(con, """
        SELECT s.meeting_date, s.body, s.ref, s.title, s.document_id, d.url, d.doc_kind, round(s.score, 2) AS score
        FROM search_items(?) s JOIN documents d USING (document_id)
        ORDER BY s.score DESC, s.document_id, s.ordinal  -- search_items' order (a join does not keep it)
        LIMIT ?""", [term, limit])


def attendance_of(con) -> list[dict]:
    return _rows(con, """
        SELECT name, body, sum(present + in_attendance)::BIGINT AS attended, sum(apologies)::BIGINT AS apologies,
               sum(meetings_recorded)::BIGINT AS recorded
        FROM attendance_summary GROUP BY ALL ORDER BY body, attended DESC, name""")


# -- page sections ------------------------------------------------------------------------------

def paper_links(paper: dict, links: Links) -> str:
    kind = paper["doc_kind"] or "paper"
    title = paper["title"] or kind
    flags = ""
    if paper["parse_status"] != "ok":
        flags = f' <span class="bad">not parsed ({_e(paper["parse_status"])})</span>'
    elif paper["parse_flags"]:
        flags = f' <span class="flag">({_e(_flags(paper["parse_flags"]))})</span>'
    return (f'<li><span class="kind">{_e(kind)}</span> {_e(title)} '
            f'<a href="{_e(links.archived(paper["document_id"]))}" type="{_e(paper["content_type"] or "")}">'
            f'archived copy</a> · <a href="{_e(paper["url"])}">original</a>{flags}</li>')


# ParseFlag (kernel/records.py) in a reader's words; a flag added there and not here shows as is.
FLAG_WORDS = {
    ParseFlag.NO_ITEMS: "no agenda items found",
    ParseFlag.NO_ATTENDANCE: "no attendance list found",
    ParseFlag.DATE_FROM_LISTING: "date taken from the listing",
    ParseFlag.NO_DATE: "no meeting date",
    ParseFlag.KIND_UNCERTAIN: "kind of paper uncertain",
    ParseFlag.FIGURES_WITHOUT_ITEM: "figures outside any item",
    ParseFlag.FLATTENED_TEXT: "text came as one paragraph",
}


def _flags(flags: list[str] | None) -> str:
    return "; ".join(FLAG_WORDS.get(f, f) for f in flags or [])


STATE_LABEL = {"minutes archived": "minutes archived", "minutes overdue": "minutes overdue",
               "minutes not yet due": "minutes not yet due", "cancelled": "cancelled", "future": "to come"}


def meetings_table(meetings: list[dict], papers: dict[str, list[dict]], links: Links) -> str:
    rows = []
    for m in reversed(meetings):  # newest first: what a reader checks
        docs = papers.get(m["meeting_id"], [])
        listed = "".join(paper_links(p, links) for p in docs) or '<li class="muted">no paper archived</li>'
        page = f' <a href="{_e(m["url"])}">meeting page</a>' if m["url"] else ""
        rows.append(
            f'<tr><td class="nowrap">{_date(m["meeting_date"])}{page}</td>'
            f'<td class="state {m["state"].replace(" ", "-")}">{_e(STATE_LABEL[m["state"]])}</td>'
            f'<td><ul class="papers">{listed}</ul></td>'
            f'<td class="num">{m["items"]}</td><td class="num">{m["actions"]}</td>'
            f'<td class="num">{m["figures"]}</td></tr>')
    return ('<table class="meetings"><thead><tr><th>Date</th><th>Minutes</th><th>Papers</th>'
            '<th class="num">Items</th><th class="num">Actions</th><th class="num">£/% figures</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


FOLLOW_UP_TEXT = {"boilerplate": "recurring boilerplate", "mentioned later": "mentioned later",
                  "not mentioned again": "not mentioned again"}


def actions_table(actions: list[dict]) -> str:
    if not actions:
        return '<p class="muted">No actions recorded in this body\'s papers.</p>'
    counts = {k: sum(a["follow_up"] == k for a in actions) for k in FOLLOW_UP_TEXT}
    rows = []
    for a in actions:
        if a["follow_up"] == "boilerplate":
            detail = f'recurring boilerplate (at {a["recurs_at"]} meetings): not counted as follow-up'
        elif a["follow_up"] == "mentioned later":
            f = a["first_follow_up"]
            detail = (f'mentioned later: {_date(f["meeting_date"])}, item {_e(f["item_ref"] or "")} '
                      f'“{_e(f["item_title"])}”' + (f' and {a["later_mentions"] - 1} more'
                                                     if a["later_mentions"] > 1 else ""))
        else:
            detail = "not mentioned again"
        rows.append(f'<tr class="{a["follow_up"].replace(" ", "-")}"><td class="nowrap">{_date(a["meeting_date"])}'
                    f'</td><td>{_e(a["owner"] or "no owner named")}</td><td>{_e(a["text"])}</td><td>{detail}</td></tr>')
    summary = (f'{len(actions)} actions: {counts["mentioned later"]} mentioned in a later paper, '
               f'{counts["not mentioned again"]} not mentioned again')
    if counts["boilerplate"]:
        summary += (f', {counts["boilerplate"]} recurring boilerplate (the same words at nearly every '
                    f'meeting; not counted as follow-up)')
    summary += "."
    return (f'<p>{summary}</p><table class="actions"><thead><tr><th>Meeting</th><th>Owner</th><th>Action</th>'
            f'<th>Later papers</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def attendance_table(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">No attendance list could be read from this body\'s papers.</p>'
    body = "".join(f'<tr><td>{_e(r["name"])}</td><td class="num">{r["attended"]}</td>'
                   f'<td class="num">{r["apologies"]}</td></tr>' for r in rows)
    table = ('<table class="attendance"><thead><tr><th>Name</th><th class="num">Attended</th>'
             f'<th class="num">Apologies</th></tr></thead><tbody>{body}</tbody></table>')
    if len(rows) <= FOLD_AFTER:
        return table
    return f'<details><summary>{len(rows)} people named in attendance lists</summary>{table}</details>'


def body_section(body: str, meetings, papers, actions, attendance, links: Links, anchor: str) -> str:
    held = [m for m in meetings if m["state"] not in ("future", "cancelled")]
    with_minutes = sum(m["state"] == "minutes archived" for m in held)
    span = f'{_date(meetings[0]["meeting_date"])} to {_date(meetings[-1]["meeting_date"])}' if meetings else ""
    return (f'<section id="{anchor}"><h2>{_e(body)}</h2>'
            f'<p>{len(meetings)} meetings listed ({span}); minutes archived for {with_minutes} of the '
            f'{len(held)} held.</p>'
            f'<h3>Meetings and papers</h3>{meetings_table(meetings, papers, links)}'
            f'<h3>Actions register</h3>{actions_table(actions)}'
            f'<h3>Attendance</h3>{attendance_table(attendance)}</section>')


def paper_cell(document_id: str, url: str, links: Links) -> str:
    return (f'<td class="nowrap"><a href="{_e(links.archived(document_id))}">archived copy</a> · '
            f'<a href="{_e(url)}">original</a></td>')


def coverage_table(con) -> str:
    rows = "".join(
        f'<tr><td>{_e(c["body"])}</td><td>{c["year"] if c["year"] is not None else "undated"}</td>'
        + "".join(f'<td class="num">{c[k]}</td>' for k in ("meetings_listed", "meetings_held", "with_minutes",
                                                           "papers", "papers_parsed", "papers_flagged"))
        + f'<td class="num{" bad" if c["minutes_missing"] else ""}">{c["minutes_missing"]}</td></tr>'
        for c in _rows(con, "SELECT * FROM coverage ORDER BY body, year NULLS LAST"))
    return ('<table class="coverage"><thead><tr><th>Body</th><th>Year</th><th class="num">Listed</th>'
            '<th class="num">Held</th><th class="num">With minutes</th><th class="num">Papers</th>'
            '<th class="num">Parsed</th><th class="num">Flagged</th><th class="num">Minutes missing</th></tr>'
            f'</thead><tbody>{rows}</tbody></table>')


def overdue_minutes(con, today: dt.date) -> str:
    overdue = _rows(con, "SELECT body, meeting_date, days_waiting, doc_kinds, url "
                         "FROM minutes_overdue(?, as_of := ?)", [MINUTES_DUE_DAYS, today])
    items = "".join(
        f'<li>{_e(o["body"])}, {_date(o["meeting_date"])}: {o["days_waiting"]} days, no minutes '
        f'(archived: {_e(", ".join(o["doc_kinds"]) or "nothing")})'
        + (f' <a href="{_e(o["url"])}">meeting page</a>' if o["url"] else "") + '</li>' for o in overdue)
    return (f'<h3>Minutes overdue ({len(overdue)})</h3><p>Meetings held more than {MINUTES_DUE_DAYS} days '
            f'before {today.isoformat()} with no minutes in the archive.</p>'
            + (f'<ul>{items}</ul>' if overdue else '<p class="muted">None.</p>'))


def papers_to_check(con, links: Links) -> str:
    papers = _rows(con, """SELECT p.*, s.body FROM papers_to_check p LEFT JOIN sources s USING (source_id)
                           ORDER BY p.parse_status = 'ok', s.body, p.meeting_date, p.document_id""")
    not_parsed = sum(p["parse_status"] != "ok" for p in papers)
    heading = f'<h3>Papers to check ({len(papers)}: {not_parsed} not parsed, {len(papers) - not_parsed} flagged)</h3>'
    if not papers:
        return heading + '<p class="muted">None.</p>'
    rows = []
    for p in papers:
        problem = "parsed" if p["parse_status"] == "ok" else \
            f'<b>not parsed</b>: {_e(p["parse_error"] or p["parse_status"])}'
        if p["parse_flags"]:
            problem += "; " + _e(_flags(p["parse_flags"]))
        rows.append(f'<tr><td>{_e(p["body"])}</td><td class="nowrap">{_date(p["meeting_date"])}</td>'
                    f'<td>{_e(p["doc_kind"])}</td><td>{_e(p["title"])}</td><td>{problem}</td>'
                    f'{paper_cell(p["document_id"], p["url"], links)}</tr>')
    return (f'{heading}<details><summary>Show the {len(papers)} papers</summary><table class="failures"><thead>'
            '<tr><th>Body</th><th>Meeting</th><th>Kind</th><th>Title</th><th>Problem</th><th>Paper</th></tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></details>')


def coverage_section(con, today: dt.date, links: Links) -> str:
    return ('<section id="coverage"><h2>Coverage and failures</h2>'
            '<p>What the archive holds, per body and year of meeting. <em>Held</em> excludes cancelled and '
            'future meetings; <em>flagged</em> papers were parsed but something in them could not be read (no '
            'items, no attendance list, a date taken from the listing…).</p>'
            f'{coverage_table(con)}{overdue_minutes(con, today)}{papers_to_check(con, links)}</section>')


def figures_section(con, term: str, links: Links) -> str:
    by_topic = topic_figures(con)
    parts = ['<section id="figures"><h2>£ figures by topic over time</h2>',
             '<p>Every sum of money quoted in a paper, placed at its meeting\'s date and coloured by the topic of '
             'the agenda item it appears in (the topics of cookbook query 02; a figure in an item about two '
             'topics appears twice). The largest are labelled with the words the paper used.</p>']
    if by_topic:
        parts.append(figures_chart(by_topic, "chart-topics", "topic", "Topic of the item",
                                   "£ figures quoted in papers, by topic of the agenda item.", label_top=6))
    else:
        parts.append('<p class="muted">No £ figures in the archive.</p>')
    by_term = term_figures(con, term)
    parts.append(f'<h3>£ figures mentioning “{_e(term)}”</h3>')
    if by_term:
        parts.append(figures_chart(by_term, "chart-term", "body", "Body",
                                   f"£ figures whose sentence or item title mentions “{term}”, by body.",
                                   label_top=10))
        rows = "".join(
            f'<tr><td class="nowrap">{_date(f["meeting_date"])}</td><td>{_e(f["body"])}</td>'
            f'<td class="num nowrap">{_e(f["raw"])}</td><td>{_e(f["context"])}</td>'
            f'{paper_cell(f["document_id"], f["document_url"], links)}</tr>' for f in by_term)
        parts.append('<table class="figures"><thead><tr><th>Meeting</th><th>Body</th><th class="num">Figure</th>'
                     f'<th>Sentence</th><th>Paper</th></tr></thead><tbody>{rows}</tbody></table>')
    else:
        parts.append(f'<p class="muted">No £ figure is quoted next to “{_e(term)}”.</p>')
    parts.append("</section>")
    return "".join(parts)


def search_section(con, term: str, links: Links) -> str:
    hits = search_hits(con, term)
    sql_term = term.replace("'", "''")  # as a SQL string literal, to copy as it stands
    rows = "".join(
        f'<tr><td class="nowrap">{_date(h["meeting_date"])}</td><td>{_e(h["body"])}</td>'
        f'<td>{_e(h["ref"] or "")}</td><td>{_e(h["title"])}</td>{paper_cell(h["document_id"], h["url"], links)}'
        f'</tr>' for h in hits)
    how = (f'<p>Search any words with <code>scrutiny query "SELECT meeting_date, body, title FROM '
           f'search_items(\'{_e(sql_term)}\')"</code> (full-text, stemmed: “victim” also finds “victims”); '
           f'<code>scrutiny report --term WORD</code> remakes this page for another word.</p>')
    table = ('<table class="search"><thead><tr><th>Meeting</th><th>Body</th><th>Item</th><th>Title</th>'
             f'<th>Paper</th></tr></thead><tbody>{rows}</tbody></table>' if hits
             else f'<p class="muted">No item mentions “{_e(term)}”.</p>')
    return (f'<section id="search"><h2>Search: “{_e(term)}”</h2><p>The agenda items that best match the search '
            f'term, best first (at most 12).</p>{table}{how}</section>')


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5rem auto;
       max-width: 1000px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.3rem; margin-top: 2.4rem;
  border-bottom: 2px solid #ddd; padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin-top: 1.4rem; }
nav ul { padding-left: 1.2rem; columns: 2; } a { color: #1a5fb4; }
figure.chart { margin: .8rem 0; } figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; margin: .4rem 0; }
td, th { padding: 3px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } .num { text-align: right; } .nowrap { white-space: nowrap; }
ul.papers { margin: 0; padding-left: 1rem; } table.meetings td:nth-child(3) { width: 62%; }
summary { cursor: pointer; color: #1a5fb4; } .kind { font-variant: small-caps; color: #555; }
.muted { color: #777; } .bad { color: #b00020; font-weight: 600; } .flag { color: #8a5a00; }
td.state.minutes-overdue { color: #b00020; font-weight: 600; } td.state.minutes-archived { color: #2a7a2a; }
tr.boilerplate td { color: #888; } tr.not-mentioned-again td:last-child { color: #b00020; }
.summary { font-size: 1.05rem; } code { background: #f4f4f4; padding: 0 3px; }
"""


def build_html(con: duckdb.DuckDBPyConnection, term: str = "precept", generated: str | None = None,
               links: Links | None = None, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    links = links or Links(Path("raw"), Path("."))
    generated = generated or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meetings = meetings_of(con, today)
    papers = papers_by_meeting(con)
    actions = actions_of(con)
    attendance = attendance_of(con)
    bodies = sorted({m["body"] for m in meetings})
    anchors = {b: f"body-{i + 1}" for i, b in enumerate(bodies)}
    totals = con.execute("SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM documents), "
                         "(SELECT count(*) FROM items), (SELECT count(*) FROM figures)").fetchone()
    overview = timeline_chart(meetings) if meetings else '<p class="muted">No meetings in the warehouse.</p>'
    people = sorted(_people_totals(attendance), key=lambda r: (-r["attended"] - r["apologies"], r["name"]))[:30]
    attendance_html = attendance_chart(people) if people else '<p class="muted">No attendance lists.</p>'
    nav = "".join(f'<li><a href="#{anchors[b]}">{_e(b)}</a></li>' for b in bodies)
    sections = "".join(
        body_section(b, [m for m in meetings if m["body"] == b], papers, [a for a in actions if a["body"] == b],
                     [r for r in attendance if r["body"] == b], links, anchors[b]) for b in bodies)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scrutiny: police governance meetings</title>
<style>{CSS}</style>
</head>
<body>
<h1>Police governance meetings: what was said and published</h1>
<p class="summary">{len(bodies)} bodies, {totals[0]} meetings, {totals[1]} papers archived, {totals[2]} agenda items,
{totals[3]} £ and % figures. Made {_e(generated)} from the Scrutiny warehouse; every paper links to its archived
copy (the bytes as fetched) and to the original on the publisher's site.</p>
<nav><ul><li><a href="#timeline">Meetings over time</a></li><li><a href="#coverage">Coverage and failures</a></li>
<li><a href="#figures">£ figures by topic</a></li><li><a href="#search">Search: “{_e(term)}”</a></li>
<li><a href="#attendance">Attendance</a></li>{nav}</ul></nav>
<section id="timeline"><h2>Meetings over time</h2>{overview}</section>
{coverage_section(con, today, links)}
{figures_section(con, term, links)}
{search_section(con, term, links)}
<section id="attendance"><h2>Attendance</h2>{attendance_html}</section>
{sections}
</body>
</html>
"""


def _people_totals(attendance: list[dict]) -> list[dict]:
    totals: dict[str, dict] = {}
    for r in attendance:
        t = totals.setdefault(r["name"], {"name": r["name"], "attended": 0, "apologies": 0})
        t["attended"] += r["attended"]
        t["apologies"] += r["apologies"]
    return list(totals.values())


def write_report(data, out: Path | None = None, term: str = "precept", today: dt.date | None = None) -> Path:
    from warehouse.load import connect_read_only

    out = Path(out) if out else data.root / "report.html"
    con = connect_read_only(data)
    try:
        page = build_html(con, term, links=Links(data.raw, out.resolve().parent), today=today)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
