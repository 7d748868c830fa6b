"""Which variant a cart request means: option values typed, searched, or left open.

The shopper's words name option values ("in a 10", "32 Zoll" for "32 inch", "gr. 10");
the search that showed a product named some too ("white kettle 1.7l"); "farbe egal"
leaves an option open. Only values a product has are choices; a size it lacks is kept,
so that the cart refuses it instead of adding another size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from assistant.flows.kit import TurnKit
from assistant.flows.option_words import matching_choices, units_joined
from assistant.flows.state import FlowState
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import cut_spans
from retrieval.model_names import model_of
from tools.common.cart import VariantChoice, choose_variant, norm

# A size typed after "in (a)", "size", "gr." … even when the product has no such size.
_SIZE_SAID = re.compile(
    r"\b(?:in(?: an?)?|en|size|sz|gr\.?|gr[öo]ße|taille|pointure|talla|taglia|misura|numero)"
    r"\s+(\d{1,2}(?:[.,]5)?)(?!\s*(?:€|\$|eur|dollar|euro|%|mm|cm|ml|l\b))",
    re.IGNORECASE,
)


def values_named(kit: TurnKit, product: dict[str, Any] | None = None) -> list[str]:
    """Return the option values the message names: the reader's, and the product's own.

    A product's values are found by their words ("in a 10", "32 Zoll" for "32 inch",
    "gr. 10"), one per option, besides those the reader read.
    """
    reading = kit.reading
    if reading is None:
        return []
    out = [*reading.sizes, *reading.colors, *reading.options.values()]
    if product is not None:
        names = {k for v in product.get("variants", []) for k in v.get("options", {})}
        # a size for a product without sizes, a colour for one in one colour, a value of
        # an option it does not have ("Größe 8" read as a blade length): not a choice
        text = _without_positions(reading)
        model = model_of(str(product.get("name", "")))
        if model:  # "les Orbitek Apex 8 : 3 paires en taille L": the 8 is no size
            text = re.sub(re.escape(model), " ", text, flags=re.IGNORECASE)
        in_model = set(model.lower().split())
        out = [
            *(s for s in reading.sizes if "size" in names and not _only_in(s, in_model, text)),
            *(c for c in reading.colors if "color" in names),
            *(v for k, v in reading.options.items() if k in names),
        ]
        by_option = options_of(product)
        have = {norm(v) for v in out}
        # the shop's words for its values in the shopper's language ("celui à gravité")
        local = kit.ctx.deps.searcher.lexicon.resolve(text, "option")
        for values in by_option.values():
            if any(norm(v) in have for v in values):
                continue
            typed = [v for v in values if v in local]
            out += typed if len(typed) == 1 else matching_choices(units_joined(text), values)
        measured = [k for k, vs in by_option.items() if _measures(vs)]
        option = "size" if "size" in by_option else measured[0] if len(measured) == 1 else ""
        relative = _relative_size(reading, by_option.get(option, []))
        most = _most_of_measure(reading, {k: by_option[k] for k in measured if k != "size"})
        if relative is None and most is not None:
            option, relative = most  # "the brightest red version": the most lumens
        if relative is not None and not set(map(norm, out)) & set(map(norm, by_option[option])):
            # "le grand format": the largest of its measured sizes (not the "L" of "grand");
            # "the biggest jug size" of a blender sold in 32 and 64 oz: its one measured option
            out = [v for v in out if v not in reading.sizes] + [relative]
        said = _SIZE_SAID.search(text)
        if (
            "size" in by_option
            and said
            and not set(map(norm, out)) & set(map(norm, by_option["size"]))
        ):
            out.append(said.group(1))  # "in a 10" that it does not come in: refused, not 9
    return out


_MEASURE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[^\W\d_]")


def _measures(values: list[str]) -> list[tuple[float, str]]:
    """Return (number, value) of two or more values that are all measures ("32 oz"), else []."""
    matches = [(m, v) for v in values if (m := _MEASURE.match(v))]
    measured = [(float(m.group(1).replace(",", ".")), v) for m, v in matches]
    return measured if len(measured) >= 2 and len(measured) == len(values) else []


def _relative_size(reading: Any, sizes: list[str]) -> str | None:
    """Return the largest / smallest of measured sizes ("3.4 oz") the message asks for.

    "the bigger one", "le grand format", "la piccola": only where every size is a number
    with its unit (a letter size's "large" is the lexicon's L).
    """
    measured = _measures(sizes)
    if not measured:
        return None
    groups = {h.group for h in dialogue_hits(str(reading.text), str(reading.lang))}
    if "size_big" in groups and "size_small" not in groups:
        return max(measured)[1]
    if "size_small" in groups and "size_big" not in groups:
        return min(measured)[1]
    return None


def _most_of_measure(reading: Any, measured: dict[str, list[str]]) -> tuple[str, str] | None:
    """Return (option, value) of "the brightest" / "the longest" (None: not asked).

    The most of the one measured option besides size; with several such options it is
    not said which, so None.
    """
    groups = {h.group for h in dialogue_hits(str(reading.text), str(reading.lang))}
    if "most_measure" not in groups or len(measured) != 1:
        return None
    ((option, values),) = measured.items()
    return option, max(_measures(values))[1]


def _only_in(value: str, model: set[str], rest: str) -> bool:
    """Return True when ``value`` is a word of the model and not said outside it."""
    said = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", rest, re.IGNORECASE)
    return value.lower() in model and said is None


def _without_positions(reading: Any) -> str:
    """Return the message without the words that name positions ("the 2nd", "item 3")."""
    return cut_spans(str(reading.text), [s for s in reading.spans if s.slot == "item"])


def searched_values(
    state: FlowState, product: dict[str, Any], named: Sequence[str] = ()
) -> list[str]:
    """Return the option values the search that showed ``product`` asked for.

    "sneakers in size 13" → "add the second one": size 13; "white kettle 1.7l" → 1.7L.
    Only values the product has are kept (the shopper may pick a product without them),
    and none of an option the message itself names (``named``): "any in blue?", then "ok
    the red one": red, not red and blue.
    """
    said = str(state.search.get("said") or "")
    asked = [str(v) for v in (state.search.get("options") or {}).values()]
    by_option = options_of(product)
    have = {norm(v) for values in by_option.values() for v in values}
    out = [v for v in asked if norm(v) in have]
    text = units_joined(said)
    for values in by_option.values():
        if not any(norm(v) in {norm(o) for o in out} for v in values):
            out += matching_choices(text, values)
    said_now = {norm(v) for v in named}
    # every value of an option the message names is its to choose
    dropped = said_now | {
        norm(v)
        for values in by_option.values()
        if said_now & {norm(x) for x in values}
        for v in values
    }
    return [v for v in out if norm(v) not in dropped]


def free_options(kit: TurnKit) -> set[str]:
    """Return the options the shopper leaves open ("farbe egal"; ``*``: whatever is asked)."""
    reading = kit.reading
    if reading is None:
        return set()
    hits = dialogue_hits(reading.text, reading.lang)
    named = [(h, "color" if h.group == "option_color" else "size") for h in hits
             if h.group in ("option_color", "option_size")]  # fmt: skip
    out: set[str] = set()
    for hit in hits:
        if hit.group != "any_value":
            continue
        # the option named nearest ("size 8, whatever colour": colour, not size)
        near = sorted(
            (abs(h.start - hit.start), o) for h, o in named if abs(h.start - hit.start) <= 3
        )
        out.add(near[0][1] if near else "*")
    return out


def choose(
    kit: TurnKit, product_id: str, values: list[str], free: set[str] | None = None
) -> VariantChoice:
    """Match ``values`` against the product's variants (``free``: options left open)."""
    with Session(kit.ctx.deps.engine) as session:
        return choose_variant(session, product_id, values, free=free or set())


def options_of(product: dict[str, Any]) -> dict[str, list[str]]:
    """Return a product record's option names, each with its values in variant order."""
    out: dict[str, list[str]] = {}
    for variant in product.get("variants", []):
        for name, value in variant.get("options", {}).items():
            if str(value) not in out.setdefault(name, []):
                out[name].append(str(value))
    return out


def option_values(product: dict[str, Any]) -> set[str]:
    """Return every option value of a product record's variants."""
    return {v for values in options_of(product).values() for v in values}


_OPTION_WORDS = {
    "size": {"de": "Größe", "fr": "taille", "es": "talla", "it": "taglia"},
    "color": {"de": "Farbe", "fr": "couleur", "es": "color", "it": "colore"},
    "type": {"de": "Ausführung", "fr": "version", "es": "versión", "it": "versione"},
    "capacity": {"de": "Füllmenge", "fr": "capacité", "es": "capacidad", "it": "capacità"},
    "material": {"de": "Ausführung", "fr": "matière", "es": "material", "it": "materiale"},
    "length": {"de": "Länge", "fr": "longueur", "es": "longitud", "it": "lunghezza"},
    "pieces": {"de": "Teilezahl", "fr": "version", "es": "cantidad de piezas", "it": "versione"},
}


def option_word(option: str, lang: str) -> str:
    """Return an option's name in the shopper's language ("Größe").

    The words fit the replies' "Welche / Quelle {option}" (feminine in German and French).
    """
    return _OPTION_WORDS.get(option, {}).get(lang, option)
