"""Where things live: the data directory and its layout."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = "data"


def env_number(name: str, default: float, kind: type = float, minimum: float = 0, hint: str = "") -> float:
    """A SCRUTINY_* number from the environment: ``default`` when unset, else ``kind`` of it, at
    least ``minimum``; anything else is a one-line ValueError naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: not {'a whole number' if kind is int else 'a number'}") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r}: must be {minimum} or more{hint}")
    return value


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike | None = None) -> "DataDir":
        return cls(Path(explicit or os.environ.get("SCRUTINY_DATA_DIR") or DEFAULT_DATA_DIR).resolve())

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
