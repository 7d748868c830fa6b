"""Turn store products into search documents (text + metadata + content hash)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from catalog.models import Product, Variant


@dataclass(frozen=True)
class ProductDoc:
    """What the indexes see of one product."""

    product_id: str
    text: str
    metadata: dict[str, str | float | bool]
    content_hash: str
    option_sets: tuple[dict[str, str], ...] = ()

    @property
    def title(self) -> str:
        """Return the product's name: the first line of its text."""
        return self.text.split("\n", 1)[0]


def product_text(product: Product, variants: list[Variant]) -> str:
    """Build the text that is embedded and BM25-indexed for a product."""
    attrs = product.attributes or {}
    features = attrs.get("features") or []
    option_values: dict[str, set[str]] = {}
    for v in variants:
        for key, value in v.options.items():
            option_values.setdefault(key, set()).add(value)
    options = "; ".join(f"{k}: {', '.join(sorted(vs))}" for k, vs in sorted(option_values.items()))
    parts = [
        product.name,
        f"Category: {product.category}" if product.category else "",
        f"Brand: {product.brand}" if product.brand else "",
        f"Type: {attrs['type']}" if attrs.get("type") else "",
        ("Features: " + ", ".join(map(str, features))) if features else "",
        f"Material: {attrs['material']}" if attrs.get("material") else "",
        f"Options: {options}" if options else "",
        product.description,
    ]
    return "\n".join(p for p in parts if p)


def product_doc(product: Product, variants: list[Variant]) -> ProductDoc:
    """Build the document, with filterable metadata, for one product."""
    text = product_text(product, variants)
    prices = [v.price for v in variants] or [0.0]
    in_stock_prices = [v.price for v in variants if v.available]
    metadata: dict[str, str | float | bool] = {
        "category": product.category,
        "brand": product.brand,
        "min_price": min(prices),
        "max_price": max(prices),
        "in_stock": bool(in_stock_prices),
    }
    digest_src: dict[str, Any] = {"text": text, "meta": metadata}
    content_hash = hashlib.sha256(
        json.dumps(digest_src, sort_keys=True).encode("utf-8")
    ).hexdigest()[:32]
    metadata["content_hash"] = content_hash
    return ProductDoc(
        product.id, text, metadata, content_hash, tuple(dict(v.options) for v in variants)
    )
