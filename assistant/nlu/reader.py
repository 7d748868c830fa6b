"""The reader: one message in, one checked :class:`Reading` out (no model call, ~ms).

1. Tokens are tagged with slots by a CRF trained on the phrasing corpus, using the shop's
   lexicon as features; the intent comes from a classifier over the message's USE vector
   and its spelling with slot values masked.
2. Code turns every tagged run into a typed value and keeps it only if it checks out:
   amounts parse as numbers, emails/zips/order ids have their format, names are words
   typed in the message, product and option words resolve to the catalog's vocabulary
   (exactly, with a typo, or by meaning); words for something the catalog lacks are kept
   as ``missing``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import cast

import numpy as np

from assistant.nlu import verify
from assistant.nlu.asides import story_before_turn, things_kept_in, things_set_aside
from assistant.nlu.budgets import (
    bound_roles,
    top_n_positions,
    untagged_amount,
    wider_amount,
)
from assistant.nlu.by_meaning import MeaningReader
from assistant.nlu.features import LookedUp, look_up, negated
from assistant.nlu.identifiers import read_identifiers
from assistant.nlu.intents import HEADS, Encoder, SentenceModel
from assistant.nlu.letter_sizes import no_sizes_of_unsized, unstocked_letter_sizes
from assistant.nlu.message import Cart, Intent, Reading, SlotSpan, add_value
from assistant.nlu.names import name_before_zip, name_of
from assistant.nlu.ordinals import in_idiom, positions
from assistant.nlu.other_colours import colours_of_other_things, disliked_colours
from assistant.nlu.plain_words import plain_words, sizes_of_shown
from assistant.nlu.real_words import false_friends, grammar_words, words_not_typos
from assistant.nlu.sentence import sentence_inputs
from assistant.nlu.spelling import Speller
from assistant.nlu.tagger import SlotTagger, Tagged
from assistant.nlu.tokens import keys, tokenize
from assistant.nlu.type_features import (
    feature_of_word,
    features_of_named_types,
    type_of_features,
)
from assistant.nlu.type_heads import head_index, heads_of_shown, types_headed_by
from assistant.nlu.type_options import options_of_type
from assistant.nlu.units import (
    before_measure_unit,
    before_time_unit,
    measured,
    unit_option,
    with_unit,
)
from assistant.nlu.unknown_things import sold_thing_first, type_after_missing, unknown_things
from assistant.nlu.word_order import features_by_words, features_out_of_order
from assistant.nlu.words_apart import spread_index, type_named_apart
from retrieval.lexicon import ShopLexicon

MODEL_DIR = Path(__file__).with_name("model")
# How close (USE cosine) unknown product words must be to a catalog type's words.
TYPE_BY_MEANING = 0.8
# A closed slot (sort, write, order, target language, cart operation) read from the whole
# message counts at this probability or more.
CLOSED_CONFIDENCE = 0.5
# A message unsure of its intent, of two sentences or more, takes its first sentence's
# intent when that sentence alone is this sure of it.
FIRST_REQUEST_BELOW = 0.6
FIRST_REQUEST_SURE = 0.8
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)")
_PREAMBLES = ("smalltalk", "authenticate")


class Reader:
    """Reads shopper messages for one shop (its lexicon) with the trained models."""

    def __init__(
        self,
        lexicon: ShopLexicon,
        *,
        encode: Encoder | None = None,
        model_dir: Path = MODEL_DIR,
    ) -> None:
        """Load the tagger and intent classifier from ``model_dir``."""
        self.lexicon = lexicon
        self.encode = encode
        self.tagger = SlotTagger(model_dir / "slots.crfsuite")
        self.sentences = SentenceModel.load(model_dir / "sentences.npz")
        self.speller = Speller.of_model(model_dir)
        self.meaning = MeaningReader.of(lexicon, encode)
        self.feature_words = features_by_words(lexicon)
        self.spread = spread_index(lexicon)
        self.heads = head_index(lexicon)
        self.last_ms = 0.0

    def with_lexicon(self, lexicon: ShopLexicon) -> Reader:
        """Return the same models reading another catalog (after a catalog change)."""
        twin = object.__new__(Reader)
        twin.__dict__.update(self.__dict__)
        twin.lexicon = lexicon
        twin.meaning = MeaningReader.of(lexicon, self.encode, self.meaning.values)
        twin.feature_words = features_by_words(lexicon)
        twin.spread = spread_index(lexicon)
        twin.heads = head_index(lexicon)
        return twin

    def read(self, text: str, lang: str = "en", shown_types: Sequence[str] = ()) -> Reading:
        """Read one message (``shown_types``: the product types on screen, if any)."""
        started = time.perf_counter()
        tokens = tokenize(text)
        looked = look_up(tokens, self.lexicon)
        tagged = self.tagger.tag(text, looked)
        runs = [(t.start, t.end, t.slot) for t in tagged]
        words, masked = sentence_inputs(text, runs, looked.cues, lang, self.speller)
        heads = self.sentences.predict([words], [masked], self.encode)
        probs = self._first_request(text, runs, looked, lang, heads["intent"][0])
        intent, confidence, alternatives = self._ranked(probs)
        reading = Reading(
            text=text,
            lang=lang,
            intent=intent,
            confidence=confidence,
            alternatives=alternatives,
            cue_groups=sorted({c for group in looked.cues for c in group}),
        )
        tagged = untagged_amount(text, tagged, tokens, looked.cues)
        self._slots(reading, bound_roles(tagged, tokens, looked.cues), looked)
        words_not_typos(reading, looked, self.lexicon)  # "los charcos" are no charcoal grey
        foreign = false_friends(reading, looked, self.lexicon)  # "für grünen Tee": tea
        features_of_named_types(reading, self.lexicon)
        plain_words(reading, looked, self.lexicon, self.feature_words)
        unstocked_letter_sizes(reading, tokens)  # "il secondo ma in XXXL"
        self._narrow_umbrellas(reading)
        # "zapatillas para salir a correr": one type, not every kind of footwear
        type_named_apart(reading, looked, self.lexicon, self.spread)
        types_headed_by(
            reading, looked, self.heads, self.tagger.common, shown_types
        )  # "las tijeras"
        reading.known_share = self._known_share(looked)
        unknown_things(
            reading,
            looked,
            self._knows,
            known=bool(self.tagger.known),
            common=self.tagger.common,
            frequent=self.tagger.frequent,
        )
        sold_thing_first(reading, looked, self.lexicon)
        type_after_missing(reading, looked, self.lexicon)  # "X? y si no, una mochila"
        features_out_of_order(reading, looked, self.feature_words)  # "a strap for carrying"
        told = story_before_turn(reading, looked)  # "my cat walked across the keyboard, btw"
        things_set_aside(reading)  # "scrap the clock, … what i need is a lamp"
        things_kept_in(reading)  # "a headlamp, not black, I never find it in my backpack"
        grammar_words(reading, looked)  # "one the cat can nap in"
        if told is not None and not (reading.products or reading.categories or reading.missing):
            self._intent_of_rest(reading, told, runs, looked)
        verify.request_for_things(
            reading,
            lambda end: self._part_intent(text, end, runs, looked, lang),
            _clause_before_things(reading),
        )
        verify.named_product_asked(reading)
        verify.recommendation_asked(reading)
        options_of_type(reading, tokens, self.lexicon, shown_types)
        self.meaning.add_feature(reading, shown_types)
        type_of_features(reading, self.lexicon, shown_types)
        heads_of_shown(reading, self.heads, shown_types)  # "l'orologio" with wall clocks shown
        sizes_of_shown(reading, shown_types, self.lexicon)
        no_sizes_of_unsized(reading, shown_types, self.lexicon)  # "del tamaño grande" of cars
        self.meaning.add_option(reading, self._unknown_words(reading, looked))
        colours_of_other_things(reading, looked, self.tagger.frequent, foreign)  # "red sea"
        disliked_colours(reading)  # "silber ist nicht so meins"
        for head in HEADS[1:]:
            if head not in heads:
                continue  # a model trained before this head existed
            # the message as a whole says which sort / write / order / language / cart
            # operation it means;
            # a value the tagger marked in the words is kept when the classifier is unsure
            p = heads[head][0]
            best = self.sentences.heads[head].classes[int(np.argmax(p))]
            if best != "none" and float(p.max()) >= CLOSED_CONFIDENCE:
                setattr(reading, head, best)
        self._cart(reading, heads.get("cart"))
        verify.closed_slots(reading, tagged)
        verify.best_rated_asked(reading, shown_types)
        verify.change_requested(reading)
        verify.no_change_named(reading, shown_types)
        read_identifiers(reading)
        name_before_zip(reading, looked, self._knows)
        top_n_positions(reading)
        self.last_ms = (time.perf_counter() - started) * 1000
        return reading

    def _first_request(
        self,
        text: str,
        runs: list[tuple[int, int, str]],
        looked: LookedUp,
        lang: str,
        probs: np.ndarray,
    ) -> np.ndarray:
        """Intent shares of the first request when the whole message is unsure of its own.

        "gimme the 2nd one, size 10. colour doesnt matter": two sentences, and the intent of
        a message is its first request's. The first sentence counts when it is sure of an
        intent on its own, and that intent is a request (a greeting or a sign-in before a
        request is no request of its own).
        """
        cut = _SENTENCE_END.search(text)
        if (
            float(probs.max()) >= FIRST_REQUEST_BELOW
            or cut is None
            or not text[cut.end() :].strip()
        ):
            return probs
        alone = self._part_probs(text, cut.start(), runs, looked, lang)
        best = self.sentences.classes[int(np.argmax(alone))]
        sure = float(alone.max()) >= FIRST_REQUEST_SURE and best not in _PREAMBLES
        return alone if sure else probs

    def _part_probs(
        self,
        text: str,
        end: int,
        runs: list[tuple[int, int, str]],
        looked: LookedUp,
        lang: str,
        start: int = 0,
    ) -> np.ndarray:
        """Intent shares of ``text[start:end]`` read alone (a first sentence, or the rest)."""
        inside = [i for i, t in enumerate(looked.tokens) if t.start >= start and t.end <= end]
        part = [(a - start, b - start, slot) for a, b, slot in runs if a >= start and b <= end]
        cues = [looked.cues[i] for i in inside]
        words, masked = sentence_inputs(text[start:end], part, cues, lang, self.speller)
        probs: np.ndarray = self.sentences.predict([words], [masked], self.encode)["intent"][0]
        return probs

    def _ranked(self, probs: np.ndarray) -> tuple[Intent, float, list[tuple[str, float]]]:
        """Return the likeliest intent of ``probs``, its share, and the next two."""
        order = np.argsort(-probs)
        classes = self.sentences.classes
        alternatives = [(classes[int(i)], float(probs[i])) for i in order[1:3]]
        return cast(Intent, classes[int(order[0])]), float(probs[order[0]]), alternatives

    def _intent_of_rest(
        self, r: Reading, start: int, runs: list[tuple[int, int, str]], looked: LookedUp
    ) -> None:
        """Give ``r`` the intent of ``r.text[start:]`` read alone (what follows a story)."""
        if not any(t.start >= start for t in looked.tokens):
            return
        probs = self._part_probs(r.text, len(r.text), runs, looked, r.lang, start=start)
        r.intent, r.confidence, r.alternatives = self._ranked(probs)

    def _part_intent(
        self, text: str, end: int, runs: list[tuple[int, int, str]], looked: LookedUp, lang: str
    ) -> tuple[str, float]:
        """Return the intent of ``text[:end]`` read alone, and how sure."""
        probs = self._part_probs(text, end, runs, looked, lang)
        return self.sentences.classes[int(np.argmax(probs))], float(probs.max())

    def _cart(self, r: Reading, probs: np.ndarray | None) -> None:
        """Keep a cart operation only on a cart request, which always names one.

        As for the other closed slots, the cart head's value counts when it is sure, else
        the one the tagger read in the words; with neither, the head's likeliest operation
        (even when it leans to "none": the intent head already said it is a cart request).
        """
        if r.intent != "cart":
            r.cart = None
            r.spans = [s for s in r.spans if s.slot != "cart"]
            return
        if r.cart is None and probs is not None:
            classes = self.sentences.heads["cart"].classes
            ops = [(float(p), c) for p, c in zip(probs[0], classes, strict=True) if c != "none"]
            if ops:
                r.cart = cast(Cart, max(ops)[1])

    def _slots(self, r: Reading, tagged: list[Tagged], looked: LookedUp) -> None:
        lex, tokens = self.lexicon, looked.tokens
        for t in tagged:
            slot, value = t.slot, t.value
            keep: str | None = None
            if slot == "product":
                keep = self._product(r, t.text)
            elif slot == "category":
                cats = lex.resolve(t.text, "category")
                if cats:
                    keep = add_value(r.categories, cats[0])
            elif slot == "missing":
                keep = self._product(r, t.text, by_meaning=False)
            elif slot == "feature":
                feats = lex.resolve(t.text, "feature")
                keep = add_value(r.features, feats[0]) if feats else None
            elif slot in ("color", "color_not"):
                colors = lex.resolve(t.text, "color")
                if slot == "color_not" and not negated(looked, t.start):
                    slot = "color"  # "non scivoli, viola": the negation is another clause's
                if colors:
                    keep = add_value(r.colors if slot == "color" else r.colors_not, colors[0])
            elif slot == "size" and before_time_unit(r.text, t.end):
                pass  # "my son turns 8 years old" is an age
            elif slot == "size":
                known = lex.resolve(t.text, "size") or with_unit(lex, r.text, t, tokens)
                size = t.text.strip().upper() if t.text.strip().isalpha() else t.text.strip()
                if known:
                    keep = add_value(r.sizes, known[0])
                elif re.fullmatch(r"[A-Z]{1,4}|\d{1,2}(?:[.,]5)?", size):
                    keep = add_value(r.sizes, size)
            elif slot == "option" and (colors := lex.resolve(t.text, "color")):
                slot, keep = "color", add_value(r.colors, colors[0])
            elif slot == "option":
                keep = self._option(r, t.text)
            elif slot.startswith("budget_"):
                amount = wider_amount(r.text, t.start, t.end, tokens)
                if amount is not None and amount.currency is None:
                    if before_measure_unit(r.text, t.end) or measured(t.text):
                        amount = None  # "de unos 20 cm": a length, not a price
                if amount is not None and 0 < amount.value < 100000:
                    setattr(r, slot, amount.value)
                    r.currency = r.currency or amount.currency
                    keep = str(amount.value)
            elif slot == "item" and in_idiom(r.text, t.start, t.end):
                pass  # "for the first time", "la dernière fois"
            elif slot == "item" and (feats := feature_of_word(lex, r.text, t.start, t.end)):
                slot, keep = "feature", add_value(r.features, feats[0])  # "4x4": 4WD, no 4th
            elif slot == "item":
                # "the first two": the count may follow the tagged word
                after = " ".join(r.text[t.end :].split()[:1])
                unit = unit_option(lex, r, t.text, after) if t.text.strip().isdigit() else None
                if unit is not None:  # "the 2 person" is the 2-person tent, not the 2nd
                    slot, keep = "option", unit
                for pos in positions(f"{t.text} {after}") if unit is None else ():
                    keep = str(add_value(r.items, pos))
            elif slot == "name":
                keep = name_of(r, t.text)
            elif slot == "currency" and value:
                r.currency = value
                keep = value
            elif slot in ("write", "sort", "order", "target_lang", "cart") and value:
                if getattr(r, slot) is None:
                    setattr(r, slot, value)
                keep = value
            if keep is not None:
                r.spans.append(SlotSpan(slot=slot, value=keep, start=t.start, end=t.end))
        if r.budget_min is not None and r.budget_max is not None and r.budget_min > r.budget_max:
            r.budget_min, r.budget_max = r.budget_max, r.budget_min

    def _known_share(self, looked: LookedUp) -> float:
        words = [(t, g) for t, g in zip(looked.tokens, looked.gaz, strict=True) if t.text.isalpha()]
        if not words or not self.tagger.known:
            return 1.0
        return sum(1 for t, g in words if g or t.key in self.tagger.known) / len(words)

    def _knows(self, looked: LookedUp, i: int) -> bool:
        """Return True when the corpus's phrasings, the lexicon or the cue groups know token ``i``.

        What none of them knows may be a name, a thing the shop lacks, or an option value in
        other words.
        """
        return looked.knows(i, self.tagger.known)

    def _product(self, r: Reading, words: str, *, by_meaning: bool = True) -> str | None:
        types = self.lexicon.resolve(words, "type")
        if types:  # an umbrella word names each of its types ("auriculares", "Kopfhörer")
            r.product_words.append(words)
            return [add_value(r.products, t) for t in types][0]
        cats = self.lexicon.resolve(words, "category")
        if cats:
            return add_value(r.categories, cats[0])
        guess, score = self.meaning.types.nearest(words) if by_meaning else (None, 0.0)
        if guess is not None and score >= TYPE_BY_MEANING:
            r.product_words.append(words)
            return add_value(r.products, guess)
        return add_value(r.missing, words.strip().lower())

    def _narrow_umbrellas(self, r: Reading) -> None:
        """Let an umbrella word give way to a narrower one ("auriculares … tipo airpods")."""
        named = [set(self.lexicon.resolve(w, "type")) for w in r.product_words]
        wide = {t for a in named for b in named if b and b < a for t in a - b}
        narrow = {t for a in named if not any(b and b < a for b in named) for t in a}
        r.products = [t for t in r.products if t not in wide or t in narrow]

    def _unknown_words(self, r: Reading, looked: LookedUp) -> list[str]:
        """Words of 4+ letters outside every slot that nothing this reader has knows."""
        return [
            t.text.lower()
            for i, t in enumerate(looked.tokens)
            if len(t.text) >= 4 and t.text.isalpha() and not self._knows(looked, i)
            and not r.in_slot(t.start, t.end)
        ]  # fmt: skip

    def _option(self, r: Reading, words: str) -> str | None:
        for m in self.lexicon.match(keys(words)):
            for e in m.entries:
                if e.kind == "option":
                    r.options.setdefault(e.option, e.value)
                    return e.value
                if e.kind == "size":
                    return add_value(r.sizes, e.value)
        return None


_CLAUSE_END = re.compile(
    r"[.!?;,]+(?=\s|$)|\s(?:and|also|plus|und|außerdem|et|aussi|y|también|e|anche)\s"
    # an emoji, or "by the way" and its kin, opens another clause
    r"|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+(?=\s|$)"
    r"|\s(?:btw|anyway|anyways|by the way|übrigens|apropos|au fait|d'ailleurs|sinon"
    r"|por cierto|a propósito|comunque|tra l'altro|a proposito)\s",
    re.I,
)


def _clause_before_things(r: Reading) -> int | None:
    """Return where the message's first clause ends, when it ends before the thing named."""
    things = [s.start for s in r.spans if s.slot in ("product", "missing", "category")]
    cut = _CLAUSE_END.search(r.text)
    return cut.start() if cut is not None and things and cut.end() <= min(things) else None
