"""Import a merchant's catalog: read the file, write what changed, update search and recs.

One call does everything a merchant's ``shopassist import …`` needs: the reader turns the
file into records (bad rows become skips with their row number and reason), the writer
upserts them in one transaction (``replace`` removes the products the file lacks), the
search index embeds only the products whose text changed, and the recommender is
retrained when products came or went.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from assistant.settings import Settings
from catalog.db import create_schema, has_catalog, make_engine
from catalog.errors import InvalidInputError
from catalog.sync.derive import settle_types
from catalog.sync.jsonl import read_jsonl, write_jsonl
from catalog.sync.profile import check_currency, get_shop_setting, set_shop_setting
from catalog.sync.report import ReadResult
from catalog.sync.shopify import read_shopify
from catalog.sync.woocommerce import read_woocommerce
from catalog.sync.writer import CatalogWriter, WriteSummary

Source = Literal["shopify", "woocommerce", "jsonl"]
READERS: dict[str, Callable[[str | Path], ReadResult]] = {
    "shopify": read_shopify,
    "woocommerce": read_woocommerce,
    "jsonl": read_jsonl,
}
# Which catalog the store holds: "demo" (generated), "tau2", or the last import's source.
CATALOG_SOURCE = "catalog_source"


class SkippedOut(BaseModel):
    """A row left out of the import."""

    row: int
    key: str
    reason: str


class ImportReport(BaseModel):
    """What an import did (``--json`` prints exactly this)."""

    source: str
    path: str
    rows: int = Field(description="Data rows (lines) read from the file.")
    products: int = Field(description="Products in the file that were imported.")
    variants: int
    images: int
    created: int
    updated: int
    unchanged: int
    removed: int
    replaced_demo: bool = Field(description="The generated demo catalog was replaced.")
    skipped: list[SkippedOut]
    embedded: int = Field(description="Products whose search text was embedded again.")
    recommender: Literal["retrained", "current", "not built"]
    currency: str | None
    seconds: float


def _store(settings: Settings) -> Engine:
    engine = make_engine(settings.database)
    create_schema(engine)
    return engine


def import_catalog(
    settings: Settings,
    source: Source,
    path: str | Path,
    *,
    replace: bool = False,
    currency: str | None = None,
    dry_run: bool = False,
    progress: bool = True,
    update_search: bool = True,
) -> ImportReport:
    """Import ``path`` (a ``source`` export) into the store and bring search up to date.

    The first import into a store that holds the generated demo catalog replaces it.
    ``dry_run`` reads and reports without writing. ``update_search=False`` leaves the
    index and the recommender to the next start (the server brings both up to date).
    """
    started = time.perf_counter()
    if source not in READERS:
        raise InvalidInputError(f"unknown source {source!r}; use one of {', '.join(READERS)}")
    code = check_currency(currency) if currency else None
    read = READERS[source](path)
    settle_types(read.records)
    engine = _store(settings)
    try:
        demo = has_catalog(engine) and get_shop_setting(engine, CATALOG_SOURCE) == "demo"
        summary = WriteSummary()
        embedded = 0
        recs: Literal["retrained", "current", "not built"] = "not built"
        if not dry_run:
            if not read.records and (replace or demo):
                raise InvalidInputError(f"{path} has no product to import; the store is as it was")
            writer = CatalogWriter(engine)
            summary = writer.upsert(read.records, replace=replace or demo, progress=progress)
            set_shop_setting(engine, CATALOG_SOURCE, source)
            if code:
                set_shop_setting(engine, "currency", code)
            if update_search:
                embedded, recs = _update_search(engine, settings, summary, progress=progress)
    finally:
        engine.dispose()
    refused = {key for key, _ in summary.conflicts}
    written = [r for r in read.records if r.id not in refused]
    skipped = [SkippedOut(row=s.row, key=s.key, reason=s.reason) for s in read.skipped]
    skipped += [SkippedOut(row=0, key=key, reason=why) for key, why in summary.conflicts]
    return ImportReport(
        source=source,
        path=str(path),
        rows=read.rows,
        products=len(written),
        variants=sum(len(r.variants) for r in written),
        images=sum(len(r.images) for r in written),
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        removed=summary.removed,
        replaced_demo=demo and not dry_run,
        skipped=skipped,
        embedded=embedded,
        recommender=recs,
        currency=code,
        seconds=round(time.perf_counter() - started, 2),
    )


def _update_search(
    engine: Engine, settings: Settings, summary: WriteSummary, *, progress: bool
) -> tuple[int, Literal["retrained", "current"]]:
    """Embed what changed; retrain the recommender when products came or went."""
    from assistant.bootstrap import build_recommender, build_searcher

    searcher, stats = build_searcher(engine, settings, progress=progress)
    retrain = bool(summary.created or summary.removed)
    build_recommender(engine, settings, searcher, progress=progress, retrain=retrain)
    return stats.embedded, "retrained" if retrain else "current"


def export_catalog(settings: Settings, path: str | Path) -> int:
    """Write every product of the store to ``path`` as JSON Lines; return how many."""
    engine = _store(settings)
    try:
        return write_jsonl(CatalogWriter(engine).records(), path)
    finally:
        engine.dispose()


def shop_currency(engine: Engine, configured: str | None) -> str:
    """Return the shop's currency: the setting if given, else the imported one, else USD."""
    return configured or get_shop_setting(engine, "currency") or "USD"
