"""What the classifiers say, checked against the message's words.

The sentence heads read the message as a whole; these rules keep their readings to what the
words support: which order and which change (the words name them, or the tagger marked
them), a sort word the heads did not weigh, and a product request read from the intent
heads' shares ("do you sell X?"), unless an earlier clause asks something else first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.nlu.cues import apart_hits, dialogue_hits, token_cues
from assistant.nlu.message import Reading
from assistant.nlu.tagger import Tagged
from assistant.nlu.tokens import word_tokens

# A cart reading below this, naming a product type, is a request for that type.
UNSURE_CART = 0.6
# cue groups only the cart has ("check out" and "add" may ask to look at a kind)
_CART_SAID = frozenset({"cart_word", "cart_remove", "cart_quantity", "cart_view"})
# An earlier clause this sure of being a question about the assistant keeps that intent.
FIRST_CLAUSE_SURE = 0.8
# the cue groups that say an order change of each kind
_WRITE_CUES = {
    "cancel": {"cancel"},
    "return": {"return"},
    "exchange": {"exchange"},
    "change_order_address": {"address"},
    "change_default_address": {"address", "account_default"},
    "change_payment": {"payment"},
    "change_items": {"order_items"},
}
_SORTS = {"price_asc", "price_desc", "rating"}
# product readings below this, with an order change said, may be that change
UNSURE_PRODUCT = 0.75
_PRODUCT_TALK = ("search", "refine", "ask_product", "recommend")
# an off-topic reading below this that names a catalog type may be a product request
UNSURE_OFF_TOPIC = 0.85

# the intent of the message's first clause, cut before character ``end``, and how sure
PartIntent = Callable[[int], tuple[str, float]]


def closed_slots(r: Reading, tagged: list[Tagged]) -> None:
    """Keep the order and the change read from the whole message to what the words say."""
    said = set(r.cue_groups)
    if r.order and r.order not in said and not any(t.slot == "order" for t in tagged):
        # "i need to cancel an order" names none (a guess of "pending" would pick one)
        r.order = None
    typed = [t.value for t in tagged if t.slot == "write" and t.value]
    if r.write and typed and r.write not in typed and not said & _WRITE_CUES.get(r.write, set()):
        # the change the words name wins over a guess no cue word says ("… se envíe a otra
        # dirección" is no return)
        r.write = typed[0]  # type: ignore[assignment]
    if r.write == "change_default_address" and "account_default" not in said and "address" in said:
        # "i moved, need to fix my shipping address": an order's, unless the words name the
        # account ("default", "profile", "account")
        r.write = "change_order_address"
    if r.write is None and r.intent == "start_write":
        # a change asked for that the head left unnamed: the one its words name, if one
        named = [w for w, cues in _WRITE_CUES.items() if cues <= said]
        if "change_default_address" in named:
            named.remove("change_order_address")
        if typed or len(named) == 1:
            r.write = (typed or named)[0]  # type: ignore[assignment]
    if r.sort is None and r.intent in ("search", "refine") and len(said & _SORTS) == 1:
        # a plain sort word ("best-rated", "cheapest") the sentence head did not weigh
        r.sort = (said & _SORTS).pop()  # type: ignore[assignment]
    if r.sort is None and r.intent in ("search", "refine") and _best_reviewed(r):
        r.sort = "rating"


def _best_reviewed(r: Reading) -> bool:
    """Return True when a word for "best" stands next to one for reviews, in either order.

    "quale ha le recensioni migliori?", "welche hat die besten Bewertungen", "celui avec les
    meilleurs avis": the best reviewed, whichever way round the words come.
    """
    if "reviews" not in r.cue_groups:
        return False
    tokens = word_tokens(r.text)
    reviews = [i for i, c in enumerate(token_cues(tokens)) if "reviews" in c]
    best = [h for h in dialogue_hits(r.text, r.lang) if h.group == "better"]
    return any(h.start - 2 <= i < h.end + 2 for h in best for i in reviews)


def best_rated_asked(r: Reading, shown_types: Sequence[str]) -> None:
    """Read a reviews reading that asks for the best rated of a kind not on screen as a search.

    "une gourde avec les meilleurs avis" with no bottle shown asks for the best-rated
    bottles, not for the reviews of one. "which action cam do people rate the best?"
    (cue group ``rate_best``, words the sort head may miss) asks for that order.
    """
    priced = {"price_asc", "price_desc"} & set(r.cue_groups)  # a price word said wins
    if r.sort != "rating" and r.products and not priced and apart_hits(r.text, r.lang, "rate_best"):
        r.sort = "rating"
    if r.intent != "reviews" or not r.products or set(r.products) <= set(shown_types):
        return
    if r.sort == "rating" or "rating" in r.cue_groups or _best_reviewed(r):
        _read_as(r, "search", r.confidence + dict(r.alternatives).get("search", 0.0))
        r.sort = "rating"


def change_said(r: Reading) -> bool:
    """Return True for a change reading whose kind its own cue word says too.

    "posso pagarlo con paypal invece che con la carta?" reads as a change by a hair (the
    cart is next), but the write head reads a payment change and "pagarlo" says one.
    """
    return r.intent == "start_write" and _kind_said(r)


# intents with a cue group of their own name, that change nothing: a reading of one of them
# that its cue word says, and the runner-up's does not, is sure enough from this share on
_SAID_INTENTS = ("recommend", "compare", "translate", "describe")
INTENT_SAID_FLOOR = 0.4


def intent_said(r: Reading) -> bool:
    """Return True for a reading whose intent a cue word says and its runner-up's does not.

    "hmm actually can u just suggest stuff based on what ive ordered before" reads as a
    recommendation at 0.52 beside "what can you do" at 0.38: "suggest" and "based on" say
    the first, no word says the second.
    """
    if r.intent not in _SAID_INTENTS or r.confidence < INTENT_SAID_FLOOR:
        return False
    said = set(r.cue_groups)
    second = _runner_up(r)
    rival = {"capabilities": "capability"}.get(second or "", second)
    return r.intent in said and rival not in said


def _kind_said(r: Reading) -> bool:
    """Return True when a cue word of the message says the change kind the write head read."""
    return bool(set(r.cue_groups) & _WRITE_CUES.get(r.write or "", set()))


def change_requested(r: Reading) -> None:
    """Read an unsure product (or person) reading as the order change its words say.

    "Mason Moreau, zip 97516. my kid hit buy on some earbuds, i never meant to order them.
    can u cancel that": the product words pull to a search, but the change is what is
    asked: the write head reads a cancellation, a cancel word says it, and the intent heads
    have the change next.
    """
    if r.write is None or r.confidence >= UNSURE_PRODUCT:
        return
    # a person asked for with no word for one ("sono Ava Rossi, CAP 98675. vorrei fare un
    # reso") is the change
    asks_person = r.intent == "handoff" and "human" in r.cue_groups
    # (and a status question by a hair: "hier ist Anna Schmidt, PLZ 02461. Ich möchte die
    # Bestellung #W… zurückschicken" leans to the order's status)
    about_order = r.intent == "order_status"
    if r.intent not in _PRODUCT_TALK and not about_order and (r.intent != "handoff" or asks_person):
        return
    if not _kind_said(r):
        return
    if _runner_up(r) == "start_write":
        _take_runner_up(r)  # (one request: the change, about that product)


# the cue groups that say an order, or a change of one, is talked about
_ORDER_TALK = {"order_word", "order_items", "latest", "delivered", "pending", "identity"}
_ORDER_TALK |= {c for cues in _WRITE_CUES.values() for c in cues}


def no_change_named(r: Reading, shown_types: Sequence[str]) -> None:
    """Read an order change that no word says as the product talk it is.

    "it has to not leak tho, it lives in my bag" after bottles were shown: the change head
    leans to an order change, but no change, order, order number or sign-in is named; the
    product on screen is talked about (or the one named: a search).
    """
    if r.intent != "start_write" or r.write is not None or set(r.cue_groups) & _ORDER_TALK:
        return
    if r.order_ids or r.email or r.name or r.zip:
        return
    if not (shown_types or r.products or r.features):
        return  # "i'd like to make a change": which one is asked
    _read_as(r, "refine" if shown_types else "search", r.confidence)
    r.settled = bool(r.products) and not shown_types  # a kind named, nothing on screen


def named_product_asked(r: Reading) -> None:
    """Read an unsure off-topic reading naming a catalog type as the product request next.

    "una aspiradora robot que se vacíe sola": the type is the shop's, the runner-up a
    product intent; jokes and homework name none (or are sure of themselves).
    """
    if r.intent != "out_of_scope" or not r.products or r.confidence >= UNSURE_OFF_TOPIC:
        return
    if _runner_up(r) in _PRODUCT_TALK:
        _take_runner_up(r)


# a reading of what the assistant can do this sure is kept, whatever recommending word it has
UNSURE_CAPABILITIES = 0.8


def recommendation_asked(r: Reading) -> None:
    """Read a request for suggestions that names nothing as a recommendation.

    "kannst du mir was empfehlen basierend auf meinen bestellungen" read as a search, "tu
    peux me suggérer des trucs selon mes commandes passées" as what the assistant can do:
    a recommending word says it, no kind, feature or recipient is named, and no word asks
    what the assistant can do.
    """
    said = set(r.cue_groups)
    if r.intent not in ("search", "capabilities") or "recommend" not in said:
        return
    # (an unknown word beside "my orders" says what they are based on: "tailored", "basierend")
    unknown = bool(r.missing) and "order_word" not in said
    if said & {"capability", "gift"} or r.products or r.categories or r.features or unknown:
        return
    if r.intent == "capabilities" and r.confidence >= UNSURE_CAPABILITIES:
        return  # "puoi seguire gli ordini o solo consigliare prodotti?" asks what it can do
    _read_as(r, "recommend", max(r.confidence, dict(r.alternatives).get("recommend", 0.0)))
    r.missing = []


def _runner_up(r: Reading) -> str | None:
    """Return the intent the heads read second (None: none)."""
    return r.alternatives[0][0] if r.alternatives else None


def _take_runner_up(r: Reading) -> None:
    """Read the runner-up intent instead; the two heads' shares are one request's."""
    runner, share = r.alternatives[0]
    _read_as(r, runner, share + r.confidence)


def _read_as(r: Reading, intent: str, confidence: float) -> None:
    """Read ``intent`` at ``confidence`` instead; the intent replaced becomes the runner-up."""
    rest = [a for a in r.alternatives if a[0] != intent]
    r.alternatives = [(r.intent, r.confidence), *rest]
    r.intent, r.confidence = intent, confidence  # type: ignore[assignment]


def request_for_things(r: Reading, first_clause: PartIntent, clause_end: int | None) -> None:
    """Read a message naming a thing as a request for it, unless it asks something else first.

    "do you sell X?" naming a thing is a search, "what do you sell?" capabilities: the two
    heads' shares are one request for X. But "what can u do? also got any hairdryer" asks
    about the assistant first (``clause_end``: where its first clause ends, if before the
    thing). An unsure cart reading naming a kind of product asks for that kind ("i'd like
    to check out some rain jackets"): a cart request points at what is shown (unless a
    word only the cart has says so: "delete the rain jacket from my basket").

    An off-topic ask first and a request for things after it ("tell me a joke, and do you
    have headlamps") is that request: the shop's part is answered.
    """
    if (r.products or r.missing) and r.intent in ("search", "capabilities"):
        if r.intent == "capabilities" and clause_end is not None:
            intent, sure = first_clause(clause_end)
            if intent == "capabilities" and sure >= FIRST_CLAUSE_SURE:
                return
        other = "search" if r.intent == "capabilities" else "capabilities"
        share = dict(r.alternatives).get(other, 0.0)
        r.intent, r.confidence = "search", r.confidence + share
    if r.intent in ("out_of_scope", "smalltalk") and r.product_words and not r.email:
        if "offtopic" not in r.cue_groups:
            # "una aspiradora robot que se vacíe sola": a kind of the shop named plainly
            r.intent = "search"
        elif r.products and clause_end is not None:
            # "tell me a joke, and do you have headlamps": the off-topic ask comes first,
            # the shop's things in a request after it; that request is the shop's to answer
            intent, _ = first_clause(clause_end)
            if intent in ("out_of_scope", "smalltalk"):
                r.intent = "search"
    said_cart = set(r.cue_groups) & _CART_SAID  # ("remove the rain jacket" is the cart's)
    if r.intent == "cart" and r.products and r.confidence < UNSURE_CART and not said_cart:
        search = dict(r.alternatives).get("search", 0.0)
        if search > 0.0:  # (the two heads' shares are one request for the kind named)
            _read_as(r, "search", r.confidence + search)
