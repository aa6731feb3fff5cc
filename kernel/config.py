"""Where things live: the data directory and its layout."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kernel import settings

DEFAULT_DATA_DIR = "data"


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike | None = None) -> "DataDir":
        return cls(Path(explicit or settings.data_dir() or DEFAULT_DATA_DIR).resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def parquet(self) -> Path:
        return self.root / "parquet"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def locks(self) -> Path:
        return self.root / "locks"

    def ensure(self) -> "DataDir":
        for p in (self.raw, self.parquet, self.locks):
            p.mkdir(parents=True, exist_ok=True)
        return self
