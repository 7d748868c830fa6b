"""Shopify's product export (``products_export.csv``), as merchants download it.

Both the classic export and the 2025 one (``URL handle``, ``Price``, ``Product image
URL`` …) are read. Rows are grouped by ``Handle``. The first row of a handle with a
``Title`` is the product row (title, body, vendor, type, tags, option names, status and
the first variant); the rows after it are more variants (option values, price, SKU,
stock) or images only (``Image Src`` / ``Image Position`` / ``Image Alt Text``).
Archived products are left out;
a row that cannot be read is skipped with its row number and the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from catalog.sync.csvfile import number, read_rows, truthy
from catalog.sync.records import ImageRecord, ProductRecord, VariantRecord
from catalog.sync.report import ReadResult, validation_reason

_DEFAULT_OPTION = ("title", "default title")
# Shopify's 2025 export names its columns differently; read it as the classic one.
NEW_COLUMNS = {
    "URL handle": "Handle",
    "Description": "Body (HTML)",
    "Product category": "Product Category",
    "Published on online store": "Published",
    "SKU": "Variant SKU",
    "Price": "Variant Price",
    "Compare-at price": "Variant Compare At Price",
    "Inventory tracker": "Variant Inventory Tracker",
    "Inventory quantity": "Variant Inventory Qty",
    "Continue selling when out of stock": "Variant Inventory Policy",
    "Weight value (grams)": "Variant Grams",
    "Product image URL": "Image Src",
    "Image position": "Image Position",
    "Image alt text": "Image Alt Text",
    "Variant image URL": "Variant Image",
} | {f"Option{i} {w}": f"Option{i} {w.title()}" for i in (1, 2, 3) for w in ("name", "value")}
_METAFIELD = re.compile(r"^(?:(?P<label>.+?)\s*)?\(?(?:product\.)?metafields\.(?P<key>[\w.-]+)\)?$")


def _metafield_name(column: str) -> str | None:
    """Return a metafield column's name ("Material (product.metafields.custom.material)")."""
    found = _METAFIELD.match(column)
    if not found:
        return None
    return (found.group("label") or found.group("key").split(".")[-1]).strip()


def _variant(row: dict[str, str], names: list[str]) -> VariantRecord:
    options: dict[str, str] = {}
    for i, name in enumerate(names, start=1):
        value = row.get(f"Option{i} Value", "")
        if name and value and (name.lower(), value.lower()) != _DEFAULT_OPTION:
            options[name] = value
    price = number(row.get("Variant Price", ""))
    if price is None:
        raise ValueError("Variant Price is empty")
    qty = number(row.get("Variant Inventory Qty", ""))
    tracked = bool(row.get("Variant Inventory Tracker")) and qty is not None
    keeps_selling = row.get("Variant Inventory Policy", "").lower() in ("continue", "true")
    image = row.get("Variant Image") or None
    return VariantRecord(
        sku=row.get("Variant SKU", ""),
        options=options,
        price=price,
        compare_at_price=number(row.get("Variant Compare At Price", "")) or None,
        inventory=int(qty) if tracked and qty is not None else None,
        available=True if keeps_selling else None,
        grams=number(row.get("Variant Grams", "")),
        image=image if image and image.startswith(("http", "//")) else None,
    )


def _status(row: dict[str, str]) -> str:
    status = row.get("Status", "").lower()
    if status in ("active", "draft", "archived"):
        return status
    return "draft" if truthy(row.get("Published", "")) is False else "active"


def _type(row: dict[str, str]) -> str | None:
    for column in ("Type", "Custom Product Type", "Standard Product Type"):
        value = row.get(column, "")
        if value:
            return value.split(">")[-1].strip()
    return None


def _product(handle: str, rows: list[tuple[int, dict[str, str]]], out: ReadResult) -> None:
    heads = [(n, r) for n, r in rows if r.get("Title")]
    if not heads:
        out.skip(rows[0][0], handle, "no row of this handle has a Title")
        return
    first_n, head = heads[0]
    status = _status(head)
    if status == "archived":
        out.skip(first_n, handle, "archived")
        return
    names = [head.get(f"Option{i} Name", "") for i in (1, 2, 3)]
    variants: list[VariantRecord] = []
    images: dict[str, ImageRecord] = {}
    positions: dict[str, float] = {}
    for n, row in rows:
        src = row.get("Image Src", "")
        if src and src not in images:
            try:
                image = ImageRecord(src=src, alt=row.get("Image Alt Text", "")[:500])
            except ValidationError as exc:
                out.skip(n, handle, f"Image Src left out: {validation_reason(exc)}")
            else:
                try:  # an unreadable position puts the image last, it does not drop it
                    position = number(row.get("Image Position", ""))
                except ValueError:
                    position = None
                images[src] = image
                # keyed by the cleaned src ("//cdn…" becomes "https://cdn…"): the sort's key
                positions[image.src] = position or 1e9 + len(positions)
        is_variant = (n, row) == (first_n, head) or any(
            row.get(c) for c in ("Option1 Value", "Variant SKU", "Variant Price")
        )
        if not is_variant:
            continue
        try:
            variants.append(_variant(row, names))
        except (ValidationError, ValueError) as exc:
            reason = validation_reason(exc) if isinstance(exc, ValidationError) else str(exc)
            out.skip(n, handle, f"variant left out: {reason}")
    if not variants:
        out.skip(first_n, handle, "no variant with a price")
        return
    metafields = {}
    for column, value in head.items():
        name = _metafield_name(column)
        if name and value and not value.startswith("gid://"):
            metafields[name] = value[:1000]
    tags = [t.strip() for t in head.get("Tags", "").split(",") if t.strip()]
    try:
        out.records.append(
            ProductRecord(
                id=handle,
                title=head["Title"],
                body_html=head.get("Body (HTML)", ""),
                vendor=head.get("Vendor", ""),
                type=_type(head),
                category=head.get("Product Category") or head.get("Standard Product Type") or None,
                tags=tags[:250],
                metafields=metafields,
                images=sorted(images.values(), key=lambda i: positions[i.src])[:250],
                status="draft" if status == "draft" else "active",
                variants=variants,
            )
        )
    except ValidationError as exc:
        out.skip(first_n, handle, validation_reason(exc))


def read_shopify(path: str | Path) -> ReadResult:
    """Read a Shopify product export into records (archived products left out)."""
    out = ReadResult(source="shopify")
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for n, row in read_rows(path, ("Handle", "Title"), NEW_COLUMNS):
        out.rows += 1
        handle = row.get("Handle", "")
        if not handle:
            out.skip(n, "", "no Handle")
            continue
        if not re.fullmatch(r"[^\s/?#][^/?#]{0,199}", handle):
            out.skip(n, handle[:60], "the Handle is not a URL handle")
            continue
        groups.setdefault(handle, []).append((n, row))
    for handle, rows in groups.items():
        _product(handle, rows, out)
    return out
