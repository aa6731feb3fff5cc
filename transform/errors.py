"""The transform stage's typed failure: a file whose text cannot be read, with the ParseStatus
that says why (empty, encrypted, corrupt, unsupported). ``extract_lines`` turns it into a status."""
from __future__ import annotations

from kernel.records import ParseStatus


class ExtractError(Exception):
    def __init__(self, status: ParseStatus, message: str):
        super().__init__(message)
        self.status = status
