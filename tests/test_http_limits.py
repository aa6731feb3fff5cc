"""Fetching under limits, the same for both transports (requests, and curl_cffi for browser
sources): redirects checked hop by hop, a size cap while streaming, a deadline per response,
resets and truncated bodies retried, robots.txt 5xx as "disallow for now", URLs normalised
before any check, every failure typed with its kind. Against tests/faulty_server.py."""
import datetime as dt
import importlib.util

import pytest
import requests
import urllib3

from extract.adapters.base import DiscoveredDocument, DiscoveredMeeting
from kernel.errors import (FetchError, FetchErrorKind, RedirectRefused, RobotsDisallowed, RobotsUnavailable,
                            TooLarge, TransientError)
from extract.fetch import ArchivingFetcher, fetch_document
from extract.http import HttpSettings, PoliteClient, normalise_url, transport_error
from tests.faulty_server import FaultyServer

TRANSPORTS = [pytest.param(False, id="requests"),
              pytest.param(True, id="curl", marks=pytest.mark.skipif(
                  importlib.util.find_spec("curl_cffi") is None, reason="curl_cffi not installed"))]


@pytest.fixture(params=TRANSPORTS)
def browser(request) -> bool:
    return request.param


@pytest.fixture
def site():
    with FaultyServer() as s:
        yield s


@pytest.fixture
def elsewhere():
    """Another host (another port is another netloc): where nothing may ever be fetched from."""
    with FaultyServer() as s:
        yield s


def client(**kw) -> PoliteClient:
    kw.setdefault("respect_robots", False)
    kw.setdefault("retries", 2)
    return PoliteClient(HttpSettings(rate_per_second=0, backoff_factor=0, **kw))


# -- redirects --------------------------------------------------------------------------------


def test_a_redirect_to_another_host_is_not_followed(site, elsewhere, browser):
    site.redirects["/paper.pdf"] = elsewhere.origin + "/paper.pdf"
    with pytest.raises(RedirectRefused) as caught:
        client().get(site.origin + "/paper.pdf", browser=browser)
    assert caught.value.kind is FetchErrorKind.PERMANENT
    assert caught.value.url == site.origin + "/paper.pdf"
    assert elsewhere.log == []


def test_a_redirect_to_one_of_the_sources_hosts_is_followed(site, elsewhere, browser):
    site.redirects["/paper.pdf"] = elsewhere.origin + "/moved.pdf"
    resp = client().get(site.origin + "/paper.pdf", browser=browser, hosts={elsewhere.host})
    assert resp.status_code == 200 and resp.content == elsewhere.page
    assert resp.url == elsewhere.origin + "/moved.pdf"


def test_a_redirect_to_a_robots_disallowed_path_is_not_followed(site, browser):
    site.robots_status, site.robots_body = 200, b"User-agent: *\nDisallow: /private\n"
    site.redirects["/public"] = "/private/secret.pdf"
    with pytest.raises(RobotsDisallowed) as caught:
        client(respect_robots=True).get(site.origin + "/public", browser=browser)
    assert caught.value.kind is FetchErrorKind.ROBOTS
    assert site.paths() == ["/robots.txt", "/public"]


def test_a_redirect_loop_is_detected_after_two_requests(site, browser):
    site.redirects.update({"/a": "/b", "/b": "/a"})
    c = client()
    with pytest.raises(RedirectRefused, match="redirect loop"):
        c.get(site.origin + "/a", browser=browser)
    assert site.paths() == ["/a", "/b"]
    assert c.requests_made == 2


def test_redirects_stop_at_the_hop_limit(site, browser):
    site.redirects.update({f"/hop{i}": f"/hop{i + 1}" for i in range(20)})
    c = client(max_redirects=3)
    with pytest.raises(RedirectRefused, match="more than 3 redirects"):
        c.get(site.origin + "/hop0", browser=browser)
    assert site.paths() == ["/hop0", "/hop1", "/hop2", "/hop3"]


def test_a_redirect_off_http_is_not_followed(site, browser):
    site.redirects["/paper.pdf"] = "file:///etc/passwd"
    with pytest.raises(RedirectRefused, match="not http"):
        client().get(site.origin + "/paper.pdf", browser=browser)


def test_a_redirect_to_an_unusable_url_is_a_typed_error_naming_the_asked_url(site, browser):
    site.redirects["/paper.pdf"] = "http://"
    with pytest.raises(RedirectRefused) as caught:
        client().get(site.origin + "/paper.pdf", browser=browser)
    assert caught.value.url == site.origin + "/paper.pdf"


def test_each_redirect_hop_waits_for_the_rate_limit(site, browser, monkeypatch):
    """The hop is a request like any other: it takes a slot of the host's rate."""
    site.redirects.update({"/r0": "/r1", "/r1": "/r2"})
    c = PoliteClient(HttpSettings(rate_per_second=5, respect_robots=False))
    slots = []
    monkeypatch.setattr(c.limiter, "wait", slots.append)
    assert c.get(site.origin + "/r0", browser=browser).status_code == 200
    assert slots == [site.host] * 3


# -- size cap and deadline --------------------------------------------------------------------

BIG = 128 * 1024 * 1024
CAP = 1024 * 1024


@pytest.mark.parametrize("length", ["declared", "undeclared"])
def test_a_body_over_the_cap_is_refused_without_downloading_it(site, browser, length):
    """Refused from Content-Length before reading, or while streaming: the server gets to send
    the cap plus what the sockets buffer (a few MB on loopback), never the whole body."""
    site.big_size = BIG
    query = "" if length == "declared" else "?length=no"
    with pytest.raises(TooLarge) as caught:
        client(max_download_bytes=CAP).get(site.origin + "/big" + query, browser=browser)
    assert caught.value.kind is FetchErrorKind.TOO_LARGE
    assert len(site.log) == 1, "too large is not retried"
    assert site.bytes_sent < BIG / 4, site.bytes_sent


def test_a_body_under_the_cap_arrives_whole(site, browser):
    site.big_size = 3 * CAP
    for query in ("", "?length=no"):
        resp = client(max_download_bytes=4 * CAP).get(site.origin + "/big" + query, browser=browser)
        assert len(resp.content) == 3 * CAP


def test_a_dripped_body_ends_at_the_deadline(site, browser):
    """40 bytes, one every 25 ms (1 s), against a 0.3 s deadline for the whole response."""
    with pytest.raises(TransientError) as caught:
        client(deadline_seconds=0.3, retries=0).get(site.origin + "/drip", browser=browser)
    assert caught.value.kind is FetchErrorKind.TRANSIENT


# -- resets and truncated bodies ---------------------------------------------------------------


@pytest.mark.parametrize("fault", ["/reset", "/truncate"])
def test_a_reset_or_truncated_body_is_retried(site, browser, fault):
    site.faults_left = 1
    resp = client().get(site.origin + fault, browser=browser)
    assert resp.status_code == 200 and len(resp.content) == 1000
    assert site.paths() == [fault, fault]


@pytest.mark.parametrize("fault", ["/reset", "/truncate"])
def test_a_body_that_never_arrives_whole_is_a_transient_error_after_the_retries(site, browser, fault):
    with pytest.raises(TransientError) as caught:
        client(retries=2).get(site.origin + fault, params={"MId": "7"}, browser=browser)
    assert caught.value.url == site.origin + fault + "?MId=7"
    assert len(site.log) == 3


def test_dns_failures_are_transient_in_both_transports():
    name_error = urllib3.exceptions.NameResolutionError("nowhere.invalid", None, OSError("no such host"))
    assert transport_error("http://nowhere.invalid/", requests.ConnectionError(name_error)).kind \
        is FetchErrorKind.TRANSIENT
    curl = pytest.importorskip("curl_cffi.requests.exceptions")
    from curl_cffi.const import CurlECode

    dns = curl.DNSError("Could not resolve host: nowhere.invalid", CurlECode.COULDNT_RESOLVE_HOST)
    assert isinstance(transport_error("http://nowhere.invalid/", dns), TransientError)
    bad_cert = curl.CertificateVerifyError("certificate has expired", CurlECode.PEER_FAILED_VERIFICATION)
    assert transport_error("https://expired.invalid/", bad_cert).kind is FetchErrorKind.PERMANENT


# -- robots.txt --------------------------------------------------------------------------------


def test_robots_txt_answering_503_means_disallow_for_now(site, browser):
    site.robots_status = 503
    c = client(respect_robots=True)
    for _ in range(2):
        with pytest.raises(RobotsUnavailable) as caught:
            c.get(site.origin + "/page", browser=browser)
        assert caught.value.kind is FetchErrorKind.TRANSIENT and "HTTP 503" in str(caught.value)
    # retried like any 503, then remembered: the second page asks nothing
    assert site.paths() == ["/robots.txt"] * 3


def test_an_unreachable_robots_txt_is_asked_again_later(site, browser):
    site.robots_status = 503
    c = client(respect_robots=True, robots_retry_seconds=0)
    with pytest.raises(RobotsUnavailable):
        c.get(site.origin + "/page", browser=browser)
    site.robots_status, site.robots_body = 200, b"User-agent: *\nDisallow: /private\n"
    assert c.get(site.origin + "/page", browser=browser).content == site.page
    assert site.paths() == ["/robots.txt"] * 3 + ["/robots.txt", "/page"]


def test_a_missing_robots_txt_allows_everything(site, browser):
    site.robots_status = 404
    assert client(respect_robots=True).get(site.origin + "/page", browser=browser).status_code == 200


# -- URL normalisation --------------------------------------------------------------------------


@pytest.mark.parametrize("link", ["/tiny/%2e%2e/%2e%2e/private/shadow.pdf", "/tiny/%2E%2E/private/shadow.pdf",
                                  "/tiny/../private/shadow.pdf", "/tiny/./.%2e/private/shadow.pdf"])
def test_dot_segments_are_resolved_before_robots_is_asked(site, browser, link):
    site.robots_status, site.robots_body = 200, b"User-agent: *\nDisallow: /private\n"
    with pytest.raises(RobotsDisallowed):
        client(respect_robots=True).get(site.origin + link, browser=browser)
    assert site.paths() == ["/robots.txt"]


def test_normalise_url():
    assert normalise_url("http://h/a/%2e%2e/%2E%2E/etc/shadow.pdf") == "http://h/etc/shadow.pdf"
    assert normalise_url("http://h/a/b/../c/./d?x=1#frag") == "http://h/a/c/d?x=1"
    assert normalise_url("http://h/a/b/..") == "http://h/a/"
    assert normalise_url("http://h//other.example/x") == "http://h//other.example/x"  # a path, not a host
    assert normalise_url("http://h/mgConvert2PDF.aspx", {"ID": "12", "T": "10"}) == \
        "http://h/mgConvert2PDF.aspx?ID=12&T=10"
    assert normalise_url("http://h/a%20b/%7Euser") == "http://h/a%20b/~user"


# -- the pipeline: what reaches the archive and fetch_log ---------------------------------------


@pytest.fixture
def run(tmp_path, site):
    from extract.registry import Registry, Source
    from scrutiny import pipeline
    from kernel.config import DataDir

    source = Source("faulty", "wp_board_page", "Faulty Publisher", "Faulty Board", site.origin + "/")
    registry = Registry((source,), "Scrutiny/test", rate_per_second=0, backoff_factor=0)
    return pipeline.open_run("nightly", DataDir(tmp_path), registry, progress=lambda m: None), source


def test_an_on_site_paper_redirected_off_site_is_neither_fetched_nor_archived(run, site, elsewhere):
    ctx, source = run
    url = site.origin + "/papers/report.pdf"
    site.redirects["/papers/report.pdf"] = elsewhere.origin + "/not-the-paper.pdf"
    meeting = DiscoveredMeeting("m1", dt.date(2026, 1, 1), documents=[DiscoveredDocument(url, "Report")])
    result = fetch_document(ctx, source, meeting, meeting.documents[0])
    assert result.outcome.value == "error" and "outside" in result.error
    assert elsewhere.log == []
    assert ctx.archive.latest(source.id, url) is None
    [row] = [f for f in ctx.fetch_log if f.purpose == "document"]
    assert row.outcome.value == "error" and row.document_id is None


def test_a_failed_listing_is_logged_with_its_query_string(run, site):
    ctx, source = run
    with pytest.raises(FetchError) as caught:
        ArchivingFetcher(ctx, source).get(site.origin + "/truncate", params={"MId": "42"})
    assert caught.value.kind is FetchErrorKind.TRANSIENT
    [row] = ctx.fetch_log
    assert row.url == site.origin + "/truncate?MId=42" and row.outcome.value == "error"



@pytest.mark.parametrize("paths, retried", [(["/truncate", "/reset", "/drip"], True),
                                             (["/truncate", "/moved"], False)])
def test_a_source_is_retried_later_only_when_every_failure_was_typed_transient(run, site, elsewhere, paths,
                                                                              retried):
    """flows/tasks.py retries a source on summary.only_transient_errors: the kinds set where the
    fetches failed, not the wording of their messages (a truncated body reads 'ProtocolError' or
    'IncompleteRead', a curl DNS failure 'DNSError', a missed deadline neither)."""
    from scrutiny import pipeline

    ctx, source = run
    ctx.client.settings.deadline_seconds = 0.2  # /drip takes 1 s
    site.redirects["/moved"] = elsewhere.origin + "/moved"  # refused: permanent
    meeting = DiscoveredMeeting("m1", dt.date(2026, 1, 1),
                                documents=[DiscoveredDocument(site.origin + p, p) for p in paths])
    summary = pipeline.SourceSummary(source.id)
    pipeline.process_meeting(ctx, source, meeting, summary)
    assert summary.failed == len(summary.errors) == len(paths)
    assert summary.only_transient_errors is retried
