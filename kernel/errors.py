"""What a fetch can fail with: one small hierarchy, each error typed with its kind where it happens.

Callers decide by ``kind`` (or by class), never by the message, which is for people.
"""
from __future__ import annotations

from kernel.records import FetchErrorKind  # the kernel's: fetch_log rows carry it

__all__ = ["FetchErrorKind", "FetchError", "TransientError", "TooLarge", "RobotsDisallowed",
           "RobotsUnavailable", "RedirectRefused"]


class FetchError(Exception):
    """A fetch that failed after the fetcher's own retries. ``url`` is the URL as requested
    (its query string included), whichever redirect hop failed."""

    kind = FetchErrorKind.PERMANENT

    def __init__(self, url: str, message: str, status: int | None = None, blocked: bool = False,
                 kind: FetchErrorKind | None = None):
        super().__init__(f"{url}: {message}")
        self.url, self.status = url, status
        if blocked:
            self.kind = FetchErrorKind.BLOCKED
        elif kind is not None:
            self.kind = kind

    @property
    def blocked(self) -> bool:
        return self.kind is FetchErrorKind.BLOCKED


class TransientError(FetchError):
    """The connection failed, reset, timed out or stopped short; a later try may succeed."""

    kind = FetchErrorKind.TRANSIENT


class TooLarge(FetchError):
    kind = FetchErrorKind.TOO_LARGE


class RobotsDisallowed(FetchError):
    kind = FetchErrorKind.ROBOTS


class RobotsUnavailable(RobotsDisallowed):
    """robots.txt answered 5xx or could not be reached: RFC 9309 says assume complete
    disallow for now, so nothing is fetched from that site until it answers again."""

    kind = FetchErrorKind.TRANSIENT


class RedirectRefused(FetchError):
    """A redirect that is not followed: off the source's hosts, not http(s), a loop, too many hops."""

    kind = FetchErrorKind.PERMANENT
