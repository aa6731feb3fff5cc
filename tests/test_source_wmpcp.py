"""wmpcp end to end: the configured source (sources.toml: Birmingham CMIS, committee 436) against
the CMIS replica (mirror/sites/cmis.py), through discovery and through a backfill into the warehouse.
Nothing here leaves 127.0.0.1."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
import requests

from extract.adapters.base import FetchError, Window
from extract.adapters.cmis import CmisAdapter, CmisLayoutError
from extract.fetch import Fetcher
from extract.http import HttpSettings, PoliteClient
from extract.registry import load_registry
from mirror import mirror_sources_toml
from mirror.server import Mirror, Response
from mirror.sites.cmis import PREFIX, CmisSite
from tests.conftest import scalar, table_rows
from tests.mirror_run import run_pipeline

SOURCE_ID = "wmpcp"
TODAY = dt.date(2026, 11, 23)  # the replica's "now"
WIDE = Window(dt.date(2025, 1, 1), dt.date(2027, 3, 31))


@pytest.fixture(scope="module")
def running_mirror():
    with Mirror([CmisSite()]) as m:
        yield m


@pytest.fixture()
def site(running_mirror):
    # A fresh replica per test: rotated links and re-published papers must not leak.
    running_mirror.sites[PREFIX] = fresh = CmisSite()
    running_mirror.switches[PREFIX].overrides.clear()
    running_mirror.log.clear()
    return fresh


@pytest.fixture()
def mirror(running_mirror, site):
    return running_mirror


@pytest.fixture()
def source(mirror):
    return dataclasses.replace(load_registry().get(SOURCE_ID), base_url=mirror.site_url(PREFIX))


def discover(source, window=WIDE, **params) -> dict:
    src = dataclasses.replace(source, params={**source.params, **params})
    fetcher = Fetcher(PoliteClient(HttpSettings(rate_per_second=0, retries=0, backoff_factor=0)))
    return {m.key: m for m in CmisAdapter(today=lambda: TODAY).discover(src, fetcher, window)}


# -- the registry ---------------------------------------------------------------------------------


def test_the_birmingham_panel_is_in_the_registry():
    src = load_registry().get(SOURCE_ID)
    assert (src.adapter, src.base_url, src.params["committee_id"], src.params["entry_page"]) == \
        ("cmis", "https://birmingham.cmis.uk.com/birmingham/", 436, "Meetings.aspx")
    assert src.body == "West Midlands Police and Crime Panel"


def test_the_mirror_registry_points_the_panel_at_the_replica(mirror):
    from extract.registry import parse_registry

    src = parse_registry(mirror_sources_toml(mirror)).get(SOURCE_ID)
    assert src.base_url == mirror.site_url(PREFIX) and src.params["committee_id"] == 436


def test_the_slow_calendar_gets_the_sources_own_timeout():
    """Birmingham takes ~40 s to render a month: the source's timeout_seconds (120), not the
    client's 30 s, reaches every request the pipeline makes for it."""
    import threading
    from types import SimpleNamespace

    from extract.http import HttpSettings, PoliteClient
    from extract.fetch import source_get

    src = load_registry().get(SOURCE_ID)
    client, timeouts = PoliteClient(HttpSettings(rate_per_second=0, respect_robots=False)), []

    def answer(url, **kw):
        timeouts.append(kw["timeout"])
        chunks = [b"ok", b""]
        raw = SimpleNamespace(read1=lambda *a, **k: chunks.pop(0), release_conn=lambda: None)
        return SimpleNamespace(status_code=200, headers={}, raw=raw, close=lambda: None)

    # Sessions are per host and thread (sources run in threads): this thread's.
    client._sessions[("birmingham.cmis.uk.com", False, threading.get_ident())] = SimpleNamespace(get=answer)  # noqa: SLF001
    source_get(client, src, src.base_url + "Meetings.aspx")
    source_get(client, load_registry().get("westmercia-pcp"), "https://birmingham.cmis.uk.com/birmingham/Meetings.aspx")
    assert timeouts == [120.0, 30.0]


def test_a_mirror_without_the_panel_can_leave_it_out(tmp_path):
    from extract.registry import parse_registry
    from mirror.sites.wmgb import WmgbSite

    with Mirror([WmgbSite()]) as other:
        kept = parse_registry(mirror_sources_toml(other, drop_unmirrored=True)).sources
        assert [s.id for s in kept] == ["westmercia-wmgb"] and kept[0].base_url == other.site_url(WmgbSite.prefix)
        assert SOURCE_ID in {s.id for s in parse_registry(mirror_sources_toml(other)).sources}


# -- discovery against the replica -------------------------------------------------------------------


def test_meetings_dates_and_statuses_match_the_manifest(site, source):
    found = discover(source)
    assert [(k, m.meeting_date.isoformat(), m.status.value) for k, m in found.items()] == \
        [(m["key"], m["meeting_date"], m["status"]) for m in site.manifest()["meetings"]]


def test_only_the_configured_committee(site, source):
    assert {m.title for m in discover(source).values()} == {"West Midlands Police and Crime Panel"}


def test_times_and_venues_from_the_meeting_pages(site, source):
    found = discover(source)
    assert {k: (m.start_time, m.location) for k, m in found.items()} == \
        {m["key"]: (m["start_time"], m["location"]) for m in site.manifest()["meetings"]}


def test_documents_download_with_the_manifest_bytes(site, source):
    found = discover(source)
    for m in site.manifest()["meetings"]:
        got = sorted(hashlib.sha256(requests.get(d.url, timeout=5).content).hexdigest()
                     for d in found[m["key"]].documents)
        assert got == sorted(d["sha256"] for d in m["documents"]), m["key"]


def test_cancelled_meeting_has_no_papers_and_its_documents_tab_is_not_read(mirror, site, source):
    found = discover(source)
    assert (found["14577"].status.value, found["14577"].documents) == ("cancelled", [])
    assert not [r for r in mirror.log if "/Meeting/14577/" in r.path and "SelectedTab" in r.path]


def test_future_meeting_is_scheduled_without_papers(site, source):
    assert (discover(source)["15187"].status.value, discover(source)["15187"].documents) == ("scheduled", [])


def test_a_paper_on_both_the_summary_and_the_documents_tab_counts_once(site, source):
    titles = [d.title for d in discover(source)["14933"].documents]
    assert sorted(titles) == sorted(d["title"] for d in site.manifest()["meetings"][4]["documents"])
    assert titles.count("Minutes of the previous meeting") == 1


def test_repeated_titles_keep_apart(site, source):
    docs = discover(source)["14402"].documents
    appendices = [d for d in docs if d.title == "Appendix 1"]
    assert len(appendices) == 2 and len({d.key for d in appendices}) == 2 and len({d.url for d in appendices}) == 2


def test_document_keys_survive_new_links(site, source):
    before = {d.key: d.url for m in discover(source).values() for d in m.documents}
    site.rotate_links()
    after = {d.key: d.url for m in discover(source).values() for d in m.documents}
    assert before.keys() == after.keys()
    assert all(before[k] != after[k] for k in before)


def test_one_calendar_request_per_month_of_the_window(mirror, site, source):
    discover(source, Window(dt.date(2025, 5, 20), dt.date(2025, 7, 3)))
    months = sorted(r.path.split("/Date/")[1][:10] for r in mirror.log if "MeetingCalendarPublicNoJava" in r.path)
    assert months == ["2025-05-01", "2025-06-01", "2025-07-01"]


def test_window_bounds_the_meetings(site, source):
    assert list(discover(source, Window(dt.date(2025, 6, 1), dt.date(2025, 11, 30)))) == ["14402", "14577", "14701"]


def test_tab_from_params_when_no_page_shows_it(mirror, site, source):
    # An install whose list view is missing and whose entry page has no DNN path link.
    mirror.switches[PREFIX].overrides["Meetings.aspx?ctl=MeetingCalendarListView&mid=397"] = Response(404, b"")
    with pytest.raises(CmisLayoutError, match="no tab id"):
        discover(source)
    assert list(discover(source, tab_id=70)) == [m["key"] for m in site.manifest()["meetings"]]


def test_an_empty_calendar_is_a_layout_error_not_silence(mirror, site, source):
    window = Window(dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    mirror.switches[PREFIX].overrides[
        "Meetings/tabid/70/ctl/MeetingCalendarPublicNoJava/mid/397/Date/2025-06-01/Default.aspx"] = \
        Response(200, b"<html><body><p>Calendar</p></body></html>")
    with pytest.raises(CmisLayoutError, match="list no meeting of any committee"):
        discover(source, window)


def test_a_failing_meeting_page_is_reported_after_the_others(mirror, site, source):
    path = "Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/14402/Committee/436/Default.aspx"
    mirror.switches[PREFIX].overrides[path] = Response(404, b"")
    adapter, got = CmisAdapter(today=lambda: TODAY), []
    fetcher = Fetcher(PoliteClient(HttpSettings(rate_per_second=0, retries=0, backoff_factor=0)))
    with pytest.raises(FetchError, match="1 of 6 meeting pages failed"):
        for m in adapter.discover(source, fetcher, WIDE):
            got.append(m.key)
    assert got == [m["key"] for m in site.manifest()["meetings"] if m["key"] != "14402"]


# -- a backfill into the warehouse ----------------------------------------------------------------------


def backfill(tmp_path, mirror):
    return run_pipeline(tmp_path, mirror, window=WIDE, sources=[SOURCE_ID])


def test_backfill_loads_meetings_documents_and_the_cancelled_meeting(mirror, site, tmp_path):
    _, run = backfill(tmp_path, mirror)
    assert run.status == "completed", run.message
    wh = tmp_path / "warehouse.duckdb"
    meetings = dict(table_rows(wh, "(SELECT CAST(meeting_date AS VARCHAR), status FROM meetings "
                                   "WHERE source_id = 'wmpcp')"))
    manifest = site.manifest()["meetings"]
    assert set(meetings) == {m["meeting_date"] for m in manifest}
    assert meetings["2025-09-22"] == "cancelled"
    assert [m for m, s in meetings.items() if s == "cancelled"] == ["2025-09-22"]
    papers = {d["sha256"] for m in manifest for d in m["documents"]}
    loaded = {r[0] for r in table_rows(wh, "(SELECT document_id FROM documents WHERE source_id = 'wmpcp')")}
    assert loaded == papers
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'wmpcp' AND parse_status <> 'ok'") == 0
    assert scalar(wh, "SELECT count(*) FROM items i JOIN documents d USING (document_id) "
                      "WHERE d.source_id = 'wmpcp'") > 0


def test_backfill_rerun_with_new_links_fetches_and_versions_nothing_new(mirror, site, tmp_path):
    backfill(tmp_path, mirror)
    site.rotate_links()
    ctx, run = backfill(tmp_path, mirror)
    assert run.status == "completed", run.message
    outcomes = {f.outcome.value for f in ctx.fetch_log if f.purpose == "document"}
    assert outcomes == {"not_modified"}  # asked with the stored validators under the new links
    wh = tmp_path / "warehouse.duckdb"
    assert scalar(wh, "SELECT max(version) FROM document_versions WHERE source_id = 'wmpcp'") == 1


def test_republished_paper_is_a_new_version_of_the_same_document(mirror, site, tmp_path):
    backfill(tmp_path, mirror)
    new_sha = site.republish(14933, "Item 5 - Proposed Precept 2026-27")
    site.rotate_links()
    ctx, run = backfill(tmp_path, mirror)
    assert run.status == "completed", run.message
    assert [f.outcome.value for f in ctx.fetch_log if f.outcome.value == "changed"] == ["changed"]
    wh = tmp_path / "warehouse.duckdb"
    versions = table_rows(wh, "(SELECT version, document_id, is_current FROM document_versions "
                              "WHERE url LIKE '%Item%205%20-%20Proposed%20Precept%202026-27')", "1")
    assert [(v, current) for v, _, current in versions] == [(1, False), (2, True)]
    assert versions[1][1] == new_sha
    assert scalar(wh, "SELECT count(*) FROM documents WHERE document_id = ?", [new_sha]) == 1
