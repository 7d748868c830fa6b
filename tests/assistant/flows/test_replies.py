"""Prices in replies: the shop's currency, written the way each language writes money."""

from __future__ import annotations

import pytest

from assistant.flows.replies import money, shop_currency


@pytest.mark.parametrize(
    ("amount", "lang", "currency", "text"),
    [
        (19.7, "en", "EUR", "€19.70"),
        (19.7, "de", "EUR", "19,70 €"),
        (1234.5, "en", "EUR", "€1,234.50"),
        (1234.5, "de", "EUR", "1.234,50 €"),
        (1234.5, "fr", "GBP", "1.234,50 £"),
        (19.7, "en", "USD", "$19.70"),
        (1235.0, "en", "JPY", "¥1,235"),
        (1235.0, "de", "JPY", "1.235 ¥"),
        (19.7, "en", "KRW", "₩20"),
        (19.7, "en", "CHF", "19.70 CHF"),
        (19.7, "de", "CHF", "19,70 CHF"),
        (19.7, "en", "CAD", "CA$19.70"),
        (19.7, "en", "PLN", "19.70 PLN"),  # no symbol known: the code, after the amount
        (19.7, "it", "PLN", "19,70 PLN"),
        (0.0, "en", "EUR", "€0.00"),
    ],
)
def test_money_in_a_currency(amount: float, lang: str, currency: str, text: str) -> None:
    assert money(amount, lang, currency) == text


def test_money_uses_the_turns_shop_currency_when_none_is_given() -> None:
    assert money(5, "en") == "$5.00"
    token = shop_currency.set("EUR")
    try:
        assert money(5, "en") == "€5.00" and money(5, "es") == "5,00 €"
        assert money(5, "en", "GBP") == "£5.00"  # an explicit one wins
    finally:
        shop_currency.reset(token)
    assert money(5, "en") == "$5.00"
