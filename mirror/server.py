"""The local mirror: faithful replicas of the publishers' sites, served on 127.0.0.1.

One HTTP server hosts every replicated site under its own path prefix
(``http://127.0.0.1:PORT/<prefix>/...``). Tests and ``scrutiny demo`` point the pipeline at
it through a sources file whose base URLs are rewritten to the mirror
(:meth:`Mirror.sources_toml`). Nothing here ever talks to a real host.

Faults are switched per site at run time (see :class:`Switches`): slow answers, 429/500
sequences, a WAF that refuses non-browser clients, re-published documents.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass
class Request:
    method: str
    path: str  # path below the site's prefix, percent-decoded, without leading slash
    query: dict[str, str]  # keys lower-cased: ModernGov writes MId / MID / mid
    raw_query: str
    headers: dict[str, str]  # keys lower-cased


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def not_found() -> Response:
    return Response(404, b"<html><body><h1>404 Not Found</h1></body></html>")


class Site(Protocol):
    """A replicated site. ``prefix`` is its first path segment on the mirror."""

    prefix: str
    source_ids: tuple[str, ...]  # registry ids this site serves

    def handle(self, request: Request) -> Response: ...

    def manifest(self) -> dict: ...  # what the site holds: meetings and documents, for tests


@dataclass
class LoggedRequest:
    at: float  # time.monotonic()
    site: str
    method: str
    path: str
    query: str
    user_agent: str
    status: int


@dataclass
class Switches:
    """Faults a test can turn on for one site (by prefix). All off by default."""

    delay_seconds: float = 0.0
    # statuses to answer (in order) before serving normally, e.g. [500, 500] or [429]
    fail_sequence: list[int] = field(default_factory=list)
    retry_after: str | None = None  # Retry-After header sent with 429/503
    waf_block_non_browser: bool = False  # 403 unless the client looks like a browser
    # "path" or "path?query" under the prefix -> what to answer instead: an emptied listing,
    # a changed layout, a broken PDF
    overrides: dict[str, "Response"] = field(default_factory=dict)


BROWSER_MARKERS = ("Mozilla/5.0",)


def looks_like_browser(headers: dict[str, str]) -> bool:
    ua = headers.get("user-agent", "")
    # A WAF's crude test: a browser UA plus the headers every browser sends.
    return any(m in ua for m in BROWSER_MARKERS) and "accept-language" in headers


class Mirror:
    """Runs the replicated sites on 127.0.0.1 in a background thread.

    Use as a context manager; ``port=0`` picks a free port."""

    def __init__(self, sites: list[Site], host: str = "127.0.0.1", port: int = 0):
        self.sites = {s.prefix: s for s in sites}
        self.switches: dict[str, Switches] = {p: Switches() for p in self.sites}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def site_url(self, prefix: str) -> str:
        return f"{self.base_url}/{prefix}/"

    def start(self) -> "Mirror":
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "Mirror":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- request handling ---------------------------------------------------------------
    def dispatch(self, method: str, raw_path: str, headers: dict[str, str]) -> tuple[str, Response]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path).lstrip("/")
        prefix, _, rest = path.partition("/")
        if path == "robots.txt":
            # One robots.txt for the mirror's host, made of each site's rules (faults are
            # not injected here: they target the pages a test is about).
            rules = "".join(getattr(s, "robots_txt", "") for s in self.sites.values())
            return "", Response(200, f"User-agent: *\n{rules}".encode(), "text/plain")
        site = self.sites.get(prefix)
        if site is None:
            return "", not_found()
        sw = self.switches[prefix]
        if sw.delay_seconds:
            time.sleep(sw.delay_seconds)
        if sw.waf_block_non_browser and not looks_like_browser(headers):
            return prefix, Response(403, b"<html><body>Access denied (WAF)</body></html>")
        with self._lock:
            forced = sw.fail_sequence.pop(0) if sw.fail_sequence else None
        if forced is not None:
            extra = {"Retry-After": sw.retry_after} if sw.retry_after and forced in (429, 503) else {}
            return prefix, Response(forced, f"forced {forced}".encode(), "text/plain", extra)
        for key in (f"{rest}?{parts.query}", rest):
            if key in sw.overrides:
                return prefix, sw.overrides[key]
        query = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        return prefix, site.handle(Request(method, rest, query, parts.query, headers))

    def _handler_class(self):
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one segment: without these, Nagle's algorithm and
            # delayed ACKs add ~40 ms to every keep-alive request.
            disable_nagle_algorithm = True
            wbufsize = 64 * 1024

            def _serve(self, send_body: bool) -> None:
                # When the request arrived, not when its answer was ready: a rate measured from
                # the log is then the client's, not the server's (answers that took longer to
                # make, under load, bunch up).
                arrived = time.monotonic()
                headers = {k.lower(): v for k, v in self.headers.items()}
                prefix, resp = mirror.dispatch(self.command, self.path, headers)
                with mirror._lock:
                    mirror.log.append(LoggedRequest(arrived, prefix, self.command,
                                                    urlsplit(self.path).path, urlsplit(self.path).query,
                                                    headers.get("user-agent", ""), resp.status))
                self.send_response(resp.status)
                self.send_header("Content-Type", resp.content_type)
                self.send_header("Content-Length", str(len(resp.body)))
                for k, v in resp.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if send_body:
                    self.wfile.write(resp.body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._serve(True)

            def do_HEAD(self) -> None:  # noqa: N802
                self._serve(False)

            def log_message(self, *args) -> None:  # keep test output clean; mirror.log records all
                pass

        return Handler


def static_response(request: Request, body: bytes, content_type: str,
                    last_modified: str | None = None) -> Response:
    """A static file as a CDN-fronted web server sends it: ETag, Last-Modified, 304s.

    ``last_modified`` is an HTTP date (``email.utils.formatdate(ts, usegmt=True)``)."""
    import hashlib

    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag}
    if last_modified:
        headers["Last-Modified"] = last_modified
    inm = request.headers.get("if-none-match")
    ims = request.headers.get("if-modified-since")
    if (inm and inm == etag) or (not inm and ims and last_modified and ims == last_modified):
        return Response(304, b"", content_type, headers)
    return Response(200, body, content_type, headers)
