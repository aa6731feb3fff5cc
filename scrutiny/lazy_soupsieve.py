"""Beautiful Soup without Soup Sieve until a CSS selector is used.

bs4 imports soupsieve, its CSS-selector engine, as it is imported, and soupsieve compiles its
CSS grammar's regular expressions as *it* is imported: ~0.1 s at the start of every run (a
quarter of a nightly run's imports), for listing pages this project reads with find() and
find_all() only. :func:`install`, run before bs4 is first imported, puts a stand-in module under
the name ``soupsieve`` that imports the real one on the first attribute asked of it: a select()
still works, and pays then. Nothing changes when soupsieve is not installed (bs4 copes) or was
imported already.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

NAME = "soupsieve"


class _StandIn(types.ModuleType):
    """Looks like the module to the import system (its __spec__ is the real one's, so ``import
    soupsieve`` neither loads it nor fails); anything else loads the real module."""

    def __getattr__(self, attr: str):  # called only for attributes the stand-in lacks
        return getattr(_real(self), attr)


def _real(stand_in: _StandIn) -> types.ModuleType:
    real = stand_in.__dict__.get("_real_module")
    if real is None:
        if sys.modules.get(NAME) is stand_in:
            del sys.modules[NAME]
        try:
            real = importlib.import_module(NAME)
        except BaseException:
            sys.modules.setdefault(NAME, stand_in)
            raise
        stand_in.__dict__["_real_module"] = real
    return real


def install() -> None:
    if NAME in sys.modules or "bs4" in sys.modules:
        return
    spec = importlib.util.find_spec(NAME)
    if spec is None:
        return
    stand_in = _StandIn(NAME)
    stand_in.__spec__ = spec
    stand_in.__file__ = spec.origin
    sys.modules[NAME] = stand_in


def loaded() -> bool:
    """Has the real soupsieve been imported (for tests and benchmarks)?"""
    return f"{NAME}.css_parser" in sys.modules
