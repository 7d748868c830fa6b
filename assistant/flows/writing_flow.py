"""Translate, describe, reviews: the writing tools, pointed at a product by code.

Which product: the one the message names (a catalog type, sorted as asked: "your
best-rated desk lamp"), else the shown product the message points at, else the first
shown. Which language: the one the message names ("into German", "auf Französisch"),
else the shopper's. The tools do the writing and checking; templates frame it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.flows.command import Command
from assistant.flows.kit import TurnKit
from assistant.flows.references import pick
from assistant.flows.replies import join, local_words, replies_keys, say
from assistant.flows.state import FlowState
from assistant.flows.understand import sort_in
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.tokens import CLAUSE_BREAK
from catalog.errors import ShopError

_TRANSLATE = re.compile(
    r"\b(translat\w*|übersetz\w*|tradui\w*|traduc\w*|tradu[cz]\w*|tradurr\w*)\b", re.IGNORECASE
)
_DESCRIBE = re.compile(
    r"\b(describe|description|blurb|copy|marketing|newsletter|e-?mail (?:text|copy|blast)|"
    r"social(?: media)? post|post for (?:instagram|facebook|social)|tweet|instagram|caption|"
    r"tagline|slogan|beschreib\w*|werbetext|décri\w*|descri\w*)\b",
    re.IGNORECASE,
)
_WRITE = re.compile(
    r"\b(write|draft|compose|create|give me|need|make|schreib\w*|entw[iu]rf\w*|écri\w*|"
    r"rédige\w*|escrib\w*|redact\w*|scriv\w*|redig\w*|describe|beschreib\w*|décri\w*|"
    r"describ\w*|descriv\w*)\b",
    re.IGNORECASE,
)
_REVIEWS = re.compile(
    r"\b(reviews?|reviewers|what do (?:people|customers|buyers) (?:say|think)|"
    r"bewertungen|rezension\w*|kundenmeinung\w*|avis des clients|les avis|commentaires|"
    r"reseñas|opiniones|recensioni)\b",
    re.IGNORECASE,
)
_TARGET = {
    "de": r"german|deutsch\w*|allemand|alem[aá]n|tedesco",
    "fr": r"french|franz[öo]sisch\w*|fran[cç]ais|franc[eé]s|francese",
    "es": r"spanish|spanisch\w*|espagnol|espa[nñ]ol|spagnolo",
    "it": r"italian|italienisch\w*|italien|italiano",
    "en": r"english|englisch\w*|anglais|ingl[eé]s|inglese",
}
_KINDS = (
    ("social", r"social|instagram|facebook|tweet|caption|hashtag"),
    ("email", r"newsletter|e-?mail|mailing"),
    ("marketing", r"blurb|marketing|catchy|slogan|tagline|ad copy|advert|werbe|publicit|promo"),
)
_TONES = (
    "upbeat",
    "playful",
    "fun",
    "formal",
    "professional",
    "luxurious",
    "casual",
    "enthusiastic",
    "friendly",
    "warm",
    "elegant",
    "witty",
    "calm",
    "bold",
)
_QUOTED = re.compile(r"[\"“„«']([^\"”“«»']{3,})[\"”“»']")


def request_in(text: str) -> str | None:
    """``translate``, ``describe`` or ``reviews`` when the message plainly asks for it."""
    if _TRANSLATE.search(text):
        return "translate"
    if _REVIEWS.search(text):
        return "reviews"
    if _DESCRIBE.search(text) and _WRITE.search(text):
        return "describe"
    return None


def target_language(text: str) -> str | None:
    """Return the language the message asks for ("into German" → ``de``), if any."""
    found = [
        (m.start(), lang)
        for lang, pat in _TARGET.items()
        for m in re.finditer(rf"\b(?:{pat})\b", text, re.IGNORECASE)
    ]
    return min(found)[1] if found else None


def copy_kind(text: str) -> str:
    """Which kind of copy: social, email, marketing, or a plain description."""
    for kind, pattern in _KINDS:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return "description"


def tone_of(text: str) -> str:
    """Return the tone the message asks for ("upbeat"), else friendly."""
    lowered = text.lower()
    return next((t for t in _TONES if re.search(rf"\b{t}\b", lowered)), "friendly")


async def _product(
    kit: TurnKit, state: FlowState, cmd: Command, text: str
) -> dict[str, Any] | None:
    """Find the product meant: one named by its model, a type, else a shown one.

    A type named is searched (sorted as asked) and its first card taken.
    """
    searcher = kit.ctx.deps.searcher
    vocab = searcher.vocabulary
    types = vocab.resolve_types(text) or (vocab.resolve_types(cmd.product) if cmd.product else [])
    named = [p for p in searcher.models.named(text) if not types or vocab.type_of.get(p) in types]
    if len(named) == 1:
        # "die Beschreibung vom Nimbus Cascade 8 Kettle": that product, not the first
        # kettle found
        name = searcher.name_of(named[0]) or ""
        found = await _first_found(kit, state, query=name, product_type=vocab.type_of.get(named[0]))
        if found is not None and str(found.get("id")) == named[0]:
            return found
    if types:
        query = cmd.product if cmd.product and vocab.resolve_types(cmd.product) else types[0]
        sort = sort_in(text) or "relevance"
        return await _first_found(kit, state, query=query, product_type=types[0], sort=sort)
    if state.shown:
        products = await pick(kit, state, [0], fallback_item=cmd.item)
        if products:
            return {"id": products[0]["id"], "name": products[0]["name"]}
    if cmd.product:
        return await _first_found(kit, state, query=cmd.product)
    return None


async def _first_found(kit: TurnKit, state: FlowState, **search: Any) -> dict[str, Any] | None:
    """Search (top 3, shown to the shopper) and return the first card, if any."""
    try:
        await kit.call("search_catalog", **search, limit=3)
    except ShopError:
        return None
    if not kit.cards:
        return None
    state.shown = [str(c["id"]) for c in kit.cards]
    if search.get("product_type"):
        # what was shown can be refined ("only ones under $100") like any search
        ptype = str(search["product_type"])
        state.search = {
            "query": ptype,
            "product_type": ptype,
            "sort": search.get("sort") or "relevance",
            "product": ptype.lower(),
            "words": ptype.lower(),
            "type_query": ptype.lower(),
        }
    return kit.cards[0]


async def translate(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Translate a product's description (or name), or a quoted text, into the asked language."""
    target = target_language(text) or (lang if lang != "en" else None)
    if target is None:
        return say("which_language", lang)
    quoted = _QUOTED.search(text)
    language = say(f"lang_{target}", target)
    if quoted:  # "how do I say \"thank you\" in German": the quoted words themselves
        result = kit.data(
            await kit.call("translate_text", text=quoted.group(1), target_lang=target)
        )
        return f"{say('translated_text', target, language=language)}\n\n{result['translation']}"
    product = await _product(kit, state, cmd, text)
    if product is None:
        return say("which_product", lang)
    state.focus = [str(product["id"])]  # "and what is it for?" next asks about this one
    field = (
        "name"
        if re.search(r"\b(name|namen?s?|nom|nombre|nome)\b", text, re.I)
        and not re.search(r"descri|beschreib", text, re.I)
        else "description"
    )
    result = kit.data(
        await kit.call(
            "translate_text", product_id=str(product["id"]), field=field, target_lang=target
        )
    )
    head = say(
        "translated",
        target,
        what=say(f"field_{field}", target),
        name=product["name"],
        language=language,
    )
    return f"{head}\n\n{result['translation']}"


# how a text just written is asked to be written again ("make it funnier"): the tone asked
_REWRITE_TONES = {
    "rewrite_fun": "playful",
    "rewrite_formal": "formal",
    "rewrite_short": "brief",
    "rewrite_long": "detailed",
    "rewrite_warm": "warm",
}


@dataclass(frozen=True)
class Rewrite:
    """How the text written the turn before is to be written again."""

    tone: str
    lang: str


# a message asking only for the last text in another language is this short ("und das
# ganze nochmal auf englisch pls")
_REWRITE_MAX_WORDS = 10


def rewrite_asked(
    state: FlowState, text: str, lang: str, product_words: Sequence[str] = ()
) -> Rewrite | None:
    """Return how to write the text of the turn before again, when the message asks it.

    Only right after a product text was written: in another tone ("ponla más divertida",
    "kürzer bitte"; several asks join: "brief, playful"), or in another language named in
    a short clause that names no product ("the same in english pls"; ``product_words``:
    the words that named products).
    """
    if not state.wrote or state.wrote_turn != state.turn - 1:
        return None
    tones = [
        _REWRITE_TONES[h.group] for h in dialogue_hits(text, lang) if h.group in _REWRITE_TONES
    ]
    target = target_language(text)
    # the clause naming the language ("now the same thing in spanish please, half my
    # readers are in mexico": the words after it say why, and name no product asked for)
    clause = next((c for c in CLAUSE_BREAK.split(text) if target_language(c)), text).lower()
    named = [w for w in product_words if w.lower() in clause]
    if target is not None and (named or len(clause.split()) > _REWRITE_MAX_WORDS):
        target = None  # "show me english breakfast tea" is a search
    if not tones and target is None:
        return None
    tone = ", ".join(dict.fromkeys(tones)) or state.wrote.get("tone", "friendly")
    return Rewrite(tone=tone, lang=target or state.wrote["lang"])


async def describe(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Write grounded copy (description, blurb, email, social post) for the product meant."""
    product = await _product(kit, state, cmd, text)
    if product is None:
        return say("which_product", lang)
    state.focus = [str(product["id"])]  # "and what is it for?" next asks about this one
    target = target_language(text) or lang
    return await _write(kit, state, product, copy_kind(text), tone_of(text), target)


async def rewrite(kit: TurnKit, state: FlowState, text: str, lang: str) -> str:
    """Write the text of the turn before again, in the tone or language the message asks."""
    wrote = state.wrote
    # (asked as routing asked it: with the products the message names)
    words = kit.reading.product_words if kit.reading is not None else ()
    asked = rewrite_asked(state, text, lang, words)
    asked = asked or Rewrite(wrote.get("tone", "friendly"), wrote["lang"])
    product = {"id": wrote["product_id"], "name": wrote["name"]}
    return await _write(kit, state, product, wrote["kind"], asked.tone, asked.lang)


async def _write(
    kit: TurnKit, state: FlowState, product: dict[str, Any], kind: str, tone: str, target: str
) -> str:
    """Call the copywriter for one product and remember what it wrote (for a rewrite)."""
    result = kit.data(
        await kit.call(
            "write_product_description",
            product_id=str(product["id"]),
            kind=kind,
            tone=tone,
            lang=target,
        )
    )
    state.wrote = {
        "product_id": str(product["id"]),
        "name": str(product["name"]),
        "kind": kind,
        "lang": target,
        "tone": tone,
    }
    state.wrote_turn = state.turn
    head = say("copy_intro", target, kind=say(f"kind_{kind}", target), name=product["name"])
    return f"{head}\n\n{result['text']}\n\n{say('copy_note', target)}"


async def reviews(kit: TurnKit, state: FlowState, cmd: Command, text: str, lang: str) -> str:
    """Summarize the reviews of the product meant: stars, likes and complaints with quotes."""
    product = await _product(kit, state, cmd, text)
    if product is None:
        return say("which_product", lang)
    state.focus = [str(product["id"])]  # "and what is it for?" next asks about this one
    return await review_summary(kit, state, product, lang)


async def review_summary(kit: TurnKit, state: FlowState, product: dict[str, Any], lang: str) -> str:
    """Summarize one product's reviews; it becomes the product the conversation is about."""
    if str(product["id"]) in state.shown:
        state.focus = [str(product["id"])]
    data = kit.data(await kit.call("summarize_reviews", product_id=str(product["id"])))
    if not data.get("count"):
        return say("reviews_none", lang, name=data["product_name"])
    parts = [
        say(
            "reviews_summary",
            lang,
            name=data["product_name"],
            count=data["count"],
            average=f"{float(data['average_rating']):.1f}",
        )
    ]
    local = local_words(kit, lang)
    for side, key in (("likes", "reviews_likes"), ("dislikes", "reviews_dislikes")):
        items = [_aspect(a, lang, local) for a in data.get(side, [])]
        kept = [i for i in items if i]
        if kept:
            parts.append(say(key, lang, items=join(kept, lang)))
    if lang != "en" and (data.get("likes") or data.get("dislikes")):
        parts.append(say("reviews_quotes_english", lang))
    return " ".join(parts)


def _aspect(aspect: dict[str, Any], lang: str, local: dict[str, str]) -> str:
    """One aspect with its count; quoted in English only (the reviews' own language).

    In another language the aspect is named in the shopper's words (the shop's synonyms,
    or the general aspects' names) and the English quote is left out; an aspect with no
    name in that language is left out too rather than shown in English.
    """
    name, n = str(aspect["aspect"]), aspect["reviews"]
    if lang == "en":
        return say("reviews_aspect", lang, aspect=name, n=n, quote=aspect["quote"])
    own = local.get(name.lower())
    if own is None and f"aspect_{name}" in replies_keys():
        own = say(f"aspect_{name}", lang)
    return say("reviews_aspect_count", lang, aspect=own, n=n) if own else ""
