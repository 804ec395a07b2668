"""What a program list import (participants, aid recipients) did: the shared result shape."""

from dataclasses import dataclass, field, fields
from typing import Any

from naikkelas.imports.rows import RowError


@dataclass
class ListImportResult:
    """The file, its rows and row errors; subclasses add their counts as int fields. Nothing is
    written when `errors` is not empty."""

    file: str
    rows_read: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Every field, in order, with the errors last as dicts."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "errors"}
        return values | {"errors": [error.as_dict() for error in self.errors]}
