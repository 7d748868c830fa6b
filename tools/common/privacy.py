"""What the model may see of a customer's profile: only what the shopper's request needs.

Emails are masked; a card's brand and last four digits only when the shopper asks about
cards or payment; gift-card balances only when they ask about balances or gift cards.
"""

from __future__ import annotations

import re
from typing import Any

_CARD_WORDS = re.compile(
    r"(?<!gift )\bcards?\b|\b(credit|debit|visa|mastercard|amex|last four|ending|payment|pay|paid|"
    r"karte|zahlung|carte|paiement|tarjeta|pago|carta|pagamento)\b",
    re.IGNORECASE,
)
_BALANCE_WORDS = re.compile(
    r"\b(balance|gift ?cards?|credit left|guthaben|gutschein|solde|saldo|carte cadeau|"
    r"tarjeta regalo|buono)\b",
    re.IGNORECASE,
)


def mask_email(email: str) -> str:
    """``ann.lee@example.com`` → ``a***@example.com``."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def payment_methods_for_model(methods: list[dict[str, Any]], asked: str) -> list[dict[str, Any]]:
    """Keep id and source always; brand/last four and balances only when ``asked`` needs them."""
    cards, balances = bool(_CARD_WORDS.search(asked)), bool(_BALANCE_WORDS.search(asked))
    out = []
    for m in methods:
        kept: dict[str, Any] = {"id": m.get("id"), "source": m.get("source")}
        if cards and m.get("source") == "credit_card":
            kept.update({k: m[k] for k in ("brand", "last_four") if k in m})
        if balances and m.get("source") == "gift_card" and "balance" in m:
            kept["balance"] = m["balance"]
        out.append(kept)
    return out
