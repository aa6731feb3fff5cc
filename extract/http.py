"""Polite HTTP, shared by every adapter.

One session per host, timeouts, retries with backoff only on transient failures (connection
errors and resets, truncated bodies, 429 honouring Retry-After, 5xx), a per-host rate limit,
robots.txt, a User-Agent that names the project, a download size cap held while the body
streams in and a deadline for each whole response. Redirects are followed here, hop by hop,
each hop checked like the first request (hosts, robots.txt, rate). Sites behind a web
firewall that refuses plain HTTP clients can be fetched with a browser-grade transport
(curl_cffi's Chrome impersonation: real browser TLS and headers, no browser download),
switched on per source; both transports keep to the same limits.
"""
from __future__ import annotations

import fcntl
import io
import logging
import math
import os
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from kernel.errors import (FetchError, RedirectRefused, RobotsDisallowed, RobotsUnavailable, TooLarge,
                            TransientError)

__all__ = ["HttpResponse", "HttpSettings", "PoliteClient", "normalise_url"]  # the errors: kernel.errors

log = logging.getLogger(__name__)

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 300.0
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five
READ_CHUNK = 64 * 1024


@dataclass
class HttpSettings:
    user_agent: str = "Scrutiny/0.1 (+https://example.invalid/scrutiny)"
    rate_per_second: float = 1.0  # per host; 0 disables (tests against a local server)
    timeout_seconds: float = 30.0  # to connect, and the longest silence while reading
    # A whole response, first byte to last: a body dripped in slowly ends here. 50 MB (the cap)
    # at 2 Mbit/s takes 200 s.
    deadline_seconds: float = 300.0
    max_redirects: int = 5
    retries: int = 3
    backoff_factor: float = 1.0  # sleeps factor * 2**attempt between tries
    max_download_bytes: int = 50_000_000
    respect_robots: bool = True
    # An unreachable robots.txt is asked again after this: before a source's first task retry
    # (flows/tasks.py, 120 s later), so the retry finds out whether the site is back.
    robots_retry_seconds: float = 60.0
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


# --------------------------------------------------------------------------------------
# URLs: normalised before any check, so the checks see what the server will serve
# --------------------------------------------------------------------------------------


def normalise_url(url: str, params: dict | None = None) -> str:
    """The URL as it will be requested: the query built and quoted as requests does it (which
    also decodes ``%2e`` to ``.``), dot segments removed and the fragment dropped. The host
    check and robots.txt must judge this URL: ``/a/%2e%2e/%2e%2e/etc/x`` is ``/etc/x``."""
    try:
        prepared = requests.models.PreparedRequest()
        prepared.prepare_url(url, params)
    except requests.RequestException as exc:
        raise FetchError(url, f"not a URL we can fetch ({type(exc).__name__}: {exc})") from exc
    parts = urlsplit(prepared.url)
    return urlunsplit((parts.scheme, parts.netloc, remove_dot_segments(parts.path), parts.query, ""))


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on an absolute path (``urljoin`` would also do it, but reads a path
    starting ``//`` as another host)."""
    if not path.startswith("/"):
        return path
    out: list[str] = []
    segments = path[1:].split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        elif segment == ".":
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


# --------------------------------------------------------------------------------------
# Responses: one small shape for both transports, its body read under the limits
# --------------------------------------------------------------------------------------


@dataclass
class HttpResponse:
    url: str  # the URL of the hop that answered (after any redirects followed)
    status_code: int
    headers: CaseInsensitiveDict
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def redirect_target(self) -> str | None:
        location = self.headers.get("Location")
        if self.status_code not in REDIRECT_STATUSES or not location:
            return None
        return normalise_url(urljoin(self.url, location))


class BodySink:
    """Collects one response body under the download cap and the response's deadline. Both
    transports feed it chunk by chunk as bytes arrive (requests from its read loop, curl from
    its write callback), so neither holds more than the cap nor outlives the deadline."""

    def __init__(self, url: str, cap: int, deadline_seconds: float):
        self.url, self.cap, self.deadline_seconds = url, cap, deadline_seconds
        self.deadline = time.monotonic() + deadline_seconds
        self.size = 0
        self._buffer = io.BytesIO()

    def refuse_declared(self, content_length: str | None) -> None:
        if content_length and content_length.isdigit() and int(content_length) > self.cap:
            raise TooLarge(self.url, f"{content_length} bytes declared; the download cap is {self.cap}")

    def write(self, chunk: bytes) -> int:
        self.size += len(chunk)
        if self.size > self.cap:
            raise TooLarge(self.url, f"more than {self.cap} bytes: download cap reached")
        if time.monotonic() > self.deadline:
            raise TransientError(self.url, f"response not complete within the {self.deadline_seconds:g}s "
                                           f"deadline ({self.size} bytes arrived)")
        self._buffer.write(chunk)
        return len(chunk)

    def content(self) -> bytes:
        return self._buffer.getvalue()


# --------------------------------------------------------------------------------------
# Errors of either transport, typed where they happen
# --------------------------------------------------------------------------------------

# curl's error codes a later try may cure: DNS, connect, reset, truncated, timed out, HTTP/2
# stream errors. The rest (a bad certificate, an unsupported protocol...) will not.
TRANSIENT_CURL_ERRORS = frozenset({"COULDNT_RESOLVE_PROXY", "COULDNT_RESOLVE_HOST", "COULDNT_CONNECT",
                                   "WEIRD_SERVER_REPLY", "HTTP2", "PARTIAL_FILE", "OPERATION_TIMEDOUT",
                                   "SSL_CONNECT_ERROR", "GOT_NOTHING", "SEND_ERROR", "RECV_ERROR",
                                   "HTTP2_STREAM", "HTTP3", "QUIC_CONNECT_ERROR"})
# requests' and urllib3's: DNS and connect failures, resets, timeouts, a body cut short
# (Content-Length longer than what arrived).
TRANSIENT_REQUESTS_ERRORS = (requests.ConnectionError, requests.Timeout,
                             requests.exceptions.ChunkedEncodingError,
                             urllib3.exceptions.ProtocolError, urllib3.exceptions.ReadTimeoutError)


def transport_error(url: str, exc: Exception) -> FetchError:
    """What a transport raised, as a typed FetchError."""
    if isinstance(exc, FetchError):
        return exc
    described = f"{type(exc).__name__}: {exc}"
    if type(exc).__module__.startswith("curl_cffi"):
        code = _curl_error_name(getattr(exc, "code", 0))
        if code == "FILESIZE_EXCEEDED":  # curl refused a Content-Length over the cap
            return TooLarge(url, f"download cap reached ({described})")
        transient = code in TRANSIENT_CURL_ERRORS
    else:
        transient = isinstance(exc, TRANSIENT_REQUESTS_ERRORS)
    return TransientError(url, described) if transient else FetchError(url, described)


def _curl_error_name(code: int) -> str | None:
    from curl_cffi.const import CurlECode  # loaded already: curl raised the error

    try:
        return CurlECode(code).name
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------


@dataclass
class RobotsRules:
    """One origin's robots.txt as last read. ``unreachable`` (robots.txt answered 5xx or could
    not be read) means disallow everything until ``expires``, then ask again (RFC 9309 2.3.1.3);
    no parser and nothing unreachable means there is no robots.txt: everything is allowed."""

    parser: urllib.robotparser.RobotFileParser | None
    unreachable: str | None = None
    expires: float = math.inf  # time.monotonic()


class PoliteClient:
    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()
        self.limiter = HostRateLimiter(self.settings.rate_per_second, self.settings.rate_state_dir)
        self._sessions: dict[tuple[str, bool, int], object] = {}
        self._robots: dict[str, RobotsRules] = {}
        # One lock per origin, so that sources fetching from one host at once (flows run
        # sources in threads) read its robots.txt once, not once each.
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    # -- sessions -------------------------------------------------------------------------
    def _session(self, host: str, browser: bool):
        """One session per host and thread: neither requests' Session nor curl_cffi's is meant to
        be shared between threads (curl_cffi says so), and the sources of a run fetch in threads.
        The rate limit is the client's, whichever session sends."""
        key = (host, browser, threading.get_ident())
        with self._lock:
            if key not in self._sessions:
                self._sessions[key] = self._new_session(host, browser)
            return self._sessions[key]

    def _new_session(self, host: str, browser: bool):
        if browser:
            from curl_cffi import CurlOpt
            from curl_cffi import requests as curl_requests  # only sources that need it pay for it

            # The request's timeout is the whole response's deadline for curl; these give it
            # requests' connect and read timeouts (a stall of timeout_seconds ends it) and refuse a
            # Content-Length over the cap before the body is read.
            timeout = self.settings.timeout_seconds
            return curl_requests.Session(impersonate="chrome", curl_options={
                CurlOpt.CONNECTTIMEOUT_MS: int(timeout * 1000),
                CurlOpt.LOW_SPEED_LIMIT: 1, CurlOpt.LOW_SPEED_TIME: math.ceil(timeout),
                CurlOpt.MAXFILESIZE_LARGE: self.settings.max_download_bytes})
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

    # -- requests -------------------------------------------------------------------------
    def get(self, url: str, params: dict | None = None, headers: dict | None = None,
            browser: bool = False, hosts: set[str] | frozenset[str] = frozenset(),
            timeout: float | None = None) -> HttpResponse:
        """GET ``url`` (with ``params``) and return the final response, whatever its status.

        Transient failures are retried with backoff; redirects are followed by hand, each hop
        checked like the first: on ``hosts`` (or the URL's own host), allowed by robots.txt, rate
        limited; at most ``max_redirects`` of them and no loops. Every failure is a FetchError
        typed with its kind, ``url`` (with its query string) named in it. ``timeout`` (seconds)
        overrides the settings' connect and read timeout for a slow publisher (requests transport;
        curl keeps its session's)."""
        asked = normalise_url(url, params)
        allowed_hosts = {h.lower() for h in hosts} | {host_of(asked)}
        return self._follow(asked, headers or {}, browser, allowed_hosts, self.settings.max_redirects,
                            timeout=timeout)

    def _follow(self, asked: str, headers: dict, browser: bool, hosts: set[str] | None,
                max_redirects: int, robots: bool = True, timeout: float | None = None) -> HttpResponse:
        """``hosts`` None: any host (robots.txt itself may live elsewhere, RFC 9309)."""
        url, visited = asked, []
        while True:
            self._check_hop(asked, url, hosts, browser, robots)
            resp = self._send_with_retries(asked, url, headers, browser, timeout)
            try:
                target = resp.redirect_target()
            except FetchError as exc:
                raise RedirectRefused(asked, f"redirected to an unusable URL: {exc}") from exc
            if target is None:
                return resp
            visited.append(url)
            if target in visited:
                raise RedirectRefused(asked, "redirect loop: " + " -> ".join(visited + [target]))
            if len(visited) > max_redirects:
                raise RedirectRefused(asked, f"more than {max_redirects} redirects (last to {target})")
            url = target

    def _check_hop(self, asked: str, url: str, hosts: set[str] | None, browser: bool, robots: bool) -> None:
        if urlsplit(url).scheme not in ("http", "https"):
            raise RedirectRefused(asked, f"not followed: {url} is not http(s)")
        if hosts is not None and host_of(url) not in hosts:
            raise RedirectRefused(asked, f"not followed: redirected to {url}, outside {sorted(hosts)}")
        if robots and self.settings.respect_robots:
            self._check_robots(asked, url, browser)

    def _send_with_retries(self, asked: str, url: str, headers: dict, browser: bool,
                           timeout: float | None = None) -> HttpResponse:
        attempt = 0
        while True:
            try:
                resp = self._send(asked, url, headers, browser, timeout)
            except TransientError as exc:
                if attempt >= self.settings.retries:
                    raise
                self._pause(attempt, None, str(exc))
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

    def _send(self, asked: str, url: str, headers: dict, browser: bool, timeout: float | None = None) -> HttpResponse:
        """One request, its body read whole under the cap and the deadline."""
        host = host_of(url)
        # The session first (its first creation reads the environment, or imports curl_cffi):
        # the rate limit spaces the requests themselves, so nothing slow may come between a
        # request's slot and its sending.
        session = self._session(host, browser)
        self.limiter.wait(host)
        with self._lock:
            self.requests_made += 1
        body = BodySink(asked, self.settings.max_download_bytes, self.settings.deadline_seconds)
        try:
            if browser:
                status, got_headers = self._send_curl(session, url, headers, body)
            else:
                status, got_headers = self._send_requests(session, url, headers, body, timeout)
        except FetchError:  # the cap or the deadline, typed where it was hit
            raise
        except Exception as exc:  # noqa: BLE001 (typed here, once, for both transports)
            raise transport_error(asked, exc) from exc
        return HttpResponse(url, status, CaseInsensitiveDict(got_headers), body.content())

    def _send_requests(self, session, url: str, headers: dict, body: BodySink, timeout: float | None = None):
        resp = session.get(url, headers=headers, timeout=timeout or self.settings.timeout_seconds, stream=True,
                           allow_redirects=False)
        try:
            body.refuse_declared(resp.headers.get("Content-Length"))
            # read1: whatever has arrived, so the deadline is checked while a body drips in
            # (iter_content waits for whole 64 KiB chunks, however long they take).
            while chunk := resp.raw.read1(READ_CHUNK, decode_content=True):
                body.write(chunk)
        except BaseException:
            resp.close()  # drop the connection: the rest of the body is not wanted
            raise
        resp.raw.release_conn()  # read to the end: the connection can be reused
        return resp.status_code, resp.headers

    def _send_curl(self, session, url: str, headers: dict, body: BodySink):
        resp = session.get(url, headers=headers, timeout=self.settings.deadline_seconds,
                           allow_redirects=False, content_callback=body.write)
        return resp.status_code, resp.headers.items()

    # -- robots.txt -----------------------------------------------------------------------
    def _check_robots(self, asked: str, url: str, browser: bool) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots_for(origin, browser)
        if rules.unreachable:
            raise RobotsUnavailable(asked, f"robots.txt of {parts.netloc} unreachable ({rules.unreachable}): "
                                           "nothing fetched from it until it answers")
        if rules.parser and not rules.parser.can_fetch(self.settings.user_agent, url):
            raise RobotsDisallowed(asked, f"robots.txt of {parts.netloc} disallows {url}")

    def _robots_for(self, origin: str, browser: bool) -> RobotsRules:
        with self._lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:  # another thread may be reading it right now: wait for its answer
            rules = self._robots.get(origin)
            if rules is None or time.monotonic() >= rules.expires:
                rules = self._robots[origin] = self._load_robots(origin, browser)
        return rules

    def _load_robots(self, origin: str, browser: bool) -> RobotsRules:
        url = f"{origin}/robots.txt"
        retry_at = time.monotonic() + self.settings.robots_retry_seconds
        try:
            resp = self._follow(url, {}, browser, None, ROBOTS_MAX_REDIRECTS, robots=False)
        except RedirectRefused:
            return RobotsRules(None)  # RFC 9309 2.3.1.2: redirects without end mean no robots.txt
        except FetchError as exc:
            return RobotsRules(None, str(exc), retry_at)
        if resp.status_code in TRANSIENT_STATUSES or resp.status_code >= 500:
            return RobotsRules(None, f"HTTP {resp.status_code}", retry_at)
        if resp.status_code != 200:
            return RobotsRules(None)  # 4xx: no robots.txt, no restrictions
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(resp.text.splitlines())
        return RobotsRules(parser)
