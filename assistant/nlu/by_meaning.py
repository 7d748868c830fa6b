"""Words the lexicon does not know, read by meaning (multilingual USE v3 cosine).

- :class:`PhraseResolver` over product-type phrases: "portable charger" → Power Bank.
- :meth:`ValueResolver.option_of` over a named type's option values: "filtro de bomba"
  → type pump, "multicombustible" → fuel type multi-fuel.
- :meth:`PhraseResolver.feature_of` over feature phrases: a shopper who describes a
  feature instead of naming it ("a jacket that keeps the water out", "kopfhörer die den
  lärm wegfiltern") means the named type's feature nearest in meaning, when it is near
  enough and clearly nearer than the type's other features.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from assistant.nlu.intents import Encoder
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

    def feature_of(self, text: str, allowed: Iterable[str]) -> str | None:
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
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < FEATURE_BY_MEANING:
            return None
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FEATURE_MARGIN:
            return None
        return ranked[0][0]


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
