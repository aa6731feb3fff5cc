"""Action follow-up: which later items of the same body mention an action.

For every action, the items of later meetings of the same body (``meetings.body``) are scored by
how many of the action's *content words* they contain (words of four letters or more, minus
stop words and the boilerplate every action shares: "action", "report", "update", "chief",
"constable"…). ``similarity`` = matched content words / the action's content words, in [0, 1].

An item links when similarity ≥ ``MIN_SIMILARITY`` and at least ``MIN_MATCHED`` content words
match; the ``MAX_LINKS`` best links per action are kept (ties: earlier meeting first). The
result is ``action_links(document_id, ordinal, item_document_id, item_ordinal, meeting_id,
meeting_date, similarity, matched_words)``, read by the ``action_register`` view.

Deterministic (no randomness, stable ordering), and cheap: an inverted index from word to items
means each action only looks at items sharing at least one word with it.
"""
from __future__ import annotations

import re
from collections import defaultdict

import duckdb

from warehouse._rows import insert_rows

MIN_SIMILARITY = 0.6
MIN_MATCHED = 2
MAX_LINKS = 5

STOP = set("""
about above after again against all also although among and any are around because been before
being below between both but can cannot could did does doing down during each either every for
from further had has have having here how however into its itself just more most much must need
needs next not now off once only other our out over own same shall she should some such than that
the their them then there these they this those through under until upon very was were what when
where which while who whom why will with within would your yours
action actions agreed report reports reported reporting update updates updated provide provided
chief constable commissioner board panel police crime force meeting meetings item items note
noted members member paper papers back give given future next week weeks month months date
""".split())


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'\-]{3,}", (text or "").lower()) if w not in STOP}


def build(con: duckdb.DuckDBPyConnection) -> int:
    actions = con.execute("""
        SELECT a.document_id, a.ordinal, a.text, m.body, m.meeting_date, a.meeting_id
        FROM actions a JOIN meetings m ON m.meeting_id = a.meeting_id
        WHERE m.meeting_date IS NOT NULL
        ORDER BY a.document_id, a.ordinal""").fetchall()
    items = con.execute("""
        SELECT i.document_id, i.ordinal, i.meeting_id, m.body, m.meeting_date, i.title || ' ' || i.text
        FROM items i JOIN meetings m ON m.meeting_id = i.meeting_id
        WHERE m.meeting_date IS NOT NULL
        ORDER BY i.document_id, i.ordinal""").fetchall()
    index: dict[tuple[str, str], list[int]] = defaultdict(list)  # (body, word) -> item rows
    words_of: list[set[str]] = []
    for n, (_doc, _ord, _mid, body, _day, text) in enumerate(items):
        ws = content_words(text)
        words_of.append(ws)
        for w in ws:
            index[(body, w)].append(n)
    links = []
    for doc, ordinal, text, body, day, meeting_id in actions:
        aw = content_words(text)
        if len(aw) < MIN_MATCHED:
            continue
        hits: dict[int, int] = defaultdict(int)
        for w in aw:
            for n in index.get((body, w), ()):
                hits[n] += 1
        scored = []
        for n, matched in hits.items():
            idoc, iord, imid, _b, iday, _t = items[n]
            if iday <= day or imid == meeting_id or matched < MIN_MATCHED:
                continue
            sim = round(matched / len(aw), 3)
            if sim >= MIN_SIMILARITY:
                scored.append((-sim, iday, idoc, iord, imid, n))
        scored.sort()
        for negsim, iday, idoc, iord, imid, n in scored[:MAX_LINKS]:
            common = sorted(aw & words_of[n])
            links.append((doc, ordinal, idoc, iord, imid, iday, -negsim, len(common), ", ".join(common)))
    con.execute("""CREATE OR REPLACE TABLE action_links (document_id VARCHAR, ordinal BIGINT,
                   item_document_id VARCHAR, item_ordinal BIGINT, meeting_id VARCHAR, meeting_date DATE,
                   similarity DOUBLE, matched BIGINT, matched_words VARCHAR)""")
    insert_rows(con, "action_links", ["document_id", "ordinal", "item_document_id", "item_ordinal", "meeting_id",
                                      "meeting_date", "similarity", "matched", "matched_words"], links)
    con.execute("""CREATE OR REPLACE TABLE action_links AS SELECT * FROM action_links
                   ORDER BY document_id, ordinal, similarity DESC, meeting_date, item_document_id, item_ordinal""")
    return len(links)
