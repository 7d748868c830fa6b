"""Write product records into the store: upsert, replace, delete, and read them back.

A record becomes one ``Product`` row and its ``Variant`` rows. Everything a record holds
is kept (the variant's SKU, compare-at price, stock count, weight and image go to
``Variant.details``), so exporting the store gives the records back. A product whose
rows would not change is not written at all, so its search document keeps its content
hash and is not embedded again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from tqdm import tqdm

from catalog.copywriting import ProductCopy
from catalog.db import create_schema, write_lock
from catalog.errors import InvalidInputError
from catalog.models import Product, Variant
from catalog.reviews import Review
from catalog.sync.derive import derive_features, derive_material, derive_type, description_of
from catalog.sync.records import ImageRecord, ProductRecord, VariantRecord

CHUNK = 500
# Attributes a record's own fields fill; any other attribute is the record's ``attributes``.
_OWN = {"type", "features", "material", "handle", "tags", "status", "image_url", "images"}
_OWN |= {"category_path", "url", "metafields"}


@dataclass
class WriteSummary:
    """What a write did to the store."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    variants: int = 0
    images: int = 0
    changed_ids: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Return True when any product was created, updated or removed."""
        return bool(self.created or self.updated or self.removed)


def product_rows(record: ProductRecord) -> tuple[Product, list[Variant]]:
    """Return the store rows of ``record`` (type, features and material derived if absent)."""
    text = description_of(record)
    ptype = derive_type(record)
    path = record.category or ""
    category = path.split(">")[0].strip() if path.strip() else ptype
    attributes: dict[str, Any] = {
        **{k: v for k, v in record.attributes.items() if k not in _OWN},
        "type": ptype,
        "features": derive_features(record, ptype),
        "material": derive_material(record, text),
        "handle": record.handle or record.id,
        "tags": list(record.tags),
        "status": record.status,
    }
    if record.images:
        attributes["image_url"] = record.images[0].src
        attributes["images"] = [i.model_dump(exclude_defaults=True) for i in record.images]
    optional = {"category_path": path, "url": record.url, "metafields": record.metafields}
    attributes.update({k: v for k, v in optional.items() if v})
    product = Product(
        id=record.id,
        name=record.title,
        category=category[:200],
        brand=record.vendor,
        description=text,
        attributes=attributes,
    )
    variants = []
    for v in record.variants:
        details = v.model_dump(
            include={"sku", "compare_at_price", "inventory", "grams", "image"},
            exclude_none=True,
            exclude_defaults=True,
        )
        variants.append(
            Variant(
                id=str(v.id),
                product_id=record.id,
                options=dict(v.options),
                price=round(v.price, 2),
                available=v.in_stock,
                details=details,
            )
        )
    return product, variants


def record_of(product: Product, variants: list[Variant]) -> ProductRecord:
    """Return the record that :func:`product_rows` turns into these rows."""
    attrs = product.attributes or {}
    return ProductRecord(
        id=product.id,
        handle=attrs.get("handle") if attrs.get("handle") not in (None, product.id) else None,
        title=product.name,
        description=product.description,
        vendor=product.brand,
        type=attrs.get("type") or None,
        category=attrs.get("category_path")
        or (product.category if product.category not in ("", attrs.get("type")) else None),
        tags=list(attrs.get("tags", [])),
        features=list(attrs.get("features", [])),
        material=attrs.get("material") or "",
        metafields=dict(attrs.get("metafields", {})),
        images=[ImageRecord(**i) for i in attrs.get("images", [])],
        url=attrs.get("url"),
        status=attrs.get("status", "active"),
        attributes={k: v for k, v in attrs.items() if k not in _OWN},
        variants=[
            VariantRecord(
                id=v.id, options=dict(v.options), price=v.price, available=v.available,
                **(v.details or {}),
            )
            for v in variants
        ],
    )  # fmt: skip


def _same(a: Product, b: Product, av: list[Variant], bv: list[Variant]) -> bool:
    def key(v: Variant) -> tuple[Any, ...]:
        return (v.id, v.options, v.price, v.available, v.details or {})

    return (a.name, a.category, a.brand, a.description, a.attributes) == (
        b.name,
        b.category,
        b.brand,
        b.description,
        b.attributes,
    ) and sorted(map(key, av), key=str) == sorted(map(key, bv), key=str)


def _chunks(items: list[ProductRecord], size: int) -> Iterator[list[ProductRecord]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _remove(session: Session, ids: list[str]) -> None:
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        for table in (Variant, Review, ProductCopy):
            session.execute(delete(table).where(col(table.product_id).in_(part)))
        session.execute(delete(Product).where(col(Product.id).in_(part)))


class CatalogWriter:
    """Upsert, replace and delete products of the store."""

    def __init__(self, engine: Engine) -> None:
        """Write through ``engine`` (the schema is brought up to date first)."""
        create_schema(engine)
        self.engine = engine

    def upsert(
        self,
        records: Iterable[ProductRecord],
        *,
        replace: bool = False,
        progress: bool = False,
    ) -> WriteSummary:
        """Create or update ``records`` in one transaction; ``replace`` removes the others.

        A record whose variant id belongs to another product is not written; it is
        listed in ``conflicts``.
        """
        todo = list({r.id: r for r in records}.values())
        summary = WriteSummary()
        with (
            write_lock(self.engine),
            Session(self.engine) as session,
            tqdm(
                total=len(todo), desc="Writing products", unit="product", disable=not progress
            ) as bar,
        ):
            for chunk in _chunks(todo, CHUNK):
                self._write_chunk(session, chunk, summary)
                session.flush()
                bar.update(len(chunk))
            if replace:
                keep = {r.id for r in todo}  # a refused record keeps its old product
                gone = [p for p in session.exec(select(Product.id)) if p not in keep]
                _remove(session, gone)
                summary.removed = len(gone)
                summary.changed_ids.extend(gone)
            session.commit()
        return summary

    def _write_chunk(self, session: Session, chunk: list[ProductRecord], out: WriteSummary) -> None:
        ids = [r.id for r in chunk]
        old = {p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(ids)))}
        old_variants: dict[str, list[Variant]] = {}
        for v in session.exec(select(Variant).where(col(Variant.product_id).in_(ids))):
            old_variants.setdefault(v.product_id, []).append(v)
        wanted = [str(v.id) for r in chunk for v in r.variants]
        owners = {
            v.id: v.product_id
            for v in session.exec(select(Variant).where(col(Variant.id).in_(wanted)))
        }
        for record in chunk:
            product, variants = product_rows(record)
            foreign = [v.id for v in variants if owners.get(v.id, record.id) != record.id]
            if foreign:
                out.conflicts.append((record.id, f"variant id {foreign[0]!r} is another product's"))
                continue
            owners.update((v.id, record.id) for v in variants)  # a later record may not take them
            out.variants += len(variants)
            out.images += len(record.images)
            before = old.get(record.id)
            mine = old_variants.get(record.id, [])  # a bare product row has none
            if before is not None and _same(before, product, mine, variants):
                out.unchanged += 1
                continue
            if before is None:
                out.created += 1
                session.add(product)
            else:
                out.updated += 1
                session.merge(product)
                keep = {v.id for v in variants}
                for v in mine:
                    if v.id not in keep:
                        session.delete(v)
            for v in variants:
                session.merge(v)
            out.changed_ids.append(record.id)

    def delete(self, ids: list[str]) -> int:
        """Remove the products ``ids`` (with their variants, reviews and copy drafts)."""
        if not ids:
            raise InvalidInputError("give at least one product id to delete")
        with write_lock(self.engine), Session(self.engine) as session:
            found = list(session.exec(select(Product.id).where(col(Product.id).in_(ids))))
            _remove(session, found)
            session.commit()
        return len(found)

    def records(self) -> Iterator[ProductRecord]:
        """Yield every product of the store as a record, in id order."""
        with Session(self.engine) as session:
            ids = list(session.exec(select(Product.id).order_by(col(Product.id))))
            for start in range(0, len(ids), CHUNK):
                part = ids[start : start + CHUNK]
                products = session.exec(select(Product).where(col(Product.id).in_(part)))
                by_id = {p.id: p for p in products}
                variants: dict[str, list[Variant]] = {}
                query = select(Variant).where(col(Variant.product_id).in_(part))
                for v in session.exec(query.order_by(col(Variant.id))):
                    variants.setdefault(v.product_id, []).append(v)
                for pid in part:
                    if variants.get(pid):
                        yield record_of(by_id[pid], variants[pid])
