"""Typing slips mended before the sentence classifiers read a message.

"bestäitgt", "ncohmal", "percio", "accessroi": a word too rare to be a word of the message's
language (or of English), one edit away (a letter left out, added or changed, or two
neighbours swapped) from a common word of that language, is read as that word. The
classifiers learned their phrasings from words as they are spelled; a slip would otherwise
give them an unknown word and a sentence vector that drifted.

How common a word is comes from the ``wordfreq`` package's large lists (Zipf scale: 3 is
once per million words), compared without accents or case, so "cobrame" is "cóbrame" and
stays as typed. The corpus's own words ("thx", "warenkorb") count as known and are the
preferred fixes. Words of four letters or fewer, words with digits and the slot runs (names,
products, emails) are never changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from wordfreq import get_frequency_dict

from assistant.nlu.corpus import Utterance
from retrieval.lexicon import fold

LANGS = ("en", "de", "fr", "es", "it")
WORDS_FILE = "spelling.json"
MIN_LENGTH = 5
# A word at least this common (Zipf) in the message's language or English is a word.
KNOWN_ZIPF = 2.5
# A fix is at least this common, and this much more common than the word as typed.
FIX_ZIPF = 3.0
FIX_MARGIN = 1.5
SWAP_BONUS = 1.0  # Zipf points: "mnotre" is "montre", not "notre"
_CACHE_SIZE = 50_000
_LIST_FLOOR = 1.5  # rarer words of the lists are left out (many are slips themselves)
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"  # words are compared folded: no accents, ß as ss


class WordList:
    """One language's words, folded, with their Zipf frequency (kept as hashes)."""

    def __init__(self, freqs: dict[str, float]) -> None:
        """Hold ``freqs`` (word → share of all words)."""
        floor = 10 ** (_LIST_FLOOR - 9)
        words = [w for w, f in freqs.items() if f >= floor]
        hashes = np.array([hash(w if w.isascii() else fold(w)) for w in words], dtype=np.int64)
        zipf = np.log10(np.array([freqs[w] for w in words], dtype=np.float64) * 1e9)
        order = np.lexsort((-zipf, hashes))  # by hash, the commonest spelling first
        hashes, zipf = hashes[order], zipf[order]
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = hashes[1:] != hashes[:-1]
        self.hashes = hashes[first]
        self.zipf = zipf[first].astype(np.float32)

    def of(self, keys: list[str]) -> NDArray[np.float32]:
        """Zipf frequency of each folded word (0 for a word the list lacks)."""
        if not len(self.hashes) or not keys:
            return np.zeros(len(keys), dtype=np.float32)
        h = np.array([hash(k) for k in keys], dtype=np.int64)
        at = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
        out: NDArray[np.float32] = np.where(self.hashes[at] == h, self.zipf[at], 0.0)
        return out


@cache
def word_list(lang: str) -> WordList:
    """Return the ``lang`` word list (empty for a language outside :data:`LANGS`)."""
    return WordList(get_frequency_dict(lang, "large") if lang in LANGS else {})


def zipf(word: str, lang: str) -> float:
    """Return how common ``word`` is in ``lang`` (Zipf; 0 for a word the list lacks)."""
    key = word.lower()
    return float(word_list(lang).of([key if key.isascii() else fold(key)])[0])


class Speller:
    """Mends one-edit typing slips in a message, in its language."""

    def __init__(self, corpus_words: Iterable[str] = ()) -> None:
        """Know the word lists and ``corpus_words`` (words of the phrasing corpus)."""
        self.corpus = frozenset(fold(w) for w in corpus_words)
        # word, language → as read: a message's words are mended twice (its words and its
        # masked spelling), and shoppers repeat their words
        self._read: dict[tuple[str, str], str] = {}

    @classmethod
    def of_model(cls, model_dir: Path) -> Speller | None:
        """Return the speller a model was trained with (None for a model trained without)."""
        path = model_dir / WORDS_FILE
        if not path.exists():
            return None
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def save(self, model_dir: Path) -> None:
        """Write the corpus's words next to the model (read back by :meth:`of_model`)."""
        path = model_dir / WORDS_FILE
        path.write_text(json.dumps(sorted(self.corpus), ensure_ascii=False), encoding="utf-8")

    def warm_up(self, langs: Iterable[str] = LANGS) -> None:
        """Load the word lists now (about a second each), not on the first message."""
        for lang in langs:
            word_list(lang)

    def word(self, word: str, lang: str) -> str:
        """Return ``word`` mended, or as typed when it is a word, short, or has no clear fix.

        The fix is a word of the message's language or of the corpus, never of English
        alone (a German "dezember" is no slip for "december").
        """
        key = fold(word)
        if len(key) < MIN_LENGTH or not key.isalpha() or key in self.corpus:
            return word
        read = self._read.get((word, lang))
        if read is None:
            if len(self._read) >= _CACHE_SIZE:
                self._read.clear()
            read = self._read[(word, lang)] = self._mend(word, key, lang)
        return read

    def _mend(self, word: str, key: str, lang: str) -> str:
        typed = max(float(word_list(lang).of([key])[0]), float(word_list("en").of([key])[0]))
        if typed >= KNOWN_ZIPF:
            return word
        swaps = _swaps(key)
        cands = sorted(_one_edit(key) | swaps)
        zipf = word_list(lang).of(cands)
        # the corpus's words first; two letters swapped is the commonest slip
        bonus = [(9.0 if c in self.corpus else 0.0) + (SWAP_BONUS if c in swaps else 0.0)
                 for c in cands]  # fmt: skip
        zipf += np.array(bonus, dtype=np.float32)
        best = int(np.argmax(zipf))
        if zipf[best] >= FIX_ZIPF and zipf[best] - typed >= FIX_MARGIN:
            return cands[best]
        return word

    def text(self, text: str, lang: str, keep: Iterable[tuple[int, int]] = ()) -> str:
        """Return ``text`` with its slips mended, leaving the spans ``keep`` as typed."""
        kept = list(keep)
        out, pos = [], 0
        for m in _WORD.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in kept):
                continue
            fixed = self.word(m.group(0), lang)
            if fixed != m.group(0):
                out.append(text[pos : m.start()])
                out.append(fixed)
                pos = m.end()
        out.append(text[pos:])
        return "".join(out)


def corpus_words(utterances: Sequence[Utterance], min_families: int = 2) -> list[str]:
    """Words the corpus's phrasings use outside slots, in at least ``min_families`` families.

    A word only one family uses may be that family's own slip ("typo" register).
    """
    families: dict[str, set[str]] = {}
    for u in utterances:
        for m in _WORD.finditer(u.text):
            if not any(s.start < m.end() and m.start() < s.end for s in u.spans):
                families.setdefault(fold(m.group(0)), set()).add(u.family)
    return sorted(w for w, fams in families.items() if len(fams) >= min_families)


def _swaps(word: str) -> set[str]:
    """Every string two neighbouring letters of ``word`` swapped."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)} - {word}


def _one_edit(word: str) -> set[str]:
    """Every string one deletion, change or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out.discard(word)
    return out
