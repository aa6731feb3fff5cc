"""Content checked before it is believed, failures that heal, one paper one row (issue 18 items
5-7, issue 20's ModernGov hardening), end to end against the mirror.

The wrong bodies served are REAL ModernGov answers (tests/fixtures/moderngov_real/moderngov_other/):
an IIS redirect page (well-formed XML, root <script>) and another operation's empty answer.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import requests

from mirror import build_mirror
from mirror.server import Response, Switches
from scrutiny import pipeline
from kernel.config import DataDir
from tests.conftest import scalar, table_rows
from tests.mirror_run import EVERYTHING, mirror_registry, run_pipeline
from warehouse.load import rebuild_warehouse
from warehouse.status import source_status

OTHER = Path(__file__).parent / "fixtures" / "moderngov_real" / "moderngov_other"
IIS_PAGE = (OTHER / "denbighshire_GetCouncillorsByWard_over_http_IIS_HttpRedirect_page.html").read_bytes()
MG = "worcestershire-moderngov"


@pytest.fixture(scope="module")
def running_mirror():
    with build_mirror() as m:
        yield m


@pytest.fixture()
def mirror(running_mirror):
    # Fresh sites and switches per test: faults and re-publications must not leak between tests.
    from mirror import all_sites

    for site in all_sites():
        running_mirror.sites[site.prefix] = site
        running_mirror.switches[site.prefix] = Switches()
    running_mirror.log.clear()
    return running_mirror


def pcp_docs(mirror) -> list[dict]:
    return [d for m in mirror.sites[MG].manifest()["meetings"] for d in m["documents"]]


def fetch_rows(wh: Path, where: str) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(f"SELECT url, http_status, outcome, error_kind, error FROM fetch_log WHERE {where} "
                           "ORDER BY fetched_at").fetchall()
    finally:
        con.close()


# -- a paper that is not a paper ------------------------------------------------------------


@pytest.mark.parametrize("body", [IIS_PAGE, b""], ids=["html_error_page", "empty_body"])
def test_a_bad_200_for_a_paper_is_an_error_not_archived_and_the_next_run_fetches_the_paper(mirror, tmp_path, body):
    paper = next(d for d in pcp_docs(mirror) if d["ws_path"])
    mirror.switches[MG].overrides[paper["ws_path"]] = Response(200, body, "text/html")
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    wh = tmp_path / "warehouse.duckdb"
    url = mirror.site_url(MG) + paper["ws_path"]
    rows = fetch_rows(wh, f"url = '{url}' AND purpose = 'document'")
    assert [(r[1], r[2], r[3]) for r in rows] == [(200, "error", "wrong_content")]
    assert "where a" in rows[0][4]  # "an HTML page ... where a PDF was linked" / "an empty body where a paper..."
    assert run.status == "failed" and url in run.message
    assert not [e for e in ctx.archive.entries() if e.url == url], "the bad body is not archived as the paper"
    assert scalar(wh, "SELECT count(*) FROM documents WHERE document_id = ?", [paper["sha256"]]) == 0

    mirror.switches[MG].overrides.clear()  # the site is mended
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    assert run.status == "completed", run.message
    assert scalar(wh, "SELECT url FROM documents WHERE document_id = ?", [paper["sha256"]]) == url


# -- GetMeeting answering 200 with an HTML page -------------------------------------------


def test_get_meeting_answering_an_html_page_fails_the_run_loudly_with_a_fetch_log_row(mirror, tmp_path):
    mirror.switches[MG].overrides["mgWebService.asmx/GetMeeting?lMeetingId=2825"] = Response(200, IIS_PAGE)
    notes: list[str] = []
    registry = mirror_registry(mirror)
    ctx = pipeline.open_run("backfill", DataDir(tmp_path), registry, progress=notes.append)
    pipeline.process_source(ctx, registry.get("westmercia-pcp"), EVERYTHING)
    run = pipeline.finish_run(ctx)
    wh = tmp_path / "warehouse.duckdb"
    assert run.status == "failed"
    assert "GetMeeting for meeting 2825 failed" in run.message and "attendance" in run.message
    assert scalar(wh, "SELECT status FROM runs") == "failed"
    rows = fetch_rows(wh, "url LIKE '%GetMeeting?lMeetingId=2825'")
    assert [(r[1], r[2], r[3]) for r in rows] == [(200, "error", "wrong_content")]
    assert "XML with root <script>" in rows[0][4]
    assert any(n.startswith("[westmercia-pcp] ERROR meeting 2825: GetMeeting") for n in notes)
    # The meeting's papers still arrived through its page; its attendance did not.
    assert scalar(wh, "SELECT count(*) FROM documents WHERE meeting_id LIKE '%2019-09-10%'") > 0


# -- convergence after a fault ------------------------------------------------------------

COMPARED = {
    "meetings": "*",
    "documents": "document_id, source_id, meeting_id, url, title, doc_kind, content_type, bytes, pages, "
                 "published_date, parse_status, parse_error, parser_version",
    "items": "*", "attendance": "*", "actions": "*", "figures": "*",
    "document_versions": "source_id, url, version, document_id, is_current, bytes, content_type, title",
}


def warehouse_tables(wh: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {t: con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in COMPARED.items()}
    finally:
        con.close()


def test_after_a_get_meeting_fault_the_clean_rerun_equals_a_fault_free_run(mirror, tmp_path):
    clean, faulted = tmp_path / "clean", tmp_path / "faulted"
    run_pipeline(clean, mirror)
    want = warehouse_tables(clean / "warehouse.duckdb")

    # 7165 (30 Oct 2023) has four item papers: the fallback reads them from its page.
    mirror.switches[MG].overrides["mgWebService.asmx/GetMeeting?lMeetingId=7165"] = Response(
        500, b"<html><body>Service unavailable</body></html>")
    _, run = run_pipeline(faulted, mirror)
    assert run.status == "failed" and "GetMeeting for meeting 7165" in run.message
    during = warehouse_tables(faulted / "warehouse.duckdb")
    assert during != want

    mirror.switches[MG].overrides.clear()
    _, run = run_pipeline(faulted, mirror)
    assert run.status == "completed", run.message
    got = warehouse_tables(faulted / "warehouse.duckdb")
    for table in COMPARED:
        assert got[table] == want[table], table
    _, run = run_pipeline(faulted, mirror)  # and stays so
    assert warehouse_tables(faulted / "warehouse.duckdb") == want
    rebuild_warehouse(DataDir(faulted))
    assert warehouse_tables(faulted / "warehouse.duckdb") == want
    print(f"document_versions: fault-free {len(want['document_versions'])}, "
          f"during the fault {len(during['document_versions'])}, after the rerun {len(got['document_versions'])}")


# -- one paper, one row ---------------------------------------------------------------------


def test_the_same_pdf_from_two_sources_is_one_document_of_the_first(mirror, tmp_path):
    spcb = mirror.sites["westmidlands-pcc"].manifest()["meetings"][0]
    shared = next(d for d in spcb["documents"] if d["path"].endswith(".pdf"))
    body = requests.get(mirror.site_url("westmidlands-pcc") + shared["path"], timeout=10).content
    # A West Mercia panel paper whose bytes are the SPCB's agenda (archived first: wmpcc-spcb runs first).
    paper = next(d for d in pcp_docs(mirror) if d["ws_path"])
    mirror.switches[MG].overrides[paper["ws_path"]] = Response(200, body, "application/pdf")
    ctx, run = run_pipeline(tmp_path, mirror, sources=["wmpcc-spcb", "westmercia-pcp"])
    assert run.status == "completed", run.message
    wh = tmp_path / "warehouse.duckdb"
    doc_id = shared["sha256"]
    assert scalar(wh, "SELECT count(*) FROM documents WHERE document_id = ?", [doc_id]) == 1
    assert scalar(wh, "SELECT source_id FROM documents WHERE document_id = ?", [doc_id]) == "wmpcc-spcb"
    items = scalar(wh, "SELECT count(*) FROM items WHERE document_id = ?", [doc_id])
    assert items == scalar(wh, "SELECT count(DISTINCT ordinal) FROM items WHERE document_id = ?", [doc_id])
    # No meeting of the panel made from the SPCB's paper: every panel meeting is one its listing has.
    assert scalar(wh, "SELECT count(*) FROM meetings WHERE source_id = 'westmercia-pcp' AND meeting_id NOT IN "
                      "(SELECT meeting_id FROM meeting_sightings WHERE seen_in = 'listing')") == 0
    # The second sighting is recorded: the panel's URL, with the same bytes, in document_sightings.
    sightings = table_rows(wh, "(SELECT source_id, url, is_own, document_source_id FROM document_sightings "
                               f"WHERE document_id = '{doc_id}')")
    assert sightings == [("westmercia-pcp", mirror.site_url(MG) + paper["ws_path"], False, "wmpcc-spcb"),
                         ("wmpcc-spcb", mirror.site_url("westmidlands-pcc") + shared["path"], True, "wmpcc-spcb")]
    print(f"documents rows for the shared bytes: 1, items {items}, sightings {len(sightings)}")


def test_the_same_pdf_found_first_under_a_later_meeting_moves_to_the_earlier_one(mirror, tmp_path):
    """Whatever order the sources run in: the panel's run archives the bytes first (under a
    2019 meeting), the SPCB's run then finds them under its 2016 meeting, which owns them."""
    spcb = mirror.sites["westmidlands-pcc"].manifest()["meetings"][0]
    shared = next(d for d in spcb["documents"] if d["path"].endswith(".pdf"))
    body = requests.get(mirror.site_url("westmidlands-pcc") + shared["path"], timeout=10).content
    paper = next(d for d in pcp_docs(mirror) if d["ws_path"])
    mirror.switches[MG].overrides[paper["ws_path"]] = Response(200, body, "application/pdf")
    wh = tmp_path / "warehouse.duckdb"
    doc_id = shared["sha256"]
    run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    assert table_rows(wh, f"(SELECT source_id FROM documents WHERE document_id = '{doc_id}')") == [("westmercia-pcp",)]
    pcp_meetings = scalar(wh, "SELECT count(*) FROM meetings WHERE source_id = 'westmercia-pcp'")
    _, run = run_pipeline(tmp_path, mirror, sources=["wmpcc-spcb"])
    assert run.status == "completed", run.message
    assert table_rows(wh, f"(SELECT source_id FROM documents WHERE document_id = '{doc_id}')") == [("wmpcc-spcb",)]
    assert scalar(wh, "SELECT meeting_id IN (SELECT meeting_id FROM meeting_sightings WHERE source_id = 'wmpcc-spcb' "
                      "AND seen_in = 'listing') FROM documents WHERE document_id = ?", [doc_id])
    items = scalar(wh, "SELECT count(*) FROM items WHERE document_id = ?", [doc_id])
    assert items == scalar(wh, "SELECT count(DISTINCT ordinal) FROM items WHERE document_id = ?", [doc_id]) > 0
    assert scalar(wh, "SELECT count(*) FROM meetings WHERE source_id = 'westmercia-pcp'") <= pcp_meetings
    assert scalar(wh, "SELECT count(*) FROM meetings WHERE source_id = 'westmercia-pcp' AND meeting_id NOT IN "
                      "(SELECT meeting_id FROM meeting_sightings WHERE seen_in = 'listing')") == 0


# -- what the errors say --------------------------------------------------------------------


def test_a_404_says_it_was_asked_once_and_status_keeps_blocked_for_the_403(mirror, tmp_path):
    docs = [d for d in pcp_docs(mirror) if d["ws_path"]]
    missing, refused = docs[0], docs[-1]  # the 404 is fetched before the 403
    mirror.switches[MG].overrides[missing["ws_path"]] = Response(404, b"<html><body>Not found</body></html>")
    mirror.switches[MG].overrides[refused["ws_path"]] = Response(403, b"<html><body>Denied</body></html>")
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    wh = tmp_path / "warehouse.duckdb"
    base = mirror.site_url(MG)
    (row,) = fetch_rows(wh, f"url = '{base}{missing['ws_path']}'")
    assert row[1:4] == (404, "error", "permanent")
    assert row[4].endswith("HTTP 404, asked once") and "retries" not in row[4]
    assert len([e for e in mirror.log if e.status == 404 and missing["ws_path"].split("=")[1] in e.query]) == 1
    (row,) = fetch_rows(wh, f"url = '{base}{refused['ws_path']}'")
    assert row[1:4] == (403, "blocked", "blocked")
    problem = {s["source_id"]: s for s in source_status(ctx.data)}["westmercia-pcp"]["problem"]
    assert problem.startswith("blocked: ") and "403" in problem and "404" not in problem


def test_a_503_says_how_many_times_it_was_retried(mirror, tmp_path):
    paper = next(d for d in pcp_docs(mirror) if d["ws_path"])
    mirror.switches[MG].overrides[paper["ws_path"]] = Response(503, b"busy", "text/plain")
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    retries = ctx.client.settings.retries
    (row,) = fetch_rows(tmp_path / "warehouse.duckdb", f"url = '{mirror.site_url(MG)}{paper['ws_path']}'")
    assert row[1:4] == (503, "error", "transient")
    assert row[4].endswith(f"HTTP 503 after {retries} retries")
    assert len([e for e in mirror.log if e.status == 503]) == retries + 1


def test_a_wrong_getmeetings_answer_is_recorded_the_pages_are_read_and_the_rerun_converges(mirror, tmp_path):
    """The real IIS redirect page answering GetMeetings: an error row of kind wrong_content, the
    HTML fallback reads every meeting (papers kept, provisionally), the run says attendance is
    missing; once the service answers again the warehouse is a fault-free run's."""
    clean, faulted = tmp_path / "clean", tmp_path / "faulted"
    run_pipeline(clean, mirror, sources=["westmercia-pcp"])
    want = warehouse_tables(clean / "warehouse.duckdb")

    mirror.switches[MG].overrides["mgWebService.asmx/GetMeetings"] = Response(200, IIS_PAGE, "text/xml")
    _, run = run_pipeline(faulted, mirror, sources=["westmercia-pcp"])
    wh = faulted / "warehouse.duckdb"
    assert run.status == "failed" and "web service unusable" in run.message
    rows = fetch_rows(wh, "url LIKE '%GetMeetings%'")
    assert [(r[1], r[2], r[3]) for r in rows] == [(200, "error", "wrong_content")]
    assert "lCommitteeId=147" in rows[0][0]  # the URL as asked, query string included
    assert scalar(wh, "SELECT count(*) FROM meetings") == len(want["meetings"])
    # No web-service record (per-member attendance, per-item minutes) was held this run.
    assert scalar(wh, "SELECT count(*) FROM documents WHERE url LIKE '%GetMeeting?%'") == 0

    mirror.switches[MG].overrides.clear()
    _, run = run_pipeline(faulted, mirror, sources=["westmercia-pcp"])
    assert run.status == "completed", run.message
    got = warehouse_tables(wh)
    for table in COMPARED:
        assert got[table] == want[table], table


# -- the check itself (pure) ----------------------------------------------------------------


def test_what_a_pdf_link_must_answer():
    from extract.content import paper_problem

    corpus_pdf = next((Path(__file__).parent / "fixtures" / "corpus" / "pdf").glob("*.pdf")).read_bytes()
    assert paper_problem("https://x/documents/s1/Report.PDF", corpus_pdf) is None
    assert paper_problem("https://x/mgConvert2PDF.aspx?ID=5", b"\r\n" * 10 + corpus_pdf) is None  # junk first
    assert paper_problem("https://x/a.pdf", IIS_PAGE) is not None  # the real IIS page is not a PDF
    assert paper_problem("https://x/a.pdf", b"<!DOCTYPE html><html><head><title>Page not found</title>") == \
        "an HTML page titled 'Page not found' where a PDF was linked"
    assert paper_problem("https://x/minutes-page/", b"<html><body>Minutes</body></html>") is None  # HTML promised
    assert paper_problem("https://x/minutes-page/", b"  \n") == "an empty body where a paper was linked"


def test_a_paper_claimed_by_another_process_while_it_parses_here_leaves_one_row(mirror, tmp_path, monkeypatch):
    """Runs fanned out per source are separate processes: the panel's run decides it owns the
    shared bytes and starts parsing them; meanwhile the SPCB's run (another process, here run in
    the gap) records its earlier meeting's sighting, which owns them. The panel's rows, written
    after that, must not stay beside the SPCB's."""
    spcb = mirror.sites["westmidlands-pcc"].manifest()["meetings"][0]
    shared = next(d for d in spcb["documents"] if d["path"].endswith(".pdf"))
    body = requests.get(mirror.site_url("westmidlands-pcc") + shared["path"], timeout=10).content
    paper = next(d for d in pcp_docs(mirror) if d["ws_path"])
    mirror.switches[MG].overrides[paper["ws_path"]] = Response(200, body, "application/pdf")
    doc_id = shared["sha256"]
    parse_job = pipeline._parse_job
    other_runs, started = [], []

    def the_other_process_runs_meanwhile(ctx, source, parsed_id):
        job = parse_job(ctx, source, parsed_id)  # decided: this run owns the bytes, for now
        if parsed_id == doc_id and not started:
            started.append(source.id)
            other_runs.append(run_pipeline(tmp_path, mirror, sources=["wmpcc-spcb"])[1])
        return job

    monkeypatch.setattr(pipeline, "_parse_job", the_other_process_runs_meanwhile)
    _, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    assert started == ["westmercia-pcp"]
    assert [r.status for r in other_runs + [run]] == ["completed", "completed"], run.message
    wh = tmp_path / "warehouse.duckdb"
    assert table_rows(wh, f"(SELECT source_id FROM documents WHERE document_id = '{doc_id}')") == [("wmpcc-spcb",)]
    items = scalar(wh, "SELECT count(*) FROM items WHERE document_id = ?", [doc_id])
    assert items == scalar(wh, "SELECT count(DISTINCT ordinal) FROM items WHERE document_id = ?", [doc_id]) > 0
