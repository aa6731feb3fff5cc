"""Fetchers hand adapters listing pages; the archiving fetcher lives in scrutiny.pipeline."""
from __future__ import annotations

from extract.adapters.base import FetchError, FetchResult
from extract.http import PoliteClient


class PlainFetcher:
    """Fetches without archiving: for adapter tests against the local mirror."""

    def __init__(self, client: PoliteClient | None = None):
        self.client = client or PoliteClient()
        self.urls: list[str] = []

    def get(self, url: str, params: dict[str, str] | None = None) -> FetchResult:
        resp = self.client.get(url, params=params)
        self.urls.append(resp.url)
        if resp.status_code != 200:
            raise FetchError(resp.url, f"HTTP {resp.status_code}", resp.status_code,
                             blocked=resp.status_code == 403)
        return FetchResult(resp.url, resp.status_code, resp.content, dict(resp.headers), None)
