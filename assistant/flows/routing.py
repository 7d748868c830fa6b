"""Code's overrides of what a message asks for, from what it plainly contains.

The reader (or the model) gives one :class:`Command`; these rules keep identifiers,
writes in progress and bare constraints where they belong whatever the intent says.
"""

from __future__ import annotations

from assistant.flows import identity, order_flows, recommend_flow, writing_flow
from assistant.flows import understand as u
from assistant.flows.command import Command
from assistant.flows.state import FlowState
from assistant.nlu.cues import asks_which_of
from assistant.nlu.message import Reading
from retrieval.vocabulary import CatalogVocabulary


def constrains(reading: Reading) -> bool:
    """Return True when the message states a constraint (budget, colour, size, feature, sort)."""
    return bool(
        reading.budget_min is not None
        or reading.budget_max is not None
        or reading.budget_about is not None
        or reading.colors
        or reading.colors_not
        or reading.sizes
        or reading.features
        or reading.options
        or reading.sort
    )


def answers_write(state: FlowState, reading: Reading | None) -> bool:
    """Return True when the message answers a return's question (which items, which refund).

    Anything but a plain other request ("talk to a person", "what's my order status",
    "never mind") continues the write that asked.
    """
    going = state.intent or {}
    if going.get("action") != "start_write" or not going.get("order") or state.pending:
        return False
    if reading is None:
        return True
    return reading.intent not in ("handoff", "deny", "order_status", "capabilities", "out_of_scope")


def names_a_product(text: str, cmd: Command, vocab: CatalogVocabulary | None) -> bool:
    """Return True when the message names a product type this store carries."""
    if u.is_greeting(text):
        return False
    return bool(
        vocab and (vocab.resolve_types(text) or (cmd.product and vocab.resolve_types(cmd.product)))
    )


def route(
    cmd: Command,
    state: FlowState,
    text: str,
    vocab: CatalogVocabulary | None = None,
    reading: Reading | None = None,
) -> str:
    """Code overrides of the model's action, from what the message plainly contains."""
    action = cmd.action
    write = order_flows.write_kind_in(text)
    if answers_write(state, reading) and action not in ("deny", "handoff"):
        if not u.order_ids_in(text):
            return "start_write"  # "the headphones" / "to my gift card" answers the question
    if action == "confirm" and not state.pending and identity.has_identity(text, cmd, state):
        return "authenticate"  # "sure, it's ann@x.com" answers the sign-in question
    if action in ("confirm", "deny") and not state.pending and names_a_product(text, cmd, vocab):
        return "search"  # "ah ok. what about a speaker under 60" with nothing waiting
    if action == "confirm":
        return "confirm" if state.pending and u.is_yes(text) else "nothing_to_confirm"
    if action == "deny" and not state.pending and cmd.write:
        # "just cancel it, i dont need it anymore" with nothing waiting: nothing to refuse,
        # a change asked for (it is only proposed, and waits for its own yes; "no, don't
        # cancel" comes after a proposal, which is waiting then)
        return "start_write"
    lang = reading.lang if reading is not None else "en"
    if action == "deny" and state.pending and order_flows.switches_write(state, text, lang):
        return "start_write"  # "no, don't cancel it: I'd rather pay with my visa"
    if action == "deny":
        return "deny" if state.pending else "declined"
    if action == "handoff":
        return "handoff"
    writing = writing_flow.request_in(text)
    if writing and not (u.order_ids_in(text) or u.email_in(text)):
        return writing  # "translate the description of …", "write a blurb for …"
    if u.order_ids_in(text) and write in ("cancel", "return"):
        return "start_write"
    if write and action not in ("start_write", "search", "refine"):
        if write != "change_order_address" or u.address_in(text):
            return "start_write"
    if action in ("search", "refine", "ask_product", "compare") and (
        u.order_ids_in(text) or u.email_in(text)
    ):
        return "order_status"
    if action in ("smalltalk", "provide_slot", "capabilities", "out_of_scope") and (
        identity.has_identity(text, cmd, state)
    ):
        return "authenticate"
    kind = recommend_flow.recommend_kind(text)
    if kind in ("similar", "together") and state.shown and action != "start_write":
        return "recommend"  # "show me alternatives to that one" is about a shown product
    if action in ("smalltalk", "capabilities", "out_of_scope", "recommend") and (
        names_a_product(text, cmd, vocab)
    ):
        return "search"
    if action in ("smalltalk", "capabilities", "out_of_scope") and recommend_flow.asks(text):
        return "recommend"
    if action == "provide_slot" and state.intent:
        return str(state.intent.get("action", "smalltalk"))
    if action == "refine" and not state.search:
        return "search"
    if (
        action in ("ask_product", "compare")
        and not state.shown
        and names_a_product(text, cmd, vocab)
    ):
        return "search"  # "2 personen zelt in grün" first: nothing shown to ask about
    if (
        action == "search"
        and state.search
        and reading is not None
        and not (reading.products or reading.categories or reading.missing)
        and constrains(reading)
    ):
        return "refine"  # "anything under 30?" after a search changes that search
    if (
        action == "ask_product"
        and reading is not None
        and not reading.items
        and (reading.features or reading.colors or reading.sizes or reading.options)
        and state.search
        and asks_which_of(reading.text)
    ):
        return "refine"  # "which of these are waterproof?": narrow the shown search
    return action
