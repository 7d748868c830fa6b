"""Which change to a placed order a message asks for, read by code from its words.

"cancel it", "send it back", "to my new address": the write words of the message (none
under a negation: "don't cancel it"); "pay with my visa instead", "faire livrer chez ma
soeur": a change named by what it is about rather than by a verb.
"""

from __future__ import annotations

import re

from assistant.flows.command import WriteKind
from assistant.nlu.cues import dialogue_hits

_WRITE_WORDS: dict[str, re.Pattern[str]] = {
    "cancel": re.compile(r"\b(cancel|stornier|annul|cancelar|annullare)", re.I),
    "return": re.compile(
        r"\b(return|refund|send (?:it )?back|zurück|retourn|devolver|restitu)", re.I
    ),
    "change_default_address": re.compile(r"\b(default|my) address\b", re.I),
    "change_order_address": re.compile(r"\b(ship|send|deliver)\b.*\bto\b.*\d", re.I),
    # (not "swap the payment to my visa": that is paying another way)
    "exchange": re.compile(
        r"\b(exchange|swap|umtausch|umtauschen|eintauschen|échanger|échange|sostituire)\w*"
        r"(?!\s+(?:\w+\s+)?(?:payment|card|paypal|visa|method|zahlung|paiement|pago|pagamento))",
        re.I,
    ),
}


_NEGATED = re.compile(
    r"\b(?:don'?t|do not|not|no|nicht|kein\w*|pas|ne|non|nada)\W+(?:\w+\W+)?$", re.I
)


def write_kind_in(text: str) -> str | None:
    """Return the write a message asks for, read by code (``cancel``, ``return``, addresses).

    A write under a negation is not asked for ("no dont cancel it" asks no cancellation).
    """
    for kind, pattern in _WRITE_WORDS.items():
        if any(not _NEGATED.search(text[: m.start()]) for m in pattern.finditer(text)):
            return kind
    return None


def negated_writes(text: str) -> set[str]:
    """Return the writes a message names only under a negation ("don't cancel it")."""
    return {
        kind
        for kind, pattern in _WRITE_WORDS.items()
        if any(_NEGATED.search(text[: m.start()]) for m in pattern.finditer(text))
        and write_kind_in(text) != kind
    }


def unnamed_write(text: str, lang: str, options_named: bool = False) -> WriteKind:
    """Return the change a message asks for without naming it.

    Paying another way when it names a payment method ("i want to pay with my visa
    instead"), sending it elsewhere when it names another destination ("faire livrer ma
    commande chez ma soeur"), another colour or size of what was ordered when it names one
    (``options_named``: "ho ordinato lo spazzolino nero ma lo vorrei rosa"), else a
    cancellation (proposed only).
    """
    if names_paying(text, lang):
        return "change_payment"
    if names_delivery(text, lang):
        return "change_order_address"
    return "change_items" if options_named else "cancel"


def names_delivery(text: str, lang: str) -> bool:
    """Return True when the message asks for an order to go to another address."""
    return any(h.group == "deliver_to" for h in dialogue_hits(text, lang))


def names_paying(text: str, lang: str) -> bool:
    """Return True when the message speaks of paying or names a payment method."""
    groups = {h.group for h in dialogue_hits(text, lang)}
    # ("i want to pay" is a checkout cue in a cart; about an order, it is paying for it)
    return bool(
        groups & {"pay_with", "checkout", "refund_gift", "refund_credit_card", "refund_paypal"}
    )
