"""BM25 lexical index over product documents (bm25s, in memory)."""

from __future__ import annotations

import logging
import re
import unicodedata

import bm25s
import numpy as np
from numpy.typing import NDArray

# bm25s sets its own logger to DEBUG on import; its index-building lines are noise.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*")
_STOP = frozenset(
    "a an and are as at be by for from has have i in is it its me my of on or our that the "
    "this to with you your want need looking some any".split()
)


def fold(text: str) -> str:
    """Lowercase and drop accents ("Algodón" → "algodon", "Färg" → "farg")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[str]:
    """Lowercase, fold accents, split into words, drop stop words and fold simple plurals."""
    out: list[str] = []
    for word in _WORD.findall(fold(text)):
        if word in _STOP:
            continue
        if len(word) > 3 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
            word = word[:-2]
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


class LexicalIndex:
    """BM25 scores for every indexed product; rebuilt in full (it is cheap)."""

    def __init__(self) -> None:
        """Create an empty index."""
        # ids and their BM25 model are swapped together, so a search that runs while the
        # catalog is re-indexed sees either the old pair or the new one, never a mix.
        self._state: tuple[list[str], bm25s.BM25 | None] = ([], None)

    @property
    def ids(self) -> list[str]:
        """Return the indexed product ids, in index order."""
        return self._state[0]

    def build(self, ids: list[str], texts: list[str]) -> None:
        """Index ``texts`` under ``ids`` (replacing any earlier content)."""
        if not ids:
            self._state = ([], None)
            return
        bm25 = bm25s.BM25()
        bm25.index([tokenize(t) or ["_empty_"] for t in texts], show_progress=False)
        self._state = (list(ids), bm25)

    def scores(self, query: str) -> NDArray[np.float64]:
        """Return one BM25 score per indexed id (zeros when nothing matches)."""
        return self._scores(query, self._state)

    def score_map(self, query: str) -> dict[str, float]:
        """Return each indexed id's BM25 score for ``query``."""
        state = self._state
        return dict(zip(state[0], self._scores(query, state).tolist(), strict=True))

    @staticmethod
    def _scores(query: str, state: tuple[list[str], bm25s.BM25 | None]) -> NDArray[np.float64]:
        ids, bm25 = state
        tokens = tokenize(query)
        if bm25 is None or not tokens:
            return np.zeros(len(ids))
        vocab = bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(ids))
        return np.asarray(bm25.get_scores(known), dtype=np.float64)
