"""Recommendations: "for you", "similar to that one", "goes with it", best sellers.

Which list the shopper wants is read in code from the message (any of five languages);
the recommender and the shop's rules pick the products, and code writes the reply.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlmodel import Session

from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.replies import money, say
from assistant.flows.search_options import options_in
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from catalog.errors import ShopError
from catalog.models import Product
from retrieval.query_parser import parse_query
from tools.common.cart import CartOutput

Kind = Literal["for_you", "similar", "together", "popular"]

_SIMILAR = re.compile(
    r"\b(similar|alternatives?|comparable|something like (that|this|it)|like (that|this) one|"
    r"ähnlich\w*|alternativ\w*|similaires?|semblables?|parecid\w*|similares|simil[ei])\b",
    re.IGNORECASE,
)
_TOGETHER = re.compile(
    r"(?<!i'll )(?<!ill )(?<!i will )(?<!going )(?<!gonna )(?<!let's )(?<!lets )"
    r"\b(go(es)? (well )?with|goes together|bought (together|with)|accessor\w*|pair (it )?with|"
    r"dazu passend\w*|passt dazu|passen dazu|pass\w* gut zu|gut zu \w+ pass\w*|zubehör|qui va avec|"
    r"vont? bien avec|accessoires?|que combine|combina con|va bien con|accesorios|"
    r"che si abbina|abbin\w+|sta bene con|stanno bene con|accessori)\b",
    re.IGNORECASE,
)
_POPULAR = re.compile(
    r"\b(popular|best[- ]?sell\w*|trending|most bought|beliebt\w*|bestseller\w*|"
    r"populaires?|meilleures ventes|más vendid\w*|populares|popolari|più vendut\w*)\b",
    re.IGNORECASE,
)
_ASKS = re.compile(
    r"\b(recommend\w*|suggest\w*|empfehl\w*|vorschl\w*|recommand\w*|sugg[eé]r\w*|"
    r"recomi?end\w*|sugier\w*|consigli\w*|raccomand\w*)\b",
    re.IGNORECASE,
)
VIEWED_KEPT = 20


def recommend_kind(text: str) -> Kind | None:
    """Which recommendation list a message asks for, if it plainly asks for one."""
    if _SIMILAR.search(text):
        return "similar"
    if _TOGETHER.search(text):
        return "together"
    if _POPULAR.search(text):
        return "popular"
    if _ASKS.search(text):
        return "for_you"
    return None


def asks(text: str) -> bool:
    """Return True when the message asks for recommendations in so many words."""
    return bool(_ASKS.search(text))


def remember_viewed(state: FlowState, product_ids: list[str]) -> None:
    """Note products shown in this chat: they count as the shopper's interest."""
    kept = [p for p in state.viewed if p not in product_ids]
    state.viewed = (kept + product_ids)[-VIEWED_KEPT:]


async def recommend(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Run ``recommend_products`` with the list the shopper asked for, and describe it."""
    kind: Kind = recommend_kind(text) or "for_you"
    anchor: str | None = None
    asks_cart = kind == "together" or (kind == "for_you" and _says_cart(kit, text))
    in_cart = await _cart_products(kit, text) if asks_cart else []
    if in_cart:
        return await _with_cart(kit, state, in_cart, text, lang)
    if kind in ("similar", "together"):
        index = (cmd.item or 1) - 1
        anchor = state.shown[index] if 0 <= index < len(state.shown) else None
        if anchor is None:
            kind = "for_you"
    said = parse_query(text)
    args: dict[str, Any] = {
        "kind": kind,
        "product_id": anchor,
        "min_price": said.min_price,
        "max_price": said.max_price,
        "options": options_in(kit, cmd, text),
        "viewed": list(state.viewed),
        "limit": 5,
    }
    cards = await _listed(kit, state, args)
    if not cards:
        return say("recs_none", lang)
    if kind == "similar" or kind == "together":
        name = _anchor_name(kit, anchor)
        lead = say(f"recs_{kind}", lang, n=len(cards), name=name)
    else:
        lead = say(f"recs_{kind}", lang, n=len(cards))
    top = _top_pick(cards, lang)
    parts = [lead, top]
    if kind == "for_you" and not _signed_in(kit):
        parts.append(say("recs_sign_in", lang))
        # after the shopper signs in, the personal list is what they asked for
        state.intent = {"action": "recommend", "text": text, "turn": state.turn}
    return " ".join(parts)


def _says_cart(kit: TurnKit, text: str) -> bool:
    lang = kit.state.lang if kit.state else "en"
    return any(h.group in ("cart_word", "cart_view") for h in dialogue_hits(text, lang))


async def _cart_products(kit: TurnKit, text: str) -> list[str]:
    """Return the products in the cart, when the message is about it or nothing is shown."""
    if not _says_cart(kit, text) and kit.state is not None and kit.state.shown:
        return []
    result = await kit.call("view_cart")
    assert isinstance(result, CartOutput)
    return [ln.product_id for ln in result.cart.lines if ln.available]


async def _with_cart(
    kit: TurnKit, state: FlowState, product_ids: list[str], text: str, lang: str
) -> str:
    """Recommend companions of the cart's products ("what goes with my cart?")."""
    said = parse_query(text)
    args: dict[str, Any] = {
        "kind": "together",
        "product_ids": product_ids,
        "min_price": said.min_price,
        "max_price": said.max_price,
        "limit": 5,
    }
    cards = await _listed(kit, state, args)
    if not cards:
        return say("recs_none", lang)
    top = _top_pick(cards, lang)
    return f"{say('recs_cart', lang, n=len(cards))} {top}"


async def _listed(
    kit: TurnKit, state: FlowState, args: dict[str, Any]
) -> list[dict[str, Any]] | None:
    """Run ``recommend_products`` (empty arguments left out); its cards become the shown."""
    try:
        await kit.call(
            "recommend_products", **{k: v for k, v in args.items() if v not in (None, [], {})}
        )
    except ShopError:
        return None
    cards = kit.cards
    if not cards:
        return None
    state.shown = [str(c["id"]) for c in cards]
    # the reply names the first as the top pick: "add that one" / "is it waterproof?" mean it
    state.focus = state.shown[:1]
    remember_viewed(state, state.shown)
    return cards


def _top_pick(cards: list[dict[str, Any]], lang: str) -> str:
    """Name the first recommendation, its price and its reason."""
    first = cards[0]
    reason = _reason_in(str(first.get("reason") or "").rstrip(".?!"), lang)
    top = say("recs_top", lang, name=first["name"], price=money(float(first["price"]), lang),
              reason=reason)  # fmt: skip
    return top if reason else top.rstrip(". ") + "."


# the recommender's reasons, in English, as the shopper's language says them
_REASONS = (
    (re.compile(r"^Because you bought the (.+)$"), "reason_bought"),
    (re.compile(r"^Because you (?:looked at|viewed) the (.+)$"), "reason_viewed"),
    (re.compile(r"^Similar to the (.+?)(?:,.*)?$"), "reason_similar"),
    (re.compile(r"^Often bought with the (.+)$"), "reason_with"),
    (re.compile(r"^Popular in the shop.*$"), "reason_popular"),
)


def _reason_in(reason: str, lang: str) -> str:
    """Return a recommendation's reason in ``lang`` ("" when it has no words for it there)."""
    if lang == "en" or not reason:
        return reason
    for pattern, key in _REASONS:
        m = pattern.match(reason)
        if m:
            return say(key, lang, name=m.group(1) if m.groups() else "")
    return ""  # never an English sentence in another language's reply


def _anchor_name(kit: TurnKit, anchor: str | None) -> str:
    """Return the name of the product the list is about, from the store."""
    if anchor is None:
        return ""
    with Session(kit.ctx.deps.engine) as session:
        product = session.get(Product, anchor)
    return product.name if product else anchor


def _signed_in(kit: TurnKit) -> bool:
    user_id, scope = kit.ctx.deps.orders.binding(kit.ctx.conversation_id)
    return bool(user_id or scope)
