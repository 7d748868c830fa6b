"""Shared helpers of the catalog sync tests: the real fixtures and small CSV writers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

CATALOGS = Path(__file__).resolve().parents[2] / "fixtures" / "catalogs"
SHOPIFY_CSV = CATALOGS / "shopify_home_garden.csv"
WOO_CSV = CATALOGS / "woocommerce_sample.csv"


def fixture_rows(path: Path) -> list[dict[str, str]]:
    """Read a fixture with the csv module alone (the tests' independent view of the file)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(
    path: Path,
    header: list[str],
    rows: Iterable[dict[str, str]],
    *,
    encoding: str = "utf-8",
) -> Path:
    """Write ``rows`` (missing columns empty) under ``header`` in ``encoding``."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, header)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
