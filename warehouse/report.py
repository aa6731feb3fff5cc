"""`scrutiny report`: one self-contained static HTML page with charts of the warehouse.

No network is needed to view it: the charts are inline SVG drawn here, plus a few lines of
inline JavaScript (no library, no CDN) that add hover highlights and check, in the browser,
that every chart laid out (it writes the result into ``#render-check``, which the Chromium test
reads back with ``--dump-dom``).

Charts: meetings and documents per body per year, £ figures over time for a search term,
actions per owner (and how many were never mentioned again), attendance per person.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import duckdb

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _fmt(v: float) -> str:
    if v >= 1e6:
        return f"£{v / 1e6:.1f}m"
    if v >= 1e3:
        return f"£{v / 1e3:.0f}k"
    return f"£{v:,.0f}"


def grouped_bars(chart_id: str, title: str, categories: list, series: dict[str, list[float]],
                 width: int = 760, height: int = 300) -> str:
    """Vertical grouped bars: one group per category (year), one bar per series (body)."""
    left, bottom, top = 48, 40, 20
    plot_w, plot_h = width - left - 170, height - bottom - top
    vmax = max([v for vals in series.values() for v in vals] + [1])
    n_cat, n_ser = max(len(categories), 1), max(len(series), 1)
    group_w = plot_w / n_cat
    bar_w = max(2.0, (group_w - 8) / n_ser)
    out = [f'<svg id="{chart_id}" class="chart" role="img" aria-label="{_e(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>']
    for k in range(5):
        v = vmax * k / 4
        y = top + plot_h - plot_h * k / 4
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{v:.0f}</text>')
    for i, cat in enumerate(categories):
        gx = left + i * group_w + 4
        out.append(f'<text x="{gx + (group_w - 8) / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                   f'class="tick">{_e(cat)}</text>')
        for j, (name, vals) in enumerate(series.items()):
            v = vals[i]
            if not v:
                continue
            h = plot_h * v / vmax
            out.append(f'<rect class="mark" x="{gx + j * bar_w:.1f}" y="{top + plot_h - h:.1f}" '
                       f'width="{bar_w - 1:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                       f'<title>{_e(name)} {_e(cat)}: {v:g}</title></rect>')
    for j, name in enumerate(series):
        y = top + 14 + j * 18
        out.append(f'<rect x="{left + plot_w + 14}" y="{y - 10}" width="12" height="12" '
                   f'fill="{PALETTE[j % len(PALETTE)]}"/><text x="{left + plot_w + 30}" y="{y}" '
                   f'class="legend">{_e(name[:24])}</text>')
    out.append("</svg>")
    return "\n".join(out)


def horizontal_bars(chart_id: str, title: str, rows: list[tuple[str, list[float]]], labels: list[str],
                    width: int = 760) -> str:
    """One row per label, stacked segments (e.g. followed up / never mentioned again)."""
    bar_h, gap, left, top = 16, 6, 200, 24
    height = top + len(rows) * (bar_h + gap) + 30
    plot_w = width - left - 60
    vmax = max([sum(v) for _, v in rows] + [1])
    out = [f'<svg id="{chart_id}" class="chart" role="img" aria-label="{_e(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    for j, name in enumerate(labels):
        out.append(f'<rect x="{left + j * 170}" y="4" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>'
                   f'<text x="{left + 16 + j * 170}" y="14" class="legend">{_e(name)}</text>')
    for i, (label, vals) in enumerate(rows):
        y = top + i * (bar_h + gap)
        out.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end" class="tick">{_e(label[:30])}</text>')
        x = left
        for j, v in enumerate(vals):
            if not v:
                continue
            w = plot_w * v / vmax
            out.append(f'<rect class="mark" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                       f'fill="{PALETTE[j % len(PALETTE)]}"><title>{_e(label)}: {v:g} {_e(labels[j])}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + 12}" class="tick">{sum(vals):g}</text>')
    out.append("</svg>")
    return "\n".join(out)


def scatter_over_time(chart_id: str, title: str, points: list[tuple[dt.date, float, str, str]],
                      width: int = 760, height: int = 300) -> str:
    """£ values (log scale) against meeting date, one colour per body."""
    import math

    left, bottom, top, right = 64, 40, 20, 190
    plot_w, plot_h = width - left - right, height - bottom - top
    out = [f'<svg id="{chart_id}" class="chart" role="img" aria-label="{_e(title)}" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>']
    if not points:
        out.append(f'<text x="{left + 10}" y="{top + 30}">no figures match</text></svg>')
        return "\n".join(out)
    d0 = min(p[0] for p in points).toordinal() - 30
    d1 = max(p[0] for p in points).toordinal() + 30
    lo = math.floor(math.log10(max(min(p[1] for p in points), 1)))
    hi = math.ceil(math.log10(max(max(p[1] for p in points), 10)))
    hi = max(hi, lo + 1)
    for e in range(lo, hi + 1):
        y = top + plot_h - plot_h * (e - lo) / (hi - lo)
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(10 ** e)}</text>')
    for year in range(dt.date.fromordinal(d0).year + 1, dt.date.fromordinal(d1).year + 1):
        x = left + plot_w * (dt.date(year, 1, 1).toordinal() - d0) / (d1 - d0)
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">{year}</text>')
    bodies = sorted({p[2] for p in points})
    for day, value, body, label in points:
        x = left + plot_w * (day.toordinal() - d0) / (d1 - d0)
        y = top + plot_h - plot_h * (math.log10(max(value, 1)) - lo) / (hi - lo)
        colour = PALETTE[bodies.index(body) % len(PALETTE)]
        out.append(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}" fill-opacity="0.75">'
                   f'<title>{day}: {_e(label)} ({_e(body)})</title></circle>')
    for j, name in enumerate(bodies):
        y = top + 14 + j * 18
        out.append(f'<circle cx="{left + plot_w + 20}" cy="{y - 4}" r="5" fill="{PALETTE[j % len(PALETTE)]}"/>'
                   f'<text x="{left + plot_w + 30}" y="{y}" class="legend">{_e(name[:24])}</text>')
    out.append("</svg>")
    return "\n".join(out)


CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 820px; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
.tick { font-size: 11px; fill: #555; } .legend { font-size: 12px; fill: #222; }
.chart { display: block; margin: .5rem 0; } .mark:hover { opacity: .6; }
table { border-collapse: collapse; font-size: .85rem; } td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: left; }
.note { color: #666; font-size: .85rem; } #render-check { color: #2a7a2a; font-size: .8rem; }
"""

CHECK_JS = """
(function () {
  var charts = document.querySelectorAll('svg.chart');
  var ok = 0, parts = [];
  charts.forEach(function (svg) {
    var box = svg.getBBox();
    var marks = svg.querySelectorAll('.mark').length;
    svg.setAttribute('data-rendered', marks + ' marks ' + Math.round(box.width) + 'x' + Math.round(box.height));
    if (box.width > 0 && box.height > 0 && marks > 0) { ok += 1; }
    parts.push(svg.id + ':' + marks);
  });
  document.getElementById('render-check').textContent =
    ok + ' of ' + charts.length + ' charts rendered (' + parts.join(', ') + ')';
})();
"""


def build_html(con: duckdb.DuckDBPyConnection, term: str = "precept", generated: str | None = None) -> str:
    per_year = con.execute("""
        SELECT body, year, count(*) AS meetings, sum(documents) AS documents
        FROM meeting_timeline WHERE year IS NOT NULL GROUP BY ALL ORDER BY body, year""").fetchall()
    years = sorted({r[1] for r in per_year})
    bodies = sorted({r[0] for r in per_year})
    meetings = {b: [next((r[2] for r in per_year if r[0] == b and r[1] == y), 0) for y in years] for b in bodies}
    documents = {b: [next((r[3] for r in per_year if r[0] == b and r[1] == y), 0) for y in years] for b in bodies}
    figs = con.execute("""
        SELECT meeting_date, value, body, raw || ' – ' || left(context, 80)
        FROM figure_series
        WHERE unit = 'GBP' AND meeting_date IS NOT NULL AND value > 0
          AND (context ILIKE '%' || ? || '%' OR item_title ILIKE '%' || ? || '%')
        ORDER BY meeting_date, document_id, ordinal""", [term, term]).fetchall()
    owners = con.execute("""
        SELECT coalesce(owner_name, owner, '(no owner)') AS who,
               count(*) FILTER (WHERE later_mentions > 0) AS followed,
               count(*) FILTER (WHERE later_mentions = 0) AS never
        FROM action_register GROUP BY ALL ORDER BY followed + never DESC, who LIMIT 20""").fetchall()
    attendance = con.execute("""
        SELECT name, sum(present + in_attendance) AS attended, sum(apologies) AS apologies
        FROM attendance_summary GROUP BY ALL ORDER BY attended DESC, name LIMIT 25""").fetchall()
    totals = con.execute("""SELECT (SELECT count(*) FROM meetings), (SELECT count(*) FROM documents),
                                   (SELECT count(*) FROM items), (SELECT count(*) FROM figures),
                                   (SELECT count(*) FROM people)""").fetchone()
    generated = generated or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        ("Meetings per body per year", "chart-meetings",
         grouped_bars("chart-meetings", "Meetings per body per year", years, meetings)),
        ("Documents per body per year", "chart-documents",
         grouped_bars("chart-documents", "Documents per body per year", years, documents)),
        (f"£ figures over time mentioning “{term}”", "chart-figures",
         scatter_over_time("chart-figures", f"£ figures mentioning {term}", figs)),
        ("Actions per owner", "chart-actions",
         horizontal_bars("chart-actions", "Actions per owner", [(o, [f, n]) for o, f, n in owners],
                         ["mentioned again later", "never mentioned again"])),
        ("Attendance per person", "chart-attendance",
         horizontal_bars("chart-attendance", "Attendance per person", [(n, [a, p]) for n, a, p in attendance],
                         ["attended", "apologies"])),
    ]
    body = "\n".join(f'<section><h2>{_e(t)}</h2>\n{svg}\n</section>' for t, _id, svg in sections)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scrutiny: police governance meetings</title>
<style>{CSS}</style>
</head>
<body>
<h1>Scrutiny: police governance meetings</h1>
<p class="note">{totals[0]} meetings, {totals[1]} documents, {totals[2]} items, {totals[3]} figures,
{totals[4]} people. Generated {_e(generated)} from the DuckDB warehouse. Self-contained: no network needed.</p>
<p id="render-check">charts not checked (JavaScript off)</p>
{body}
<script>{CHECK_JS}</script>
</body>
</html>
"""


def write_report(data, out: Path | None = None, term: str = "precept") -> Path:
    from warehouse.load import connect_read_only

    out = Path(out) if out else data.root / "report.html"
    con = connect_read_only(data)
    try:
        page = build_html(con, term)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
