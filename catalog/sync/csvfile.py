"""Read a spreadsheet export (CSV) the way merchants' tools write it."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from catalog.errors import DataImportError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_rows(
    path: str | Path, required: tuple[str, ...], aliases: dict[str, str] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(spreadsheet row number, row)``; the header is row 1.

    ``aliases`` renames columns (another version of the same export) before anything else.

    UTF-8 (with or without a byte-order mark) is read first, then Windows-1252, the two
    encodings spreadsheet tools export. Raises DataImportError when a ``required``
    column is missing.
    """
    p = Path(path)
    if not p.is_file():
        raise DataImportError(f"file not found: {p}")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(aliases or {}).get(h.strip(), h.strip()) for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataImportError(
            f"{p.name} lacks the column(s) {', '.join(missing)}; found: {', '.join(header[:12])}"
        )
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}


def number(raw: str) -> float | None:
    """Parse a price or weight ("1,299.00", "12.5", "€ 9,90"); None when empty."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    text = "".join(ch for ch in text if ch.isdigit() or ch in ".,-")
    if not text:
        if raw.strip():
            raise ValueError(f"{raw!r} is not a number")
        return None
    if "," in text and "." in text:
        text = (
            text.replace(",", "")
            if text.rfind(".") > text.rfind(",")
            else text.replace(".", "").replace(",", ".")
        )
    elif "," in text:
        head, _, tail = text.rpartition(",")
        text = f"{head.replace(',', '')}.{tail}" if len(tail) != 3 else text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number") from None


def truthy(raw: str) -> bool | None:
    """Parse TRUE/FALSE, yes/no, 1/0; None when empty."""
    value = raw.strip().lower()
    if not value:
        return None
    return value in {"true", "yes", "y", "1", "t"}
