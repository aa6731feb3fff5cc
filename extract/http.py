"""Polite HTTP: one session per host, timeouts, retries only on transient failures,
a per-host rate limit, a User-Agent that names the project, and a download size cap."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

TRANSIENT_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class HttpSettings:
    user_agent: str = "Scrutiny/0.1 (+https://example.invalid/scrutiny)"
    rate_per_second: float = 1.0
    timeout_seconds: float = 30.0
    retries: int = 3
    backoff_factor: float = 0.5  # urllib3 sleeps 0, 2*f, 4*f ... between tries
    max_download_bytes: int = 50_000_000


class HostRateLimiter:
    """At most ``rate`` requests per second to one host, across threads of this process."""

    def __init__(self, rate_per_second: float):
        self.interval = 1.0 / rate_per_second if rate_per_second > 0 else 0.0
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class TooLarge(Exception):
    pass


class PoliteClient:
    def __init__(self, settings: HttpSettings | None = None):
        self.settings = settings or HttpSettings()
        self.limiter = HostRateLimiter(self.settings.rate_per_second)
        self._sessions: dict[str, requests.Session] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    def session_for(self, host: str) -> requests.Session:
        with self._lock:
            if host not in self._sessions:
                s = requests.Session()
                # Retry only what is transient; honour Retry-After on 429/503.
                retry = Retry(total=self.settings.retries, connect=self.settings.retries,
                              read=self.settings.retries, status=self.settings.retries,
                              backoff_factor=self.settings.backoff_factor,
                              status_forcelist=TRANSIENT_STATUSES, allowed_methods=("GET", "HEAD"),
                              respect_retry_after_header=True, raise_on_status=False)
                adapter = HTTPAdapter(max_retries=retry)
                s.mount("http://", adapter)
                s.mount("https://", adapter)
                s.headers["User-Agent"] = self.settings.user_agent
                self._sessions[host] = s
            return self._sessions[host]

    def get(self, url: str, params: dict | None = None, headers: dict | None = None) -> requests.Response:
        host = urlsplit(url).netloc
        self.limiter.wait(host)
        self.requests_made += 1
        resp = self.session_for(host).get(url, params=params, headers=headers or {},
                                          timeout=self.settings.timeout_seconds, stream=True)
        self._read_capped(resp)
        return resp

    def _read_capped(self, resp: requests.Response) -> None:
        cap = self.settings.max_download_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            resp.close()
            raise TooLarge(f"{declared} bytes exceeds the {cap}-byte download cap")
        chunks, total = [], 0
        for chunk in resp.iter_content(64 * 1024):
            total += len(chunk)
            if total > cap:
                resp.close()
                raise TooLarge(f"more than {cap} bytes: download cap reached")
            chunks.append(chunk)
        resp._content = b"".join(chunks)  # noqa: SLF001 (requests' own cache of the body)
