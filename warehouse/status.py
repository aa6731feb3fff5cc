"""`scrutiny status`: per source, what the warehouse holds and how the last run went.

From structured columns only (runs.sources, runs.status, runs.errors, fetch_log.outcome and
error, documents.parse_status and parse_flags): never from the words of runs.message."""
from __future__ import annotations

from kernel.config import DataDir
from warehouse.load import connect_read_only

STATUS_SQL = """
WITH last_run AS (
    SELECT s.source_id, arg_max(r.run_id, r.started_at) AS run_id, max(r.started_at) AS started_at
    FROM sources s JOIN runs r ON list_contains(r.sources, s.source_id)
    GROUP BY s.source_id
),
last_fetch AS (
    SELECT f.source_id,
           count(*) FILTER (WHERE f.outcome IN ('new', 'changed') AND f.purpose = 'document') AS fetched,
           count(*) FILTER (WHERE f.outcome IN ('error', 'blocked')) AS failures,
           bool_or(f.outcome = 'blocked') AS blocked,
           -- the blocked label goes with a blocked fetch's own error, never another one's (a 404)
           any_value(f.error) FILTER (WHERE f.outcome = 'blocked') AS blocked_error,
           any_value(f.error) FILTER (WHERE f.outcome IN ('error', 'blocked')) AS example_error
    FROM fetch_log f JOIN last_run l ON f.run_id = l.run_id AND f.source_id = l.source_id
    GROUP BY f.source_id
),
flag_counts AS (
    SELECT source_id, flag, count(*) AS n
    FROM (SELECT source_id, unnest(parse_flags) AS flag FROM documents)
    GROUP BY ALL
),
flags AS (
    SELECT source_id, string_agg(flag || ' ' || n, ', ' ORDER BY flag) AS parse_flags
    FROM flag_counts GROUP BY source_id
)
SELECT s.source_id,
       (SELECT count(*) FROM meetings m WHERE m.source_id = s.source_id) AS meetings,
       (SELECT count(*) FROM documents d WHERE d.source_id = s.source_id) AS documents,
       (SELECT count(*) FROM documents d WHERE d.source_id = s.source_id AND d.parse_status <> 'ok') AS not_parsed,
       (SELECT count(*) FROM documents d WHERE d.source_id = s.source_id AND len(d.parse_flags) > 0) AS flagged,
       coalesce(g.parse_flags, '') AS parse_flags,
       strftime(l.started_at, '%Y-%m-%d %H:%M') AS last_run,
       r.flow AS last_flow,
       r.status AS last_status,
       coalesce(f.fetched, 0) AS last_fetched,
       coalesce(f.failures, 0) AS last_failures,
       CASE WHEN f.blocked THEN 'blocked: ' || f.blocked_error
            WHEN r.status = 'failed' AND len(r.errors[s.source_id]) > 0
                 THEN array_to_string(r.errors[s.source_id], ' | ')
            WHEN coalesce(f.failures, 0) > 0 THEN f.example_error
       END AS problem
FROM sources s
LEFT JOIN last_run l USING (source_id)
LEFT JOIN runs r ON r.run_id = l.run_id
LEFT JOIN last_fetch f USING (source_id)
LEFT JOIN flags g USING (source_id)
ORDER BY s.source_id
"""


def source_status(data: DataDir) -> list[dict]:
    con = connect_read_only(data)
    try:
        cur = con.execute(STATUS_SQL)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]
    finally:
        con.close()
