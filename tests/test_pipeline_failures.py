"""Never silent: transient failures retried, firewalls and empty sources reported loudly."""
import pytest

from mirror import build_mirror
from mirror.server import Response
from tests.conftest import scalar, table_rows
from tests.mirror_run import run_pipeline
from warehouse.status import source_status


@pytest.fixture
def mirror():
    with build_mirror() as m:
        yield m


def plain_clients(text: str) -> str:
    return text.replace("browser = true", "browser = false")


def test_500_then_200_succeeds_after_retries(mirror, tmp_path):
    mirror.switches["westmercia-pcc"].fail_sequence = [500, 503]
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-wmgb"])
    assert run.status == "completed", run.message
    assert [e.status for e in mirror.log if e.site == "westmercia-pcc"][:3] == [500, 503, 200]
    assert not [f for f in ctx.fetch_log if f.outcome.value in ("error", "blocked")]


def test_a_firewall_403_is_reported_blocked_everywhere_and_other_sources_still_load(mirror, tmp_path):
    mirror.switches["westmidlands-pcc"].waf_block_non_browser = True
    ctx, run = run_pipeline(tmp_path, mirror, edit=plain_clients,
                            sources=["wmpcc-spcb", "westmercia-wmgb"])
    wh = tmp_path / "warehouse.duckdb"
    assert run.status == "failed" and "wmpcc-spcb" in run.message and "blocked" in run.message
    assert scalar(wh, "SELECT count(*) FROM fetch_log WHERE source_id = 'wmpcc-spcb' AND outcome = 'blocked'") >= 1
    assert scalar(wh, "SELECT status FROM runs") == "failed"
    status = {row["source_id"]: row for row in source_status(tmp_path and ctx.data)}
    assert status["wmpcc-spcb"]["problem"].startswith("blocked")
    assert status["westmercia-wmgb"]["problem"] is None
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'westmercia-wmgb'") > 0
    blocked_tries = [e for e in mirror.log if e.site == "westmidlands-pcc" and e.status == 403]
    assert len(blocked_tries) == 1, "a 403 is not retried"


def test_the_browser_transport_gets_through_the_firewall(mirror, tmp_path):
    mirror.switches["westmidlands-pcc"].waf_block_non_browser = True
    ctx, run = run_pipeline(tmp_path, mirror, sources=["wmpcc-spcb"])  # sources.toml: browser = true
    assert run.status == "completed", run.message
    assert scalar(tmp_path / "warehouse.duckdb", "SELECT count(*) FROM documents") > 0


def test_a_source_emptied_of_meetings_is_an_error_in_runs_and_status(mirror, tmp_path):
    empty = Response(200, b"<html><body><h1>West Mercia Governance Board</h1><p>Meeting minutes</p>"
                          b"</body></html>")
    mirror.switches["westmercia-pcc"].overrides["key-information/west-mercia-governance-board/"] = empty
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-wmgb"])
    assert run.status == "failed"
    assert "westmercia-wmgb" in run.message and "zero meetings" in run.message
    status = {row["source_id"]: row for row in source_status(ctx.data)}
    assert "zero meetings" in status["westmercia-wmgb"]["problem"]


def test_a_broken_document_is_recorded_and_the_rest_of_the_meeting_still_loads(mirror, tmp_path):
    site = mirror.sites["worcestershire-moderngov"]
    docs = [d for m in site.manifest()["meetings"] for d in m["documents"]]
    broken = next(d for d in docs if d["kind"] == "report")
    # The web service links attachments as mgConvert2PDF.aspx?ID=...: break that URL.
    mirror.switches["worcestershire-moderngov"].overrides[broken["ws_path"]] = Response(
        200, b"%PDF-1.4 truncated", "application/pdf")
    ctx, run = run_pipeline(tmp_path, mirror, sources=["westmercia-pcp"])
    wh = tmp_path / "warehouse.duckdb"
    statuses = dict(table_rows(wh, "(SELECT parse_status, count(*) FROM documents GROUP BY 1)"))
    assert statuses.get("corrupt", 0) >= 1 and statuses.get("ok", 0) >= 3, statuses


def test_an_unreachable_host_fails_that_source_only_with_a_clear_message(mirror, tmp_path):
    def unreachable_wmgb(text: str) -> str:
        marker = 'id = "westmercia-wmgb"'
        head, tail = text.split(marker)
        tail = tail.replace(mirror.site_url("westmercia-pcc"), "http://127.0.0.1:9/", 1)
        return head + marker + tail

    ctx, run = run_pipeline(tmp_path, mirror, edit=unreachable_wmgb, sources=["westmercia-wmgb", "westmercia-pcp"])
    assert run.status == "failed"
    assert "westmercia-wmgb" in run.message and "ConnectionError" in run.message
    assert "westmercia-pcp" not in run.message
    wh = tmp_path / "warehouse.duckdb"
    assert scalar(wh, "SELECT count(*) FROM fetch_log WHERE source_id = 'westmercia-wmgb' AND outcome = 'error'") >= 1
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'westmercia-pcp'") > 0


def test_a_board_that_no_longer_meets_is_a_note_not_a_failure(mirror, tmp_path):
    """The SPCB's archive lists only past meetings (the board became the AGB): a nightly window
    after them finds none, which must not fail every night; the run says what the listing holds.
    The same for West Mercia's minutes listing, whose months all precede the window."""
    import datetime as dt

    from extract.adapters.base import Window
    from scrutiny import pipeline
    from kernel.config import DataDir
    from tests.mirror_run import mirror_registry

    notes: list[str] = []
    registry = mirror_registry(mirror, None)
    ctx = pipeline.open_run("nightly", DataDir(tmp_path), registry, progress=notes.append)
    for source in registry.select(["wmpcc-spcb", "westmercia-wmgb"]):
        pipeline.process_source(ctx, source, Window(dt.date(2031, 1, 1), dt.date(2031, 6, 30)))
    run = pipeline.finish_run(ctx)
    assert run.status == "completed", run.message
    assert run.meetings_discovered == 0 and not [f for f in ctx.fetch_log if f.purpose == "document"]
    spcb = [n for n in notes if n.startswith("[wmpcc-spcb] no meetings between 2031-01-01 and 2031-06-30")]
    assert len(spcb) == 1 and "its listing holds" in spcb[0]
    assert any(n.startswith("[westmercia-wmgb] no meetings between") for n in notes)
