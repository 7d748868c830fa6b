"""The catalog writer: upsert writes only what changed, replace removes what the input
lacks, a variant id of another product is a conflict, delete removes a product whole.

Each test runs on SQLite and, where a server is configured, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.config import DatabaseSettings
from catalog.db import create_schema, drop_schema, make_engine
from catalog.errors import InvalidInputError
from catalog.models import Product, Variant
from catalog.sync.records import ProductRecord
from catalog.sync.shopify import read_shopify
from catalog.sync.writer import CatalogWriter
from tests.catalog.sync.helpers import SHOPIFY_CSV


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'writer.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    made = make_engine(DatabaseSettings(url=url))
    drop_schema(made)
    create_schema(made)
    yield made
    drop_schema(made)
    made.dispose()


def _record(pid: str, price: float = 10.0, **fields: Any) -> ProductRecord:
    data: dict[str, Any] = {"id": pid, "title": pid.title(), "variants": [{"price": price}]}
    return ProductRecord.model_validate(data | fields)


def _products(engine: Engine) -> dict[str, Product]:
    with Session(engine) as s:
        return {p.id: p for p in s.exec(select(Product))}


def _variants(engine: Engine) -> dict[str, Variant]:
    with Session(engine) as s:
        return {v.id: v for v in s.exec(select(Variant))}


def _snapshot(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return (
        sorted((p.model_dump() for p in _products(engine).values()), key=lambda d: d["id"]),
        sorted((v.model_dump() for v in _variants(engine).values()), key=lambda d: d["id"]),
    )


def test_a_new_catalog_is_created_with_its_variants_and_details(engine: Engine) -> None:
    records = read_shopify(SHOPIFY_CSV).records
    summary = CatalogWriter(engine).upsert(records)
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (20, 0, 0, 0)
    assert (summary.variants, summary.images) == (21, 21)
    assert summary.changed_ids == [r.id for r in records] and summary.changed
    lamp = _products(engine)["floor-lamp"]
    assert lamp.name == "Floor Lamp" and lamp.brand == "Company 123"
    assert lamp.description == "Black floor lamp" and lamp.category == "Indoor"
    assert lamp.attributes["tags"] == ["Black", "Lamp"]
    assert lamp.attributes["image_url"].startswith("https://cdn.shopify.com/")
    v = _variants(engine)["floor-lamp:default"]
    assert (v.product_id, v.price, v.available, v.options) == ("floor-lamp", 69.99, True, {})
    assert v.details == {"compare_at_price": 85.0, "grams": 0.0}
    wheelbarrow = _variants(engine)["grey-wheelbarrow:default"]
    assert wheelbarrow.details is not None and wheelbarrow.details["inventory"] == 8


def test_upserting_the_same_records_again_changes_nothing(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    writer.upsert(read_shopify(SHOPIFY_CSV).records)
    before = _snapshot(engine)
    summary = writer.upsert(read_shopify(SHOPIFY_CSV).records)
    assert (summary.created, summary.updated, summary.unchanged, summary.removed) == (0, 0, 20, 0)
    assert summary.changed_ids == [] and not summary.changed
    assert summary.variants == 21  # still counted: they are the file's
    assert _snapshot(engine) == before


def test_one_changed_price_updates_that_product_only(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    records = read_shopify(SHOPIFY_CSV).records
    writer.upsert(records)
    before = {v.id: v.price for v in _variants(engine).values()}
    changed = [
        r.model_copy(update={"variants": [r.variants[0].model_copy(update={"price": 71.5})]})
        if r.id == "floor-lamp"
        else r
        for r in records
    ]
    summary = writer.upsert(changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 19)
    assert summary.changed_ids == ["floor-lamp"]
    after = {v.id: v.price for v in _variants(engine).values()}
    assert after == before | {"floor-lamp:default": 71.5}


def test_an_update_replaces_the_variants_the_record_no_longer_has(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    tee = {"id": "tee", "title": "Tee", "variants": [
        {"sku": "S", "options": {"Size": "S"}, "price": 10},
        {"sku": "M", "options": {"Size": "M"}, "price": 10},
    ]}  # fmt: skip
    writer.upsert([ProductRecord.model_validate(tee)])
    tee["variants"] = [
        {"sku": "M", "options": {"Size": "M"}, "price": 11},
        {"sku": "L", "options": {"Size": "L"}, "price": 12, "inventory": 0},
    ]
    summary = writer.upsert([ProductRecord.model_validate(tee)])
    assert summary.updated == 1
    got = {v.id: (v.price, v.available) for v in _variants(engine).values()}
    assert got == {"tee:M": (11.0, True), "tee:L": (12.0, False)}


def test_replace_removes_the_products_the_input_lacks_with_their_variants(
    engine: Engine,
) -> None:
    writer = CatalogWriter(engine)
    writer.upsert([_record("a"), _record("b"), _record("c")])
    summary = writer.upsert([_record("a"), _record("d")], replace=True)
    assert (summary.created, summary.unchanged, summary.removed) == (1, 1, 2)
    assert sorted(summary.changed_ids) == ["b", "c", "d"]
    assert sorted(_products(engine)) == ["a", "d"]
    assert {v.product_id for v in _variants(engine).values()} == {"a", "d"}
    # without replace nothing is removed
    summary = writer.upsert([_record("e")])
    assert summary.removed == 0 and sorted(_products(engine)) == ["a", "d", "e"]


def test_a_variant_id_of_another_product_is_a_conflict_and_not_written(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    owner = ProductRecord.model_validate(
        {"id": "owner", "title": "Owner", "variants": [{"id": "v-1", "price": 5}]}
    )
    writer.upsert([owner])
    thief = ProductRecord.model_validate(
        {"id": "thief", "title": "Thief", "variants": [{"id": "v-1", "price": 1}]}
    )
    summary = writer.upsert([thief, _record("fine")])
    assert summary.created == 1 and summary.changed_ids == ["fine"]
    assert len(summary.conflicts) == 1
    key, reason = summary.conflicts[0]
    assert key == "thief" and "v-1" in reason
    assert sorted(_products(engine)) == ["fine", "owner"]
    v = _variants(engine)["v-1"]
    assert (v.product_id, v.price) == ("owner", 5.0)


def test_two_records_of_one_upsert_cannot_share_a_variant_id(engine: Engine) -> None:
    a = ProductRecord.model_validate(
        {"id": "a", "title": "A", "variants": [{"id": "v", "price": 1}]}
    )
    b = ProductRecord.model_validate(
        {"id": "b", "title": "B", "variants": [{"id": "v", "price": 2}]}
    )
    summary = CatalogWriter(engine).upsert([a, b])
    assert summary.created == 1 and [k for k, _ in summary.conflicts] == ["b"]
    assert sorted(_products(engine)) == ["a"]
    v = _variants(engine)["v"]
    assert (v.product_id, v.price) == ("a", 1.0)


def test_a_product_row_without_variants_is_updated_not_a_crash(engine: Engine) -> None:
    with Session(engine) as s:  # e.g. left by an older import or by hand
        s.add(Product(id="bare", name="Bare"))
        s.commit()
    summary = CatalogWriter(engine).upsert([_record("bare", 4.0)])
    assert (summary.created, summary.updated) == (0, 1)
    assert [(v.id, v.price) for v in _variants(engine).values()] == [("bare:default", 4.0)]


def test_the_last_record_of_an_id_wins(engine: Engine) -> None:
    summary = CatalogWriter(engine).upsert([_record("a", 1.0), _record("a", 2.0)])
    assert summary.created == 1
    assert [v.price for v in _variants(engine).values()] == [2.0]


def test_delete_removes_products_and_their_variants(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    writer.upsert([_record("a"), _record("b"), _record("c")])
    assert writer.delete(["a", "c", "missing"]) == 2
    assert sorted(_products(engine)) == ["b"]
    with Session(engine) as s:
        left = s.exec(select(Variant.product_id).where(col(Variant.product_id).in_(["a", "c"])))
        assert list(left) == []
    with pytest.raises(InvalidInputError):
        writer.delete([])


def test_records_reads_the_store_back_in_id_order(engine: Engine) -> None:
    writer = CatalogWriter(engine)
    records = read_shopify(SHOPIFY_CSV).records
    writer.upsert(records)
    back = list(writer.records())
    assert [r.id for r in back] == sorted(r.id for r in records)
    by_id = {r.id: r for r in records}
    for record in back:
        original = by_id[record.id]
        assert record.title == original.title and record.vendor == original.vendor
        assert [i.src for i in record.images] == [i.src for i in original.images]
        assert [
            (v.id, v.price, v.compare_at_price, v.inventory, v.options) for v in record.variants
        ] == sorted(
            (v.id, v.price, v.compare_at_price, v.inventory, v.options) for v in original.variants
        )
