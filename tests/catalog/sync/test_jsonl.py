"""JSON Lines both ways: an exported store imports into an empty one as the same store, and
bad lines are skipped with their line number while the good ones import."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.db import create_schema, make_engine
from catalog.demo import generate_store
from catalog.errors import DataImportError
from catalog.importer import load_store_dict
from catalog.models import Product, Variant
from catalog.sync.jsonl import read_jsonl, write_jsonl
from catalog.sync.report import ReadResult
from catalog.sync.shopify import read_shopify
from catalog.sync.woocommerce import read_woocommerce
from catalog.sync.writer import CatalogWriter
from tests.catalog.sync.helpers import SHOPIFY_CSV, WOO_CSV


def _engine(path: Path) -> Engine:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{path}"))
    create_schema(engine)
    return engine


def _rows(engine: Engine) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    with Session(engine) as s:
        products = {p.id: p.model_dump() for p in s.exec(select(Product))}
        variants = {v.id: v.model_dump() for v in s.exec(select(Variant))}
    return products, variants


READERS: dict[str, tuple[Callable[[Path], ReadResult], Path]] = {
    "shopify": (read_shopify, SHOPIFY_CSV),
    "woocommerce": (read_woocommerce, WOO_CSV),
}


@pytest.mark.parametrize("source", sorted(READERS))
def test_export_then_import_into_an_empty_store_gives_the_same_store(
    source: str, tmp_path: Path
) -> None:
    reader, path = READERS[source]
    first = _engine(tmp_path / "first.db")
    CatalogWriter(first).upsert(reader(path).records)
    exported = tmp_path / "export.jsonl"
    count = write_jsonl(CatalogWriter(first).records(), exported)

    read = read_jsonl(exported)
    assert read.skipped == [] and len(read.records) == count == read.rows
    second = _engine(tmp_path / "second.db")
    summary = CatalogWriter(second).upsert(read.records)
    assert summary.created == count and summary.conflicts == []

    products, variants = _rows(first)
    products2, variants2 = _rows(second)
    assert len(products) == count and len(variants) == summary.variants
    assert products2 == products  # every field of every Product row
    assert variants2 == variants  # every field of every Variant row

    again = tmp_path / "again.jsonl"
    write_jsonl(CatalogWriter(second).records(), again)
    assert again.read_bytes() == exported.read_bytes()

    # the exported file, read back into the first store, changes nothing
    unchanged = CatalogWriter(first).upsert(read_jsonl(again).records)
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, count)


def test_the_export_is_one_sorted_json_object_per_line_in_id_order(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "s.db")
    CatalogWriter(engine).upsert(read_shopify(SHOPIFY_CSV).records)
    path = tmp_path / "out.jsonl"
    write_jsonl(CatalogWriter(engine).records(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    data = [json.loads(line) for line in lines]
    assert [d["id"] for d in data] == sorted(d["id"] for d in data) and len(data) == 20
    gloves = next(d for d in data if d["id"] == "gardening-gloves")
    assert [v["price"] for v in gloves["variants"]] == [9.99, 15.99]
    assert [v["options"] for v in gloves["variants"]] == [{"Color": "Green"}, {"Color": "Yellow"}]
    assert all(list(json.loads(line)) == sorted(json.loads(line)) for line in lines)
    assert not list(tmp_path.glob(".out.jsonl.*"))  # no temporary file left behind


def test_a_demo_store_keeps_its_categories_through_export_and_import(tmp_path: Path) -> None:
    demo = _engine(tmp_path / "demo.db")
    settings = DemoStoreSettings(seed=7, products=12, users=2, orders_per_user=1)
    load_store_dict(demo, generate_store(settings, progress=False), progress=False)
    path = tmp_path / "demo.jsonl"
    write_jsonl(CatalogWriter(demo).records(), path)
    empty = _engine(tmp_path / "empty.db")
    CatalogWriter(empty).upsert(read_jsonl(path).records)
    before = {pid: p["category"] for pid, p in _rows(demo)[0].items()}
    after = {pid: p["category"] for pid, p in _rows(empty)[0].items()}
    assert after == before


def test_bad_lines_are_skipped_with_their_line_numbers(tmp_path: Path) -> None:
    good = {"id": "mug", "title": "Mug", "variants": [{"price": 8}]}
    lines = [
        json.dumps(good),  # 1
        "{not json",  # 2
        "",  # 3: blank lines are not rows
        json.dumps({"id": "no-title", "variants": [{"price": 1}]}),  # 4
        json.dumps({"id": "neg", "title": "Negative", "variants": [{"price": -1}]}),  # 5
        json.dumps(["a", "list"]),  # 6
        json.dumps({"id": "no-variants", "title": "Empty", "variants": []}),  # 7
        json.dumps({"id": "bad/id", "title": "Slash", "variants": [{"price": 1}]}),  # 8
        json.dumps({"id": "extra", "title": "X", "colour": "red", "variants": [{"price": 1}]}),
        json.dumps({"id": "tee", "title": "Tee", "body_html": "<p>Soft</p>",
                    "variants": [{"sku": "T-S", "options": {"Size": "S"}, "price": 12.5}]}),
    ]  # fmt: skip
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = read_jsonl(path)

    assert result.rows == 9
    assert [r.id for r in result.records] == ["mug", "tee"]
    assert result.records[1].variants[0].id == "tee:T-S"
    skipped = {s.row: (s.key, s.reason) for s in result.skipped}
    assert sorted(skipped) == [2, 4, 5, 6, 7, 8, 9]
    assert skipped[2][0] == "" and "not JSON" in skipped[2][1]
    assert skipped[4][0] == "no-title" and "title" in skipped[4][1]
    assert skipped[5][0] == "neg" and "variants.0.price" in skipped[5][1]
    assert "variants" in skipped[7][1]
    assert skipped[8][0] == "bad/id" and "id" in skipped[8][1]
    assert "colour" in skipped[9][1]


def test_a_missing_or_non_utf8_file_is_a_data_import_error(tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="not found"):
        read_jsonl(tmp_path / "nope.jsonl")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(
        '{"id": "cafe", "title": "Café", "variants": [{"price": 1}]}\n'.encode("cp1252")
    )
    with pytest.raises(DataImportError, match="UTF-8"):
        read_jsonl(latin)


def test_a_record_dump_reads_back_as_the_same_record() -> None:
    for record in read_shopify(SHOPIFY_CSV).records + read_woocommerce(WOO_CSV).records:
        again = type(record).model_validate(json.loads(json.dumps(record.dump())))
        assert again == record
