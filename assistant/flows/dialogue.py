"""The dialogue manager's follow-up step: operations on the products on screen.

:mod:`assistant.flows.follow_up` decides what a message does to the shown products; this
runs it: answers about one, comparisons, picks, reviews, catalog-less attributes, the
cart, and refinements relative to what is shown.
"""

from __future__ import annotations

from assistant.flows import cart_flow, follow_up, search_flow, shown_flow, shown_ops, writing_flow
from assistant.flows.cart_request import CartRequest
from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.references import name_words, named_position
from assistant.flows.replies import money, say
from assistant.flows.routing import answers_write
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from retrieval.lexicon import fold


def shown_types(kit: TurnKit, state: FlowState) -> set[str]:
    """Return the product types on screen."""
    vocab = kit.ctx.deps.searcher.vocabulary
    return {vocab.type_of[p] for p in state.shown if p in vocab.type_of}


def follow_up_of(kit: TurnKit, state: FlowState) -> follow_up.FollowUp | None:
    """Decide whether the message operates on the products on screen (and how)."""
    if answers_write(state, kit.reading):
        return None
    vocab = kit.ctx.deps.searcher.vocabulary
    types = shown_types(kit, state)
    features = {f for t in types for f in vocab.features_by_type.get(t, set())}
    reading, one = _brand_is_no_product(kit, state)
    return follow_up.decide(state, reading, types, features, named_one=one)


def _brand_is_no_product(kit: TurnKit, state: FlowState) -> tuple[Reading | None, bool]:
    """Return the reading with the words that pick out one shown product by name kept apart.

    "gibts die von halcyon auch in weiß?": "halcyon", no word of the shop's vocabulary, is
    no product the shop lacks but the brand of one shown product; the message asks about it
    (True: one shown product is so named).
    """
    reading = kit.reading
    if reading is None or reading.products or reading.categories:
        return reading, False
    if not reading.missing:
        # a maker's name the reader knows as a plain word ("gibts die von halcyon auch in
        # schwarz?"): a word of one shown product's name that no catalog word is
        if reading.intent not in ("search", "refine") or not _maker_named(kit, state):
            return reading, False
    elif any(named_position(kit, state, words) is None for words in reading.missing):
        return reading, False
    intent = "ask_product" if reading.intent in ("search", "refine") else reading.intent
    return reading.model_copy(update={"missing": [], "intent": intent}), True


def _maker_named(kit: TurnKit, state: FlowState) -> bool:
    """Whether the message names one shown product by a word of its name no catalog word is."""
    reading = kit.reading
    at = named_position(kit, state)
    if reading is None or at is None:
        return False
    searcher = kit.ctx.deps.searcher
    said = name_words(reading.text) & name_words(searcher.name_of(state.shown[at]) or "")
    return bool(said) and not any(searcher.lexicon.match([fold(w)]) for w in said)


def _narrows_search(state: FlowState, reading: Reading | None) -> bool:
    """Whether the message names a colour, size or typed feature the last search lacked."""
    if reading is None:
        return False
    options = state.search.get("options") or {}
    said = {fold(str(v)) for v in options.values()}
    said |= {fold(str(f)) for f in state.search.get("features") or []}
    typed = any(s.slot == "feature" for s in reading.spans)
    features = reading.features if typed else []  # (a feature only guessed is no narrowing)
    return any(fold(v) not in said for v in [*reading.colors, *reading.sizes, *features])


async def on_shown(
    kit: TurnKit,
    state: FlowState,
    fu: follow_up.FollowUp,
    cmd: Command,
    text: str,
    lang: str,
) -> str:
    """Run one operation on the shown products (no new search unless it refines)."""
    if fu.op == "missing" and fu.attribute:
        return shown_ops.no_data(fu.attribute, lang)
    if fu.op == "listed" and fu.attribute:
        return await shown_ops.listed(kit, state, fu.attribute, lang)
    if fu.op == "cart":  # "I'll take it" read as a follow-up: the cart adds it
        return await cart_flow.run(kit, state, CartRequest(op="add", quantities=[]), text, lang)
    if fu.op == "best_of" and fu.pick and _narrows_search(state, kit.reading):
        # "the cheapest of those in white" when the search named no colour: of every
        # product of that search in white (the list showed only its first few), cheapest first
        fu = follow_up.FollowUp(op="refine", pick=fu.pick)
    elif fu.op == "best_of":
        return await shown_ops.best_of(kit, state, fu, lang)
    if fu.op == "compare":
        return await shown_flow.compare(kit, state, cmd, text, lang)
    if fu.op == "reviews":
        product = await shown_ops.about(kit, state, fu)
        if product is None:
            return say("which_product", lang)
        return await writing_flow.review_summary(kit, state, product, lang)
    if fu.op == "ask":
        return await shown_ops.ask(kit, state, fu, lang)
    refined = cmd.model_copy()
    if fu.op == "refine" and fu.pick:
        refined.sort = fu.pick  # "sort them low to high", "cheapest first"
    shown_as: tuple[str, str] | None = None
    before = (list(state.shown), dict(state.search))
    below_shown: float | None = None
    if fu.op == "relative":
        # a floor the shopper said ("$250 and up"); not the end of an "about 100" band
        floor = None if state.search.get("about") else state.search.get("min_price")
        ceiling = state.search.get("max_price")
        if fu.pick == "rating":
            refined.sort = "rating"
        elif fu.pick == "price_desc":
            bound = ceiling or await shown_ops.relative_bound(kit, state, fu)
            state.search["max_price"] = None
            refined.min_price, refined.max_price = bound, None
        else:
            # "anything cheaper?" after "$250 and up": below that floor; otherwise
            # below the cheapest shown (or the one pointed at: "cheaper than that one")
            bound = floor or await shown_ops.relative_bound(kit, state, fu)
            below_shown = None if floor else bound
            state.search["min_price"] = None
            if bound is not None:
                below = round(bound - 0.01, 2)
                refined.min_price, refined.max_price = None, below
                shown_as = (money(below, lang), money(bound, lang))
        kit.ctx.said_budget = (refined.min_price, refined.max_price)
    state.focus, state.weighed = [], []
    relative = fu.op == "relative"
    reply = await search_flow.search(
        kit, state, refined, text, lang, refine=True, relax=not relative
    )
    if relative and not state.shown and below_shown is not None:
        # nothing below the cheapest shown, in the size and features asked: say so and
        # keep the products on screen (never drop the size to find something)
        state.shown, state.search = before
        words = str(state.search.get("words") or state.search.get("product") or "")
        return say("none_cheaper", lang, words=words, price=money(below_shown, lang))
    # "under $396.80" (strictly): the shown price, not the cent below it
    return reply.replace(*shown_as) if shown_as else reply
