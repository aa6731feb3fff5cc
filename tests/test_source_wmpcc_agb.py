"""wmpcc-agb end to end: the configured source, discovered against the local mirror, including
late minutes and a re-published paper."""
import dataclasses
import datetime as dt
import hashlib
from urllib.parse import urljoin

import pytest

from extract.adapters.base import Window
from extract.adapters.wp_board_page import WpBoardPageAdapter
from extract.fetch import Fetcher
from extract.http import HttpSettings, PoliteClient
from extract.registry import load_registry
from mirror.server import Mirror
from mirror.sites.wmpcc import WmpccSite
from kernel.records import DocKind, MeetingStatus

SOURCE_ID = "wmpcc-agb"
WIDE = Window(dt.date(2010, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture(scope="module")
def mirror():
    # One server per module: stopping one costs half a second (serve_forever's poll interval).
    with Mirror([WmpccSite()]) as m:
        yield m


@pytest.fixture()
def site(mirror):
    # A fresh site per test, since some tests change what it publishes.
    mirror.sites[WmpccSite.prefix] = fresh = WmpccSite()
    return fresh


@pytest.fixture()
def source(mirror, site):
    configured = load_registry().get(SOURCE_ID)
    return dataclasses.replace(configured, base_url=mirror.site_url(WmpccSite.prefix))


def client() -> PoliteClient:
    return PoliteClient(HttpSettings(rate_per_second=0))  # no sleeps in tests


def discover(source) -> dict:
    return {m.key: m for m in WpBoardPageAdapter().discover(source, Fetcher(client()), WIDE)}


def expected(site) -> dict:
    return {m["key"]: m for m in site.manifest()["meetings"] if m["source_id"] == SOURCE_ID}


def test_meetings_match_the_manifest(site, source):
    assert {k: m.meeting_date.isoformat() for k, m in discover(source).items()} == \
        {k: m["meeting_date"] for k, m in expected(site).items()}


def test_document_urls_match_the_manifest(site, source):
    assert {k: [d.url for d in m.documents] for k, m in discover(source).items()} == \
        {k: [urljoin(source.base_url, d["path"]) for d in m["documents"]] for k, m in expected(site).items()}


def test_agb_papers_only_from_2024(source):
    assert min(discover(source)) >= "2024-07-01"


def test_served_bytes_match_the_manifest(site, source):
    docs = [d for m in expected(site).values() for d in m["documents"]]
    c = client()
    assert all(hashlib.sha256(c.get(urljoin(source.base_url, d["path"])).content).hexdigest() == d["sha256"]
               for d in docs)


def test_documents_carry_a_fixed_last_modified(site, source):
    doc = expected(site)["2025-01-21"]["documents"][2]  # uploaded 2024/12 for a January meeting
    resp = client().get(urljoin(source.base_url, doc["path"]))
    assert resp.headers["Last-Modified"] == "Tue, 10 Dec 2024 09:00:00 GMT"


def test_late_minutes_appear_on_the_next_discovery(site, source):
    before = discover(source)
    path = site.publish_late_minutes()
    after = discover(source)
    assert [d.kind_hint for d in before["2026-02-17"].documents].count(DocKind.MINUTES) == 0
    assert urljoin(source.base_url, path) in [d.url for d in after["2026-02-17"].documents]


def test_late_minutes_mark_the_recorded_meeting_held(site, source):
    site.publish_late_minutes()
    assert discover(source)["2026-01-20"].status is MeetingStatus.HELD


def test_republished_paper_keeps_its_url_and_changes_bytes(site, source):
    doc = expected(site)["2026-01-20"]["documents"][1]
    url, c = urljoin(source.base_url, doc["path"]), client()
    etag = c.get(url).headers["ETag"]
    site.republish(doc["path"])
    again = c.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200 and hashlib.sha256(again.content).hexdigest() != doc["sha256"]
