"""WooCommerce's product CSV (Products → Export), parents with their variation rows.

``simple`` and ``external`` products become one-variant records; a ``variable`` product
gets its ``variation`` rows (``Parent`` = the parent's SKU or ``id:<ID>``) as variants.
A variation attribute left empty means "any value" and is expanded over the parent's
values. ``grouped`` products are sold as their parts and are left out, as are rows
that cannot be read (with the row number and the reason).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from catalog.sync.csvfile import number, read_rows, truthy
from catalog.sync.records import ImageRecord, ProductRecord, VariantRecord
from catalog.sync.report import ReadResult, validation_reason

MAX_EXPANDED = 100


@dataclass
class _Parent:
    row_number: int
    row: dict[str, str]
    variations: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _kinds(row: dict[str, str]) -> set[str]:
    return {k.strip().lower() for k in row.get("Type", "").split(",") if k.strip()}


def _attributes(row: dict[str, str]) -> list[tuple[str, list[str]]]:
    out = []
    for i in range(1, 50):
        name = row.get(f"Attribute {i} name")
        if name is None:
            break
        values = [v.strip() for v in row.get(f"Attribute {i} value(s)", "").split(",")]
        if name:
            out.append((name, [v for v in values if v]))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-")


def _price(row: dict[str, str]) -> float:
    sale, regular = number(row.get("Sale price", "")), number(row.get("Regular price", ""))
    price = sale if sale is not None else regular
    if price is None:
        raise ValueError("no Regular price or Sale price")
    return price


def _variant(row: dict[str, str], options: dict[str, str], sku: str) -> VariantRecord:
    stock = number(row.get("Stock", ""))
    in_stock = truthy(row.get("In stock?", ""))
    backorders = truthy(row.get("Backorders allowed?", ""))
    sale, regular = number(row.get("Sale price", "")), number(row.get("Regular price", ""))
    image = row.get("Images", "").split(",")[0].strip()
    return VariantRecord(
        sku=sku,
        options=options,
        price=_price(row),
        compare_at_price=regular if sale is not None and regular and regular > sale else None,
        inventory=int(stock) if stock is not None else None,
        available=True if backorders else in_stock,
        image=image if image.startswith(("http://", "https://")) else None,
    )


def _variation_variants(parent: _Parent, out: ReadResult, key: str) -> list[VariantRecord]:
    values_of = dict(_attributes(parent.row))
    variants: list[VariantRecord] = []
    for n, row in parent.variations:
        fixed = [(name, vals[0] if vals else "") for name, vals in _attributes(row)]
        choices = [[v] if v else values_of.get(name, [])[:MAX_EXPANDED] for name, v in fixed]
        names = [name for name, _ in fixed]
        sku = row.get("SKU") or f"id-{row.get('ID', n)}"
        try:
            combos = list(itertools.islice(itertools.product(*choices), MAX_EXPANDED))
            for combo in combos:
                options = dict(zip(names, combo, strict=True))
                expanded = any(not v for _, v in fixed)
                tail = "-".join(_slug(v) for v in combo) if expanded else ""
                variants.append(_variant(row, options, f"{sku}-{tail}" if tail else sku))
        except (ValidationError, ValueError) as exc:
            reason = validation_reason(exc) if isinstance(exc, ValidationError) else str(exc)
            out.skip(n, key, f"variation left out: {reason}")
    return variants


def _record(parent: _Parent, out: ReadResult) -> None:
    row = parent.row
    sku, name = row.get("SKU", ""), row.get("Name", "")
    key = _slug(sku) or _slug(name) or f"id-{row.get('ID', parent.row_number)}"
    if not name:
        out.skip(parent.row_number, key, "no Name")
        return
    kinds = _kinds(row)
    metafields: dict[str, str] = {}
    if "variable" in kinds:
        variants = _variation_variants(parent, out, key)
    else:
        options = {}
        for attr, values in _attributes(row):
            if len(values) == 1:
                options[attr] = values[0]
            elif values:
                metafields[attr] = ", ".join(values)
        try:
            variants = [_variant(row, options, sku)]
        except (ValidationError, ValueError) as exc:
            reason = validation_reason(exc) if isinstance(exc, ValidationError) else str(exc)
            out.skip(parent.row_number, key, reason)
            return
    if not variants:
        out.skip(parent.row_number, key, "a variable product with no variation that has a price")
        return
    images = []
    for src in dict.fromkeys(s.strip() for s in row.get("Images", "").split(", ")):
        try:
            images.append(ImageRecord(src=src))
        except ValidationError:
            continue
    published = row.get("Published", "1").strip()
    description = row.get("Description") or row.get("Short description") or ""
    try:
        out.records.append(
            ProductRecord(
                id=key,
                handle=_slug(name) or key,
                title=name,
                body_html=description,
                category=row.get("Categories", "").split(",")[0].strip() or None,
                tags=[t.strip() for t in row.get("Tags", "").split(",") if t.strip()],
                metafields=metafields,
                images=images,
                url=row.get("External URL") or None,
                status="active" if published == "1" else "draft",
                variants=variants,
            )
        )
    except ValidationError as exc:
        out.skip(parent.row_number, key, validation_reason(exc))


def read_woocommerce(path: str | Path) -> ReadResult:
    """Read a WooCommerce product export into records."""
    out = ReadResult(source="woocommerce")
    parents: list[_Parent] = []
    by_ref: dict[str, _Parent] = {}
    orphans: list[tuple[int, dict[str, str]]] = []
    for n, row in read_rows(path, ("Type", "Name")):
        out.rows += 1
        kinds = _kinds(row)
        if "variation" in kinds:
            orphans.append((n, row))
        elif "grouped" in kinds:
            out.skip(n, row.get("SKU") or row.get("Name", ""), "grouped products sell their parts")
        elif kinds & {"simple", "variable", "external"}:
            parent = _Parent(n, row)
            parents.append(parent)
            for ref in (row.get("SKU"), f"id:{row.get('ID')}" if row.get("ID") else None):
                if ref:
                    by_ref[ref] = parent
        else:
            out.skip(n, row.get("Name", ""), f"unknown product Type {row.get('Type')!r}")
    for n, row in orphans:
        owner = by_ref.get(row.get("Parent", ""))
        if owner is None:
            out.skip(n, row.get("SKU", ""), f"variation of unknown Parent {row.get('Parent')!r}")
        else:
            owner.variations.append((n, row))
    for parent in parents:
        _record(parent, out)
    return out
