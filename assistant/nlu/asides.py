"""A story told before the talk turns: "my cat walked across the keyboard 😂 btw …".

Shoppers tell what happened before they ask: "sorry my cat walked across the keyboard 😂
btw who wins the world cup", "I bought a tent here last year, btw do you sell sleeping
bags?". The things named in the story are no request: the keyboard is not searched, the
tent is not a second product asked for. A story is the part before a turn of the talk
(cue group ``topic_shift``: "btw", "anyway", "übrigens", "au fait", "por cierto",
"comunque" …) that asks nothing: no request words (``wants``: "need", "ich suche",
"je cherche" …), no cue of a price, the cart, an order or a comparison, no question mark.
A bare thing before the turn ("tents, btw do you ship to canada") is short, and kept.

Without a "btw", a first sentence about the shopper (a first-person word, a laugh, a
sorry) that names no value is a story when the next one asks for a thing of its own ("my
dog chewed up the sofa cushion lol. do you have dog beds?"). Never when one like the thing
told of is asked for ("my old blender started smoking 💀 need a new one, black").

A kind set aside ("scrap the clock", "vergiss den Wasserkocher") gives way to the one asked
for after it (:func:`things_set_aside`). A thing named as where another is kept ("a headlamp,
not black, I never find it in my backpack") is no second request (:func:`things_kept_in`).
"""

from __future__ import annotations

import re

from assistant.nlu.cues import apart_spans
from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.tokens import word_tokens

# the reader's cue groups that make a part a request of its own
REQUEST_CUES = frozenset(
    {
        "money", "price_asc", "price_desc", "rating", "reviews", "sell", "capability",
        "compare", "recommend", "similar", "cart_word", "cart_add", "cart_remove",
        "cart_quantity", "cart_checkout", "cancel", "return", "exchange",
        "translate", "describe", "human",
    }
)  # fmt: skip
# budget words ask for something only with a number ("über die Tastatur" is "across")
_BUDGETS = frozenset({"budget_max", "budget_min", "budget_about", "budget_range"})
# a story has this many words at least (a bare "tents, btw …" names what is asked for)
STORY_WORDS = 4
# the end of a first sentence: a stop or an emoji
_SENTENCE_END = re.compile(r"[.!]+\s+|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s*")
# a word by which shoppers speak of themselves, their own or their people,
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|im|i've|my|we|our|me|ich|mein\w*|wir|unser\w*|mich|mir|je|j'|mon|ma|mes|"
    r"nous|notre|nos|yo|mi|mis|nosotros|nuestr\w*|io|mio|mia|miei|mie|noi|nostr\w*"
    # … or laughs or says sorry about it: "cat walked on the keyboard lol."
    r"|lol|haha\w*|jaja\w*|mdr|sorry|sry|oops|entschuldigung|pardon|perdón|perdon|scusa)(?!\w)",
    re.IGNORECASE,
)
# the values a request asks for (a story names none)
_VALUES = ("color", "size", "option", "budget_max", "budget_min", "budget_about")
# the slots a story's words are dropped from
_THINGS = ("product", "category", "missing", "feature", "color", "size", "option")


def story_before_turn(r: Reading, looked: LookedUp) -> int | None:
    """Drop the things named in a story told before the talk turns; return where it ends.

    None (and nothing dropped) when the message has no turn, or the part before it asks
    for something, or names nothing.
    """
    turn = _turn(r, looked)
    if turn is None:
        return None
    cut, after = turn
    before = r.text[:cut]
    if len(word_tokens(before)) < STORY_WORDS or len(word_tokens(r.text[after:])) < 2:
        return None
    if before.rstrip().endswith("?") or apart_spans(before, r.lang, "wants"):
        return None
    if apart_spans(r.text[after:], r.lang, "same_again"):
        return None  # "my old blender started smoking 💀 need a new one": the blender
    cues = {c for t, groups in zip(looked.tokens, looked.cues, strict=True) if t.end <= cut
            for c in groups}  # fmt: skip
    if cues & REQUEST_CUES or (cues & _BUDGETS and any(c.isdigit() for c in before)):
        return None
    told = [s for s in r.spans if s.slot in _THINGS and s.end <= cut]
    if not told:
        return None
    _set_aside(r, told)
    return after


def _turn(r: Reading, looked: LookedUp) -> tuple[int, int] | None:
    """Return where the talk turns: a "btw", or the end of a first sentence of one's own.

    "my cat walked on the keyboard lol. looking for a kettle": a first sentence about the
    shopper (a first-person word), with no value asked for, then a sentence that asks for a
    thing of its own. ("My old tent broke. Do you have a 2 person one?" asks for a tent.)
    """
    turns = apart_spans(r.text, r.lang, "topic_shift")
    if turns:
        return turns[0]
    end = _SENTENCE_END.search(r.text)
    if end is None or not _FIRST_PERSON.search(r.text[: end.start()]):
        return None
    cut, after = end.start(), end.end()
    if any(s.slot in _VALUES and s.end <= cut for s in r.spans):
        return None  # "red rain jacket in M. also boots?": asked for, no story
    if not any(s.slot == "product" and s.start >= after for s in r.spans):
        return None  # ("… to match the rest of my kitchen" names no thing asked for)
    rest = r.text[after:]
    cues = {c for t, groups in zip(looked.tokens, looked.cues, strict=True) if t.start >= after
            for c in groups}  # fmt: skip
    asks = rest.rstrip().endswith("?") or bool(cues & REQUEST_CUES)
    return (cut, after) if asks or apart_spans(rest, r.lang, "wants") else None


def _set_aside(r: Reading, spans: list[SlotSpan]) -> None:
    """Take ``spans`` out of the reading as things told of, with their product words."""
    words = {r.text[s.start : s.end].lower() for s in spans}
    r.drop(spans)
    still = {r.text[s.start : s.end].lower() for s in r.spans}
    r.product_words = [w for w in r.product_words if w.lower() not in words - still]
    r.told = [*r.told, *spans]


# words between a word that sets a thing aside and the thing ("scrap the clock")
_DISCARD_REACH = 12


def things_set_aside(r: Reading) -> None:
    """Drop a product set aside while another is asked for: "scrap the clock, … a lamp".

    The product right after a ``discard`` cue ("scrap", "forget about", "vergiss", "oublie",
    "olvida", "lascia perdere") is no request when the message names another product, or
    asks for something after it ("what i really need is …").
    """
    said = apart_spans(r.text, r.lang, "discard")
    if not said:
        return
    products = [s for s in r.spans if s.slot == "product"]
    aside = [
        s for s in products if any(0 <= s.start - end <= _DISCARD_REACH for _start, end in said)
    ]
    if not aside:
        return
    last = max(s.end for s in aside)
    # what is asked for after it: "what i need is …", "back to the lamps …"
    wants = [*apart_spans(r.text, r.lang, "wants"), *apart_spans(r.text, r.lang, "back_to")]
    wanted = any(start >= last for start, _end in wants)
    if {s.value for s in products} <= {s.value for s in aside} and not wanted:
        return  # "scrap the clock": nothing else asked for ("… what i need is a lamp" is)
    _set_aside(r, aside)


# characters between a place cue and the thing it names: one word ("in my old backpack")
_PLACE_REACH = 12


def things_kept_in(r: Reading) -> None:
    """Drop a product named as the place another is kept in: "… nie im Rucksack".

    A product right after a ``kept_in`` cue ("in my", "im", "dans mon", "en mi", "nello"),
    with another product asked for before it and no request word between, tells where the
    first one goes; it is not searched for.
    """
    products = sorted((s for s in r.spans if s.slot == "product"), key=lambda s: s.start)
    if len(products) < 2:
        return
    places = apart_spans(r.text, r.lang, "kept_in")
    wants = [start for start, _end in apart_spans(r.text, r.lang, "wants")]
    first = products[0]
    kept = [
        s
        for s in products
        if s.start > first.end
        and s.value != first.value
        and any(0 <= s.start - end <= _PLACE_REACH and " " not in r.text[end:s.start].strip()
                for _start, end in places)
        and not any(first.end <= w < s.start for w in wants)
    ]  # fmt: skip
    if kept:
        _set_aside(r, kept)
