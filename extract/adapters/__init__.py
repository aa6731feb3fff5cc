"""Platform adapters. A configured source names one of these in sources.toml."""
from __future__ import annotations

import importlib


# adapter name -> "module:Class"; imported on first use so one broken adapter cannot stop
# the others (its sources fail loudly, the rest run).
ADAPTERS = {
    "cmis": "extract.adapters.cmis:CmisAdapter",
    "moderngov": "extract.adapters.moderngov:ModernGovAdapter",
    "wp_board_page": "extract.adapters.wp_board_page:WpBoardPageAdapter",
    "wp_minutes_pages": "extract.adapters.wp_minutes_pages:WpMinutesPagesAdapter",
}


def get_adapter(name: str):
    try:
        target = ADAPTERS[name]
    except KeyError:
        raise KeyError(f"unknown adapter {name!r} (known: {', '.join(sorted(ADAPTERS))})") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)()
