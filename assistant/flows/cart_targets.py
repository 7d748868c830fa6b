"""Which shown products an add means: by position, name, price, rating, colour or size."""

from __future__ import annotations

import asyncio
from typing import Any

from assistant.flows.cart_variants import values_named
from assistant.flows.kit import TurnKit
from assistant.flows.references import (
    best_among,
    focus_has_size,
    named_model,
    named_position,
    positions,
    shown_details,
    shown_indexes,
    stocked_in,
)
from assistant.flows.state import FlowState
from assistant.flows.the_other import the_other
from assistant.nlu.cues import dialogue_hits, negated_before, token_cues
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import tokenize
from tools.common.cart import norm

_PICKS = {"cheaper": "price_asc", "pricier": "price_desc", "better": "rating"}
_SORT_CUES = ("price_asc", "price_desc", "rating")  # the reader's cue groups that name a sort


async def targets(kit: TurnKit, state: FlowState) -> list[dict[str, Any]] | None:
    """Return the shown products the message adds (None: it does not say which)."""
    n = len(state.shown)
    if n == 0:
        return None
    reading = kit.reading
    groups = {h.group for h in dialogue_hits(reading.text, reading.lang)} if reading else set()
    how: str | None = (reading.sort if reading else None) or next(
        (_PICKS[g] for g in _PICKS if g in groups), None
    )
    if how is None and reading is not None:
        # "grab me the cheapest of those": the reader's sort words, where its head was unsure
        how = next((g for g in _SORT_CUES if g in reading.cue_groups), None)
    named = positions(kit, n)
    other = None if named else await the_other(kit, state)
    if other is not None:
        return [other]  # "plutôt l'autre", "la otra, en blanco"
    if how is not None and "the_two" in groups:
        # "the cheaper of the two": of the two last weighed against each other, else of the
        # two named ("von beiden" may read as the first two), else of those in focus
        weighed, focus = shown_indexes(state, state.weighed), shown_indexes(state, state.focus)
        pool = next((p for p in (weighed, named, focus) if len(p) >= 2), [])
        if pool:
            return [best_among(await shown_details(kit, state, pool), how)]
    if named:
        return await shown_details(kit, state, named)
    by_name = named_model(kit, state)  # "je prends les Orbitek Apex 8": no 8th one
    if by_name is None and reading is not None and (reading.items or word_positions(reading.text)):
        return None  # "the fifth one" with two shown: ask, never add another
    if by_name is None:
        by_name = named_position(kit, state)
    if by_name is not None:
        return await shown_details(kit, state, [by_name])
    by_feature = await _one_with_features(kit, state)
    if by_feature is not None:
        return [by_feature]
    focus = shown_indexes(state, state.focus)
    if how is None and "refer_one" in groups and len(focus) == 1:
        # "fine, that one. no backlight needed" right after "the cheapest is X": X, in the
        # values said (not the first shown one that has them) — unless X lacks them:
        # "celui qui existe en long" is the shown one that has it
        focused = await shown_details(kit, state, focus)
        if _stocked_with(focused[0], values_named(kit, focused[0])):
            return focused
    # "pack den, den es in M gibt": the one shown product in stock in the size named (unless
    # the product in focus has it: then the size is asked of that one)
    by_size = bool(reading and reading.sizes) and not await focus_has_size(kit, state)
    valued = bool(reading and (reading.colors or reading.options))
    if how is not None or valued or by_size:
        products = await shown_details(kit, state)
        # "the cheapest bottle" among bottles and sunscreens shown: among the bottles
        type_of = kit.ctx.deps.searcher.vocabulary.type_of
        kinds = set(reading.products) if reading else set()
        of_kind = [p for p in products if type_of.get(str(p["id"])) in kinds]
        if kinds and not of_kind and how is not None:
            return None  # none of that kind on screen: never another kind's cheapest
        products = of_kind or products
        if how is not None:
            # "add the cheaper one of those in xl, tan": of those in stock in what it names
            colors = {norm(c) for c in reading.colors} if reading else set()
            sizes = {norm(z) for z in reading.sizes} if reading else set()
            having = (
                [p for p in products if stocked_in(p, colors, sizes)] if colors or sizes else []
            )
            if not having and colors and sizes:  # "64-oz-Behälter": a size read for an option
                having = [p for p in products if stocked_in(p, colors, set())]
            if having and reading is not None:  # "… den günstigeren von denen": with them all
                having = [p for p in having if _stocked_with(p, values_named(kit, p))] or having
            return [best_among(having or products, how)] if products else None
        wanted = {norm(c) for c in reading.colors} if reading else set()
        sizes = {norm(z) for z in reading.sizes} if reading and by_size else set()
        if sizes and not wanted:  # "den es in M gibt" among the red ones searched for
            searched = (state.search.get("options") or {}).get("color")
            wanted = {norm(str(searched))} if searched else set()
        having = [p for p in products if stocked_in(p, wanted, sizes)]
        if len(having) > 1 and reading is not None:
            # "the white one in 1.5L": the values its words name of each one's options too
            having = [p for p in having if _stocked_with(p, values_named(kit, p))] or having
        if len(having) > 1 and state.weighed:
            # "prendo quello bianco da 32 oz" after a compare: of the two weighed
            having = [p for p in having if str(p["id"]) in state.weighed] or having
        searched = [str(v) for v in (state.search.get("options") or {}).values()]
        if len(having) > 1 and searched and wanted:
            # "prendo quella arancione" after tents for two: orange in the 2-person size
            having = [p for p in having if _stocked_with(p, [*wanted, *searched])] or having
        if len(having) == 1:
            return having
    if len(focus) == 1:
        return await shown_details(kit, state, focus)
    if n == 1:
        return await shown_details(kit, state, [0])
    return None


async def _one_with_features(kit: TurnKit, state: FlowState) -> dict[str, Any] | None:
    """Return the one product with the features named: "den mit carbonplatte" after a compare.

    Features and materials count, wanted or set aside ("the one with the mic", "nicht den
    aus Glas", "la que no sea de plástico"). Among the two last weighed against each other,
    else those in focus, else all shown.
    """
    reading = kit.reading
    if reading is None:
        return None
    wanted = {norm(f) for f in reading.features}
    unwanted: set[str] = set()
    if not wanted:
        wanted, unwanted = await _described(kit, state)
    if not wanted and not unwanted:
        return None
    colors = {norm(c) for c in reading.colors}
    for ids in (state.weighed, state.focus, state.shown):
        pool = shown_indexes(state, ids)
        if len(pool) < 2:
            continue
        products = await shown_details(kit, state, pool)
        traits = [(p, _traits(p)) for p in products]
        having = [p for p, has in traits if wanted <= has and not unwanted & has]
        if colors:  # "the one with the eye-care light, in white": in stock in white too
            having = [p for p in having if stocked_in(p, colors, set())]
            if not having:
                continue
        if len(having) == 1:
            return having[0]
        if having:
            return None  # several have it: the message must say which
    return None


def _traits(product: dict[str, Any]) -> set[str]:
    """Return a product's features and materials, folded."""
    return {norm(t) for t in _traits_said(product)}


# How near (USE cosine) a run of two or more of the shopper's words must come to a shown
# product's feature to name it ("quello con la batteria da 7 giorni": "7-day battery"); the
# bar search uses for features in the shopper's own words
DESCRIBED_FEATURE = 0.65
# One word names a feature or material only this far above every other one ("the one with
# the mic": built-in microphone 0.71, stereo pairing 0.42; "aus Glas": glass 0.67, plastic
# 0.38); a single word near several traits names none
ONE_WORD_MARGIN = 0.2
# How many words before a trait a negation may stand ("nicht den aus Glas")
_NEGATION_REACH = 4


async def _described(kit: TurnKit, state: FlowState) -> tuple[set[str], set[str]]:
    """Return the shown products' traits the message describes in its own words.

    Two sets: the traits wanted and those set aside by a negation before them.
    """
    pool = sorted({t for p in await shown_details(kit, state) for t in _traits_said(p)})
    text = kit.reading.text if kit.reading else ""
    lang = kit.reading.lang if kit.reading else "en"
    scores = await asyncio.to_thread(kit.ctx.deps.searcher.phrase_scores, text, pool)
    wanted: set[str] = set()
    unwanted: set[str] = set()
    for trait, (score, run) in scores.items():
        if score < DESCRIBED_FEATURE:
            continue
        if _words(run) == 1:
            rivals = [sc for other, (sc, _run) in scores.items() if other != trait]
            if rivals and score - max(rivals) < ONE_WORD_MARGIN:
                continue
        (unwanted if _negated(text, run, lang) else wanted).add(norm(trait))
    return wanted, unwanted


def _traits_said(product: dict[str, Any]) -> list[str]:
    """Return a product's features and materials as the catalog writes them."""
    return [str(t) for t in [*product.get("features", []), *product.get("materials", [])]]


def _negated(text: str, run: str, lang: str) -> bool:
    """Whether a negation stands in the few words before ``run`` in its clause."""
    at = text.lower().find(run.lower())
    if at < 0:
        return False
    tokens = tokenize(text)
    first = next((i for i, t in enumerate(tokens) if t.start >= at), None)
    if first is None:
        return False
    return negated_before(tokens, token_cues(tokens), first, _NEGATION_REACH)


def _stocked_with(product: dict[str, Any], values: list[str]) -> bool:
    """Return True when a variant in stock has every one of ``values``."""
    wanted = {norm(v) for v in values}
    return any(
        v.get("available") and wanted <= {norm(str(o)) for o in v.get("options", {}).values()}
        for v in product.get("variants", [])
    )


def by_position(reading: Reading | None) -> bool:
    """Whether the message names a position: an ordinal, or a number marked as one.

    A bare number ("one more of that pls, we have 2 dogs") is no position next to "one more".
    """
    if reading is None:
        return False
    if word_positions(reading.text):
        return True
    said = [reading.text[s.start : s.end].strip() for s in reading.spans if s.slot == "item"]
    return any(not text.isdigit() for text in said)


def _words(run: str) -> int:
    """Return how many words a run of the shopper's words holds (hyphens join words too)."""
    return len(run.replace("-", " ").split())
