"""WooCommerce's product CSV read into records: WooCommerce's own sample store, and small
exports written here for the rules the sample lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.errors import DataImportError
from catalog.sync.records import ProductRecord
from catalog.sync.woocommerce import read_woocommerce
from tests.catalog.sync.helpers import WOO_CSV, fixture_rows, write_csv

HEADER = [
    "ID", "Type", "SKU", "Name", "Published", "Description", "In stock?", "Stock",
    "Backorders allowed?", "Sale price", "Regular price", "Categories", "Tags", "Images",
    "Parent", "External URL", "Attribute 1 name", "Attribute 1 value(s)", "Attribute 2 name",
    "Attribute 2 value(s)",
]  # fmt: skip


def _sample() -> dict[str, ProductRecord]:
    return {r.id: r for r in read_woocommerce(WOO_CSV).records}


def test_the_sample_gives_simple_external_and_variable_products_not_grouped() -> None:
    rows = fixture_rows(WOO_CSV)
    kinds = [{k.strip() for k in r["Type"].split(",")} for r in rows]
    sellable = [
        r for r, k in zip(rows, kinds, strict=True) if k & {"simple", "variable", "external"}
    ]
    variations = [r for r, k in zip(rows, kinds, strict=True) if "variation" in k]

    result = read_woocommerce(WOO_CSV)

    assert result.source == "woocommerce"
    assert result.rows == len(rows) == 25
    assert len(result.records) == len(sellable) == 17
    assert [r.title for r in result.records] == [r["Name"] for r in sellable]
    # the grouped "Logo Collection" (row 24) is left out, with why
    grouped_row = next(n for n, r in enumerate(rows, start=2) if r["Type"] == "grouped")
    assert [(s.row, s.key) for s in result.skipped] == [(grouped_row, "logo-collection")]
    assert "grouped" in result.skipped[0].reason
    # every variation row is used: the V-Neck's three spread over three sizes, the Hoodie's four
    assert len(variations) == 7
    assert sum(len(r.variants) for r in result.records) == 15 + 3 * 3 + 4


def test_a_variation_with_an_empty_attribute_spreads_over_the_parents_values() -> None:
    tee = _sample()["woo-vneck-tee"]
    assert tee.title == "V-Neck T-Shirt"
    options = [(v.options["Color"], v.options["Size"]) for v in tee.variants]
    assert sorted(options) == sorted(
        (c, s) for c in ("Red", "Green", "Blue") for s in ("Large", "Medium", "Small")
    )
    assert len({v.id for v in tee.variants}) == 9
    prices = {(v.options["Color"], v.options["Size"]): v.price for v in tee.variants}
    assert {c: prices[(c, "Medium")] for c in ("Red", "Green", "Blue")} == {
        "Red": 20.0,
        "Green": 20.0,
        "Blue": 15.0,
    }
    assert all(v.sku.startswith("woo-vneck-tee-") for v in tee.variants)
    assert len(tee.images) == 3 and tee.images[0].src.endswith("vneck-tee-2.jpg")
    assert tee.category == "Clothing > Tshirts"


def test_a_variable_products_fixed_variations_and_sale_prices() -> None:
    hoodie = _sample()["woo-hoodie"]
    got = {v.sku: (v.options, v.price, v.compare_at_price) for v in hoodie.variants}
    assert got == {
        "woo-hoodie-red": ({"Color": "Red", "Logo": "No"}, 42.0, 45.0),  # on sale
        "woo-hoodie-green": ({"Color": "Green", "Logo": "No"}, 45.0, None),
        "woo-hoodie-blue": ({"Color": "Blue", "Logo": "No"}, 45.0, None),
        "woo-hoodie-blue-logo": ({"Color": "Blue", "Logo": "Yes"}, 45.0, None),
    }


def test_simple_products_use_the_sale_price_with_the_regular_one_as_compare_at() -> None:
    records = _sample()
    beanie = records["woo-beanie"]
    assert len(beanie.variants) == 1
    (v,) = beanie.variants
    assert (v.sku, v.price, v.compare_at_price, v.options) == (
        "woo-beanie",
        18.0,
        20.0,
        {"Color": "Red"},
    )
    assert v.in_stock and v.inventory is None
    (sunglasses,) = records["woo-sunglasses"].variants
    assert (sunglasses.price, sunglasses.compare_at_price, sunglasses.options) == (90.0, None, {})
    pennant = records["wp-pennant"]  # an external product keeps its link
    assert pennant.url == "https://mercantile.wordpress.org/product/wordpress-pennant/"
    assert pennant.variants[0].price == 11.05
    album = records["woo-album"]  # "simple, downloadable, virtual"
    assert album.variants[0].price == 15.0 and album.category == "Music"


def test_stock_backorders_publication_and_parent_by_id(tmp_path: Path) -> None:
    rows = [
        {"ID": "10", "Type": "variable", "SKU": "", "Name": "Mug", "Published": "1",
         "Attribute 1 name": "Size", "Attribute 1 value(s)": "S, L"},
        {"ID": "11", "Type": "variation", "SKU": "mug-s", "Name": "Mug - S", "Parent": "id:10",
         "Regular price": "8", "In stock?": "1", "Stock": "0", "Backorders allowed?": "1",
         "Attribute 1 name": "Size", "Attribute 1 value(s)": "S"},
        {"ID": "12", "Type": "variation", "SKU": "mug-l", "Name": "Mug - L", "Parent": "id:10",
         "Regular price": "9", "In stock?": "0", "Stock": "0", "Backorders allowed?": "0",
         "Attribute 1 name": "Size", "Attribute 1 value(s)": "L"},
        {"ID": "13", "Type": "variation", "SKU": "x", "Name": "Lost", "Parent": "nobody",
         "Regular price": "1"},
        {"ID": "14", "Type": "simple", "SKU": "hidden", "Name": "Hidden", "Published": "0",
         "Regular price": "5", "In stock?": "1", "Stock": "7"},
        {"ID": "15", "Type": "simple", "SKU": "free", "Name": "No price", "Published": "1"},
        {"ID": "16", "Type": "bundle", "SKU": "b", "Name": "Bundle", "Regular price": "3"},
    ]  # fmt: skip
    result = read_woocommerce(write_csv(tmp_path / "w.csv", HEADER, rows))
    records = {r.id: r for r in result.records}
    assert set(records) == {"mug", "hidden"}
    mug = records["mug"]
    assert [(v.sku, v.options, v.inventory, v.in_stock) for v in mug.variants] == [
        ("mug-s", {"Size": "S"}, 0, True),  # none left, but backorders are allowed
        ("mug-l", {"Size": "L"}, 0, False),
    ]
    hidden = records["hidden"]
    assert hidden.status == "draft" and hidden.variants[0].inventory == 7
    skipped = {s.row: s.reason for s in result.skipped}
    assert set(skipped) == {5, 7, 8}
    assert "nobody" in skipped[5]
    assert "price" in skipped[7]
    assert "bundle" in skipped[8]


def test_a_file_that_is_not_a_woocommerce_export_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", ["Handle", "Title"], [{"Handle": "a", "Title": "A"}])
    with pytest.raises(DataImportError, match="Type"):
        read_woocommerce(path)
