"""``import_catalog`` end to end: the real Shopify export into a store on disk, with its
search index and recommender; the demo store replaced by the first import; dry runs; the
shop's currency."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.bootstrap import build_searcher, prepare_store
from assistant.catalog_import import (
    CATALOG_SOURCE,
    export_catalog,
    import_catalog,
    shop_currency,
)
from assistant.settings import Settings
from catalog.db import create_schema, has_catalog, make_engine
from catalog.errors import DataImportError, InvalidInputError
from catalog.models import Product, Variant
from catalog.sync.jsonl import read_jsonl
from catalog.sync.profile import get_shop_setting
from tests.catalog.sync.helpers import SHOPIFY_CSV, fixture_rows, write_csv
from tests.conftest import make_settings

HANDLES = sorted({r["Handle"] for r in fixture_rows(SHOPIFY_CSV)})


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "shop", products=30)


def _engine(settings: Settings) -> Engine:
    return make_engine(settings.database)


def _product_ids(settings: Settings) -> list[str]:
    engine = _engine(settings)
    try:
        with Session(engine) as s:
            return sorted(s.exec(select(Product.id)))
    finally:
        engine.dispose()


def test_the_first_import_replaces_the_demo_store_and_a_reimport_embeds_nothing(
    settings: Settings,
) -> None:
    engine = prepare_store(settings, progress=False)
    demo_ids = _product_ids(settings)
    assert len(demo_ids) == 30 and get_shop_setting(engine, CATALOG_SOURCE) == "demo"

    report = import_catalog(settings, "shopify", SHOPIFY_CSV, currency="eur", progress=False)

    assert report.source == "shopify" and report.path == str(SHOPIFY_CSV)
    assert (report.rows, report.products, report.variants, report.images) == (21, 20, 21, 21)
    assert (report.created, report.updated, report.unchanged) == (20, 0, 0)
    assert report.replaced_demo and report.removed == 30
    assert report.skipped == []
    assert report.embedded == 20 and report.recommender == "retrained"
    assert report.currency == "EUR"
    assert _product_ids(settings) == HANDLES
    assert not set(demo_ids) & set(_product_ids(settings))
    with Session(engine) as s:
        assert {v.product_id for v in s.exec(select(Variant))} == set(HANDLES)
    assert get_shop_setting(engine, CATALOG_SOURCE) == "shopify"
    assert get_shop_setting(engine, "currency") == "EUR"
    assert shop_currency(engine, None) == "EUR"
    assert shop_currency(engine, "GBP") == "GBP"  # the setting wins over the import's
    assert (Path(settings.data_dir) / "recs" / "model.pkl").is_file()

    # the index holds the imported products only, and finds them
    searcher, stats = build_searcher(engine, settings, progress=False)
    assert (stats.total, stats.embedded, stats.removed) == (20, 0, 0)
    hits = searcher.search("wheelbarrow", limit=3)
    assert hits and hits[0].product_id == "grey-wheelbarrow"

    again = import_catalog(settings, "shopify", SHOPIFY_CSV, progress=False)
    assert not again.replaced_demo and again.removed == 0
    assert (again.created, again.updated, again.unchanged) == (0, 0, 20)
    assert again.embedded == 0 and again.recommender == "current"
    assert again.currency is None and shop_currency(engine, None) == "EUR"  # kept
    assert _product_ids(settings) == HANDLES
    engine.dispose()


def test_a_dry_run_reads_and_reports_but_writes_nothing(settings: Settings) -> None:
    engine = prepare_store(settings, progress=False)
    demo_ids = _product_ids(settings)
    report = import_catalog(
        settings, "shopify", SHOPIFY_CSV, dry_run=True, currency="JPY", progress=False
    )
    assert (report.products, report.variants, report.images) == (20, 21, 21)
    assert (report.created, report.updated, report.removed) == (0, 0, 0)
    assert not report.replaced_demo and report.embedded == 0
    assert report.recommender == "not built"
    assert _product_ids(settings) == demo_ids
    assert get_shop_setting(engine, CATALOG_SOURCE) == "demo"
    assert get_shop_setting(engine, "currency") is None
    engine.dispose()


def test_a_dry_run_into_an_empty_store_leaves_it_empty(settings: Settings) -> None:
    report = import_catalog(settings, "shopify", SHOPIFY_CSV, dry_run=True, progress=False)
    assert report.products == 20
    engine = _engine(settings)
    assert not has_catalog(engine)
    engine.dispose()


def test_updates_replace_and_export_without_the_search_step(
    settings: Settings, tmp_path: Path
) -> None:
    first = import_catalog(settings, "shopify", SHOPIFY_CSV, update_search=False, progress=False)
    assert first.created == 20 and not first.replaced_demo  # the store was empty, not demo
    assert first.recommender == "not built" and first.embedded == 0

    rows = fixture_rows(SHOPIFY_CSV)
    header = list(rows[0])
    for row in rows:
        if row["Handle"] == "floor-lamp":
            row["Variant Price"] = "74.50"
    kept = [r for r in rows if r["Handle"] != "wicker-bowl"]
    changed = write_csv(tmp_path / "changed.csv", header, kept)

    update = import_catalog(settings, "shopify", changed, update_search=False, progress=False)
    assert (update.created, update.updated, update.unchanged, update.removed) == (0, 1, 18, 0)
    assert "wicker-bowl" in _product_ids(settings)  # an upsert removes nothing

    replaced = import_catalog(
        settings, "shopify", changed, replace=True, update_search=False, progress=False
    )
    assert (replaced.updated, replaced.unchanged, replaced.removed) == (0, 19, 1)
    assert _product_ids(settings) == [h for h in HANDLES if h != "wicker-bowl"]

    out = tmp_path / "export.jsonl"
    assert export_catalog(settings, out) == 19
    exported = {r.id: r for r in read_jsonl(out).records}
    assert exported["floor-lamp"].variants[0].price == 74.5
    assert set(exported) == set(HANDLES) - {"wicker-bowl"}


def test_bad_requests_leave_the_store_as_it_was(settings: Settings, tmp_path: Path) -> None:
    engine = prepare_store(settings, progress=False)
    demo_ids = _product_ids(settings)
    with pytest.raises(InvalidInputError, match="currency"):
        import_catalog(settings, "shopify", SHOPIFY_CSV, currency="euro", progress=False)
    with pytest.raises(InvalidInputError, match="unknown source"):
        import_catalog(settings, "magento", SHOPIFY_CSV, progress=False)  # type: ignore[arg-type]
    with pytest.raises(DataImportError, match="not found"):
        import_catalog(settings, "shopify", tmp_path / "missing.csv", progress=False)
    # a file whose every row is bad would replace the demo store with nothing: refused
    bad = write_csv(
        tmp_path / "bad.csv",
        ["Handle", "Title", "Variant Price"],
        [{"Handle": "x", "Title": "X", "Variant Price": "free"}],
    )
    with pytest.raises(InvalidInputError, match="no product"):
        import_catalog(settings, "shopify", bad, progress=False)
    assert _product_ids(settings) == demo_ids
    assert get_shop_setting(engine, CATALOG_SOURCE) == "demo"
    assert get_shop_setting(engine, "currency") is None
    engine.dispose()


def test_skipped_rows_are_reported_with_row_numbers(settings: Settings, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        ["Handle", "Title", "Variant Price", "Status"],
        [
            {"Handle": "mug", "Title": "Mug", "Variant Price": "8"},
            {"Handle": "old", "Title": "Old", "Variant Price": "8", "Status": "archived"},
            {"Handle": "", "Title": "Nameless", "Variant Price": "8"},
        ],
    )
    report = import_catalog(settings, "shopify", path, update_search=False, progress=False)
    assert report.products == 1 and report.rows == 3
    assert sorted((s.row, s.key, s.reason) for s in report.skipped) == [
        (3, "old", "archived"),
        (4, "", "no Handle"),
    ]


def test_the_stored_currency_is_used_unless_the_settings_name_one(settings: Settings) -> None:
    import_catalog(
        settings, "shopify", SHOPIFY_CSV, currency="chf", update_search=False, progress=False
    )
    engine = _engine(settings)
    assert shop_currency(engine, settings.widget.currency) == "CHF"
    settings.widget.currency = "SEK"
    assert shop_currency(engine, settings.widget.currency) == "SEK"
    engine.dispose()
    fresh = make_settings(Path(settings.data_dir).parent / "other", products=30)
    engine = _engine(fresh)
    create_schema(engine)
    assert shop_currency(engine, None) == "USD"  # nothing imported, nothing set
    engine.dispose()
