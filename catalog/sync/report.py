"""What a reader made of a file: the records, and every row it skipped with the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from catalog.sync.records import ProductRecord


@dataclass(frozen=True)
class SkippedRow:
    """A row (1-based line of the file, the header being line 1) that was not imported."""

    row: int
    key: str
    reason: str


@dataclass
class ReadResult:
    """Records read from a source, in file order, and the rows left out."""

    source: str
    records: list[ProductRecord] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    rows: int = 0

    def skip(self, row: int, key: str, reason: str) -> None:
        """Note a row that is not imported."""
        self.skipped.append(SkippedRow(row, key, reason))


def validation_reason(exc: ValidationError) -> str:
    """Return a one-line reason from a pydantic error ("variants.0.price: …")."""
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(x) for x in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)
