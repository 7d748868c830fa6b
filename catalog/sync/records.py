"""The product record: one schema for JSON Lines files and the merchant REST API.

One line of a ``.jsonl`` file (and the body of ``PUT /v1/merchant/products/{id}``) is a
:class:`ProductRecord`::

    {"id": "ocean-blue-shirt", "title": "Ocean Blue Shirt", "vendor": "partners-demo",
     "type": "Shirts", "tags": ["men", "cotton"], "description": "Soft cotton shirt …",
     "images": [{"src": "https://cdn.example/ocean.jpg", "alt": "front"}],
     "variants": [{"sku": "OBS-S", "options": {"Size": "S"}, "price": 50.0,
                   "compare_at_price": 65.0, "inventory": 12}]}

Only ``id``, ``title`` and one variant with a ``price`` are required. ``type``,
``features`` and ``material`` are derived from the rest when absent (see
:mod:`catalog.sync.derive`); ``body_html`` is read as text when ``description`` is absent.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[^\s/?#][^/?#]{0,199}$"
Status = Literal["active", "draft", "archived"]


class ImageRecord(BaseModel):
    """A product image: an absolute http(s) URL and its alt text."""

    model_config = ConfigDict(extra="forbid")

    src: str = Field(min_length=1, max_length=2000, description="Absolute http(s) URL.")
    alt: str = Field(default="", max_length=500)

    @field_validator("src")
    @classmethod
    def _absolute(cls, value: str) -> str:
        value = value.strip()
        if value.startswith("//"):
            value = "https:" + value
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("an image src must be an absolute http(s) URL")
        return value


class VariantRecord(BaseModel):
    """One buyable variant: option values, price, stock."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None,
        pattern=ID_PATTERN,
        description="Stable variant id; default: the product id and the SKU, else the "
        "option values.",
    )
    sku: str = Field(default="", max_length=200)
    options: dict[str, str] = Field(default_factory=dict, description="{'Size': 'M', …}")
    price: float = Field(ge=0, le=1e12)
    compare_at_price: float | None = Field(default=None, ge=0, le=1e12)
    inventory: int | None = Field(default=None, description="Units in stock; None: untracked.")
    available: bool | None = Field(
        default=None, description="Sold now; default: inventory is untracked or above 0."
    )
    grams: float | None = Field(default=None, ge=0)
    image: str | None = Field(default=None, max_length=2000)

    @field_validator("options")
    @classmethod
    def _clean_options(cls, value: dict[str, str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, val in value.items():
            k, v = str(key).strip(), str(val).strip()
            if k and v:
                out[k] = v
        return out

    @property
    def in_stock(self) -> bool:
        """Return whether the variant can be bought now."""
        if self.available is not None:
            return self.available
        return self.inventory is None or self.inventory > 0


class ProductRecord(BaseModel):
    """One product as a merchant's catalog describes it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN, description="Stable product id (Shopify: the handle).")
    handle: str | None = Field(default=None, max_length=200, description="URL handle; = id.")
    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=50_000, description="Plain text.")
    body_html: str | None = Field(default=None, max_length=200_000)
    vendor: str = Field(default="", max_length=200)
    type: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=500, description="'A > B > C'.")
    tags: list[str] = Field(default_factory=list, max_length=250)
    features: list[str] | None = None
    material: str | None = Field(default=None, max_length=200)
    metafields: dict[str, str] = Field(default_factory=dict)
    images: list[ImageRecord] = Field(default_factory=list, max_length=250)
    url: str | None = Field(default=None, max_length=2000, description="The product page.")
    attributes: dict[str, Any] = Field(
        default_factory=dict, description="Other attributes, kept as they are (e.g. rating)."
    )
    status: Status = "active"
    variants: list[VariantRecord] = Field(min_length=1, max_length=2000)

    @field_validator("title", "vendor")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for tag in value:
            t = " ".join(str(tag).split())
            if t and t.lower() not in seen:
                seen[t.lower()] = t
        return list(seen.values())

    @model_validator(mode="after")
    def _variant_ids(self) -> ProductRecord:
        """Give every variant a stable id, unique within the product."""
        if not self.title.strip():
            raise ValueError("title is empty")
        used: set[str] = set()
        for n, v in enumerate(self.variants, start=1):
            if v.id is None:
                tail = v.sku.strip() or "-".join(_slug(x) for x in v.options.values()) or "default"
                # an id is a URL path segment: no "/", "?", "#" or spaces ("APS/27704")
                candidate = re.sub(r"[\s/?#]+", "-", f"{self.id}:{tail}")[:200]
                v.id = candidate if candidate not in used else f"{self.id}:{n}"
            if v.id in used:
                raise ValueError(f"variant id {v.id!r} is used twice")
            used.add(v.id)
        return self

    def dump(self) -> dict[str, Any]:
        """Return the record as JSON-ready data, without empty optional fields."""
        return self.model_dump(mode="json", exclude_none=True, exclude_defaults=True) | {
            "id": self.id,
            "title": self.title,
            "variants": [
                v.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                | {"price": v.price}
                for v in self.variants
            ],
        }


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.lower()).strip("-") or "x"
