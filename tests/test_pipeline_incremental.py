"""Backfill over every mirrored source; nightly reruns fetch only what is new or changed."""
import datetime as dt

import pytest

from mirror import build_mirror
from tests.conftest import scalar, table_rows
from tests.mirror_run import run_pipeline


@pytest.fixture(scope="module")
def mirror():
    with build_mirror() as m:
        yield m


@pytest.fixture(scope="module")
def backfilled(mirror, tmp_path_factory):
    data = tmp_path_factory.mktemp("incremental")
    ctx, run = run_pipeline(data, mirror)
    assert run.status == "completed", run.message
    return data


def manifest_meetings(mirror):
    for site in mirror.sites.values():
        yield from site.manifest()["meetings"]


def test_backfill_finds_every_meeting_the_mirror_holds_on_its_date(mirror, backfilled):
    wh = backfilled / "warehouse.duckdb"
    got = {(sid, str(day)) for sid, day in table_rows(wh, "(SELECT source_id, meeting_date FROM meetings)")}
    want = {(m["source_id"], m["meeting_date"]) for m in manifest_meetings(mirror) if m.get("meeting_date")}
    assert want <= got, sorted(want - got)


def test_backfill_archives_and_parses_every_document_the_mirror_holds(mirror, backfilled):
    wh = backfilled / "warehouse.duckdb"
    have = {row[0] for row in table_rows(wh, "(SELECT document_id FROM documents)")}
    want = {d["sha256"] for m in manifest_meetings(mirror) for d in m["documents"]}
    assert want <= have, f"{len(want - have)} documents missing"
    assert scalar(wh, "SELECT count(*) FROM documents WHERE parse_status <> 'ok'") == 0


def test_minutes_published_with_the_next_meeting_belong_to_the_meeting_they_record(mirror, backfilled):
    wh = backfilled / "warehouse.duckdb"
    for m in manifest_meetings(mirror):
        for d in m["documents"]:
            recorded = d.get("records_meeting_date")
            if d["kind"] == "minutes" and recorded:
                mid = scalar(wh, "SELECT meeting_id FROM documents WHERE document_id = ?", [d["sha256"]])
                assert mid == f"{m['source_id']}:{recorded}", d["path"]


def test_rerun_with_nothing_new_downloads_no_document(mirror, backfilled):
    ctx, run = run_pipeline(backfilled, mirror, flow="nightly")
    docs = [f for f in ctx.fetch_log if f.purpose == "document"]
    assert docs and {f.outcome.value for f in docs} <= {"not_modified", "skipped", "unchanged"}
    assert sum(f.bytes for f in docs) == 0
    assert run.documents_fetched == 0


def test_late_minutes_and_a_changed_pdf_are_exactly_what_the_next_run_fetches(mirror, backfilled):
    late_path = mirror.sites["westmidlands-pcc"].publish_late_minutes()
    pcp = mirror.sites["worcestershire-moderngov"]
    changed = next(d for m in pcp.manifest()["meetings"] for d in m["documents"] if d["kind"] == "report")
    new_sha = pcp.republish(changed["path"])
    ctx, run = run_pipeline(backfilled, mirror, flow="nightly")
    fetched = [f for f in ctx.fetch_log if f.purpose == "document" and f.outcome.value in ("new", "changed")
               and f.bytes > 0]  # downloads (a changed web-service record was read by discovery)
    assert sorted(f.outcome.value for f in fetched) == ["changed", "new"], [(f.url, f.outcome) for f in fetched]
    assert any(late_path.split("/")[-1] in f.url for f in fetched if f.outcome.value == "new")
    wh = backfilled / "warehouse.duckdb"
    assert scalar(wh, "SELECT count(*) FROM documents WHERE document_id = ?", [new_sha]) == 1
    assert scalar(wh, "SELECT count(*) FROM documents WHERE document_id = ?", [changed["sha256"]]) == 0
    archive = ctx.archive
    assert archive.has(new_sha) and archive.has(changed["sha256"]), "both versions stay archived"


def test_a_window_keeps_discovery_to_its_dates(mirror, tmp_path):
    from extract.adapters.base import Window

    ctx, run = run_pipeline(tmp_path, mirror, window=Window(dt.date(2019, 9, 1), dt.date(2019, 9, 30)),
                            sources=["westmercia-pcp"])
    wh = tmp_path / "warehouse.duckdb"
    days = {str(d): kinds for d, kinds in table_rows(wh, (
        "(SELECT m.meeting_date, list_sort(list(DISTINCT d.doc_kind)) FROM meetings m "
        "LEFT JOIN documents d USING (meeting_id) GROUP BY 1)"))}
    inside = {d for d in days if d.startswith("2019-09")}
    assert inside == {"2019-09-10"}
    # A meeting outside the window appears only because minutes listed inside it record it
    # (the previous meeting's minutes are confirmed at the next one).
    assert all(days[d] == ["minutes"] for d in set(days) - inside), days
