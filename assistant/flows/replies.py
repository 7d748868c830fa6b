"""Replies written by code from templates (``prompts/replies.json``) in en/de/fr/es/it.

Every product name, price, count, order id, item and status in a reply comes from tool
data through these templates; the model never writes them.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import prompts
from retrieval.lexicon import local_names

if TYPE_CHECKING:
    from assistant.flows.kit import TurnKit

LANGUAGES = ("en", "de", "fr", "es", "it")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(prompts.load("replies", ".json"))
    return data


def say(key: str, lang: str, **values: Any) -> str:
    """Render template ``key`` in ``lang`` (English when the language has none)."""
    entry = _table()[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values)


def replies_keys() -> set[str]:
    """Return the names of every reply template."""
    return set(_table())


def say_raw(key: str, lang: str) -> str:
    """Return template ``key`` in ``lang`` unrendered (placeholders left as they are)."""
    entry = _table()[key]
    return entry.get(lang) or entry["en"]


# The shop's currency for this turn (set from ``Deps.currency`` when a turn starts).
shop_currency: ContextVar[str] = ContextVar("shop_currency", default="USD")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "KRW": "₩"}
SYMBOLS |= {"CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "CHF": "CHF ", "SEK": "kr ", "BRL": "R$"}
NO_CENTS = {"JPY", "KRW", "VND", "IDR", "CLP", "ISK", "HUF"}


def money(amount: float, lang: str, currency: str | None = None) -> str:
    """``$19.70`` in English, ``19,70 $`` in the other languages, in the shop's currency."""
    code = currency or shop_currency.get()
    symbol = SYMBOLS.get(code, f"{code} ").strip()
    text = f"{amount:,.0f}" if code in NO_CENTS else f"{amount:,.2f}"
    if lang == "en":
        return (
            f"{symbol}{text}" if len(symbol) <= 3 and not symbol.isalpha() else f"{text} {symbol}"
        )
    whole, _, cents = text.partition(".")
    local = whole.replace(",", ".") + (f",{cents}" if cents else "")
    return f"{local} {symbol}"


_CONJUNCTIONS = {
    "and": {"en": "and", "de": "und", "fr": "et", "es": "y", "it": "e"},
    "or": {"en": "or", "de": "oder", "fr": "ou", "es": "o", "it": "o"},
}


def join(items: list[str], lang: str, conjunction: str = "and") -> str:
    """Return ``a, b and c`` (or ``a, b or c``) in the shopper's language."""
    word = _CONJUNCTIONS[conjunction].get(lang, conjunction)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def local_words(kit: TurnKit, lang: str) -> dict[str, str]:
    """Return the shop's words in ``lang`` for its features and colours ({} in English)."""
    if lang == "en":
        return {}
    return local_names(kit.ctx.deps.searcher.settings.synonyms, lang)


def word(value: object, local: dict[str, str]) -> str:
    """Return a catalog word in the shopper's language when the shop's synonyms have it."""
    text = str(value)
    return local.get(text.lower(), text)
