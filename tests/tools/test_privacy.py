"""The model sees only the profile fields the shopper's request needs."""

from __future__ import annotations

from tools.common.privacy import mask_email, payment_methods_for_model

METHODS = [
    {"id": "credit_card_1", "source": "credit_card", "brand": "visa", "last_four": "4242"},
    {"id": "gift_card_1", "source": "gift_card", "balance": 73.5},
    {"id": "paypal_1", "source": "paypal"},
]


def test_emails_are_masked() -> None:
    assert mask_email("ann.lee@example.com") == "a***@example.com"
    assert mask_email("not-an-email") == "***"


def test_digits_and_balances_only_when_asked() -> None:
    plain = payment_methods_for_model(METHODS, "where is my order?")
    assert plain == [
        {"id": "credit_card_1", "source": "credit_card"},
        {"id": "gift_card_1", "source": "gift_card"},
        {"id": "paypal_1", "source": "paypal"},
    ]
    card = payment_methods_for_model(METHODS, "which card did I pay with?")
    assert card[0]["last_four"] == "4242" and "balance" not in card[1]
    balance = payment_methods_for_model(METHODS, "what's left on my gift card?")
    assert balance[1]["balance"] == 73.5 and "last_four" not in balance[0]
    assert payment_methods_for_model(METHODS, "Wie viel Guthaben habe ich?")[1]["balance"] == 73.5
