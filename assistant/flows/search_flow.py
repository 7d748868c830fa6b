"""Search, refine, ask about a shown product, compare: catalog facts from tools, words by code."""

from __future__ import annotations

import asyncio
from typing import Any

from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.option_words import named_values
from assistant.flows.replies import join, local_words, money, say, shop_currency
from assistant.flows.search_options import options_in, options_of_types
from assistant.flows.search_types import (
    kind_described,
    nearest_type,
    types_named_apart,
    types_with_features,
)
from assistant.flows.state import FlowState
from assistant.flows.understand import sort_in
from assistant.nlu.message import cut_spans
from catalog.errors import ShopError
from retrieval.query_parser import parse_query
from retrieval.vocabulary import words as stems

# How close (USE cosine) a run of the shopper's words must be to the type, and to a feature,
# to name it in a reply (features, measured: their own words 0.71-1.0; described ones
# 0.49-0.52)
OWN_TYPE_WORDS = 0.45
OWN_FEATURE_WORDS = 0.6
# How close (USE cosine) the shopper's own words must be to a catalog feature name
# (chosen on de/fr/es/it messages: named features scored 0.72–0.96, unnamed ones ≤ 0.57).
OWN_FEATURE = 0.65
# one word alone must come nearer: a verb of the request ("que tengan") came to 0.66
OWN_FEATURE_ONE_WORD = 0.75

# Spans whose words are never option values ("under 1000" is a budget, not 1000 pieces).
_NOT_OPTION_SLOTS = {"budget_max", "budget_min", "budget_about", "item", "zip", "order_id"}


def _named_options(kit: TurnKit, types: list[str], text: str) -> dict[str, str]:
    """Return the options of the product type the shopper named in its own values.

    "white electric kettle 1.7l" → capacity 1.7L; sizes and colours are the reader's.
    """
    if len(types) != 1:
        return {}
    reading = kit.reading
    if reading is not None:
        text = cut_spans(text, [s for s in reading.spans if s.slot in _NOT_OPTION_SLOTS])
    by_name = kit.ctx.deps.searcher.vocabulary.options_by_type.get(types[0], {})
    wanted = {n: v for n, v in by_name.items() if n not in ("size", "color")}
    return named_values(text, wanted)


def _budget(lang: str, low: float | None, high: float | None, about: float | None = None) -> str:
    if about is not None:
        return say("budget_about", lang, about=money(about, lang))
    if low is not None and high is not None:
        return say("budget_range", lang, min=money(low, lang), max=money(high, lang))
    if high is not None:
        return say("budget_under", lang, max=money(high, lang))
    if low is not None:
        return say("budget_over", lang, min=money(low, lang))
    return ""


def _option_words(options: dict[str, str], lang: str, local: dict[str, str]) -> str:
    parts = [
        say("option_size", lang, value=v) if k == "size" else local.get(v.lower(), v)
        for k, v in options.items()
    ]
    return join(parts, lang)


async def _run(kit: TurnKit, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the search tool with the set parts of ``spec``; the cards it showed."""
    args = {k: v for k, v in spec.items() if v not in (None, [], {}, "")}
    try:
        await kit.call("search_catalog", **args, limit=5)
    except ShopError:
        return []
    return list(kit.cards)


async def search(
    kit: TurnKit,
    state: FlowState,
    cmd: Command,
    text: str,
    lang: str,
    *,
    refine: bool = False,
    relax: bool = True,
    each: bool = True,
) -> str:
    """Run (or re-run, changed) a catalog search and describe the result from its cards.

    A thing asked about that the shop lacks, beside a product it has ("do you sell
    scooters? if not, a backpack"), is said not carried before the backpacks are shown.
    """
    reply = await _search(kit, state, cmd, text, lang, refine=refine, relax=relax, each=each)
    reading = kit.reading
    if refine or reading is None or not (reading.products and reading.missing):
        return reply
    lacking = reading.missing[0]
    if kit.ctx.deps.searcher.named_by(lacking):
        return reply
    return say("not_carried_but", lang, words=lacking) + " " + reply


async def _search(
    kit: TurnKit,
    state: FlowState,
    cmd: Command,
    text: str,
    lang: str,
    *,
    refine: bool = False,
    relax: bool = True,
    each: bool = True,
) -> str:
    """Search and describe, as :func:`search` does, without the note on things lacking.

    With nothing found, options and then features are dropped one by one (and the reply
    says so) unless ``relax`` is False: "cheaper ones?" keeps the size the shopper gave.
    A message naming two or three types in their own words ("a headlamp and also a water
    filter, 50 max each") searches each of them (``each``), one after the other.
    """
    vocab = kit.ctx.deps.searcher.vocabulary
    base: dict[str, Any] = dict(state.search) if refine else {}
    reading = kit.reading
    if reading is not None and reading.told and text == reading.text:
        for span in reading.told:  # "my cat walked across the keyboard 😂 btw": no keyboard
            text = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
    apart = types_named_apart(kit)
    named = apart if each and not refine else []
    if len(named) > 1:
        return await _each_type(kit, state, cmd, text, lang, named)
    said = parse_query(text) if reading is None else None
    if reading is not None and not reading.products and not refine:
        if reading.missing and kit.ctx.deps.searcher.named_by(reading.missing[0]):
            # words of product titles the shop's types do not name ("tables" in a shop
            # whose types are departments): search them, they are not missing
            cmd = cmd.model_copy(update={"product": reading.missing[0]})
        elif reading.missing:
            # "do you sell car tyres?": say so, show nothing unrelated
            state.shown, state.search = [], {}
            return say("not_carried", lang, words=reading.missing[0])
        if reading.categories and not vocab.resolve_types(text):
            kind = await asyncio.to_thread(kind_described, kit, reading.categories[0], text)
            if kind is None:
                return await department(kit, state, reading.categories[0], cmd, lang)
            cmd = cmd.model_copy(update={"product": kind.lower()})
    product = cmd.product or base.get("product") or (said.text if said else text)
    types = vocab.resolve_types(product) or vocab.resolve_types(text)
    type_query = product if types else None
    if not types and refine and base.get("type_query"):
        type_query = base["type_query"]
        types = vocab.resolve_types(type_query)
    elif refine and types and base.get("type_query"):
        before = vocab.resolve_types(base["type_query"])
        if before and not set(before) & set(types):
            # "und noch trekkingstöcke aus carbon": another type is a new search; the
            # filter's pump, the dumbbells' weight and their budget are not its options
            base, refine = {}, False
    if not types and lang != "en":
        # The model left the shopper's words untranslated (or mistranslated them into
        # nothing we sell): let the multilingual index read them against the catalog.
        guess = await asyncio.to_thread(
            kit.ctx.deps.searcher.multilingual_type, text, hint=cmd.words
        )
        if guess:
            product = type_query = guess.lower()
            types = [guess]
    if lang != "en" and types and not vocab.names_fully(product, types[0]):
        # "trekking shoes" for "Trekkingstöcke": the model's words named only a head noun.
        better = await asyncio.to_thread(nearest_type, kit, text, types)
        if better:
            product = type_query = better.lower()
            types = [better]
    if reading is not None and types and types[0] in reading.products and not apart:
        # "casque avec réduction de bruit active": of the kinds the word names, the one
        # with the features named (not of kinds named apart: "Gartenschere und Schlauch")
        narrowed = types_with_features(kit, reading.products, reading.features)
        if len(narrowed) == 1 and narrowed != types:
            types, product = narrowed, narrowed[0].lower()
            type_query = product
    feature_text = " ".join([*cmd.features, text, cmd.product or ""])
    features = sorted(
        set(vocab.match_features(feature_text, types)) | set(base.get("features", []))
    )
    if lang != "en" and types:
        # features the shopper named in their own language ("cestello lavabile in lavastoviglie",
        # "che non scivoli"); one word alone must come nearer ("que tengan" is no feature)
        pool = sorted({f for t in types for f in vocab.features_by_type.get(t, set())})
        scores = await asyncio.to_thread(kit.ctx.deps.searcher.phrase_scores, text, pool)
        in_own_words = {
            f
            for f, (sc, run) in scores.items()
            if sc >= (OWN_FEATURE if " " in run else OWN_FEATURE_ONE_WORD)
        }
        features = sorted(set(features) | in_own_words)
    options = {
        **base.get("options", {}),
        **_named_options(kit, types, text),
        **options_in(kit, cmd, text),
    }
    if not each and types:
        # one of the kinds asked for at once: only the values this kind comes in
        options = options_of_types(vocab.options_by_type, types, options)
    stated_low = said.min_price if said else cmd.min_price
    stated_high = said.max_price if said else cmd.max_price
    low = stated_low if stated_low is not None else base.get("min_price")
    high = stated_high if stated_high is not None else base.get("max_price")
    if refine and cmd.sort == "price_asc" and stated_low is None and stated_high is None:
        # "anything cheaper?" after "over $400": below the old floor, not above it
        if base.get("min_price") is not None:
            low, high = None, base["min_price"]
    sort = (cmd.sort if reading else sort_in(text)) or base.get("sort") or "relevance"
    words = cmd.words or (base.get("words") if refine else None)
    own: dict[str, str] = {}
    if lang != "en":
        # Replies use the shopper's own words for the product and its features, never the
        # catalog's English ("Trekkingstöcke", "cestello lavabile in lavastoviglie"). A
        # feature described rather than named has no word for it in the message ("ohne
        # heizplatte" is near "thermal carafe" in meaning, and its opposite): a higher bar.
        own = await asyncio.to_thread(
            kit.ctx.deps.searcher.own_words,
            text,
            ([type_query] if type_query else [], OWN_TYPE_WORDS),
            (features, OWN_FEATURE_WORDS),
        )
        typed = reading.text if reading is not None else ""
        for span in reading.spans if reading is not None else []:
            if span.slot == "feature" and span.value in features:
                own[span.value] = typed[span.start : span.end]  # the words read as it
        if not words and type_query and type_query in own:
            words = own[type_query]
    words = words or product
    if words == text and len(text.split()) > 3 and types:
        # never the shopper's sentence as the product's name: the kind it was read as
        words = own.get(type_query or "") or types[0].lower()
    unwanted = sorted(
        set(base.get("exclude_colors", [])) | set(reading.colors_not if reading else [])
    )
    unwanted = [c for c in unwanted if c != options.get("color")]  # "now in black after all"
    spec: dict[str, Any] = {
        "query": product,
        "product_type": type_query,
        "features": features,
        "options": options,
        "min_price": low,
        "max_price": high,
        "sort": sort,
    }
    if unwanted:
        spec["exclude_colors"] = unwanted  # "anything but black"
    typed = text if not refine else f"{base.get('said', '')} {text}".strip()
    about = _about(kit, low, high)
    if about is None and refine and (low, high) == (base.get("min_price"), base.get("max_price")):
        about = base.get("about")  # "which of those is waterproof?": still "around 25"
    state.search = {
        **spec,
        "product": product,
        "words": words,
        "type_query": type_query,
        "said": typed[-500:],
        "about": about,  # a band around "about 100" (its ends unsaid)
    }
    if vocab.types and not types:
        unknown = not _known_words(kit, product)
        if unknown and reading is not None and reading.known_share < 0.34:
            state.shown = []
            return say("out_of_scope", lang)
        if reading is not None and len(text.split()) > 3 and (unknown or words == text):
            # a description the reader could not pin to a type ("una cuccia per il mio
            # cane"): never echo the sentence as a product; show what the catalog has closest
            return await _closest(kit, state, text, spec, lang)
        if unknown:
            state.shown = []
            return say("not_carried", lang, words=words)
    cards = await _run(kit, spec)
    relaxed = ""
    if not cards and relax and about is not None and spec["min_price"] is not None:
        # "about 25" is soft below: cheaper ones before dropping what the shopper asked for
        spec = {**spec, "min_price": None}
        if kit.ctx.said_budget is not None:  # (the tool holds to the budget said)
            kit.ctx.said_budget = (None, kit.ctx.said_budget[1])
        cards = await _run(kit, spec)
    # Nothing found: drop the newest option first, then the others, then the features.
    for key in reversed(list(spec["options"]) if relax else []):
        if cards:
            break
        what = _option_words({key: spec["options"][key]}, lang, local_words(kit, lang))
        spec = {**spec, "options": {k: v for k, v in spec["options"].items() if k != key}}
        cards = await _run(kit, spec)
        if cards:
            relaxed = " " + say("relaxed", lang, what=what)
    if not cards and spec["features"] and relax:
        what = join([own.get(f, f) for f in spec["features"]], lang)
        spec = {**spec, "features": []}
        cards = await _run(kit, spec)
        if cards:
            relaxed = " " + say("relaxed", lang, what=what)
    state.shown = [str(c["id"]) for c in cards]
    if not cards:
        return say(
            "search_none",
            lang,
            words=words,
            budget=_budget(lang, low, high, about),
        )
    lead = _lead(kit, cards[0], sort, lang) + _reason(kit, cards, sort, lang)
    words = _short_words(kit, words, cards, lang)
    if sort != "relevance":
        # "the cheapest is X": "put 2 of those in my cart" next means X
        state.focus = [str(cards[0]["id"])]
    parts = [
        say(
            "search_found" if len(cards) > 1 else "search_found_one",
            lang,
            n=len(cards),
            words=words,
            budget=_budget(lang, low, high, about),
        ),
        lead,
    ]
    local = local_words(kit, lang)
    if spec["features"]:  # the shopper's words, else the shop's in their language
        shown = [own.get(f) or local.get(f.lower(), f) for f in spec["features"]]
        parts.append(say("with_features", lang, features=join(shown, lang)))
    if spec["options"]:
        values = _option_words(spec["options"], lang, local)
        parts.append(say("with_options", lang, options=values))
    hint = ""
    if len(cards) > 1 and not state.hinted:
        state.hinted = True  # once per conversation: what the shopper can do next
        hint = " " + say("next_step", lang)
    return " ".join(parts) + relaxed + _currency_note(kit, lang) + hint


async def _each_type(
    kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str, types: list[str]
) -> str:
    """Search each named type with the message's constraints; all their cards stay shown."""
    replies: list[str] = []
    cards: list[dict[str, Any]] = []
    shown: list[str] = []
    first: dict[str, Any] = {}
    reading = kit.reading
    state.kinds = {}
    for ptype in types:
        # the words the shopper named it with ("Schlauch"), else the reply finds them
        said = (
            next(
                (reading.text[s.start : s.end] for s in reading.spans if s.value == ptype),
                None,
            )
            if reading is not None
            else None
        )
        one = cmd.model_copy(update={"product": ptype.lower(), "words": said})
        replies.append(await _search(kit, state, one, text, lang, each=False))
        state.kinds[ptype] = {"search": dict(state.search), "shown": list(state.shown)}
        cards += kit.cards
        shown += [pid for pid in state.shown if pid not in shown]
        first = first or dict(state.search)
    kit.cards, state.shown = cards, shown
    state.search = first  # "cheaper?" next refines the first request
    return " ".join(replies)


# what a reply calls the products found is this short: a longer one is a sentence
SHORT_WORDS = 5


def _short_words(kit: TurnKit, words: str, cards: list[dict[str, Any]], lang: str) -> str:
    """Never a shopper's sentence as what was found: the kinds of the cards instead.

    ("Here are 2 options for my nephew turns 9 next week …" after a refinement of a
    description: "Here are 2 options for rc car".)
    """
    if len(words.split()) <= SHORT_WORDS:
        return words
    type_of = kit.ctx.deps.searcher.vocabulary.type_of
    local = local_words(kit, lang)
    kinds = [t for t in dict.fromkeys(type_of.get(str(c["id"]), "") for c in cards) if t]
    return join([local.get(k.lower(), k.lower()) for k in kinds[:2]], lang) or words


async def _closest(
    kit: TurnKit, state: FlowState, text: str, spec: dict[str, Any], lang: str
) -> str:
    """Show the catalog's closest products to a description that names no type.

    Its numbers are ages, counts and budgets ("my nephew turns 9"), never a model's number
    (a model named is read before): they are left out of the words searched.
    """
    words = " ".join(w for w in text.split() if not any(c.isdigit() for c in w)) or text
    closest = {**spec, "query": words, "product_type": None, "features": []}
    cards = await _run(kit, {**closest, "sort": "relevance"})
    sort = spec.get("sort") or "relevance"
    kind = kit.ctx.deps.searcher.vocabulary.type_of.get(str(cards[0]["id"])) if cards else None
    if kind is not None and sort != "relevance":
        # "… the cheapest one pls": the cheapest of the closest kind, not of anything near
        cards = await _run(kit, {**closest, "product_type": kind}) or cards
    state.shown = [str(c["id"]) for c in cards]
    if not cards:
        return say("search_none", lang, words="…", budget="")
    if sort != "relevance":
        state.focus = [str(cards[0]["id"])]  # "add that one" next means the one led with
    return f"{say('closest', lang)} {_lead(kit, cards[0], sort, lang)}"


def _lead(kit: TurnKit, first: dict[str, Any], sort: str, lang: str) -> str:
    """Return the sentence that introduces the first card, for the sort it was found by."""
    rating = kit.ctx.deps.searcher.vocabulary.rating_of.get(str(first["id"]))
    return say(
        f"lead_{sort}",
        lang,
        name=first["name"],
        price=money(float(first["price"]), lang),
        rating=f"{rating:.1f}" if rating is not None else "–",
    )


def _reason(kit: TurnKit, cards: list[dict[str, Any]], sort: str, lang: str) -> str:
    """One reason for the first pick, from the shown cards (none when the sort says it)."""
    if sort != "relevance" or len(cards) < 2:
        return ""
    rating_of = kit.ctx.deps.searcher.vocabulary.rating_of
    ratings = [rating_of.get(str(c["id"])) or 0.0 for c in cards]
    prices = [float(c["price"]) for c in cards]
    if ratings[0] > 0 and ratings[0] > max(ratings[1:]):
        return " " + say("reason_best_rated", lang, rating=f"{ratings[0]:.1f}")
    if prices[0] < min(prices[1:]):
        return " " + say("reason_cheapest", lang)
    return ""


def _about(kit: TurnKit, low: float | None, high: float | None) -> float | None:
    """Return the approximate budget the shopper said, when this turn's band came from it."""
    reading = kit.reading
    if reading is None or reading.budget_about is None or low is None or high is None:
        return None
    return reading.budget_about


# Replies write prices in dollars (replies.money); a budget in another currency is read as
# the same number of dollars, and the reply says so.
def _currency_note(kit: TurnKit, lang: str) -> str:
    """Say so when the shopper's budget was in another currency than the shop's."""
    reading = kit.reading
    shop = shop_currency.get()
    if reading is None or not reading.currency or reading.currency == shop:
        return ""
    return " " + say("currency_note", lang, theirs=reading.currency, shop=shop)


async def department(kit: TurnKit, state: FlowState, category: str, cmd: Command, lang: str) -> str:
    """Show a category's products when the shopper named only an area ("kitchen stuff")."""
    spec: dict[str, Any] = {
        "query": category,
        "category": category,
        "min_price": cmd.min_price,
        "max_price": cmd.max_price,
        "sort": cmd.sort or "rating",
    }
    state.search = {**spec, "product": category, "words": category, "type_query": None}
    cards = await _run(kit, spec)
    state.shown = [str(c["id"]) for c in cards]
    budget = _budget(lang, cmd.min_price, cmd.max_price)
    if not cards:
        return say("search_none", lang, words=category, budget=budget)
    found = say("search_found", lang, n=len(cards), words=category, budget=budget)
    # what the department holds, by kind: "garden hoses, pruning shears and raised beds"
    of_category = kit.ctx.deps.searcher.lexicon.type_category
    kinds = sorted(t for t, c in of_category.items() if c == category)
    if not kinds:
        return found
    local = local_words(kit, lang)
    named = join([local.get(t.lower(), t) for t in kinds], lang)
    return f"{say('category_kinds', lang, category=category, kinds=named)} {found}"


def _known_words(kit: TurnKit, product: str) -> bool:
    """Return True when some catalog product's name shares a word with ``product``."""
    return bool(set(stems(product)) & kit.ctx.deps.searcher.name_words)
