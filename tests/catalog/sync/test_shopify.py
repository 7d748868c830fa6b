"""Shopify's product export read into records: the real export of a home & garden store,
and small exports written here for what that one lacks (stock rules, bad rows, archived
products, the 2025 column names, a Windows-1252 file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.errors import DataImportError
from catalog.sync.records import ProductRecord
from catalog.sync.report import ReadResult
from catalog.sync.shopify import read_shopify
from tests.catalog.sync.helpers import SHOPIFY_CSV, fixture_rows, write_csv

CLASSIC = [
    "Handle", "Title", "Body (HTML)", "Vendor", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value",
    "Variant SKU", "Variant Price", "Variant Compare At Price", "Variant Inventory Tracker",
    "Variant Inventory Qty", "Variant Inventory Policy", "Image Src", "Image Position",
    "Image Alt Text", "Status",
]  # fmt: skip
NEW_2025 = [
    "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags",
    "Published on online store", "Status", "SKU", "Option1 name", "Option1 value", "Price",
    "Compare-at price", "Inventory tracker", "Inventory quantity",
    "Continue selling when out of stock", "Product image URL", "Image position",
    "Image alt text",
]  # fmt: skip


def _by_id(result: ReadResult) -> dict[str, ProductRecord]:
    return {r.id: r for r in result.records}


def _price(raw: str) -> float | None:
    return float(raw) if raw else None


# --- the real export ---------------------------------------------------------------------


def test_the_real_export_gives_every_product_variant_and_image() -> None:
    rows = fixture_rows(SHOPIFY_CSV)
    handles = {r["Handle"] for r in rows if r["Title"] and r["Status"] != "archived"}
    variant_rows = [r for r in rows if r["Variant Price"]]
    image_srcs = {r["Image Src"] for r in rows if r["Image Src"]}

    result = read_shopify(SHOPIFY_CSV)

    assert result.source == "shopify"
    assert result.skipped == []
    assert result.rows == len(rows) == 21
    assert {r.id for r in result.records} == handles and len(handles) == 20
    assert sum(len(r.variants) for r in result.records) == len(variant_rows) == 21
    assert sum(len(r.images) for r in result.records) == len(image_srcs) == 21
    # file order is kept
    assert [r.id for r in result.records] == list(dict.fromkeys(r["Handle"] for r in rows))


def test_the_real_export_keeps_each_rows_prices_titles_and_images() -> None:
    rows = fixture_rows(SHOPIFY_CSV)
    records = _by_id(read_shopify(SHOPIFY_CSV))
    for handle, record in records.items():
        mine = [r for r in rows if r["Handle"] == handle]
        head = mine[0]
        assert record.title == head["Title"]
        assert record.vendor == head["Vendor"]
        assert record.type == head["Type"]
        assert record.body_html == head["Body (HTML)"]
        assert record.tags == [t.strip() for t in head["Tags"].split(",") if t.strip()]
        assert record.status == "active"
        assert [v.price for v in record.variants] == [float(r["Variant Price"]) for r in mine]
        assert [v.compare_at_price for v in record.variants] == [
            _price(r["Variant Compare At Price"]) for r in mine
        ]
        by_position = sorted(mine, key=lambda r: int(r["Image Position"]))
        assert [i.src for i in record.images] == [r["Image Src"] for r in by_position]


def test_default_title_gives_no_options_and_real_options_are_kept() -> None:
    records = _by_id(read_shopify(SHOPIFY_CSV))
    lamp = records["floor-lamp"]
    assert len(lamp.variants) == 1 and lamp.variants[0].options == {}
    assert lamp.variants[0].id == "floor-lamp:default"
    gloves = records["gardening-gloves"]
    assert [v.options for v in gloves.variants] == [{"Color": "Green"}, {"Color": "Yellow"}]
    assert [v.price for v in gloves.variants] == [9.99, 15.99]
    assert [v.id for v in gloves.variants] == ["gardening-gloves:green", "gardening-gloves:yellow"]
    assert len(gloves.images) == 2


def test_stock_counts_only_when_shopify_tracks_it() -> None:
    records = _by_id(read_shopify(SHOPIFY_CSV))
    # tracked by Shopify: the quantity is the stock count
    wheelbarrow = records["grey-wheelbarrow"].variants[0]
    assert wheelbarrow.inventory == 8 and wheelbarrow.in_stock
    # no tracker: a quantity of 0 does not make the product unavailable
    can = records["watering-can"].variants[0]
    assert can.inventory is None and can.in_stock


# --- small exports for the rules the real one lacks --------------------------------------


def test_inventory_tracker_quantity_and_policy_decide_availability(tmp_path: Path) -> None:
    base = {"Title": "Tee", "Option1 Name": "Size", "Variant Inventory Tracker": "shopify"}
    rows = [
        base | {"Handle": "tee", "Option1 Value": "S", "Variant Price": "10",
                "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny"},
        {"Handle": "tee", "Option1 Value": "M", "Variant Price": "10",
         "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "4",
         "Variant Inventory Policy": "deny"},
        {"Handle": "tee", "Option1 Value": "L", "Variant Price": "10",
         "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0",
         "Variant Inventory Policy": "continue"},
        {"Handle": "tee", "Option1 Value": "XL", "Variant Price": "10",
         "Variant Inventory Qty": "0", "Variant Inventory Policy": "deny"},
    ]  # fmt: skip
    result = read_shopify(write_csv(tmp_path / "p.csv", CLASSIC, rows))
    assert result.skipped == []
    (tee,) = result.records
    got = {v.options["Size"]: (v.inventory, v.in_stock) for v in tee.variants}
    assert got == {
        "S": (0, False),  # tracked, none left, selling stops
        "M": (4, True),
        "L": (0, True),  # tracked, none left, but the policy keeps selling
        "XL": (None, True),  # untracked
    }


def test_images_follow_image_position_not_row_order(tmp_path: Path) -> None:
    rows = [
        {"Handle": "vase", "Title": "Vase", "Variant Price": "30",
         "Image Src": "https://cdn.example/c.jpg", "Image Position": "3"},
        {"Handle": "vase", "Image Src": "https://cdn.example/a.jpg", "Image Position": "1",
         "Image Alt Text": "front"},
        {"Handle": "vase", "Image Src": "https://cdn.example/b.jpg", "Image Position": "2"},
        {"Handle": "vase", "Image Src": "//cdn.example/d.jpg", "Image Position": "4"},
    ]  # fmt: skip
    (vase,) = read_shopify(write_csv(tmp_path / "p.csv", CLASSIC, rows)).records
    assert [(i.src, i.alt) for i in vase.images] == [
        ("https://cdn.example/a.jpg", "front"),
        ("https://cdn.example/b.jpg", ""),
        ("https://cdn.example/c.jpg", ""),
        ("https://cdn.example/d.jpg", ""),  # protocol-relative made absolute
    ]
    assert len(vase.variants) == 1  # image-only rows are not variants


def test_a_bad_image_is_left_out_and_a_bad_position_goes_last(tmp_path: Path) -> None:
    rows = [
        {"Handle": "vase", "Title": "Vase", "Variant Price": "30",
         "Image Src": "https://cdn.example/b.jpg", "Image Position": "first"},
        {"Handle": "vase", "Image Src": "files/a.jpg", "Image Position": "1"},  # row 3
        {"Handle": "vase", "Image Src": "https://cdn.example/c.jpg", "Image Position": "2"},
    ]  # fmt: skip
    result = read_shopify(write_csv(tmp_path / "p.csv", CLASSIC, rows))
    (vase,) = result.records
    assert [i.src for i in vase.images] == [
        "https://cdn.example/c.jpg",
        "https://cdn.example/b.jpg",
    ]
    assert [(s.row, s.key) for s in result.skipped] == [(3, "vase")]
    assert "absolute" in result.skipped[0].reason and "\n" not in result.skipped[0].reason


def test_bad_rows_are_skipped_with_row_and_reason_and_the_rest_imports(tmp_path: Path) -> None:
    rows = [
        {"Handle": "tee", "Title": "Tee", "Option1 Name": "Size", "Option1 Value": "S",
         "Variant Price": "10.00", "Status": "active"},
        {"Handle": "tee", "Option1 Value": "M", "Variant Price": "ten"},  # row 3
        {"Handle": "tee", "Option1 Value": "L", "Variant Price": "12.50"},
        {"Handle": "old", "Title": "Old", "Variant Price": "5", "Status": "archived"},  # row 5
        {"Handle": "", "Title": "Nameless", "Variant Price": "5"},  # row 6
        {"Handle": "neg", "Title": "Negative", "Variant Price": "-5"},  # row 7
        {"Handle": "mug", "Title": "Mug", "Variant Price": "8"},
        {"Handle": "no title", "Variant Price": "8"},  # row 9: not a URL handle
        {"Handle": "orphan", "Variant Price": "8"},  # row 10: no row with a Title
    ]  # fmt: skip
    result = read_shopify(write_csv(tmp_path / "p.csv", CLASSIC, rows))

    assert result.rows == 9
    records = _by_id(result)
    assert set(records) == {"tee", "mug"}
    assert [(v.options["Size"], v.price) for v in records["tee"].variants] == [
        ("S", 10.0),
        ("L", 12.5),
    ]
    skipped = {(s.row, s.key): s.reason for s in result.skipped}
    assert "ten" in skipped[(3, "tee")] and "variant left out" in skipped[(3, "tee")]
    assert skipped[(5, "old")] == "archived"
    assert skipped[(6, "")] == "no Handle"
    assert "price" in skipped[(7, "neg")]
    assert (9, "no title") in skipped
    assert (10, "orphan") in skipped and "Title" in skipped[(10, "orphan")]
    assert "old" not in records and "neg" not in records


def test_draft_and_unpublished_products_are_kept_as_drafts(tmp_path: Path) -> None:
    rows = [
        {"Handle": "a", "Title": "A", "Variant Price": "1", "Status": "draft"},
        {"Handle": "b", "Title": "B", "Variant Price": "1", "Published": "false"},
        {"Handle": "c", "Title": "C", "Variant Price": "1", "Status": "Active"},
    ]
    records = _by_id(read_shopify(write_csv(tmp_path / "p.csv", CLASSIC, rows)))
    assert {k: r.status for k, r in records.items()} == {"a": "draft", "b": "draft", "c": "active"}


def _as_2025(row: dict[str, str]) -> dict[str, str]:
    rename = {
        "Handle": "URL handle", "Body (HTML)": "Description", "Published": "Published on online store",
        "Variant SKU": "SKU", "Option1 Name": "Option1 name", "Option1 Value": "Option1 value",
        "Variant Price": "Price", "Variant Compare At Price": "Compare-at price",
        "Variant Inventory Tracker": "Inventory tracker",
        "Variant Inventory Qty": "Inventory quantity",
        "Image Src": "Product image URL", "Image Position": "Image position",
        "Image Alt Text": "Image alt text",
    }  # fmt: skip
    out = {rename.get(k, k): v for k, v in row.items() if k != "Variant Inventory Policy"}
    if "Variant Inventory Policy" in row:
        policy = row["Variant Inventory Policy"]
        out["Continue selling when out of stock"] = "TRUE" if policy == "continue" else "FALSE"
    return out


def test_the_2025_column_format_reads_the_same_as_the_classic_one(tmp_path: Path) -> None:
    rows = [
        {"Handle": "linen-shirt", "Title": "Linen Shirt", "Body (HTML)": "<p>Pure linen</p>",
         "Vendor": "Acme", "Type": "Shirts", "Tags": "summer, linen", "Published": "TRUE",
         "Status": "active", "Variant SKU": "LS-S", "Option1 Name": "Size",
         "Option1 Value": "S", "Variant Price": "49.00", "Variant Compare At Price": "59.00",
         "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0",
         "Variant Inventory Policy": "deny", "Image Src": "https://cdn.example/ls2.jpg",
         "Image Position": "2", "Image Alt Text": "back"},
        {"Handle": "linen-shirt", "Variant SKU": "LS-M", "Option1 Value": "M",
         "Variant Price": "49.00", "Variant Inventory Tracker": "shopify",
         "Variant Inventory Qty": "0", "Variant Inventory Policy": "continue",
         "Image Src": "https://cdn.example/ls1.jpg", "Image Position": "1"},
        {"Handle": "old-shirt", "Title": "Old Shirt", "Variant Price": "9", "Status": "archived"},
    ]  # fmt: skip
    classic = read_shopify(write_csv(tmp_path / "classic.csv", CLASSIC, rows))
    new = read_shopify(write_csv(tmp_path / "new.csv", NEW_2025, [_as_2025(r) for r in rows]))
    assert [r.model_dump() for r in new.records] == [r.model_dump() for r in classic.records]
    assert new.skipped == classic.skipped == classic.skipped[:1]
    (shirt,) = new.records
    assert shirt.id == "linen-shirt" and shirt.vendor == "Acme" and shirt.type == "Shirts"
    assert [(v.sku, v.options, v.price, v.compare_at_price) for v in shirt.variants] == [
        ("LS-S", {"Size": "S"}, 49.0, 59.0),
        ("LS-M", {"Size": "M"}, 49.0, None),
    ]
    assert [v.in_stock for v in shirt.variants] == [False, True]
    assert [i.src for i in shirt.images] == [
        "https://cdn.example/ls1.jpg",
        "https://cdn.example/ls2.jpg",
    ]


def test_a_file_without_a_handle_column_is_refused_clearly(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "orders.csv", ["Name", "Title", "Price"], [{"Name": "x", "Title": "y"}]
    )
    with pytest.raises(DataImportError) as caught:
        read_shopify(path)
    message = caught.value.message
    assert "orders.csv" in message and "Handle" in message and "Name" in message


def test_a_missing_file_is_a_data_import_error(tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="not found"):
        read_shopify(tmp_path / "nope.csv")


def test_a_windows_1252_file_is_read(tmp_path: Path) -> None:
    rows = [
        {"Handle": "cafe-mug", "Title": "Café Mug – Crème", "Body (HTML)": "<p>Größe: 300 ml</p>",
         "Vendor": "Señor Ceramics", "Variant Price": "12,50"},
    ]  # fmt: skip
    path = write_csv(tmp_path / "p.csv", CLASSIC, rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # the file really is not UTF-8
    (mug,) = read_shopify(path).records
    assert mug.title == "Café Mug – Crème"
    assert mug.vendor == "Señor Ceramics"
    assert mug.body_html == "<p>Größe: 300 ml</p>"
    assert mug.variants[0].price == 12.5


def test_a_utf8_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    rows = [{"Handle": "mug", "Title": "Mug", "Variant Price": "8"}]
    path = write_csv(tmp_path / "p.csv", CLASSIC, rows, encoding="utf-8-sig")
    assert [r.id for r in read_shopify(path).records] == ["mug"]
