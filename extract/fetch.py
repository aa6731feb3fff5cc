"""Fetchers hand adapters listing pages; the archiving fetcher lives in scrutiny.pipeline."""
from __future__ import annotations

from extract.adapters.base import ContentCheck, FetchError, FetchResult
from scrutiny.records import FetchErrorKind
from extract.http import PoliteClient


class PlainFetcher:
    """Fetches without archiving: for adapter tests against the local mirror."""

    def __init__(self, client: PoliteClient | None = None):
        self.client = client or PoliteClient()
        self.urls: list[str] = []

    def get(self, url: str, params: dict[str, str] | None = None,
            expect: ContentCheck | None = None) -> FetchResult:
        resp = self.client.get(url, params=params)
        self.urls.append(resp.url)
        if resp.status_code != 200:
            raise FetchError(resp.url, f"HTTP {resp.status_code}", resp.status_code,
                             blocked=resp.status_code == 403)
        problem = expect(resp.content) if expect else None
        if problem:
            raise FetchError(resp.url, f"HTTP 200 but {problem}", 200, kind=FetchErrorKind.WRONG_CONTENT)
        return FetchResult(resp.url, resp.status_code, resp.content, dict(resp.headers), None)
