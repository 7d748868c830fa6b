"""Which product types a search is for: types named apart, umbrella words, nearest in meaning."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.flows.kit import TurnKit
from assistant.flows.state import FlowState
from assistant.nlu.message import cut_spans
from catalog.errors import ShopError
from retrieval.filters import SearchFilters

# How many of the cheapest matches are looked at to find the shown cards' prices.
_PRICE_LOOK = 10

# How close (USE cosine) the shopper's own words must be to a catalog type to name it
# (chosen on de/fr/es/it messages: named features scored 0.72–0.96, unnamed ones ≤ 0.57).
OWN_TYPE = 0.6


def types_named_apart(kit: TurnKit) -> list[str]:
    """Return the types the message names by separate words, each naming one type.

    The catalog's own words are resolved by the catalog; words of another language
    ("Gartenschere … und außerdem einen Schlauch") by the reader's product slots.
    """
    reading = kit.reading
    if reading is None or len(reading.product_words) < 2:
        return []
    vocab = kit.ctx.deps.searcher.vocabulary
    out: list[str] = []
    for words in reading.product_words:
        types = vocab.resolve_types(words)
        if not types:
            return _types_by_place(kit)
        if len(types) != 1:
            return []  # an umbrella word ("auriculares") is one request for several types
        if types[0] not in out:
            out.append(types[0])
    return out[:3]


def _types_by_place(kit: TurnKit) -> list[str]:
    """Return the types of the reader's product slots, one per place in the message."""
    assert kit.reading is not None
    places: dict[tuple[int, int], list[str]] = {}
    for span in kit.reading.spans:
        if span.slot == "product":
            places.setdefault((span.start, span.end), []).append(span.value)
    if len(places) < 2 or any(len(types) != 1 for types in places.values()):
        return []  # one place naming several types is an umbrella word
    out: list[str] = []
    for _place, (kind,) in sorted(places.items()):
        if kind not in out:
            out.append(kind)
    return out[:3] if len(out) > 1 else []


def types_with_features(kit: TurnKit, types: list[str], features: Iterable[str]) -> list[str]:
    """Return the one type of an umbrella word that has every feature named, else ``types``.

    "casque avec réduction de bruit active": "casque" names headphones and bike helmets, and
    only headphones have noise cancellation; "audífonos inalámbricos" are the earbuds whose
    type name says so. With no feature, or with the features shared (or found in none),
    every type stays.
    """
    wanted = set(features)
    if len(types) < 2 or not wanted:
        return types
    by_type = kit.ctx.deps.searcher.vocabulary.features_by_type

    def has(ptype: str, feature: str) -> bool:
        # a type's name may say it ("wireless" of "Wireless Earbuds")
        return feature in by_type.get(ptype, set()) or set(feature.lower().split()) <= set(
            ptype.lower().split()
        )

    having = [t for t in types if all(has(t, f) for f in wanted)]
    return having if len(having) == 1 else types


def nearest_type(kit: TurnKit, text: str, candidates: list[str]) -> str | None:
    """Return the type nearest the shopper's own words, if clearly nearer than ``candidates``."""
    searcher = kit.ctx.deps.searcher
    scores = searcher.phrase_scores(text, searcher.vocabulary.types)
    if not scores:
        return None
    best = max(scores, key=lambda t: scores[t][0])
    floor = max((scores[c][0] for c in candidates if c in scores), default=0.0)
    if best in candidates or scores[best][0] < OWN_TYPE or scores[best][0] < floor + 0.05:
        return None
    return best


# How many of the best matches of a description must be one kind, each matched by its words
KIND_AGREEMENT = 3


def kind_described(kit: TurnKit, category: str, text: str) -> str | None:
    """Return the one kind of ``category`` the rest of the message describes, if it does.

    "zero kitchen stuff … whats a decent thing to boil water in?" names an area and
    describes a thing in it: when the best matches of the words besides the slots read
    are all one kind, each found by its words (not by meaning alone), that kind is meant.
    "something for the kitchen" describes nothing: None, and the area is shown.
    """
    if kit.reading is not None:
        text = cut_spans(text, kit.reading.spans)
    words = " ".join(w for w in text.split() if not any(c.isdigit() for c in w))
    if len(words.split()) < 2:
        return None
    searcher = kit.ctx.deps.searcher
    hits = searcher.search(words, SearchFilters(category=category), limit=KIND_AGREEMENT)
    kinds = {searcher.vocabulary.type_of.get(h.product_id) for h in hits}
    lexical = all(h.lexical_rank is not None for h in hits)
    if len(hits) < KIND_AGREEMENT or len(kinds) != 1 or not lexical:
        return None
    return next(iter(kinds))


async def cheapest_unshown(kit: TurnKit, state: FlowState) -> bool:
    """Whether the search on screen has a cheaper in-stock match than every card shown.

    Asked of the search tool itself with the search's own arguments sorted by price (the
    same filters a "cheapest" search uses); the answer is neither shown nor logged.
    """
    spec = state.search
    vocab = kit.ctx.deps.searcher.vocabulary
    if not state.shown or not vocab.resolve_types(str(spec.get("type_query") or "")):
        return False
    args = {k: v for k, v in spec.items() if v not in (None, [], {}, "")}
    args.update(sort="price_asc", limit=_PRICE_LOOK)
    try:
        found = await kit.registry.invoke("search_catalog", args, kit.ctx)
    except ShopError:
        return False
    prices = [(r.id, r.price) for r in getattr(found, "results", [])]
    if not prices:
        return False
    shown = [price for pid, price in prices if pid in state.shown]
    return not shown or prices[0][1] < min(shown) - 0.005
