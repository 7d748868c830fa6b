"""Code's overrides of what a message asks for, from what it plainly contains.

The reader (or the model) gives one :class:`Command`; these rules keep identifiers,
writes in progress and bare constraints where they belong whatever the intent says.
"""

from __future__ import annotations

import re

from assistant.flows import (
    identity,
    order_flows,
    recommend_flow,
    waiting_change,
    write_kinds,
    writing_flow,
)
from assistant.flows import understand as u
from assistant.flows.command import Command
from assistant.flows.state import FlowState
from assistant.nlu.cues import affirmed_groups, asks_which_of, dialogue_hits
from assistant.nlu.message import Reading
from retrieval.vocabulary import CatalogVocabulary


def constrains(reading: Reading) -> bool:
    """Return True when the message states a constraint (budget, colour, size, feature, sort)."""
    return _searches_by(reading) or bool(
        reading.colors or reading.colors_not or reading.sizes or reading.options
    )


def _searches_by(reading: Reading) -> bool:
    """Return True when the message constrains more than the options of an item.

    A feature counts when typed: one only guessed from the meaning ("the one with the
    resistance bands, did that show up yet" reads like bands with handles) is no constraint.
    """
    return bool(
        reading.budget_min is not None
        or reading.budget_max is not None
        or reading.budget_about is not None
        or any(s.slot == "feature" for s in reading.spans)
        or reading.sort
    )


def answers_write(state: FlowState, reading: Reading | None) -> bool:
    """Return True when the message answers a return's question (which items, which refund).

    Anything but a plain other request ("talk to a person", "what's my order status",
    "never mind") continues the write that asked.
    """
    going = state.intent or {}
    if going.get("action") != "start_write" or state.pending:
        return False
    if not going.get("order"):
        # the account's address asked for: a message holding an address answers it
        asked = going.get("write") == "change_default_address"
        return asked and reading is not None and u.address_in(reading.text) is not None
    if reading is None:
        return True
    if reading.intent == "order_status" and going.get("order") in u.order_ids_in(reading.text):
        # "in order #W… the rug is too big, i'd like it in 4x6": the same order, with what
        # the change needs (an option or how to pay), answers the question
        return bool(reading.colors or reading.sizes or reading.options) or (
            write_kinds.names_paying(reading.text, reading.lang)
        )
    if reading.intent == "order_status" and not u.order_ids_in(reading.text):
        # "so wie ich bezahlt habe" read as a status question: how the refund goes back
        return write_kinds.names_paying(reading.text, reading.lang) or bool(
            {"refund_original", "refund_gift"} & affirmed_groups(reading.text, reading.lang)
        )
    return reading.intent not in ("handoff", "deny", "order_status", "capabilities", "out_of_scope")


def answers_which_order(state: FlowState, reading: Reading | None) -> str | None:
    """Return the order request a message goes on with when it answers "which order?".

    "the knife order. dont need it anymore": a product named, and nothing to search by (no
    budget, colour or other constraint), answers the question with the order holding it.
    """
    going = state.intent or {}
    if going.get("asked") != "which_order" or reading is None:
        return None
    if reading.order_ids and reading.intent in ("order_status", "start_write"):
        # "its order #W6965991. i dont need it anymore": the order asked for, whatever the
        # message reads as (an order id alone reads as a status question)
        return str(going.get("action"))
    if reading.intent not in _NOT_AN_ANSWER and order_flows.how_far(reading.text, reading.lang):
        return str(going.get("action"))  # "the order that hasnt shipped yet should go to …"
    if not reading.products or _searches_by(reading):
        return None
    if constrains(reading) or reading.intent in _NOT_AN_ANSWER:
        # "the one with the kettle and the 2 mugs in it, bought it by
        # mistake": pointing at what was ordered (its colours describe the items), whatever
        # the intent head made of the rest
        if not _describes_ordered(reading):
            return None
    return str(going.get("action"))


def _describes_ordered(reading: Reading) -> bool:
    """Whether a message points at items ordered ("the one with …", "quello con …")."""
    if reading.intent in ("handoff", "deny"):
        return False
    said = {h.group for h in dialogue_hits(reading.text, reading.lang)}
    return bool(said & {"i_ordered", "order_with", "my_order", "refer_one"}) or (
        "reference" in reading.cue_groups
    )


def about_waiting_order(state: FlowState, reading: Reading | None) -> bool:
    """Return True when a message names only products of the order a waiting change is about.

    "the one with the rc car and the pillow, I ordered it by mistake" while its
    cancellation waits: no search, the same change again with what the message adds.
    """
    kinds = set((state.pending or {}).get("types") or [])
    if not state.pending or reading is None:
        return False
    if not reading.products and reading.intent not in _NOT_ABOUT_PAYING:
        # "same colour please, brown. and the difference to my paypal": how the change is
        # paid (an exchange's colour or size is the exchanged-to item, no search), whatever
        # the intent read ("la diferencia devuélvemela a la amex" reads as off-topic)
        exchanging = (state.pending or {}).get("tool") == "exchange_delivered_order_items"
        return write_kinds.names_paying(reading.text, reading.lang) and not (
            _searches_by(reading) if exchanging else constrains(reading)
        )
    if not kinds or reading.intent in _NOT_AN_ANSWER:
        return False
    if not set(reading.products) <= kinds or _searches_by(reading):
        return False
    # "sì, quello con lo zaino rosso e la lampada": the colours of the items ordered
    return not constrains(reading) or _describes_ordered(reading)


# cue groups of a question about one product's sizes, colours, options or details
_ASKS_ABOUT_ONE = {
    "ask_sizes", "ask_colors", "ask_options", "ask_details",
    "attr_weight", "attr_dimensions", "attr_warranty", "attr_origin", "attr_battery",
}  # fmt: skip
_NOT_AN_ANSWER = ("handoff", "deny", "capabilities", "out_of_scope", "translate", "describe")
_NOT_ABOUT_PAYING = ("handoff", "deny", "capabilities", "translate", "describe")


def order_by_product(reading: Reading | None, text: str) -> str | None:
    """Return the order request of a message naming its order by a product in it.

    "where's my rc car?" asks after the order (``order_status``); "ma commande de voiture
    télécommandée, livrée chez ma soeur" changes it (``start_write``). None: no such order.
    """
    if reading is None or not reading.products:
        return None
    if constrains(reading):
        # "ho ordinato lo spazzolino nero ma lo vorrei rosa": the item ordered, wanted in
        # another colour or size (a budget, feature or order of cards is a search)
        said = {h.group for h in dialogue_hits(reading.text, reading.lang)}
        # "where's the blue hoodie i ordered?" asks after it ("it hasn't shipped yet" may
        # come with a change, so only where and when)
        ordered = bool(said & {"i_ordered", "my_order"})  # "the rc car in my order … green"
        if ordered and not _WHERE.search(reading.text) and not _searches_by(reading):
            return "start_write"
        if "order_with" in said and not _searches_by(reading):
            # "the order with the 3 red mugs in it, did that go out yet": the
            # colours and counts describe what was ordered
            return "start_write" if _changes(reading, text) else "order_status"
        return None
    # the product named in the sentence that speaks of the order ("is my order out yet?
    # and do you have headlamps?" asks after an order and for headlamps)
    starts = [sp.start for sp in reading.spans if sp.slot == "product"] or [0]
    spoken = [_sentence_at(reading.text, at) for at in starts]
    # "can u check on my order? ann@x.com, it's the one with the keyboard": a sentence that
    # points back ("it's the one with") speaks of the order the sentence before it named
    spoken += [
        _sentence_at(reading.text, reading.text.find(part) - 1)
        for part in list(spoken)
        if reading.text.find(part) > 0
        and "refer_one" in {h.group for h in dialogue_hits(part, reading.lang)}
    ]
    groups = {g for part in spoken for g in _order_cues(part, reading.lang)}
    # "my dog bed order hasn't shipped yet right?": the order word right after the product
    ordered = any(
        _ORDER_AFTER.match(reading.text[sp.end :]) for sp in reading.spans if sp.slot == "product"
    )
    # "where r my running shoes??", "dónde anda mi casco": where + the shopper's own product
    mine = any(
        _MINE_BEFORE.search(reading.text[: sp.start]) and _WHERE.search(part)
        for sp, part in zip(
            [sp for sp in reading.spans if sp.slot == "product"], spoken, strict=False
        )
    )
    if not (groups & {"where_mine", "my_order", "order_with"} or ordered or mine):
        return None
    return "start_write" if _changes(reading, text) else "order_status"


def _order_cues(text: str, lang: str) -> set[str]:
    """Return the cue groups of ``text``, less "what I bought" said after a negation.

    "eine stirnlampe, aber keine von denen die ich schon gekauft hab", "not one of the ones
    i bought before": the products bought are left out of a new request, not asked after.
    """
    return affirmed_groups(text, lang, reach=10, only=_BOUGHT)


_BOUGHT = frozenset({"i_ordered"})


def _changes(reading: Reading, text: str) -> bool:
    """Whether a message about an order asks to change it (else it asks after it)."""
    return (
        reading.write is not None
        or write_kinds.write_kind_in(text) is not None
        or write_kinds.names_delivery(text, reading.lang)
    )


def asks_order_total(state: FlowState, reading: Reading | None) -> bool:
    """Return True when, right after an order's status, a message asks what it holds or cost.

    "was ist da alles drin und was hat das zusammen gekostet": about that order (with an
    empty cart and no product named), not the cart.
    """
    if reading is None or reading.products or state.cart_count:
        return False
    if not state.order_turn or state.order_turn != state.turn - 1:
        return False
    return "order_total" in {h.group for h in dialogue_hits(reading.text, reading.lang)}


def asks_after_order(state: FlowState, reading: Reading | None) -> bool:
    """Return True when, right after an order's status, a message asks after another.

    "and the other one, with the headlamp and the camp stove, has that one gone out?": the
    products name the order (no budget, colour or other constraint), and a word asks how
    far it got or points at one ("the one w the winter boots"), or says it was ordered
    (then its colour or size describes the item ordered); the order holding them is
    looked up, nothing is searched.
    """
    if reading is None or not reading.products or _searches_by(reading):
        return False
    if not state.order_turn or state.order_turn != state.turn - 1:
        return False
    said = _order_cues(reading.text, reading.lang)
    if said & {"i_ordered", "where_mine", "my_order"}:
        return True  # "sí ese, el casco negro que pedí en enero": the item ordered, described
    if constrains(reading) or "sell" in reading.cue_groups:
        return False  # "and the boots, do you sell them in red?" is a search
    # "and the one w the winter boots from last summer?": another order, by what is in it
    return bool(said & {"order_news", "refer_one"})


_WHERE = re.compile(
    r"\b(?:where|when|wo|wann|où|quand|dónde|donde|cuándo|cuando|dove|quando)\b", re.IGNORECASE
)
_MINE_BEFORE = re.compile(
    r"\b(?:my|mein|meine|meinen|mon|ma|mes|mi|mis|mio|mia|miei|mie)\s+$", re.IGNORECASE
)
_ORDER_AFTER = re.compile(
    r"\s*(?:order|orders|bestellung|commande|pedido|ordine|package|parcel|paket|colis|paquete"
    r"|pacco)\b",
    re.IGNORECASE,
)


def _sentence_at(text: str, at: int) -> str:
    """Return the sentence of ``text`` that holds character ``at``."""
    start = 0
    for end in SENTENCE_END.finditer(text):
        if end.end() > at:
            return text[start : end.end()]
        start = end.end()
    return text[start:]


# the reader's sureness of an order change below which a product named with no word of an
# order or a change is a product request ("brettspiel, die normale edition reicht")
UNSURE_WRITE = 0.7
# where a sentence ends ("is my order out yet? and do you have headlamps?")
SENTENCE_END = re.compile(r"[.?!]+(?=\s|$)")


def names_a_product(
    text: str, cmd: Command, vocab: CatalogVocabulary | None, reading: Reading | None = None
) -> bool:
    """Return True when the message names a product type this store carries.

    With the reader's reading, only the types it read count: a word that only looks like
    a type ("set every price to $0" is no building set) names none.
    """
    if u.is_greeting(text):
        return False
    if reading is not None:
        return bool(reading.products)
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
    write = write_kinds.write_kind_in(text)
    plain_yes = action == "confirm" and u.is_yes(text, order_flows.waiting_summary(state))
    if about_waiting_order(state, reading) and action not in ("deny", "handoff") and not plain_yes:
        return "start_write"  # "sì quello, lo Sparrow Trek 2. la differenza sulla carta"
    asked = answers_which_order(state, reading)
    if asked and action not in ("deny", "handoff"):
        return asked
    if asks_order_total(state, reading) and action not in ("deny", "handoff", "start_write"):
        return "order_status"  # "und was hat das zusammen gekostet" after its status
    if answers_write(state, reading) and action not in ("deny", "handoff"):
        typed = u.order_ids_in(text)
        if not typed or (state.intent or {}).get("order") in typed:
            return "start_write"  # "the headphones" / "to my gift card" answers the question
    if (
        action == "start_write"
        and write is None
        and reading is not None
        and reading.products
        and reading.write is None
        and not (reading.intent == "start_write" and reading.confidence >= UNSURE_WRITE)
        and not any(_MINE_BEFORE.search(text[: sp.start]) for sp in reading.spans)
        and not (u.order_ids_in(text) or u.email_in(text) or state.pending)
        and not _order_cues(text, reading.lang) & {"i_ordered", "my_order", "order_with"}
        and "order_word" not in reading.cue_groups
    ):
        return "search"  # "brettspiel, die normale edition reicht": a product, no order named
    if action == "confirm" and not state.pending and identity.has_identity(text, cmd, state):
        return "authenticate"  # "sure, it's ann@x.com" answers the sign-in question
    if (
        action in ("confirm", "deny")
        and not state.pending
        and names_a_product(text, cmd, vocab, reading)
    ):
        return "search"  # "ah ok. what about a speaker under 60" with nothing waiting
    if (
        action == "confirm"
        and not (state.pending or plain_yes)
        and reading is not None
        and "order_word" in reading.cue_groups
    ):
        return "order_status"  # "huh ok. so whats going on with my own order then"
    if action == "confirm":
        return "confirm" if state.pending and plain_yes else "nothing_to_confirm"
    if action == "deny" and not state.pending and cmd.write:
        # "just cancel it, i dont need it anymore" with nothing waiting: nothing to refuse,
        # a change asked for (it is only proposed, and waits for its own yes; "no, don't
        # cancel" comes after a proposal, which is waiting then)
        return "start_write"
    lang = reading.lang if reading is not None else "en"
    if action == "deny" and state.pending and waiting_change.switches_write(state, text, lang):
        return "start_write"  # "no, don't cancel it: I'd rather pay with my visa"
    if action == "deny":
        return "deny" if state.pending else "declined"
    if action == "handoff":
        return "handoff"
    if action not in ("start_write", "order_status", "authenticate") and (
        writing_flow.rewrite_asked(state, text, lang, reading.product_words if reading else ())
    ):
        return "rewrite"  # "ponla un poco más divertida" right after a text was written
    writing = writing_flow.request_in(text)
    if writing == "reviews" and ranks_by_reviews(reading):
        writing = None  # "which robot vacuum has the best reviews?" ranks a kind by rating
    if writing and not (u.order_ids_in(text) or u.email_in(text)):
        return writing  # "translate the description of …", "write a blurb for …"
    if action == "describe" and not writing and reading is not None and reading.products:
        return "search"  # "tiragraffi per gatti, ne ho due": no copy asked for
    if u.order_ids_in(text) and write in ("cancel", "return"):
        return "start_write"
    if write and action not in ("start_write", "search", "refine"):
        if write != "change_order_address" or u.address_in(text):
            return "start_write"
    if action == "order_status" and write_kinds.names_delivery(text, lang):
        return "start_write"  # "can my order go to my sister's instead?"
    if action in ("search", "refine", "recommend", "ask_product", "compare", "cart") and (
        asks_after_order(state, reading)
    ):
        return "order_status"  # "and the one with the headlamp, has that one gone out?"
    by_product = order_by_product(reading, text)
    if action in ("search", "refine", "recommend", "ask_product", "compare", "cart") and by_product:
        return by_product  # "where's my rc car?", "my order of the rc car … to my sister's"
    if action == "order_status" and by_product == "start_write":
        return by_product  # "i ordered the mug in red but i want it in blue, not sent yet"
    if action in ("search", "refine", "ask_product", "compare") and (
        u.order_ids_in(text) or u.email_in(text)
    ):
        return "order_status"
    if action in ("smalltalk", "provide_slot", "capabilities", "out_of_scope") and (
        identity.has_identity(text, cmd, state)
    ):
        return "authenticate"
    kind = recommend_flow.recommend_kind(text)
    if action == "recommend" and kind is None and reading is not None and reading.items:
        # "and the last one, what options does it come in?": a question about a shown one
        cues = {h.group for h in dialogue_hits(reading.text, reading.lang)}
        if cues & _ASKS_ABOUT_ONE:
            return "ask_product"
    if kind in ("similar", "together") and state.shown and action != "start_write":
        return "recommend"  # "show me alternatives to that one" is about a shown product
    if action in ("smalltalk", "capabilities", "out_of_scope", "recommend") and (
        names_a_product(text, cmd, vocab, reading)
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
        and names_a_product(text, cmd, vocab, reading)
    ):
        return "search"  # "2 personen zelt in grün" first: nothing shown to ask about
    if (
        action == "search"
        and state.search
        and reading is not None
        and not (reading.products or reading.categories or reading.missing or reading.told)
        and constrains(reading)
    ):
        return "refine"  # "anything under 30?" after a search changes that search
    if (
        action in ("ask_product", "out_of_scope", "smalltalk", "capabilities")
        and reading is not None
        and not reading.items
        and (reading.features or reading.colors or reading.sizes or reading.options)
        and state.search
        and asks_which_of(reading.text)
    ):
        return "refine"  # "which of these are waterproof?": narrow the shown search
    if action == "reviews" and ranks_by_reviews(reading):
        return "search"  # "welcher staubsaugerroboter hat die besten bewertungen?"
    return action


def asks_about_model(reading: Reading | None, models: list[str]) -> bool:
    """Return True when a message asks about one product it names by its model.

    "welche farben gibts bei der nimbus summit 1?": its sizes, colours, options or details
    (answered from that product's record, shown or not), not a search for the words.
    """
    if reading is None or len(models) != 1:
        return False
    groups = {h.group for h in dialogue_hits(reading.text, reading.lang)}
    if groups & _ASKS_ABOUT_ONE:
        return True
    # "does the kestrel atlas 4 come in blue": a value asked of it, no reviews asked for
    valued = reading.colors or reading.sizes or reading.options
    return bool(valued) and not reading.products and writing_flow.request_in(reading.text) is None


def ranks_by_reviews(reading: Reading | None) -> bool:
    """Return True when a question about reviews asks which product of a kind rates best.

    "which robot vacuum has the best reviews?" is a search by rating, not the reviews of
    one product: a type named and "which" (no product on screen is pointed at).
    """
    if reading is None or not reading.products or reading.items:
        return False
    groups = {h.group for h in dialogue_hits(reading.text, reading.lang)}
    return reading.sort == "rating" or "which" in groups
