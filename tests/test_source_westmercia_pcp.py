"""westmercia-pcp end to end: the configured source (sources.toml) against the ModernGov replica.

Discovery is compared with the replica's manifest(): meetings, dates, statuses and document URLs,
through the web service, through the HTML pages, and through the fallback when the service breaks.
Nothing here leaves 127.0.0.1.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
import requests

from extract.adapters.base import Window
from extract.adapters.moderngov import ModernGovAdapter, parse_get_meeting, ws_document
from transform.moderngov_ws import parse_meeting_minutes
from extract.fetch import Fetcher
from extract.http import HttpSettings, PoliteClient
from extract.registry import load_registry
from mirror.server import Mirror, Response, Switches
from mirror.sites.moderngov import ModernGovSite, fixture_responses
from kernel.records import AttendanceStatus

CORPUS_MINUTES = Path(__file__).parent / "fixtures" / "corpus" / "pdf" / "003_eec2d70e111a21ed.pdf"
TODAY = dt.date(2026, 11, 23)  # the replica's fixed "now"
WIDE = Window(dt.date(2000, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture(scope="module")
def running_mirror():
    # One server per module: stopping one costs the 0.5 s poll interval of serve_forever.
    with Mirror([ModernGovSite()]) as m:
        # The mirror writes headers and body separately; on kept-alive connections Nagle + delayed
        # ACK then stall every request ~40 ms. TCP_NODELAY on the server's sockets avoids it.
        m._server.RequestHandlerClass.disable_nagle_algorithm = True  # noqa: SLF001
        yield m


@pytest.fixture()
def site(running_mirror):
    # A fresh replica per test, so late minutes and re-published papers do not leak between tests.
    fresh = ModernGovSite()
    running_mirror.sites[fresh.prefix] = fresh
    running_mirror.switches[fresh.prefix] = Switches()
    running_mirror.log.clear()
    return fresh


@pytest.fixture()
def mirror(running_mirror, site):
    return running_mirror


def source_for(mirror, site, **params):
    src = load_registry().get("westmercia-pcp")
    assert src.adapter == "moderngov" and src.params["committee_id"] == 147
    return dataclasses.replace(src, base_url=mirror.site_url(site.prefix), params={**src.params, **params})


def fetcher(retries: int = 0) -> Fetcher:
    # No rate limit and no back-off sleeps: the mirror is local.
    return Fetcher(PoliteClient(HttpSettings(rate_per_second=0, retries=retries, backoff_factor=0)))


def discover(mirror, site, window=WIDE, f=None, **params):
    adapter = ModernGovAdapter(today=lambda: TODAY)
    return list(adapter.discover(source_for(mirror, site, **params), f or fetcher(), window))


def expected_urls(mirror, site, meeting: dict, web_service: bool) -> set[str]:
    base = mirror.site_url(site.prefix)
    return {base + ((d["ws_path"] or d["path"]) if web_service else d["path"]) for d in meeting["documents"]}


def is_ws_record(doc) -> bool:
    return "mgWebService.asmx/GetMeeting" in doc.url


def found_urls(meeting) -> set[str]:
    """The papers discovered for a meeting (the web-service record is checked on its own)."""
    return {unquote(d.url) for d in meeting.documents if not is_ws_record(d)}


def assert_matches_manifest(mirror, site, found, web_service: bool) -> None:
    manifest = site.manifest()["meetings"]
    assert [m.key for m in found] == [m["key"] for m in manifest]
    assert [m.meeting_date.isoformat() for m in found] == [m["meeting_date"] for m in manifest]
    assert [m.status.value for m in found] == [m["status"] for m in manifest]
    for got, want in zip(found, manifest):
        assert found_urls(got) == expected_urls(mirror, site, want, web_service), got.key


# -- the three ways in ------------------------------------------------------------------------


def test_web_service_discovery_matches_manifest(mirror, site):
    assert_matches_manifest(mirror, site, discover(mirror, site), web_service=True)


def test_html_discovery_matches_manifest(mirror, site):
    assert_matches_manifest(mirror, site, discover(mirror, site, use_web_service=False), web_service=False)


@pytest.mark.parametrize("status", [500, 404])
def test_broken_web_service_falls_back_to_pages(mirror, site, status):
    site.web_service_status = status
    found = discover(mirror, site, f=fetcher(retries=2))
    assert_matches_manifest(mirror, site, found, web_service=False)
    calls = [r for r in mirror.log if r.path.endswith("/GetMeetings")]
    assert len(calls) == (3 if status == 500 else 1)  # 500 is retried by the client, 404 is not


OTHER = Path(__file__).parent / "fixtures" / "moderngov_real" / "moderngov_other"


@pytest.mark.parametrize("answer", ["denbighshire_GetCouncillorsByWard_over_http_IIS_HttpRedirect_page.html",
                                    "eastherts_GetCouncillorsByWard_empty.xml"])
def test_a_wrong_getmeetings_answer_makes_the_html_fallback_run(mirror, site, answer):
    """Real wrong answers (well-formed XML, not a GetMeetings document) used to read as "no
    meetings": no fallback, and the run failed with "the listing may have moved"."""
    mirror.switches[site.prefix].overrides["mgWebService.asmx/GetMeetings"] = Response(
        200, (OTHER / answer).read_bytes(), "text/xml; charset=utf-8")
    found = discover(mirror, site)
    assert_matches_manifest(mirror, site, found, web_service=False)
    assert any(r.path.endswith("ieListMeetings.aspx") for r in mirror.log)


def test_meeting_urls_are_the_meeting_pages(mirror, site):
    base = mirror.site_url(site.prefix)
    found = discover(mirror, site)
    assert {m.url for m in found} == {base + m["url_path"] for m in site.manifest()["meetings"]}
    assert all(requests.get(m.url, timeout=5).status_code == 200 for m in found)


# -- what each meeting carries -------------------------------------------------------------------


def by_key(found):
    return {m.key: m for m in found}


def test_times_and_venues(mirror, site):
    m = by_key(discover(mirror, site))
    assert (m["2825"].start_time, m["2825"].location) == ("11:00", "County Hall, Worcester")
    assert m["5707"].location == "Wyre Forest House, Kidderminster"
    assert m["2825"].title == "West Mercia Police and Crime Panel"


def test_cancelled_and_future_meetings_have_no_papers(mirror, site):
    for found in (discover(mirror, site), discover(mirror, site, use_web_service=False)):
        m = by_key(found)
        assert (m["3265"].status.value, m["3265"].documents) == ("cancelled", [])
        assert (m["8409"].status.value, m["8409"].documents) == ("scheduled", [])


def test_meetings_come_in_date_order_not_mid_order(mirror, site):
    keys = [m.key for m in discover(mirror, site)]
    assert keys != sorted(keys, key=int)
    assert [m.meeting_date for m in discover(mirror, site)] == sorted(m.meeting_date for m in discover(mirror, site))


def test_real_minutes_served_twice_under_two_urls(mirror, site):
    m = by_key(discover(mirror, site, use_web_service=False))
    printed = next(d for d in m["2825"].documents if d.title == "Printed minutes")
    confirmed = next(d for d in m["2823"].documents if "s26104" in d.url)
    want = hashlib.sha256(CORPUS_MINUTES.read_bytes()).hexdigest()
    for doc in (printed, confirmed):
        assert hashlib.sha256(requests.get(doc.url, timeout=5).content).hexdigest() == want
    assert printed.url != confirmed.url
    assert confirmed.kind_hint.value == "minutes"


def test_attachment_published_after_its_meeting(mirror, site):
    m = by_key(discover(mirror, site))["2823"]
    late = next(d for d in m.documents if d.url.endswith("ID=26240"))
    assert late.published_date == dt.date(2019, 11, 25) > m.meeting_date
    assert late.fingerprint == "attachment:26240:2019-11-25"


def test_every_discovered_document_downloads_with_manifest_bytes(mirror, site):
    shas = {d["sha256"] for m in site.manifest()["meetings"] for d in m["documents"]}
    for meeting in discover(mirror, site):
        for doc in (d for d in meeting.documents if not is_ws_record(d)):
            body = requests.get(doc.url, timeout=5).content
            assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() in shas


def test_meetings_with_published_minutes_carry_their_web_service_record(mirror, site):
    found = by_key(discover(mirror, site))
    for m in site.manifest()["meetings"]:
        records = [d for d in found[m["key"]].documents if is_ws_record(d)]
        has_minutes = site.meetings[int(m["key"])].minutes_published  # its own, not the previous meeting's
        assert len(records) == (1 if has_minutes else 0), m["key"]
        if records:
            assert records[0].kind_hint.value == "minutes"
            assert records[0].url.endswith(f"GetMeeting?lMeetingId={m['key']}")


# -- windows ----------------------------------------------------------------------------------------


def test_window_limits_meetings(mirror, site):
    autumn_2019 = Window(dt.date(2019, 9, 1), dt.date(2019, 12, 31))
    assert [m.key for m in discover(mirror, site, autumn_2019)] == ["2825", "2823"]
    assert [m.key for m in discover(mirror, site, autumn_2019, use_web_service=False)] == ["2825", "2823"]


def test_window_enforced_when_service_ignores_it(mirror, site):
    site.ignore_ws_window = True  # some installs send the whole history whatever the dates
    autumn_2019 = Window(dt.date(2019, 9, 1), dt.date(2019, 12, 31))
    assert [m.key for m in discover(mirror, site, autumn_2019)] == ["2825", "2823"]


def test_html_listing_reads_only_years_near_the_window(mirror, site):
    discover(mirror, site, Window(dt.date(2023, 10, 1), dt.date(2023, 12, 31)), use_web_service=False)
    years = sorted(r.query for r in mirror.log if r.path.endswith("ieListMeetings.aspx"))
    assert years == ["CId=147&Year=0", "CId=147&Year=2022", "CId=147&Year=2023"]


# -- incremental changes --------------------------------------------------------------------------

NIGHTLY = Window(TODAY - dt.timedelta(days=90), TODAY + dt.timedelta(days=60))


def test_late_minutes_appear_on_the_next_run(mirror, site):
    before = by_key(discover(mirror, site, NIGHTLY))["8410"]
    path = site.publish_late_minutes()
    after = by_key(discover(mirror, site, NIGHTLY))["8410"]
    new = found_urls(after) - found_urls(before)
    assert new == {mirror.site_url(site.prefix) + path}
    assert before.status.value == after.status.value == "held"


def test_republished_attachment_changes_fingerprint_and_bytes(mirror, site):
    manifest_doc = next(d for m in site.manifest()["meetings"] if m["key"] == "8410" for d in m["documents"]
                        if d["attachment_id"] == 61521)
    before = next(d for d in by_key(discover(mirror, site, NIGHTLY))["8410"].documents if d.url.endswith("61521"))
    old_body = requests.get(before.url, timeout=5)
    new_sha = site.republish(manifest_doc["path"])
    after = next(d for d in by_key(discover(mirror, site, NIGHTLY))["8410"].documents if d.url.endswith("61521"))
    assert before.fingerprint != after.fingerprint
    body = requests.get(after.url, headers={"If-None-Match": old_body.headers["ETag"]}, timeout=5)
    assert body.status_code == 200 and hashlib.sha256(body.content).hexdigest() == new_sha != manifest_doc["sha256"]


def test_unchanged_document_answers_304(mirror, site):
    doc = site.manifest()["meetings"][0]["documents"][0]
    url = mirror.site_url(site.prefix) + doc["path"]
    first = requests.get(url, timeout=5)
    again = requests.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=5)
    assert (first.status_code, again.status_code) == (200, 304)
    assert first.headers["Last-Modified"] == "Mon, 10 Jun 2019 09:00:00 GMT"


# -- replica quirks the adapter must live with ---------------------------------------------------------


@pytest.mark.parametrize("query", ["CId=147&MId=2825&Ver=4", "CId=147&MID=2825", "MeetingId=2825"])
def test_meeting_page_answers_every_id_spelling(mirror, site, query):
    body = requests.get(f"{mirror.site_url(site.prefix)}ieListDocuments.aspx?{query}", timeout=5).text
    assert "Tuesday, 10th September, 2019 11.00 am" in body


def test_iso_dates_make_the_service_ignore_the_window(mirror, site):
    url = f"{mirror.site_url(site.prefix)}mgWebService.asmx/GetMeetings"
    body = requests.get(url, params={"lCommitteeId": "147", "sFromDate": "2019-09-01", "sToDate": "2019-12-31"},
                        timeout=5).text
    assert "<meetingscount> 8</meetingscount>" in body


def test_web_service_text_is_double_escaped(mirror, site):
    url = f"{mirror.site_url(site.prefix)}mgWebService.asmx/GetMeeting"
    body = requests.get(url, params={"lMeetingId": "2825"}, timeout=5).text
    assert "Activity &amp;amp; Performance" in body


# -- the replica against the real minutes, and the saved responses ------------------------------------

GOLD = json.loads((Path(__file__).parent / "fixtures" / "corpus" / "gold" / "003_eec2d70e111a21ed.json").read_text())
SAVED = Path(__file__).parent / "fixtures" / "westmercia-pcp"


def test_saved_responses_match_the_replica():
    for name, body in fixture_responses().items():
        assert (SAVED / name).read_bytes() == body, f"{name}: regenerate, see {SAVED / 'README.md'}"


def test_web_service_items_match_the_real_minutes():
    items, _ = parse_meeting_minutes((SAVED / "GetMeeting_2825.xml").read_bytes())
    assert [(i.ref, i.title) for i in items] == [(g["ref"], g["title"]) for g in GOLD["items"]]


def test_web_service_attendance_matches_the_real_minutes():
    _, people = parse_meeting_minutes((SAVED / "GetMeeting_2825.xml").read_bytes())
    by_status = lambda s: [p.person for p in people if p.status is s]  # noqa: E731
    assert by_status(AttendanceStatus.APOLOGIES) == GOLD["apologies"]
    assert by_status(AttendanceStatus.PRESENT) == GOLD["present"][:10]  # the Panel members
    assert set(by_status(AttendanceStatus.IN_ATTENDANCE)) < set(GOLD["present"])


def test_saved_web_service_urls_are_upgraded_to_https():
    meeting = parse_get_meeting((SAVED / "GetMeeting_2825.xml").read_bytes())
    base = "https://worcestershire.moderngov.co.uk/worcestershire-moderngov/"
    assert ws_document(meeting.documents[0], base).url == f"{base}mgConvert2PDF.aspx?ID=25512"
