"""The one command a shopper message is read into, and how code checks it.

The small model only fills this form (schema-constrained decoding, so it always parses);
code then keeps what the shopper really said: identifiers, budgets and names must appear
in the message, product words must be the shopper's or the catalog's (replies echo them)
and are resolved against the catalog by the flows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.nlu.message import Reading
from retrieval.vocabulary import words as stems

# An approximate budget ("about 40") is read as this band around it.
ABOUT_BAND = 0.25

Action = Literal[
    "search",
    "refine",
    "ask_product",
    "compare",
    "reviews",
    "recommend",
    "authenticate",
    "order_status",
    "start_write",
    "provide_slot",
    "confirm",
    "deny",
    "handoff",
    "translate",
    "describe",
    "smalltalk",
    "capabilities",
    "out_of_scope",
    "cart",
]
WriteKind = Literal[
    "cancel",
    "return",
    "exchange",
    "change_order_address",
    "change_payment",
    "change_items",
    "change_default_address",
]


class Command(BaseModel):
    """What the shopper's latest message asks for. Only ``action`` is required."""

    model_config = ConfigDict(extra="ignore")

    action: Action = "smalltalk"
    product: str | None = Field(default=None, description="Product words in English.")
    words: str | None = Field(default=None, description="The shopper's own product words.")
    features: list[str] = Field(default_factory=list, description="Features, in English.")
    color: str | None = None
    size: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    sort: Literal["price_asc", "price_desc", "rating"] | None = None
    item: int | None = Field(default=None, description="1-based position of a shown product.")
    email: str | None = None
    name: str | None = Field(default=None, description="First and last name, as typed.")
    zip: str | None = None
    order_id: str | None = None
    order: Literal["latest", "delivered", "pending", "all"] | None = None
    write: WriteKind | None = None

    @field_validator("features", mode="before")
    @classmethod
    def _features(cls, value: object) -> object:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    @field_validator("min_price", "max_price", mode="before")
    @classmethod
    def _money(cls, value: object) -> object:
        if isinstance(value, str):
            cleaned = re.sub(r"[^\d.]", "", value)
            return float(cleaned) if cleaned else None
        return value


def command_schema() -> dict[str, Any]:
    """Return the JSON schema the server constrains decoding to (optional fields may be omitted)."""
    schema = Command.model_json_schema()
    schema["required"] = ["action"]
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)
        prop.pop("title", None)
    schema.pop("title", None)
    schema.pop("description", None)
    schema["additionalProperties"] = False
    return schema


def parse_command(text: str) -> Command | None:
    """Parse the model's JSON (leniently: fences, prose around it); None if unusable."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    data = {k: v for k, v in data.items() if v not in (None, "", "null")}
    try:
        return Command.model_validate(data)
    except ValidationError:
        return None


def _typed(value: str | None, message: str) -> str | None:
    """Keep ``value`` only if the shopper typed it (case- and space-insensitive)."""
    if not value:
        return None
    norm = re.sub(r"\s+", " ", value.strip().lower())
    return value.strip() if norm and norm in re.sub(r"\s+", " ", message.lower()) else None


_LINKISH = re.compile(r"://|[@\\<>]|\bwww\.", re.IGNORECASE)


def _grounded_product(value: str | None, message: str, known: Collection[str]) -> str | None:
    """Keep the model's product words only if each is the shopper's or the catalog's.

    Replies echo them ("we don't carry …"), so a word the model made up, a URL or an
    address never gets there: every word stem must be in the message or in ``known`` (the
    stems of the catalog's types and features: the model writes product words in English).
    """
    if not value or _LINKISH.search(value):
        return None
    own = stems(value)
    allowed = set(stems(message)) | set(known)
    return value.strip() if own and all(w in allowed for w in own) else None


def ground(
    cmd: Command,
    message: str,
    prices: tuple[float | None, float | None],
    *,
    catalog_words: Collection[str] = (),
) -> Command:
    """Drop what the model invented.

    Identifiers and names must appear in the message; budgets come from the message's own
    price phrases (``prices``), never from the model; product words must be the
    shopper's or the catalog's (``catalog_words``, word stems).
    """
    min_price, max_price = prices
    return cmd.model_copy(
        update={
            "email": _typed(cmd.email, message),
            "name": _typed(cmd.name, message),
            "zip": _typed(cmd.zip, message),
            "order_id": _typed(cmd.order_id.lstrip("#") if cmd.order_id else None, message),
            "words": _typed(cmd.words, message),
            "product": _grounded_product(cmd.product, message, catalog_words),
            "min_price": min_price,
            "max_price": max_price,
        }
    )


def catalog_words(types: dict[str, set[str]]) -> frozenset[str]:
    """Return the word stems of the catalog's types and their features (``features_by_type``)."""
    return frozenset(w for t, feats in types.items() for p in (t, *feats) for w in stems(p))


def from_reading(reading: Reading) -> Command:
    """Return the command a :class:`Reading` amounts to (every value already checked by code)."""
    low, high = reading.budget_min, reading.budget_max
    if reading.budget_about is not None and low is None and high is None:
        low = round(reading.budget_about * (1 - ABOUT_BAND), 2)
        high = round(reading.budget_about * (1 + ABOUT_BAND), 2)
    product = reading.products[0].lower() if reading.products else None
    return Command(
        action=reading.intent,
        product=product,
        words=reading.product_words[0] if reading.product_words else product,
        features=list(reading.features),
        color=reading.colors[0] if reading.colors else None,
        size=reading.sizes[0] if reading.sizes else None,
        min_price=low,
        max_price=high,
        sort=reading.sort,
        item=next((i for i in reading.items if i > 0), None),
        email=reading.email,
        name=reading.name,
        zip=reading.zip,
        order_id=reading.order_ids[0].lstrip("#") if reading.order_ids else None,
        order=reading.order,
        write=reading.write,
    )


def merge(model: Command, reading: Reading) -> Command:
    """Return the model's action with the reader's checked slots (the model fills only gaps)."""
    mine = from_reading(reading)
    update = {
        k: v for k, v in mine.model_dump(exclude={"action"}).items() if v not in (None, [], "")
    }
    return model.model_copy(update=update)
