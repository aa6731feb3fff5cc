"""How far the demo's nightly run must look to see everything the mirror holds."""
from __future__ import annotations

import datetime as dt

from mirror.server import Mirror


def mirror_dates(mirror: Mirror) -> list[dt.date]:
    return sorted(dt.date.fromisoformat(m["meeting_date"]) for site in mirror.sites.values()
                  for m in site.manifest()["meetings"] if m.get("meeting_date"))


def demo_window(mirror: Mirror, today: dt.date) -> tuple[int, int]:
    """(lookback_days, lookahead_days) around ``today`` that cover every mirrored meeting.

    The mirror carries real papers from 2016 and 2019, far outside a 90-day look-back, so the
    demo runs the nightly flow with a window stretched over the mirror's whole range."""
    dates = mirror_dates(mirror)
    back = max(0, (today - dates[0]).days) + 1 if dates else 90
    ahead = max(0, (dates[-1] - today).days) + 1 if dates else 60
    return back, ahead
