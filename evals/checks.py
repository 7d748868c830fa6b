"""The per-turn checks a scenario writes under ``expect`` (tools, cards, reply, state).

Each function returns :class:`CheckResult` items named after the key they grade
(``cards.max_price``), so reports count failures per check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.nlu.numbers import numbers_in_words
from evals.facts import ProductFacts, StoreFacts, option_match
from evals.language import detect_language
from evals.records import CheckResult, TurnRecord
from evals.scenario import CardsExpect, ReplyExpect, TurnExpect

MONEY_RE = re.compile(
    r"(?:[$€£]\s?(\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?))"
    r"|(?:(\d{1,3}(?:[,.]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?"
    r"(?:\$|€|£|usd\b|dollars?\b|dollar\b|eur\b|euros?\b|dólares\b|dollari\b))",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def parse_amount(text: str) -> float | None:
    """Read ``1,234.50``, ``1.234,50``, ``19,70`` or ``19.7`` as a number."""
    t = text.replace(" ", "")
    if re.search(r"[.,]\d{1,2}$", t):
        whole, cents = t[: -len(re.split(r"[.,]", t)[-1]) - 1], re.split(r"[.,]", t)[-1]
        whole = re.sub(r"[.,]", "", whole)
        t = f"{whole}.{cents}"
    else:
        t = re.sub(r"[.,]", "", t)
    try:
        return round(float(t), 2)
    except ValueError:
        return None


def money_in(text: str) -> list[float]:
    """Money amounts written in ``text`` (with a currency sign or word)."""
    out = []
    for m in MONEY_RE.finditer(text):
        value = parse_amount(m.group(1) or m.group(2) or "")
        if value is not None:
            out.append(value)
    return out


def numbers_in(text: str) -> set[float]:
    """Every number in ``text``, as amounts rounded to cents (also written in words)."""
    found = {v for v in (parse_amount(n) for n in NUMBER_RE.findall(text)) if v is not None}
    return found | {round(v, 2) for v in numbers_in_words(text)}


@dataclass
class Seen:
    """What the conversation has shown so far: cards, tool results, shopper messages."""

    card_names: set[str] = field(default_factory=set)
    amounts: set[float] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)

    def add_turn(self, turn: TurnRecord) -> None:
        """Fold one finished turn's cards, tool results and shopper text in."""
        self.amounts |= numbers_in(turn.user)
        self.texts.append(turn.user.lower())
        for card in turn.cards:
            self.card_names.add(str(card.get("name", "")).lower())
            self.amounts.add(round(float(card.get("price", 0.0)), 2))
            for v in card.get("variants", []):
                self.amounts.add(round(float(v.get("price", 0.0)), 2))
        for call in turn.tools:
            self.texts.append(call.result.lower())
            self.amounts |= numbers_in(call.result)

    def shows_name(self, name: str) -> bool:
        """Return True when ``name`` was on a card or in a tool result."""
        n = name.lower()
        return n in self.card_names or any(n in t for t in self.texts)


def check_tools(expect: TurnExpect, turn: TurnRecord) -> list[CheckResult]:
    """``tools``: each was called; ``no_tools``: none was called."""
    out = []
    called = set(turn.tool_names)
    for name in expect.tools:
        out.append(
            CheckResult(
                check="tools",
                ok=name in called,
                detail=f"{name} called"
                if name in called
                else f"{name} not called (called: {sorted(called) or 'none'})",
            )
        )
    for name in expect.no_tools:
        out.append(
            CheckResult(
                check="no_tools",
                ok=name not in called,
                detail=f"{name} {'was' if name in called else 'not'} called",
            )
        )
    return out


def matching_set(cards: CardsExpect, facts: StoreFacts, bought: set[str]) -> dict[str, float]:
    """Products meeting every static constraint of the block → their qualifying price."""
    out: dict[str, float] = {}
    for p in facts.products.values():
        if not _static_ok(cards, p) or (cards.not_purchased and p.id in bought):
            continue
        price = p.price_for(cards.options, cards.min_price, cards.max_price)
        if price is not None:
            out[p.id] = price
    return out


def _static_ok(cards: CardsExpect, p: ProductFacts) -> bool:
    if cards.type and p.type.lower() not in {t.lower() for t in cards.type}:
        return False
    if cards.category and p.category.lower() not in {c.lower() for c in cards.category}:
        return False
    return all(p.has_feature(f) for f in cards.feature or [])


def check_cards(
    cards: CardsExpect, turn: TurnRecord, facts: StoreFacts, bought: set[str]
) -> list[CheckResult]:
    """Grade the turn's cards against a ``cards`` block."""
    shown = turn.cards
    out = [
        CheckResult(
            check="cards.min",
            ok=len(shown) >= cards.min_count,
            detail=f"{len(shown)} cards, at least {cards.min_count} expected",
        )
    ]
    if cards.max is not None:
        out.append(
            CheckResult(
                check="cards.max",
                ok=len(shown) <= cards.max,
                detail=f"{len(shown)} cards, at most {cards.max} allowed",
            )
        )
    prods = [facts.products.get(str(c.get("id"))) for c in shown]
    prices = [float(c.get("price", 0.0)) for c in shown]

    def each(check: str, bad: list[str], what: str) -> None:
        out.append(
            CheckResult(
                check=check,
                ok=not bad,
                detail=f"{what}: {', '.join(bad[:5])}" if bad else f"all {what}",
            )
        )

    label = [str(c.get("name", c.get("id"))) for c in shown]
    if cards.max_price is not None:
        each(
            "cards.max_price",
            [
                f"{n} ${p:.2f}"
                for n, p in zip(label, prices, strict=True)
                if p > cards.max_price + 0.005
            ],
            f"≤ ${cards.max_price:g}",
        )
    if cards.min_price is not None:
        each(
            "cards.min_price",
            [
                f"{n} ${p:.2f}"
                for n, p in zip(label, prices, strict=True)
                if p < cards.min_price - 0.005
            ],
            f"≥ ${cards.min_price:g}",
        )
    if cards.type:
        each(
            "cards.type",
            [
                f"{n} ({p.type if p else '?'})"
                for n, p in zip(label, prods, strict=True)
                if p is None or p.type.lower() not in {t.lower() for t in cards.type}
            ],
            f"type in {cards.type}",
        )
    if cards.category:
        each(
            "cards.category",
            [
                f"{n} ({p.category if p else '?'})"
                for n, p in zip(label, prods, strict=True)
                if p is None or p.category.lower() not in {c.lower() for c in cards.category}
            ],
            f"category in {cards.category}",
        )
    if cards.feature:
        each(
            "cards.feature",
            [
                n
                for n, p in zip(label, prods, strict=True)
                if p is None or not all(p.has_feature(f) for f in cards.feature)
            ],
            f"features {cards.feature}",
        )
    if cards.options:
        want = cards.options

        def has(c: dict[str, Any]) -> bool:
            return any(
                bool(v.get("available")) and option_match(dict(v.get("options") or {}), want)
                for v in c.get("variants") or []
                if isinstance(v, dict)
            )

        each(
            "cards.options",
            [n for n, c in zip(label, shown, strict=True) if not has(c)],
            f"in-stock variant with {want}",
        )
    if cards.sorted:
        asc = cards.sorted == "price_asc"
        ok = all(
            (a <= b + 0.005) if asc else (a >= b - 0.005)
            for a, b in zip(prices, prices[1:], strict=False)
        )
        out.append(
            CheckResult(
                check="cards.sorted",
                ok=ok and len(prices) >= 1,
                detail=f"prices {prices} should be {cards.sorted}",
            )
        )
    if cards.cheapest or cards.best_rated:
        pool = matching_set(cards, facts, bought)
        first = str(shown[0].get("id")) if shown else ""
        if cards.cheapest:
            best = min(pool.values()) if pool else None
            ok = bool(shown) and first in pool and best is not None and pool[first] <= best + 0.005
            cheapest_name = facts.products[min(pool, key=lambda k: pool[k])].name if pool else "-"
            out.append(
                CheckResult(
                    check="cards.cheapest",
                    ok=ok,
                    detail=(
                        f"card 1 {label[0] if shown else 'none'}; cheapest qualifying is "
                        f"{cheapest_name} at ${best if best is not None else 0:.2f}"
                    ),
                )
            )
        if cards.best_rated:
            rated = {k: facts.products[k].rating or 0.0 for k in pool}
            top = max(rated.values()) if rated else None
            ok = bool(shown) and first in rated and top is not None and rated[first] >= top
            out.append(
                CheckResult(
                    check="cards.best_rated",
                    ok=ok,
                    detail=(
                        f"card 1 {label[0] if shown else 'none'} rated "
                        f"{rated.get(first, 'n/a')}; best qualifying rating is {top}"
                    ),
                )
            )
    if cards.not_purchased:
        each(
            "cards.not_purchased",
            [n for n, c in zip(label, shown, strict=True) if str(c.get("id")) in bought],
            "not bought before",
        )
    return out


def check_reply(
    reply: ReplyExpect, turn: TurnRecord, seen: Seen, facts: StoreFacts
) -> list[CheckResult]:
    """Grade the reply text: language, mentions, grounded prices and product names."""
    text = turn.reply
    low = text.lower()
    out: list[CheckResult] = []
    if reply.language:
        stripped = text
        for card in turn.cards:
            stripped = stripped.replace(str(card.get("name", "")), " ")
        got = detect_language(stripped)
        out.append(
            CheckResult(
                check="reply.language",
                ok=got == reply.language.lower(),
                detail=f"detected {got}, expected {reply.language}",
            )
        )
    if reply.mentions_any:
        hit = [m for m in reply.mentions_any if m.lower() in low]
        out.append(
            CheckResult(
                check="reply.mentions_any",
                ok=bool(hit),
                detail=f"found {hit}" if hit else f"none of {reply.mentions_any}",
            )
        )
    if reply.mentions_all:
        miss = [m for m in reply.mentions_all if m.lower() not in low]
        out.append(
            CheckResult(
                check="reply.mentions_all",
                ok=not miss,
                detail=f"missing {miss}" if miss else "all present",
            )
        )
    if reply.not_mentions:
        bad = [m for m in reply.not_mentions if m.lower() in low]
        out.append(
            CheckResult(
                check="reply.not_mentions",
                ok=not bad,
                detail=f"mentions {bad}" if bad else "none present",
            )
        )
    if reply.grounded_prices:
        bad_amounts = [a for a in money_in(text) if a not in seen.amounts]
        out.append(
            CheckResult(
                check="reply.grounded_prices",
                ok=not bad_amounts,
                detail=f"amounts not shown anywhere: {bad_amounts}"
                if bad_amounts
                else "every amount was shown",
            )
        )
    if reply.grounded_products:
        bad_names = [n for n in facts.product_names_in(text) if not seen.shows_name(n)]
        out.append(
            CheckResult(
                check="reply.grounded_products",
                ok=not bad_names,
                detail=f"named but never shown: {bad_names}"
                if bad_names
                else "every product named was shown",
            )
        )
    return out


def check_state(expect: TurnExpect, turn: TurnRecord) -> list[CheckResult]:
    """``escalated``, ``authenticated`` and ``writes`` after the turn."""
    out = []
    if expect.escalated is not None:
        out.append(
            CheckResult(
                check="escalated",
                ok=turn.escalated == expect.escalated,
                detail=f"escalated={turn.escalated}",
            )
        )
    if expect.authenticated is not None:
        out.append(
            CheckResult(
                check="authenticated",
                ok=turn.authenticated == expect.authenticated,
                detail=f"authenticated={turn.authenticated}",
            )
        )
    if expect.writes is not None:
        out.append(
            CheckResult(
                check="writes",
                ok=len(turn.writes) == expect.writes,
                detail=f"{len(turn.writes)} writes, expected {expect.writes}",
            )
        )
    return out


def check_cart(expect: TurnExpect, turn: TurnRecord) -> list[CheckResult]:
    """``cart``: lines, total quantity, types, a line's options and the total's ceiling."""
    want = expect.cart
    if want is None:
        return []
    cart = turn.cart or {"lines": [], "total": 0.0}
    lines = [ln for ln in cart.get("lines", []) if ln.get("available", True)]
    out: list[CheckResult] = []

    def add(check: str, ok: bool, detail: str) -> None:
        out.append(CheckResult(check=f"cart.{check}", ok=ok, detail=detail))

    if want.lines is not None:
        add("lines", len(lines) == want.lines, f"{len(lines)} lines, expected {want.lines}")
    if want.quantity is not None:
        total = sum(int(ln.get("quantity", 0)) for ln in lines)
        add("quantity", total == want.quantity, f"quantity {total}, expected {want.quantity}")
    if want.types:
        have = {str(ln.get("product_type", "")).lower() for ln in lines}
        missing = [t for t in want.types if t.lower() not in have]
        add("types", not missing, f"missing {missing}" if missing else "every type is in it")
    if want.options:
        wanted = {k.lower(): str(v).lower() for k, v in want.options.items()}
        ok = any(
            all(
                str(ln.get("options", {}).get(k, ln.get("options", {}).get(k.title(), ""))).lower()
                == v
                for k, v in wanted.items()
            )
            for ln in lines
        )
        seen = [ln.get("options") for ln in lines]
        add("options", ok, f"line options {seen}, expected one with {want.options}")
    if want.max_total is not None:
        total_price = float(cart.get("total", 0.0))
        add(
            "max_total",
            total_price <= want.max_total + 1e-6,
            f"total {total_price:.2f}, at most {want.max_total:.2f}",
        )
    return out
