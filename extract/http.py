"""Polite HTTP, shared by every adapter.

One session per host, timeouts, retries with backoff only on transient failures (connection
errors, 429 honouring Retry-After, 5xx), a per-host rate limit, robots.txt, a User-Agent that
names the project, and a download size cap. Sites behind a web firewall that refuses plain
HTTP clients can be fetched with a browser-grade transport (curl_cffi's Chrome
impersonation: real browser TLS and headers, no browser download), switched on per source.
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 300.0


@dataclass
class HttpSettings:
    user_agent: str = "Scrutiny/0.1 (+https://example.invalid/scrutiny)"
    rate_per_second: float = 1.0  # per host; 0 disables (tests against a local server)
    timeout_seconds: float = 30.0
    retries: int = 3
    backoff_factor: float = 1.0  # sleeps factor * 2**attempt between tries
    max_download_bytes: int = 50_000_000
    respect_robots: bool = True
    rate_state_dir: Path | None = None  # share the per-host rate with other processes


class HostRateLimiter:
    """At most ``rate`` requests per second to one host.

    With a ``state_dir`` the limit holds across processes too (a nightly run and a backfill
    overlapping): each host's next free slot is kept in a small file under an exclusive lock."""

    def __init__(self, rate_per_second: float, state_dir: Path | None = None):
        self.interval = 1.0 / rate_per_second if rate_per_second > 0 else 0.0
        self.state_dir = state_dir
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if not self.interval:
            return
        with self._lock:
            slot = self._claim_shared(host) if self.state_dir else self._claim_local(host)
        delay = slot - time.time()
        if delay > 0:
            time.sleep(delay)

    def _claim_local(self, host: str) -> float:
        slot = max(time.time(), self._next.get(host, 0.0))
        self._next[host] = slot + self.interval
        return slot

    def _claim_shared(self, host: str) -> float:
        safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in host)
        path = self.state_dir / f"rate-{safe}"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 64).decode() or "0"
            slot = max(time.time(), float(raw))
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, repr(slot + self.interval).encode())
            return slot
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class TooLarge(Exception):
    pass


class RobotsDisallowed(Exception):
    pass


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class PoliteClient:
    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()
        self.limiter = HostRateLimiter(self.settings.rate_per_second, self.settings.rate_state_dir)
        self._sessions: dict[tuple[str, bool], object] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    # -- sessions -------------------------------------------------------------------------
    def _session(self, host: str, browser: bool):
        key = (host, browser)
        with self._lock:
            if key not in self._sessions:
                self._sessions[key] = self._new_session(host, browser)
            return self._sessions[key]

    def _new_session(self, host: str, browser: bool):
        if browser:
            from curl_cffi import requests as curl_requests  # only sources that need it pay for it

            return curl_requests.Session(impersonate="chrome")
        s = requests.Session()
        s.headers["User-Agent"] = self.settings.user_agent
        # The environment's proxies (no_proxy honoured), CA bundle and .netrc, read once for
        # this host, as requests would read them: it reads them again at every request
        # (os.environ walked twice over, ~0.4 ms a request, ~0.05 s of a nightly run).
        url = f"http://{host}/"
        s.proxies.update(requests.utils.get_environ_proxies(url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            s.verify = bundle
        s.auth = requests.utils.get_netrc_auth(url)
        s.trust_env = False
        return s

    # -- robots.txt -----------------------------------------------------------------------
    def allowed(self, url: str, browser: bool = False) -> bool:
        if not self.settings.respect_robots:
            return True
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            known = origin in self._robots
        if not known:
            self._robots[origin] = self._load_robots(origin, browser)
        rp = self._robots[origin]
        return rp is None or rp.can_fetch(self.settings.user_agent, url)

    def _load_robots(self, origin: str, browser: bool):
        try:
            resp = self._send(f"{origin}/robots.txt", None, {}, browser)
        except Exception:  # unreachable robots.txt: the page fetch will report the real problem
            return None
        if resp.status_code != 200:
            return None  # no robots.txt (404) means no restrictions
        rp = urllib.robotparser.RobotFileParser()
        rp.parse(resp.text.splitlines())
        return rp

    # -- requests -------------------------------------------------------------------------
    def get(self, url: str, params: dict | None = None, headers: dict | None = None,
            browser: bool = False, timeout: float | None = None):
        """GET with retries on transient failures. Returns the final response (any status).
        ``timeout`` (seconds) overrides the settings' for this request (a slow publisher)."""
        if not self.allowed(url, browser):
            raise RobotsDisallowed(f"robots.txt of {urlsplit(url).netloc} disallows {url}")
        attempt = 0
        while True:
            try:
                resp = self._send(url, params, headers or {}, browser, timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.settings.retries:
                    raise
                self._pause(attempt, None, f"{type(exc).__name__} on {url}")
            except Exception as exc:
                if not browser or attempt >= self.settings.retries or "curl" not in type(exc).__module__:
                    raise
                self._pause(attempt, None, f"{type(exc).__name__} on {url}")
            else:
                if resp.status_code not in TRANSIENT_STATUSES or attempt >= self.settings.retries:
                    return resp
                self._pause(attempt, retry_after_seconds(resp.headers.get("Retry-After")),
                            f"HTTP {resp.status_code} on {url}")
            attempt += 1

    def _pause(self, attempt: int, retry_after: float | None, why: str) -> None:
        delay = retry_after if retry_after is not None else self.settings.backoff_factor * 2 ** attempt
        delay = min(delay, MAX_RETRY_AFTER_SECONDS)
        log.warning("%s: retrying in %.1fs", why, delay)
        if delay:
            time.sleep(delay)

    def _send(self, url: str, params, headers: dict, browser: bool, timeout: float | None = None):
        host = urlsplit(url).netloc
        # The session first (its first creation reads the environment, or imports curl_cffi):
        # the rate limit spaces the requests themselves, so nothing slow may come between a
        # request's slot and its sending.
        session = self._session(host, browser)
        self.limiter.wait(host)
        with self._lock:
            self.requests_made += 1
        resp = session.get(url, params=params, headers=headers, timeout=timeout or self.settings.timeout_seconds,
                           stream=not browser)
        self._check_size(resp, browser)
        return resp

    def _check_size(self, resp, browser: bool) -> None:
        cap = self.settings.max_download_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            resp.close()
            raise TooLarge(f"{declared} bytes exceeds the {cap}-byte download cap")
        if browser:
            if len(resp.content) > cap:
                raise TooLarge(f"more than {cap} bytes: download cap reached")
            return
        chunks, total = [], 0
        for chunk in resp.iter_content(64 * 1024):
            total += len(chunk)
            if total > cap:
                resp.close()
                raise TooLarge(f"more than {cap} bytes: download cap reached")
            chunks.append(chunk)
        resp._content = b"".join(chunks)  # noqa: SLF001 (requests' own cache of the body)
