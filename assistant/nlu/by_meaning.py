"""Words the lexicon does not know, read by meaning (multilingual USE v3 cosine).

- :class:`PhraseResolver` over product-type phrases: "portable charger" → Power Bank.
- :meth:`ValueResolver.option_of` over a named type's option values: "filtro de bomba"
  → type pump, "multicombustible" → fuel type multi-fuel.
- :class:`GlossResolver` over what each feature *does*, in everyday words (the shop's
  glosses, five languages): a shopper who describes a feature instead of naming it
  ("earbuds that shut out the roar of the subway", "una borraccia che tenga l'acqua
  fredda") means the named type's feature whose gloss is nearest to some five-word stretch
  of the message, when it is near enough and clearly nearer than the type's other features.
- :meth:`PhraseResolver.feature_of` over feature names (first, and alone for a shop
  without glosses).
- :class:`MeaningReader` runs these for the reader, after the lexicon and the tagger.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from assistant.nlu.cues import asks_which_of, dialogue_hits
from assistant.nlu.intents import Encoder
from assistant.nlu.message import Reading
from assistant.nlu.tokens import word_tokens
from retrieval.lexicon import ShopLexicon

# How close (cosine) words must be to a feature's phrases, and by how much closer than the
# next feature of the named types (chosen on phrasings written for it, not on the NLU sets).
FEATURE_BY_MEANING = 0.42
FEATURE_MARGIN = 0.08
# How close (cosine) one word must be to an option value ("bomba" → pump, "pumpe" →
# pump), and how much closer than to the option's next value: one word's vector is noisy
# (typos and unknown words land at 0.5–0.66 of some value), so both bars are high. Chosen
# on words written for it (values in five languages, typos, unrelated words), not on the
# NLU sets.
OPTION_BY_MEANING = 0.6
OPTION_MARGIN = 0.25
# Fewer words (of 3+ letters) than this besides the slots are not a description ("size", "to").
MIN_WORDS = 3
# Glosses: the cosine a five-word stretch of the message must reach with a feature's gloss,
# and by how much it must beat the type's next feature. Chosen on evals/nlu/feature_words/
# dev.yaml (helper-written, from the catalog alone); holdout.yaml only measures them
# (bench/feature_words.py).
# Intents whose message may describe a product wanted (a misread one is rerouted to a
# search); not a cart edit or a copywriting brief ("warm and chatty").
_PRODUCT_INTENTS = ("search", "refine", "ask_product", "recommend", "compare", "capabilities")
# slots whose words may describe what a thing does too ("throw in the wash" is no cart add);
# every other slot's words are taken out of what is matched ("the best reviews", "under 50")
_DESCRIBING_SLOTS = ("cart",)
# intents of a short reaction ("bummer", "ok", "no") that may come before a product request
_CHAT_INTENTS = ("deny", "smalltalk", "confirm")
FEATURE_GLOSS = 0.5
GLOSS_MARGIN = 0.04
GLOSS_WINDOW = 5
# How much nearer one clause of a message must come to a second feature than the whole
# message to its first ("die die bohnen selber mahlt und die man abends einstellen kann").
CLAUSE_EXTRA = 0.1
# Below this confidence an intent is a guess, and the runner-up counts as well.
UNSURE = 0.6


@dataclass
class PhraseResolver:
    """Resolves words by meaning against every lexicon phrase of one kind."""

    encode: Encoder | None
    phrases: list[str]
    values: list[str]
    vectors: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def of(cls, lexicon: ShopLexicon, kind: str, encode: Encoder | None) -> PhraseResolver:
        """Return a resolver over every phrase the lexicon has for ``kind`` ("type", …)."""
        pairs = sorted(
            {
                (" ".join(k), e.value)
                for k, es in lexicon.phrases.items()
                for e in es
                if e.kind == kind
            }
        )
        return cls(encode, [p for p, _ in pairs], [v for _, v in pairs])

    def _sims(self, text: str) -> np.ndarray | None:
        if self.encode is None or not self.phrases:
            return None
        if self.vectors is None:
            self.vectors = self.encode(self.phrases)
        sims: np.ndarray = self.vectors @ self.encode([text])[0]
        return sims

    def nearest(self, text: str) -> tuple[str | None, float]:
        """Return the value whose phrase is nearest to ``text``, and its cosine."""
        sims = self._sims(text)
        if sims is None:
            return None, 0.0
        best = int(np.argmax(sims))
        return self.values[best], float(sims[best])

    def feature_of(
        self, text: str, allowed: Iterable[str], bar: float = FEATURE_BY_MEANING
    ) -> str | None:
        """Return the one value of ``allowed`` that ``text`` describes (None when unclear)."""
        wanted = set(allowed)
        if not wanted or sum(1 for w in text.split() if len(w) >= 3 and w.isalpha()) < MIN_WORDS:
            return None
        sims = self._sims(text)
        if sims is None:
            return None
        best: dict[str, float] = {}
        for value, sim in zip(self.values, sims, strict=True):
            if value in wanted:
                best[value] = max(best.get(value, -1.0), float(sim))
        return _clear_winner(best, bar, FEATURE_MARGIN)


@dataclass
class ValueResolver:
    """Option values a shopper names in other words or languages ("bomba" → pump)."""

    encode: Encoder | None
    vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Vectors of catalog values, encoded once (a catalog has a bounded set of them)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing and self.encode is not None:
            for text, vec in zip(missing, self.encode(missing), strict=True):
                self.vectors[text] = vec
        return [self.vectors[t] for t in texts]

    def option_of(self, words: list[str], choices: dict[str, set[str]]) -> tuple[str, str] | None:
        """Return the (option, value) one of ``words`` names, or None when unclear.

        A word names a value when it is near enough to it (cosine) and clearly nearer than
        to the option's other values.
        """
        if self.encode is None or not words:
            return None
        best: tuple[float, str, str] | None = None
        word_vecs = list(self.encode(words))  # the message's words: not kept
        for name, values in sorted(choices.items()):
            ordered = sorted(values)
            if len(ordered) < 2:
                continue
            vecs = np.vstack(self._vectors(ordered))
            for vec in word_vecs:
                sims = vecs @ vec
                top = np.argsort(-sims)
                score, margin = float(sims[top[0]]), float(sims[top[0]] - sims[top[1]])
                if score >= OPTION_BY_MEANING and margin >= OPTION_MARGIN:
                    if best is None or score > best[0]:
                        best = (score, name, ordered[int(top[0])])
        return (best[1], best[2]) if best else None


@dataclass
class GlossResolver:
    """A type's features read from what the message says they do (the shop's glosses)."""

    encode: Encoder | None
    keys: list[tuple[str, str]]
    texts: list[str]
    vectors: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def of(cls, lexicon: ShopLexicon, encode: Encoder | None) -> GlossResolver:
        """Return a resolver over every gloss of the lexicon (none: it reads nothing)."""
        pairs = sorted((key, g) for key, glosses in lexicon.glosses.items() for g in glosses)
        return cls(encode, [k for k, _ in pairs], [g for _, g in pairs])

    def feature_of(self, text: str, types: Iterable[str], bar: float = FEATURE_GLOSS) -> str | None:
        """Return the one feature of ``types`` whose gloss ``text`` comes nearest (or None)."""
        wanted = set(types)
        rows = [i for i, (t, _) in enumerate(self.keys) if t in wanted]
        words = text.split()
        if self.encode is None or not rows or not words:
            return None
        if self.vectors is None:
            self.vectors = self.encode(self.texts)
        spans = [text] + [
            " ".join(words[i : i + GLOSS_WINDOW]) for i in range(len(words) - GLOSS_WINDOW + 1)
        ]
        sims = self.encode(list(dict.fromkeys(spans))) @ self.vectors[rows].T
        best: dict[str, float] = {}
        for column, row in enumerate(rows):
            feature = self.keys[row][1]
            best[feature] = max(best.get(feature, -1.0), float(sims[:, column].max()))
        return _clear_winner(best, bar, GLOSS_MARGIN)


@dataclass
class MeaningReader:
    """The reader's steps by meaning over one shop's lexicon: types, features, options."""

    lexicon: ShopLexicon
    types: PhraseResolver
    feature_names: PhraseResolver
    glosses: GlossResolver
    values: ValueResolver

    @classmethod
    def of(
        cls, lexicon: ShopLexicon, encode: Encoder | None, values: ValueResolver | None = None
    ) -> MeaningReader:
        """Return the resolvers of ``lexicon`` (option values' vectors are kept across shops)."""
        return cls(
            lexicon,
            PhraseResolver.of(lexicon, "type", encode),
            PhraseResolver.of(lexicon, "feature", encode),
            GlossResolver.of(lexicon, encode),
            values or ValueResolver(encode),
        )

    def add_feature(self, r: Reading, shown_types: Iterable[str] = ()) -> None:
        """Add a feature described in other words than the catalog's.

        For the named types (else, in a follow-up, the types on screen: "which of those has
        the temperature settings thing"), read from what the message says besides its slots.
        """
        of_shown = bool(shown_types) and asks_which_of(r.text)  # "which of those has …"
        # (an unsure reading may be a product request too: "une lampe frontale qu'on
        # recharge en usb" leans to a copywriting brief by a hair)
        product_talk = r.intent in _PRODUCT_INTENTS or (
            r.confidence < UNSURE and any(a in _PRODUCT_INTENTS for a, _ in r.alternatives[:1])
        )
        # "bummer. then at least some reef safe sunscreen … that doesnt wash off": a product
        # named after a sigh read as a no is still described
        # (and a kind named in a cart reading: "dann was ferngesteuertes … so um die 60")
        product_talk = product_talk or (bool(r.products) and r.intent in (*_CHAT_INTENTS, "cart"))
        if not (product_talk or of_shown):
            return
        types = list(r.products)
        if not types and not (r.missing or r.categories) and _asks_about_shown(r):
            types = list(shown_types)  # "which of those has …", "does the first one have …"
        if not types:
            return
        rest, pos = [], 0
        # (the words a cart slot was read from stay: "throw in the wash" is no cart add;
        # the cart's own noun goes: "into the cart" describes no carrying strap)
        cuts = [(s.start, s.end) for s in r.spans if s.slot not in _DESCRIBING_SLOTS]
        cuts += _cart_nouns(r)
        for start, end in sorted(cuts):
            rest.append(r.text[pos:start])
            pos = max(pos, end)
        rest.append(r.text[pos:])
        said = " ".join("".join(rest).split())
        # a feature named in the catalog's words is read already; another may be described
        # next to it ("rechargeable, with a red light mode so i dont blind everyone")
        allowed = {f for t in types for f in self.lexicon.type_features.get(t, ())}
        allowed -= set(r.features)
        extra_bar = CLAUSE_EXTRA if r.features else 0.0
        # the whole message, then each of its clauses ("die die bohnen selber mahlt und die
        # man abends einstellen kann": two features, one per clause)
        parts = [(said, extra_bar)]
        clauses = [c for c in _CLAUSE.split(said) if len(_WORDS.findall(c)) >= MIN_WORDS]
        parts += [(c, CLAUSE_EXTRA + extra_bar) for c in clauses] if len(clauses) > 1 else []
        for part, extra in parts:
            # near a feature's own name first ("noise cancelling"), then what it does (a
            # clause alone, a shorter text, needs to come nearer)
            feature = self.feature_names.feature_of(
                part, allowed, FEATURE_BY_MEANING + extra
            ) or self.glosses.feature_of(part, types, FEATURE_GLOSS + extra)
            if feature is not None and feature not in r.features:
                r.features.append(feature)

    def add_option(self, r: Reading, words: list[str]) -> None:
        """Add an option value named in other words or another language ("de bomba" → pump).

        Only for one named type, among the options the message left unset (colours and sizes
        have their own words), from ``words``: those outside every slot that neither the
        corpus's phrasings, the lexicon nor the cue groups know.
        """
        if len(r.products) != 1 or r.intent not in ("search", "refine", "ask_product", "cart"):
            return
        choices = {
            name: values
            for name, values in self.lexicon.type_options.get(r.products[0], {}).items()
            if name not in ("color", "size") and name not in r.options
        }
        found = self.values.option_of(words, choices) if choices else None
        if found is not None:
            r.options[found[0]] = found[1]


# where one described feature ends and the next may begin
_CLAUSE = re.compile(
    r"[,;]|\b(?:and|also|plus|und|auch|sowie|et|aussi|y|también|e|anche)\b", re.IGNORECASE
)
_WORDS = re.compile(r"[^\W\d_]{3,}")


def _asks_about_shown(r: Reading) -> bool:
    """Return True for a question about the products on screen ("which …", "does it …")."""
    groups = {h.group for h in dialogue_hits(r.text, r.lang)}
    return bool(groups & {"which", "yes_no", "any"})


def _clear_winner(scores: dict[str, float], bar: float, margin: float) -> str | None:
    """Return the best-scoring value when it reaches ``bar`` and beats the next by ``margin``."""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < bar:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < margin:
        return None
    return ranked[0][0]


def _cart_nouns(r: Reading) -> list[tuple[int, int]]:
    """Return where the message names the cart itself ("into the cart", "in den Warenkorb")."""
    tokens = word_tokens(r.text)
    return [
        (tokens[h.start].start, tokens[h.end - 1].end)
        for h in dialogue_hits(r.text, r.lang)
        if h.group == "cart_word"
    ]
