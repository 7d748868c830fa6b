"""A change waiting for the shopper's yes, and the messages that go on with it.

"refund it to my gift card" while a return waits, "no scratch that, send it to my office
instead: …" while an address change waits, "und falls geld zurückkommt, dann auf paypal"
while an exchange waits: the waiting change, proposed again with what the message adds;
"no, I'd rather pay with my visa" switches to another change.
"""

from __future__ import annotations

import re

from assistant.flows import understand as u
from assistant.flows.command import WriteKind
from assistant.flows.state import FlowState
from assistant.flows.write_kinds import names_paying, write_kind_in
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.tokens import keys
from retrieval.lexicon import fold

ITEMS_TOOL = "modify_pending_order_items"
WRITE_OF_TOOL: dict[str, WriteKind] = {
    ITEMS_TOOL: "change_items",
    "cancel_pending_order": "cancel",
    "return_delivered_order_items": "return",
    "exchange_delivered_order_items": "exchange",
    "modify_pending_order_address": "change_order_address",
    "modify_pending_order_payment": "change_payment",
}


# money coming back (an exchange's difference), not goods sent back
_MONEY_BACK = re.compile(
    r"\b(?:geld|money|refund|argent|rembours|dinero|reembols|soldi|rimbors|erstatt|differen)",
    re.IGNORECASE,
)


def continue_waiting(state: FlowState, text: str, lang: str) -> None:
    """Let a message about the waiting change go on with that change, not a new one.

    "the one with the rc car and the pillow, i ordered it by mistake" (a cancellation
    waits) or "refund it to my gift card" (a return waits) names no other change: the
    waiting one is proposed again with what the message adds. Paying another way while a
    cancellation waits is another change (a refund always goes back the way it was paid).
    """
    waiting = WRITE_OF_TOOL.get(str((state.pending or {}).get("tool", "")))
    named = write_kind_in(text)  # "just the e-reader, refund to my paypal": the same return
    if waiting == "exchange" and named == "return" and _MONEY_BACK.search(text):
        # "und falls geld zurückkommt, dann auf paypal": where the difference goes
        named = "exchange" if names_paying(text, lang) else named
    if waiting is None or state.intent or (named is not None and named != waiting):
        return
    if waiting not in ("return", "exchange", "change_items") and names_paying(text, lang):
        return
    # what it changes, kept when the message adds only how to pay ("the difference to my paypal")
    args = dict((state.pending or {}).get("call", {}).get("args") or {})
    state.intent = {
        "action": "start_write",
        "write": waiting,
        "order": state.last_order,
        "amends": True,  # start_write goes on with this change, whatever the words name
    }
    if args.get("item_ids"):
        state.intent |= {"items": args["item_ids"], "new_items": args.get("new_item_ids")}


def restated(state: FlowState, text: str, lang: str = "en") -> tuple[WriteKind, str] | None:
    """Return the waiting change and its order when ``text`` goes on with that change.

    "it's #W1465645, I don't need it anymore" gives the order and a reason: no refusal,
    whatever its "don't" (the same change is proposed again and waits for a yes). So does
    a reason alone ("es el de los auriculares. ya no lo necesito"), and a new zip for a
    waiting address ("ho sbagliato il cap, è 90405 non 90450").
    """
    if not state.pending:
        return None
    write = WRITE_OF_TOOL.get(str(state.pending.get("tool", "")))
    summary = str(state.pending.get("summary", ""))
    named = [o for o in u.order_ids_in(text) if o in summary]
    order = (state.pending.get("call") or {}).get("args", {}).get("order_id")
    if write in ("cancel", "return", "exchange") and order and not named:
        named = [str(order)] if only_reason_negated(text, lang) else []
    if write == "change_order_address" and order and corrected_zip(state, text):
        return write, str(order)
    if write == "change_order_address" and not named:
        # "no scratch that, send it to my office instead: 233 S Wacker Dr, …": another
        # address for the same order, proposed again (the new one waits for a yes)
        order = (state.pending.get("call") or {}).get("args", {}).get("order_id")
        new = u.address_in(text)
        if order and new is not None and new.address1 not in summary:
            return write, str(order)
    return (write, named[0]) if write is not None and named else None


def only_reason_negated(text: str, lang: str) -> bool:
    """Return True when every refusal word of ``text`` is inside a reason for the change.

    "ya no lo necesito", "i didn't mean to order it": the "no" / "didn't" is the reason
    for a cancellation or return, not a refusal of it.
    """
    words = keys(text)
    inside = {
        i
        for hit in dialogue_hits(text, lang)
        if hit.group == "reason_given"
        for i in range(hit.start, hit.end)
    }
    rest = " ".join(w for i, w in enumerate(words) if i not in inside)
    return bool(inside) and not u.is_no(rest)


def corrected_zip(state: FlowState, text: str) -> str | None:
    """Return the one new zip a message gives for the waiting address ("cap è 90405 non 90450").

    A full address is another address (``address_in``); a zip alone, other than the one the
    waiting address has, corrects that address.
    """
    fields = state.last_address or {}
    old = str(fields.get("zip", ""))
    if not old or u.address_in(text) is not None:
        return None
    new = {z for z in u.zips_in(text) if len(z) == 5 and z != old}  # (no zip+4)
    return new.pop() if len(new) == 1 else None


def switches_write(state: FlowState, text: str, lang: str) -> bool:
    """Return True when a refusal of the waiting change asks for another one instead.

    "no dont cancel it. i just want to pay with my visa instead of paypal": the cancel is
    refused, and a payment change is asked for (proposed on its own, it waits for a yes).
    """
    waiting = WRITE_OF_TOOL.get(str((state.pending or {}).get("tool", "")))
    if waiting is None:
        return False
    kind = write_kind_in(text) or ("change_payment" if names_paying(text, lang) else None)
    return kind is not None and kind != waiting


# changes that pick items of an order (the others are about the whole order)
_OF_ITEMS = ("return", "exchange", "change_items")


def narrows(state: FlowState, reading: Reading | None) -> bool:
    """Return True when a message picks among the items of the waiting change.

    "ok only the grey one, not the navy one. money back on my card" while the return of
    two hoodies waits: a value it names (colour, size, option, feature) is one the waiting
    change shows, so it describes those items (no refusal, no search); the change is
    proposed again with the items it keeps.
    """
    waiting = WRITE_OF_TOOL.get(str((state.pending or {}).get("tool", "")))
    if reading is None or waiting not in _OF_ITEMS:
        return False
    shown = fold(str((state.pending or {}).get("summary", "")))
    named = [
        *reading.colors, *reading.colors_not, *reading.sizes,
        *reading.options.values(), *reading.features,
    ]  # fmt: skip
    searches = reading.budget_max is not None or reading.budget_min is not None or reading.sort
    return not searches and any(
        re.search(rf"(?<!\w){re.escape(fold(str(v)))}(?!\w)", shown) for v in named
    )
