"""JSON Lines: one :class:`~catalog.sync.records.ProductRecord` per line, both ways."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from catalog.errors import DataImportError
from catalog.sync.records import ProductRecord
from catalog.sync.report import ReadResult, validation_reason


def read_jsonl(path: str | Path) -> ReadResult:
    """Read a ``.jsonl`` file; a line that is not a valid record is skipped with its reason."""
    p = Path(path)
    if not p.is_file():
        raise DataImportError(f"file not found: {p}")
    out = ReadResult(source="jsonl")
    try:
        handle = p.open(encoding="utf-8-sig")
    except OSError as exc:
        raise DataImportError(f"cannot read {p}: {exc}") from exc
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                out.rows += 1
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    out.skip(number, "", f"not JSON: {exc.msg} at column {exc.colno}")
                    continue
                key = str(data.get("id", "")) if isinstance(data, dict) else ""
                try:
                    out.records.append(ProductRecord.model_validate(data))
                except ValidationError as exc:
                    out.skip(number, key, validation_reason(exc))
        except UnicodeDecodeError as exc:
            raise DataImportError(f"{p} is not UTF-8 text: {exc}") from exc
    return out


def write_jsonl(records: Iterable[ProductRecord], path: str | Path) -> int:
    """Write records to ``path`` atomically (a temporary file renamed at the end)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", dir=p.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record.dump(), ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
