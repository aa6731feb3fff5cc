"""wmpcc-spcb end to end: the configured source, discovered against the local mirror."""
import dataclasses
import datetime as dt
import hashlib
from urllib.parse import urljoin

import pytest

from extract.adapters.base import FetchError, Window
from extract.adapters.wp_board_page import WpBoardPageAdapter
from extract.fetch import Fetcher
from extract.http import HttpSettings, PoliteClient
from extract.registry import load_registry
from mirror.server import Mirror
from mirror.sites.wmpcc import WmpccSite
from kernel.records import MeetingStatus

SOURCE_ID = "wmpcc-spcb"
WIDE = Window(dt.date(2010, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture(scope="module")
def mirror():
    with Mirror([WmpccSite()]) as m:
        yield m


@pytest.fixture(scope="module")
def source(mirror):
    configured = load_registry().get(SOURCE_ID)
    return dataclasses.replace(configured, base_url=mirror.site_url(WmpccSite.prefix))


def client() -> PoliteClient:
    return PoliteClient(HttpSettings(rate_per_second=0))  # no sleeps in tests


def discover(source, window=WIDE) -> dict:
    return {m.key: m for m in WpBoardPageAdapter().discover(source, Fetcher(client()), window)}


def expected(mirror) -> dict:
    return {m["key"]: m for m in mirror.sites[WmpccSite.prefix].manifest()["meetings"]
            if m["source_id"] == SOURCE_ID}


def test_source_is_configured_for_this_adapter(source):
    assert source.adapter == WpBoardPageAdapter.name


def test_meetings_match_the_manifest(mirror, source):
    found = discover(source)
    assert {k: m.meeting_date.isoformat() for k, m in found.items()} == \
        {k: m["meeting_date"] for k, m in expected(mirror).items()}


def test_document_urls_match_the_manifest(mirror, source):
    found = discover(source)
    assert {k: [d.url for d in m.documents] for k, m in found.items()} == \
        {k: [urljoin(source.base_url, d["path"]) for d in m["documents"]] for k, m in expected(mirror).items()}


def test_document_kinds_match_the_manifest(mirror, source):
    found = discover(source)
    assert {k: [d.kind_hint.value for d in m.documents] for k, m in found.items()} == \
        {k: [d["kind"] for d in m["documents"]] for k, m in expected(mirror).items()}


def test_statuses_agree_with_the_manifest(mirror, source):
    found, want = discover(source), expected(mirror)
    told = {k: m.status.value for k, m in found.items() if m.status is not MeetingStatus.UNKNOWN}
    assert told == {k: want[k]["status"] for k in told} and "cancelled" in told.values()


def test_window_bounds_the_meetings(source):
    found = discover(source, Window(dt.date(2019, 10, 1), dt.date(2019, 11, 30)))
    assert sorted(found) == ["2019-10-15", "2019-11-19"]


def test_real_minutes_served_as_item_3_of_the_next_meeting(mirror, source):
    [doc] = [d for d in expected(mirror)["2019-10-15"]["documents"] if d["kind"] == "minutes"]
    body = client().get(urljoin(source.base_url, doc["path"])).content
    assert (doc["records_meeting_date"], hashlib.sha256(body).hexdigest()) == ("2019-09-17", doc["sha256"])


def test_documents_answer_304_to_their_etag(source, mirror):
    doc = expected(mirror)["2016-03-01"]["documents"][1]
    url, c = urljoin(source.base_url, doc["path"]), client()
    etag = c.get(url).headers["ETag"]
    assert c.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_waf_blocks_the_plain_client(mirror, source):
    mirror.switches[WmpccSite.prefix].waf_block_non_browser = True
    try:
        with pytest.raises(FetchError) as caught:
            discover(source)
    finally:
        mirror.switches[WmpccSite.prefix].waf_block_non_browser = False
    assert caught.value.blocked


def test_board_page_configured_without_its_slash_still_works(mirror, source):
    # WordPress answers 301 to add the slash; links must resolve against the final URL.
    unslashed = dataclasses.replace(source, params={**source.params,
                                                    "board_page": "archive/strategic-policing-and-crime-board"})
    assert sorted(discover(unslashed)) == sorted(expected(mirror))
