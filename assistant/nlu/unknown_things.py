"""Things a shop lacks: "do you sell X?", X no word of this shop."""

from __future__ import annotations

from collections.abc import Callable

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.tokens import Token, word_indexes
from retrieval.lexicon import ShopLexicon

_NEAR_SELL = 4  # words between "sell" and the thing asked about, at most ("any of the")


def unknown_things(
    r: Reading,
    looked: LookedUp,
    knows: Callable[[LookedUp, int], bool],
    *,
    known: bool,
    common: frozenset[str] = frozenset(),
    frequent: frozenset[str] = frozenset(),
) -> None:
    """Read "do you sell X?", X no word of this shop, as X being something it lacks.

    Only for a product request that names nothing the catalog has; the unknown words
    are those neither the corpus's phrasings nor the shop's lexicon know (``knows``).
    ``known``: the tagger has a vocabulary to tell them by. Right after "sell", only the
    ``common`` phrasing words (and the lexicon's and cue words) count as known: a word a
    couple of phrasings use in passing ("vélo") is still a thing asked about. A ``frequent``
    word right after "sell" opens a description ("what do you have that would help him
    sleep"), no thing named.
    """
    tokens, cues = looked.tokens, looked.cues
    # "do you sell electric scooters? if not, a headlamp": the question is read alone
    limit = _question_end(r, looked) if r.products else None
    if (r.products and limit is None) or r.missing or r.known_share == 0.0:
        return  # (no known word at all is gibberish, not a thing the shop lacks)
    if (r.categories or r.features) and _sold_at(cues) is None:
        return  # "do you sell electric scooters?" may name a kind the category lacks
    n_words = len(word_indexes(tokens))
    # "do you sell X?" / "X?" asks whether X exists; a longer description of a need
    # ("gift for my dad who lives for his morning coffee") is for search to read
    sold = _sold_at(cues)
    recommends = sold is None and r.intent == "recommend"
    if recommends:
        # "me recomiendas alguna serie buena para ver?": what the recommendation is of
        sold = next((i for i, c in enumerate(cues) if "recommend" in c), None)
    sells = sold is not None
    asks = sells or (r.intent == "search" and n_words <= 4)
    # "venden ibuprofeno?" read as off-topic still asks whether the shop sells it
    # (and read as a yes or chat for its "ok" before: "haha ok whatever. do you sell kayaks")
    # ("do u guys sell kayaks??" may read as a question about the assistant)
    wanted = ("search", "refine") + (
        ("out_of_scope", "confirm", "smalltalk", "capabilities", "recommend") if sells else ()
    )
    if not asks or r.intent not in wanted:
        return
    first = _first_object(tokens, sold)
    if first is not None and tokens[first].key in frequent:
        return
    # what "sell" asks about follows it, near ("lol fair enough. do you sell surfboards")
    near = set(range(sold + 1, sold + 1 + _NEAR_SELL)) if sold is not None else set()
    strict = _object_of(tokens, first, sold) if common else set()
    runs: list[list[Token]] = []
    starts: list[int] = []  # the token index each run starts at
    for i, tok in enumerate(tokens):
        if limit is not None and tok.start >= limit:
            break
        word = tok.text.replace("-", "")  # "micro-ondes" is one word
        if i in strict:
            knew = looked.knows(i, common)
        else:
            knew = knows(looked, i)
        unknown = word.isalpha() and len(word) >= 3 and not knew
        if unknown and runs and runs[-1][-1].end >= tok.start - 1:
            runs[-1].append(tok)
        elif unknown:
            runs.append([tok])
            starts.append(i)
    near_runs = [ts for ts, i in zip(runs, starts, strict=True) if i in near]
    # (a recommendation is of the words right after it: "I'm Aarav Khan … could you
    # recommend a few things" names no thing lacking)
    # ("puh, viel zu teuer. gibts sowas auch bis 120 Euro?": what comes before "sell" is
    # no thing it asks about)
    after = [ts for ts, i in zip(runs, starts, strict=True) if sold is None or i > sold]
    runs = near_runs if recommends else near_runs or after
    if runs and known:
        run = max(runs, key=lambda ts: ts[-1].end - ts[0].start)
        described = [
            x for x in r.spans if x.slot in ("category", "feature") and x.end <= run[0].start
            and not r.text[x.end : run[0].start].strip()
        ]  # fmt: skip
        start = described[-1].start if described else run[0].start  # "electric | scooters"
        if (r.categories or r.features) and not described and not _alone(r, run, limit):
            return  # "do you have a waterproof one for kids": the kind is another word
        r.categories = [c for c in r.categories if c not in {x.value for x in described}]
        r.features = [f for f in r.features if f not in {x.value for x in described}]
        r.spans = [x for x in r.spans if x not in described]
        words = r.text[start : run[-1].end]
        r.missing.append(words.lower())
        r.spans.append(SlotSpan(slot="missing", value=words.lower(), start=start, end=run[-1].end))
        r.intent = "search"


def _question_end(r: Reading, looked: LookedUp) -> int | None:
    """Return where a "sell" question before every product named ends (None: there is none).

    "vendete monopattini elettrici? se no, una borraccia": the question mark ends the
    question about what the shop may lack; the bottle after it is another request.
    """
    sold = _sold_at(looked.cues)
    if sold is None:
        return None
    after = looked.tokens[sold].end
    mark = r.text.find("?", after)
    if mark < 0 or any(s.start < mark for s in r.spans if s.slot == "product"):
        return None
    return mark


def _alone(r: Reading, run: list[Token], limit: int | None) -> bool:
    """Whether the unknown words are all their question names (no category or feature after)."""
    end = len(r.text) if limit is None else limit
    kinds = ("category", "feature")
    return not any(run[-1].end <= x.start < end for x in r.spans if x.slot in kinds)


def _sold_at(cues: list[list[str]]) -> int | None:
    """Return the index of the message's first "sell" word ("do you sell", "vendez"), if any."""
    return next((i for i, c in enumerate(cues) if "sell" in c), None)


# words between "sell" and its object ("do you guys sell the …", "vendez-vous des …")
_DETERMINERS = frozenset(
    "a an any some the you guys ya y'all des du de la le les un une ihr euch sie auch noch "
    "el los las unos unas algún alguna il lo gli i dei delle degli degl un' una uno "
    "die der das den dem von vom".split()
)


def _first_object(tokens: list[Token], sold: int | None) -> int | None:
    """Return the index of the first word after "sell" and its determiners (None: none)."""
    if sold is None:
        return None
    j = sold + 1
    while j < len(tokens) and tokens[j].text.lower() in _DETERMINERS:
        j += 1
    return j if j < len(tokens) else None


def _object_of(tokens: list[Token], first: int | None, sold: int | None) -> set[int]:
    """Return the indexes of the words from ``first`` (its object's first) near "sell"."""
    j = first
    if j is None or sold is None:
        return set()
    out: set[int] = set()
    while j < len(tokens) and j <= sold + _NEAR_SELL and tokens[j].text.isalpha():
        out.add(j)
        j += 1
    return out


def sold_thing_first(r: Reading, looked: LookedUp, lexicon: ShopLexicon) -> None:
    """Drop products only guessed by meaning after the thing a "sell" question asks about.

    "vous vendez des pneus neige ? il m'en faut pour ma voiture": the question is about
    snow tyres, which the shop lacks; "voiture", no word of the shop's but near its RC cars
    in meaning, is where they would go, not what is asked for.
    """
    if not (r.missing and r.products):
        return
    sold = _sold_at(looked.cues)
    if sold is None:
        return
    products = [s for s in r.spans if s.slot == "product"]
    asked = [s for s in r.spans if s.slot == "missing" and s.start >= looked.tokens[sold].end]
    if not asked or not products or min(s.start for s in asked) > min(s.start for s in products):
        return
    if any(lexicon.resolve(r.text[s.start : s.end], "type") for s in products):
        return  # a product the shop names in its own words is asked for too
    r.products, r.product_words = [], []
    r.spans = [s for s in r.spans if s.slot != "product"]


def type_after_missing(r: Reading, looked: LookedUp, lexicon: ShopLexicon) -> None:
    """Read a shop type named after a thing the shop lacks as a product asked for too.

    "¿vendéis patinetes eléctricos? y si no, una mochila de 65 litros": the scooters are
    missing and the backpack is the second request. The tagger, having read one thing as
    missing, may leave the type word after it untagged; the lexicon still knows it.
    """
    if not r.missing or r.products:
        return
    after = max(s.end for s in r.spans if s.slot == "missing")
    taken = [(s.start, s.end) for s in r.spans]
    tokens, gaz = looked.tokens, looked.gaz
    for i, tok in enumerate(tokens):
        if tok.start < after or "B-type" not in gaz[i]:
            continue
        j = i + 1
        while j < len(tokens) and "I-type" in gaz[j]:
            j += 1
        start, end = tok.start, tokens[j - 1].end
        if any(a < end and start < b for a, b in taken):
            continue
        words = r.text[start:end]
        types = lexicon.resolve(words, "type")
        if types:
            r.product_words.append(words)
            for t in types:
                add_value(r.products, t)
            r.spans.append(SlotSpan(slot="product", value=types[0], start=start, end=end))
            return
