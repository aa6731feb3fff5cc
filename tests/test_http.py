"""Polite HTTP against a local server: retries only on transient failures, a per-host rate."""
import contextlib
import gc

import pytest

from kernel.errors import RobotsDisallowed, TooLarge
from extract.http import HttpSettings, PoliteClient
from mirror.server import Mirror, Response


class TinySite:
    prefix = "tiny"
    source_ids = ()

    def handle(self, request):
        size = int(request.query.get("size", "5"))
        return Response(200, b"x" * size, "text/plain")

    def manifest(self):
        return {"meetings": []}


@pytest.fixture
def mirror():
    with Mirror([TinySite()]) as m:
        yield m


def assert_rate(log, rate: float) -> None:
    """Seen from the server: every run of k requests spans at least (k-1)/rate seconds, less
    a little scheduling jitter (arrival times wobble by milliseconds on a busy machine)."""
    times = [e.at for e in log]
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            assert times[j] - times[i] >= (j - i) / rate - 0.02, (i, j, times)


@contextlib.contextmanager
def no_collection_pauses():
    """The server's clock is this process's: late in the suite a full garbage collection (tens
    of ms with every earlier test's objects alive) can stall its handler thread on the first
    request, which then seems to arrive just before the second. Not what the test is about."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def client(**kw) -> PoliteClient:
    kw.setdefault("respect_robots", False)
    return PoliteClient(HttpSettings(rate_per_second=0, backoff_factor=0, **kw))


def test_500_then_200_succeeds_after_a_retry(mirror):
    mirror.switches["tiny"].fail_sequence = [500, 500]
    resp = client().get(mirror.site_url("tiny") + "a")
    assert resp.status_code == 200
    assert [e.status for e in mirror.log] == [500, 500, 200]


def test_429_is_retried_honouring_retry_after(mirror):
    mirror.switches["tiny"].fail_sequence = [429]
    mirror.switches["tiny"].retry_after = "0"
    assert client().get(mirror.site_url("tiny") + "a").status_code == 200
    assert [e.status for e in mirror.log] == [429, 200]


def test_403_and_404_are_not_retried(mirror):
    mirror.switches["tiny"].fail_sequence = [403]
    assert client().get(mirror.site_url("tiny") + "a").status_code == 403
    assert len(mirror.log) == 1


def test_persistent_500_gives_up_after_the_configured_retries(mirror):
    mirror.switches["tiny"].fail_sequence = [500] * 10
    assert client(retries=2).get(mirror.site_url("tiny") + "a").status_code == 500
    assert len(mirror.log) == 3


def test_user_agent_names_the_project(mirror):
    client(user_agent="Scrutiny/0.1 (+https://example.org/contact)").get(mirror.site_url("tiny") + "a")
    assert mirror.log[0].user_agent == "Scrutiny/0.1 (+https://example.org/contact)"


def test_downloads_over_the_cap_are_refused(mirror):
    with pytest.raises(TooLarge):
        client(max_download_bytes=100).get(mirror.site_url("tiny") + "a?size=1000")


def test_robots_txt_disallow_is_respected(mirror):
    mirror.sites["tiny"].robots_txt = "Disallow: /tiny/private\n"
    c = client(respect_robots=True)
    assert c.get(mirror.site_url("tiny") + "public").status_code == 200
    with pytest.raises(RobotsDisallowed):
        c.get(mirror.site_url("tiny") + "private/x")


def test_browser_transport_passes_a_waf_that_refuses_plain_clients(mirror):
    mirror.switches["tiny"].waf_block_non_browser = True
    assert client().get(mirror.site_url("tiny") + "a").status_code == 403
    assert client().get(mirror.site_url("tiny") + "a", browser=True).status_code == 200


def test_request_rate_to_one_host_never_exceeds_the_limit(mirror):
    c = PoliteClient(HttpSettings(rate_per_second=20))
    with no_collection_pauses():
        for i in range(6):
            c.get(mirror.site_url("tiny") + f"r{i}")
    assert_rate(mirror.log, 20)


def test_the_rate_limit_holds_across_processes(mirror, tmp_path):
    """Two clients sharing a state dir (as two overlapping flows do) share one budget."""
    a = PoliteClient(HttpSettings(rate_per_second=20, rate_state_dir=tmp_path, respect_robots=False))
    b = PoliteClient(HttpSettings(rate_per_second=20, rate_state_dir=tmp_path, respect_robots=False))
    for i in range(3):
        a.get(mirror.site_url("tiny") + f"a{i}")
        b.get(mirror.site_url("tiny") + f"b{i}")
    assert_rate(mirror.log, 20)


def test_a_proxy_from_the_environment_is_used_except_for_no_proxy_hosts(monkeypatch):
    """The environment is read once per host (not at every request), with requests' rules."""
    import requests

    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    c = client()
    public = c._session("www.westmidlands-pcc.gov.uk", False)
    assert requests.utils.select_proxy("https://www.westmidlands-pcc.gov.uk/x", public.proxies) == \
        "http://proxy.example:3128"
    local = c._session("127.0.0.1:8000", False)
    assert requests.utils.select_proxy("https://127.0.0.1:8000/x", local.proxies) is None
