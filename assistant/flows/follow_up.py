"""What a message does to the products on screen: the dialogue manager's follow-up step.

When products are shown and the message names no new kind of product, the reader's
intent alone does not tell "the cheaper one, what sizes?" (a question about one shown
product) from "anything cheaper?" (a new, cheaper search) or "which of those two is
cheaper?" (a pick among the shown). This step decides it from the reading (intent,
slots) and the dialogue cues of the message's language (``dialogue_cues.yaml``): whether
it points at one shown product, at several, asks *which*, compares, or changes the search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from assistant.flows.recommend_flow import recommend_kind
from assistant.flows.state import FlowState
from assistant.nlu.cues import CueHit, asks_which_of, dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions
from assistant.nlu.tokens import keys, word_tokens

Pick = Literal["price_asc", "price_desc", "rating"]
Op = Literal[
    "listed", "ask", "compare", "best_of", "reviews", "missing", "cart", "refine", "relative"
]
# Attributes shoppers ask about that a catalog may not carry (cue group → attribute).
ATTRIBUTES = {
    "attr_weight": "weight",
    "attr_dimensions": "dimensions",
    "attr_warranty": "warranty",
    "attr_origin": "origin",
    "attr_battery": "battery",
}
# Words in a catalog's feature names that mean it does carry the attribute after all.
ATTRIBUTE_WORDS = {
    "weight": ("weight", "lightweight", "ultralight", "ultra-light"),
    "dimensions": ("dimension", "compact size"),
    "warranty": ("warranty", "guarantee"),
    "origin": ("made in",),
    "battery": ("battery",),
}
# One-word "order by" cues that are also ordinals: they sort only at the end ("cheapest first").
FIRSTS = {"first", "zuerst", "dabord", "primero", "primeros", "prima", "oben", "arriba"}
# A "refine" reading this sure is a change of the shown search, not a question about one of
# its products ("what about in size 10?" after a list). The reader's top intent at 0.86 is
# still its reading: a threshold near 1 made the outcome hang on the model's calibration.
REFINE_CONFIDENCE = 0.6
# Intents that are never about the shown products, whatever words they share.
_ELSEWHERE = {
    "recommend",  # "mejor recomiéndame algo según lo que he comprado" is no pick of the shown
    "authenticate",
    "order_status",
    "start_write",
    "confirm",
    "deny",
    "handoff",
    "translate",
    "describe",
    "capabilities",
    "out_of_scope",
}


@dataclass
class FollowUp:
    """One operation on the shown products, as decided for this message."""

    op: Op
    plural: bool = False  # the message points at several products ("those two", "both")
    singular: bool = False  # … at one product ("it", "that one", "the second")
    pick: Pick | None = None  # "the cheaper one"
    attribute: str | None = None  # a catalog-less attribute asked about ("weight")
    asks: list[str] = field(default_factory=list)  # "sizes", "colors", "options", "details"


def _words_of(hits: list[CueHit], groups: Iterable[str]) -> set[str]:
    """Return the word keys that the cues of ``groups`` cover."""
    wanted = set(groups)
    return {k for h in hits if h.group in wanted for k in h.keys}


def _groups(hits: list[CueHit]) -> set[str]:
    return {h.group for h in hits}


def _asked_groups(hits: list[CueHit], reading: Reading) -> set[str]:
    """Return the cue groups of ``hits``, less an attribute word its value follows.

    "en talla 10", "in size 10" give a size; "¿qué tallas tiene?" asks for them.
    """
    tokens = word_tokens(reading.text)
    valued = [(s.start, s.end) for s in reading.spans if s.slot in ("size", "color", "option")]

    def answered(h: CueHit) -> bool:
        nxt = tokens[h.end] if h.end < len(tokens) else None
        return nxt is not None and any(a <= nxt.start < b for a, b in valued)

    return {h.group for h in hits if not (h.group.startswith("ask_") and answered(h))}


def _definite(hits: list[CueHit], group: str, lang: str = "en") -> bool:
    """Return True when a cue of ``group`` follows an article or precedes "one"."""
    # "the cheaper one", "quelli più economici" (a demonstrative makes it a pick too), "is
    # the cheaper one in white?" (the article ends the question's cue "is the")
    starts = {
        h.end
        for h in hits
        if h.group in ("article", "refer_many", "refer_one")
        or any(a.group == "article" for a in dialogue_hits(h.keys[-1] if h.keys else "", lang))
    }
    ones = {h.start for h in hits if h.group == "one"}
    return any(h.group == group and (h.start in starts or h.end in ones) for h in hits)


_RATED = re.compile(
    r"\b(?:rate[sd]?|rating|ratings|reviews?|stars?|bewert\w*|not[ée]e?s?|valorad\w*|"
    r"valoraci\w*|recensi\w*|votat\w*)\b",
    re.IGNORECASE,
)


def _pick(
    groups: set[str], reading: Reading
) -> Literal["price_asc", "price_desc", "rating"] | None:
    if "cheaper" in groups or reading.sort == "price_asc":
        return "price_asc"
    if "pricier" not in groups and _RATED.search(reading.text):
        return "rating"  # "which one do ppl rate higher": higher rated, not pricier
    if "pricier" in groups or reading.sort == "price_desc":
        return "price_desc"
    if "better" in groups or reading.sort == "rating":
        return "rating"
    return None


def carries(attribute: str, features: set[str]) -> bool:
    """Return True when a catalog's feature names carry ``attribute`` ("weeks of battery")."""
    return bool(features_for(attribute, features))


def features_for(attribute: str, features: Iterable[str]) -> list[str]:
    """Return the feature names that speak to ``attribute`` ("ultralight" for weight)."""
    words = ATTRIBUTE_WORDS.get(attribute, ())
    return sorted(f for f in features if any(w in f.lower() for w in words))


def _picks_by(groups: set[str]) -> bool:
    """Return True for "which one is the lightest?": a pick among the shown by an attribute.

    Whatever the intent head says: a question about what the shop can do names no product
    attribute.
    """
    return "which" in groups and any(g in groups for g in ATTRIBUTES)


def _which_to_take(reading: Reading, groups: set[str], shown_types: set[str]) -> bool:
    """Return True for a recommendation asked among the shown ("laquelle tu me conseilles ?").

    Not "welches Paar ist leichter?": which one is lighter asks of the weight, not a pick.
    """
    if reading.intent != "recommend" or "which" not in groups or groups & set(ATTRIBUTES):
        return False
    named = set(reading.products)
    return not (reading.categories or reading.missing or reading.items) and named <= shown_types


def _of_shown_first(reading: Reading, kinds: set[str]) -> bool:
    """Whether a value is asked of the shown ones before another kind is named.

    "does any of them have that red light setting so i dont blind everyone in the tent":
    "any of them" points at the shown headlamps first; the tent is where they are used.
    """
    valued = reading.features or reading.colors or reading.sizes or reading.options
    starts = [s.start for s in reading.spans if s.slot == "product" and s.value in kinds]
    return bool(valued and starts) and asks_which_of(reading.text[: min(starts)])


_ONES = re.compile(r"\b(?:ones|celles|ceux)\b", re.IGNORECASE)


def several_picked(reading: Reading, groups: set[str]) -> bool:
    """Whether a pick by price or rating means several: "the cheapest ones", "les moins chers".

    (Not "the cheapest one", "le moins cher", "el más barato"; nor "quello con le
    recensioni migliori", whose plural article is the reviews'.)
    """
    plural = "plural_article" in groups and "refer_one" not in groups
    return bool(_ONES.search(reading.text)) or plural


def decide(
    state: FlowState,
    reading: Reading | None,
    shown_types: set[str],
    features: set[str],
    *,
    named_one: bool = False,
) -> FollowUp | None:
    """Return the operation on the shown products this message asks for (None: not one).

    ``shown_types`` are the product types on screen (a message naming only those still
    refers to them); ``features`` their feature names (battery life listed as a feature
    is not a catalog-less attribute); ``named_one``: a word of its name ("die von
    halcyon") points at one of them.
    """
    if not state.shown or reading is None or state.pending:
        return None
    if any(t.slot == "product" and t.value in shown_types for t in reading.told):
        return None  # "scrap the clock, … what i need is a lamp": the shown kind set aside
    hits = dialogue_hits(reading.text, reading.lang)
    groups = _groups(hits)
    one_in_focus = len(state.focus) == 1 and "recommend" not in reading.cue_groups
    if len(state.shown) > 1 and not one_in_focus and _which_to_take(reading, groups, shown_types):
        # "which one would you recommend?" with products shown: the best of those, not a
        # personal list of other products
        return FollowUp(op="best_of", plural=True, pick="rating")
    named = reading.products or reading.categories or reading.missing or reading.sort
    of_it = "refer_one" in groups and reading.text.rstrip().endswith("?")
    vague_of_it = (
        reading.intent in ("capabilities", "out_of_scope", "confirm", "smalltalk") and of_it
    )
    just_wrote = bool(state.wrote) and state.wrote_turn == state.turn - 1  # "make it funnier"
    if (
        one_in_focus
        and not named
        and not just_wrote
        and not groups & {"cart_word", "cart_view"}  # "what goes with what's in my cart?"
        and recommend_kind(reading.text) not in ("together", "similar")
        and (reading.intent in ("recommend", "ask_product") or vague_of_it)
    ):
        # "et elle est faite pour quel type de peau ?", "what is it for?" right after one
        # product: about that one (not a recommendation, not what the assistant can do)
        return FollowUp(op="ask", singular=True)
    # a catalog-less attribute asked about ("weight"): no such data, or only as a feature
    # ("ultralight"), is said as such, never guessed
    attribute = next((ATTRIBUTES[g] for g in ATTRIBUTES if g in groups), None)
    told: Op = "listed" if attribute and carries(attribute, features) else "missing"
    if (
        attribute
        and "which" in groups
        and len(state.shown) > 1
        and set(reading.products) <= shown_types
    ):
        # "welches Paar ist leichter?" (read as a recommendation): which of these, by weight
        return FollowUp(op=told, plural=True, attribute=attribute)
    vague = reading.intent in ("capabilities", "out_of_scope")
    compares = "compare" in reading.cue_groups or "compare_ask" in groups
    if compares and ("refer_many" in groups or "the_two" in groups):
        # "compare those two for me": the shown two, whatever else the words suggest
        return FollowUp(op="compare", plural=True)
    if (
        "compare_ask" in groups
        and len(state.shown) > 1
        and not (reading.products or reading.categories or reading.missing)
    ):
        # "me li confronti?", "compáralos": the pronoun is in the verb
        return FollowUp(op="compare", plural=True)
    if (
        reading.intent in _ELSEWHERE
        and reading.confidence >= 0.6
        and not (vague and _picks_by(groups))
    ):
        return None
    if reading.email or reading.order_ids or reading.name or reading.zip:
        return None
    if reading.write and reading.intent == "start_write":
        return None
    products = set(reading.products)
    said = set(keys(" ".join(reading.product_words)))
    # (a type no words name is a guess, unless the features asked for named it: "only the
    # orthopedic ones" are dog beds)
    if products and (said <= _words_of(hits, ATTRIBUTES) if said else not reading.features):
        products = set()  # "¿cuánto pesa?" is the verb, not "pesas" (dumbbells)
    if products - shown_types and _of_shown_first(reading, products - shown_types):
        products &= shown_types  # "does any of them have a red light … in the tent at night"
    if reading.categories or reading.missing or not products <= shown_types:
        return None  # a new kind of product is a new search
    n_items = len(reading.items or word_positions(reading.text))
    many = n_items >= 2 or "refer_many" in groups  # "those two", "both", "the first two"
    # … or "any in blue?", or "just the ones that dim" (the cue words read "ones" as "one")
    plural = many or "any" in groups or bool(_ONES.search(reading.text))
    singular = n_items == 1 or named_one or ("refer_one" in groups and not plural)
    attr_starts = {h.start for h in hits if h.group.startswith("ask_")}
    # "which of these", not "which sizes" / "quelles tailles" (a question about an attribute)
    which = any(h.group == "which" and h.end not in attr_starts for h in hits)
    asks = [
        name
        for name, group in (
            ("sizes", "ask_sizes"),
            ("colors", "ask_colors"),
            ("options", "ask_options"),
            ("details", "ask_details"),
        )
        if group in _asked_groups(hits, reading)
    ]
    valued = bool(reading.features or reading.colors or reading.sizes or reading.options)
    comparative = "cheaper" in groups or "pricier" in groups or "better" in groups
    definite = any(_definite(hits, g, reading.lang) for g in ("cheaper", "pricier", "better"))
    out = FollowUp(op="ask", plural=plural, singular=singular, asks=asks)
    if "cart" in groups:
        out.op = "cart"
        return out
    typed_feature = any(s.slot == "feature" for s in reading.spans)
    if attribute and reading.intent != "reviews" and not typed_feature:
        # ("just the ones that dim, bright light hurts": a feature asked for, no weight)
        out.op, out.attribute = told, attribute
        return out
    if reading.intent == "reviews" and reading.confidence >= 0.5 and not (which and comparative):
        out.op = "reviews"  # (but "which one do people like most?" is a pick by rating)
        return out
    n_words = len(keys(reading.text))
    # "cheapest first", "sort by price", "les moins chers d'abord": the list re-sorted
    ordered = any(
        h.group == "order_by" and (len(h.keys) > 1 or h.keys[0] not in FIRSTS or h.end == n_words)
        for h in hits
    )
    direction = "low_to_high" in groups or "high_to_low" in groups
    if (ordered or direction) and not which and (reading.sort or comparative or direction):
        out.op, out.pick = "refine", _pick(groups, reading)
        if "low_to_high" in groups:
            out.pick = "price_asc"
        elif "high_to_low" in groups:
            out.pick = "price_desc"
        return out
    picks = (which or definite or (reading.sort is not None and singular)) and (
        comparative or reading.sort is not None
    )
    if picks:
        out.pick = _pick(groups, reading)
        # "le moins cher de ceux-là en noir ?" picks among those ("is the cheaper of the two
        # in black?" asks about the one picked)
        of_those = any(h.group == "qty_unit" and len(h.keys) > 1 for h in hits)  # "de ceux-là"
        among = ("refer_many" in groups or of_those) and "the_two" not in groups
        out.op = "ask" if (asks or valued) and not (which or among) else "best_of"
        # "the cheaper one of the first two": the first two are where it is picked from, the
        # pick is one ("the cheaper ones", "les moins chers" are several)
        several = several_picked(reading, groups) or (plural and not definite)
        if out.op == "ask" and valued and not asks and several and not singular:
            out.op = "refine"  # "the cheaper ones with keep warm": those, cheapest first
        return out
    budget = not (reading.budget_min is None and reading.budget_max is None)
    if budget and not (singular or n_items) and reading.budget_about is None:
        return None  # "anything under 30?": the search changes (routing refines it)
    if reading.intent == "compare" or (many and not which and not valued and not comparative):
        out.op = "compare"
        return out
    same_but = "same_but" in groups
    if which and valued:
        out.op = "refine"  # "which of these are waterproof?": narrow the shown search
        return out
    # a confident "refine" is a new search, unless it asks about the one product in focus
    about_focus = bool(asks) and len(state.focus) == 1
    refines = (
        reading.intent == "refine"
        and reading.confidence >= REFINE_CONFIDENCE
        and not (singular or about_focus)
    )
    # "is it …?" / "and is the cover washable?" right after talking about one product
    yes_no = any(h.group == "yes_no" and h.start <= 1 for h in hits) and len(state.focus) == 1
    # "gibts das dritte auch in fest?" asks about the third: "also in" refines only the list
    if (asks or valued or yes_no or reading.intent == "ask_product") and not (
        (same_but and not singular) or plural or refines
    ):
        if singular or asks or yes_no or reading.intent == "ask_product":
            return out
    if same_but and valued:
        out.op = "refine"
        return out
    if comparative and not which:
        out.op, out.pick = "relative", _pick(groups, reading)
        return out
    return None
