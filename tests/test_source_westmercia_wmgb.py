"""westmercia-wmgb end to end: the configured source, discovered against the local mirror."""
import dataclasses
import datetime as dt
import hashlib
from urllib.parse import urljoin

import pytest

from extract.adapters.base import Window
from extract.adapters.wp_minutes_pages import WpMinutesPagesAdapter
from extract.fetch import Fetcher
from extract.http import HttpSettings, PoliteClient
from extract.registry import load_registry
from mirror.server import Mirror
from mirror.sites.wmgb import WmgbSite

SOURCE_ID = "westmercia-wmgb"
WIDE = Window(dt.date(2010, 1, 1), dt.date(2030, 12, 31))


@pytest.fixture(scope="module")
def mirror():
    # One server per module: stopping one costs half a second (serve_forever's poll interval).
    with Mirror([WmgbSite()]) as m:
        yield m


@pytest.fixture()
def site(mirror):
    # A fresh site per test, since some tests change what it publishes.
    mirror.sites[WmgbSite.prefix] = fresh = WmgbSite()
    return fresh


@pytest.fixture()
def source(mirror, site):
    configured = load_registry().get(SOURCE_ID)
    return dataclasses.replace(configured, base_url=mirror.site_url(WmgbSite.prefix))


def client() -> PoliteClient:
    return PoliteClient(HttpSettings(rate_per_second=0))  # no sleeps in tests


def discover(source, window=WIDE) -> dict:
    return {m.key: m for m in WpMinutesPagesAdapter().discover(source, Fetcher(client()), window)}


def test_source_is_configured_for_this_adapter(source):
    assert source.adapter == WpMinutesPagesAdapter.name


def test_meetings_match_the_manifest(site, source):
    found = discover(source)
    dated = {k: m.meeting_date.isoformat() for k, m in found.items() if m.meeting_date}
    assert dated == {m["key"]: m["meeting_date"] for m in site.manifest()["meetings"]}


def test_pending_months_match_the_manifest(site, source):
    found = discover(source)
    assert sorted(k for k, m in found.items() if m.meeting_date is None) == \
        sorted(p["key"] for p in site.manifest()["pending"])


def test_document_urls_match_the_manifest(site, source):
    found = discover(source)
    assert {k: [d.url for d in m.documents] for k, m in found.items() if m.meeting_date} == \
        {m["key"]: [urljoin(source.base_url, d["path"]) for d in m["documents"]]
         for m in site.manifest()["meetings"]}


def test_every_url_form_serves_the_same_page(site, source):
    meeting = next(m for m in site.manifest()["meetings"] if m["key"] == "wmgb-june-2023-minutes")
    c = client()
    bodies = {hashlib.sha256(c.get(urljoin(source.base_url, alias)).content).hexdigest()
              for alias in meeting["aliases"]}
    assert bodies == {meeting["documents"][0]["sha256"]}


def test_pages_name_the_short_form_canonical(source):
    body = client().get(urljoin(source.base_url, "key-information/west-mercia-governance-board/"
                                                 "wmgb-2024-january-minutes/")).text
    assert '<link rel="canonical" href="/westmercia-pcc/wmgb-2024-january-minutes/">' in body


def test_window_bounds_the_meetings(source):
    found = discover(source, Window(dt.date(2024, 1, 1), dt.date(2024, 8, 31)))
    assert sorted(found) == ["wmgb-2024-january-minutes", "wmgb-august-2024-minutes"]


def test_late_minutes_replace_the_pending_month(site, source):
    slug = site.publish_late_minutes()
    found = discover(source, Window(dt.date(2024, 11, 1), dt.date(2024, 11, 30)))
    assert {k: m.meeting_date for k, m in found.items()} == {slug: dt.date(2024, 11, 21)}


def test_republished_page_keeps_its_url_and_changes_bytes(site, source):
    url, c = urljoin(source.base_url, "wmgb-june-2023-minutes/"), client()
    etag = c.get(url).headers["ETag"]
    site.republish("wmgb-june-2023-minutes")
    assert c.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_unchanged_page_answers_304(source):
    url, c = urljoin(source.base_url, "wmgb-june-2023-minutes"), client()
    etag = c.get(url).headers["ETag"]
    assert c.get(url, headers={"If-None-Match": etag}).status_code == 304
