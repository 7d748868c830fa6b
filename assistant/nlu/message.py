"""The one typed object a shopper message is read into; every flow uses it, none re-reads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, TypeVar

from pydantic import BaseModel, Field

V = TypeVar("V")
Intent = Literal[
    "search", "refine", "ask_product", "compare", "reviews", "recommend", "authenticate",
    "order_status", "start_write", "confirm", "deny", "handoff", "translate", "describe",
    "smalltalk", "capabilities", "out_of_scope", "cart",
]  # fmt: skip
Sort = Literal["price_asc", "price_desc", "rating"]
Write = Literal[
    "cancel", "return", "exchange", "change_order_address", "change_payment", "change_items",
    "change_default_address",
]  # fmt: skip
Cart = Literal["add", "remove", "update", "view", "checkout"]
"""The cart operation a message asks for (intent ``cart``).

``add`` a product to the cart, ``remove`` a line, ``update`` a line's quantity or variant
(size, colour), ``view`` the cart (its lines, total, whether it fits a budget) and
``checkout``. A quantity ("make it two") is read by code from the text, not by this slot.
"""


class SlotSpan(BaseModel):
    """Where a slot was read: ``text[start:end]`` gave ``slot`` = ``value``."""

    slot: str
    value: str
    start: int
    end: int


def cut_spans(text: str, spans: Iterable[SlotSpan]) -> str:
    """Return ``text`` with each span's words replaced by one space (the rest as typed)."""
    for span in sorted(spans, key=lambda s: -s.start):
        text = text[: span.start] + " " + text[span.end :]
    return text


class Reading(BaseModel):
    """What one message says, read once, each value checked against the message and catalog.

    Product words are canonical catalog names (``products``, ``categories``, ``features``,
    ``colors``, ``options``); numbers, names, emails, zips and order ids were typed. The
    closed slots (``sort``, ``write``, ``order``, ``target_lang``, ``cart``) are what the
    message as a whole says, read by the sentence heads (None when a head says none).
    """

    text: str
    lang: str = "en"
    intent: Intent = "smalltalk"
    confidence: float = 0.0
    alternatives: list[tuple[str, float]] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list, description="Catalog types named.")
    product_words: list[str] = Field(default_factory=list, description="As typed.")
    categories: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="Things named the shop lacks.")
    features: list[str] = Field(default_factory=list)
    colors: list[str] = Field(default_factory=list)
    colors_not: list[str] = Field(default_factory=list)
    sizes: list[str] = Field(default_factory=list)
    options: dict[str, str] = Field(default_factory=dict, description="Option name → value.")
    budget_min: float | None = None
    budget_max: float | None = None
    budget_about: float | None = None
    currency: str | None = None
    sort: Sort | None = None
    items: list[int] = Field(default_factory=list, description="1-based; -1 is the last.")
    email: str | None = None
    name: str | None = None
    zip: str | None = None
    order_ids: list[str] = Field(default_factory=list, description="Normalized '#W…'.")
    write: Write | None = None
    order: Literal["latest", "delivered", "pending"] | None = None
    target_lang: str | None = None
    cart: Cart | None = Field(
        default=None,
        description="The cart operation: add, remove, update (quantity or variant of a line), "
        "view (contents, total, budget) or checkout; None when the message asks none.",
    )
    spans: list[SlotSpan] = Field(default_factory=list)
    told: list[SlotSpan] = Field(
        default_factory=list,
        description="Things named in a story told before the request, not asked for: "
        '"my cat walked across the keyboard 😂 btw …" (assistant/nlu/asides.py).',
    )
    known_share: float = Field(
        default=1.0,
        description="Share of the message's words that the corpus or the shop knows "
        "(near 0 for gibberish).",
    )
    cue_groups: list[str] = Field(
        default_factory=list,
        description="The shared cue groups the message's words belong to (`cues.yaml`: "
        '"compare", "sell", "negation" …), looked up once by the reader.',
    )
    settled: bool = Field(
        default=False,
        description="The intent was settled by a check on the words (an order change no "
        "word names is product talk), not by the classifier's share: no model call needed.",
    )

    def in_slot(self, start: int, end: int) -> bool:
        """Whether characters ``start``–``end`` overlap a slot already read."""
        return any(s.start < end and start < s.end for s in self.spans)

    def drop(self, spans: list[SlotSpan]) -> None:
        """Take ``spans`` out, and their values where no other slot still reads them."""
        for span in spans:
            self.spans.remove(span)
        gone = {(s.slot, s.value) for s in spans} - {(s.slot, s.value) for s in self.spans}
        for slot, field in _LISTS.items():
            values: list[str] = getattr(self, field)
            setattr(self, field, [v for v in values if (slot, v) not in gone])
        self.options = {k: v for k, v in self.options.items() if ("option", v) not in gone}

    def slot_pairs(self) -> list[tuple[str, str]]:
        """(slot, value) pairs in the corpus's label vocabulary (for measuring)."""
        out: list[tuple[str, str]] = []
        out += [("product", p) for p in self.products]
        out += [("category", c) for c in self.categories]
        out += [("missing", m.lower()) for m in self.missing]
        out += [("feature", f) for f in self.features]
        out += [("color", c) for c in self.colors]
        out += [("color_not", c) for c in self.colors_not]
        out += [("size", s) for s in self.sizes]
        out += [("option", v) for v in self.options.values()]
        for slot in ("budget_min", "budget_max", "budget_about"):
            value = getattr(self, slot)
            if value is not None:
                out.append((slot, str(int(value)) if float(value).is_integer() else str(value)))
        out += [("item", str(i)) for i in self.items]
        out += [("order_id", o) for o in self.order_ids]
        for slot in (
            "currency",
            "sort",
            "email",
            "name",
            "zip",
            "write",
            "order",
            "target_lang",
            "cart",
        ):
            value = getattr(self, slot)
            if value is not None:
                out.append((slot, str(value)))
        return out


def add_value(values: list[V], value: V) -> V:
    """Append ``value`` to a slot's ``values`` once; return it."""
    if value not in values:
        values.append(value)
    return value


# the slots whose values a reading keeps in a list of its own (options are a dict)
_LISTS = {
    "product": "products", "category": "categories", "missing": "missing",
    "feature": "features", "color": "colors", "size": "sizes",
}  # fmt: skip
