"""Scrutiny: scrape, archive, parse and warehouse police governance meetings."""
import os

# Arrow's buffers from the C library's malloc instead of the bundled mimalloc, which keeps freed
# pages: a 2,000-paper backfill's parent held ~18 MB of them before its load and each parse
# worker ~10 MB; malloc hands large blocks back. Parquet is written as fast (workers 14.7 s
# against 15.9 s for 2,000 papers). Arrow reads this when pyarrow is first imported, so the
# packages that import pyarrow (warehouse, transform) import this one first; set it yourself
# to choose another pool.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

# bs4 imports soupsieve (and soupsieve compiles its CSS grammar, ~0.1 s) as it is imported; it
# is deferred to the first CSS selector used (scrutiny/lazy_soupsieve.py). The packages that
# import bs4 (extract, transform) import this one first.
from scrutiny import lazy_soupsieve as _lazy_soupsieve  # noqa: E402

_lazy_soupsieve.install()
