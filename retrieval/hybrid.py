"""Hybrid product search: BM25 + dense vectors fused by reciprocal rank, with exact filters."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from sqlalchemy.engine import Engine

from catalog.errors import InvalidInputError
from catalog.models import Variant
from retrieval.config import RetrievalSettings
from retrieval.dense import DenseIndex
from retrieval.embedder import Embedder
from retrieval.filters import SearchFilters, matching_variants
from retrieval.indexer import IndexStats, load_docs, sync_dense_index
from retrieval.lexical import LexicalIndex, tokenize
from retrieval.lexicon import ShopLexicon, shop_lexicon
from retrieval.model_names import ModelNames
from retrieval.multilingual import MultilingualIndex
from retrieval.query_parser import option_vocabulary
from retrieval.vocabulary import CatalogVocabulary, words

SearchMode = Literal["hybrid", "bm25", "dense"]
EXACT_SCAN_LIMIT = 5000


@dataclass
class SearchHit:
    """One ranked product with the variants that satisfied the filters (cheapest first)."""

    product_id: str
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    variants: list[Variant] = field(default_factory=list)


# Weight, in the fusion, of the ranking of products whose title holds every query word.
# Measured on the CrowdFlower judgments (bench/search_quality.py): weighting it above 0.3,
# or repeating titles in the BM25 text (2 or 3 times), lowered hybrid NDCG@10.
TITLE_RANK_WEIGHT = 0.3


def _by_score(ids: list[str], scores: dict[str, float]) -> list[str]:
    """``ids`` best BM25 score first (ties by id)."""
    return sorted(ids, key=lambda p: (-scores.get(p, 0.0), p))


def rrf(rankings: list[list[str]], k: int, weights: list[float] | None = None) -> dict[str, float]:
    """Reciprocal rank fusion: sum of w/(k + rank) over every ranking a product appears in."""
    scores: dict[str, float] = {}
    for n, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[n]
        for rank, pid in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + w / (k + rank)
    return scores


class HybridSearcher:
    """Search the store's products; filters are applied exactly against SQL, never guessed."""

    def __init__(
        self,
        engine: Engine,
        embedder: Embedder,
        dense: DenseIndex,
        settings: RetrievalSettings,
        multilingual: MultilingualIndex | None = None,
    ) -> None:
        """Wire the searcher; call :meth:`refresh` before searching."""
        self.engine = engine
        self.multilingual = multilingual
        self.embedder = embedder
        self.dense = dense
        self.settings = settings
        self.lexical = LexicalIndex()
        self._names: dict[str, str] = {}
        self._ids_to_names: dict[str, str] = {}
        self.categories: dict[str, str] = {}
        self.brands: dict[str, str] = {}
        self.option_words: dict[str, tuple[str, str]] = {}
        self.vocabulary = CatalogVocabulary()
        self.lexicon = ShopLexicon()
        self.name_words: set[str] = set()
        self._title_tokens: dict[str, frozenset[str]] = {}
        self.models = ModelNames({})

    def bound_to(self, engine: Engine) -> HybridSearcher:
        """Return a searcher over another copy of the same catalog (shares both indexes).

        Evaluations run each scenario on its own copy of the store; the products, and so
        the BM25 and vector indexes, are identical, only orders and customers may differ.
        """
        twin = copy.copy(self)
        twin.engine = engine
        return twin

    def refresh(self, *, progress: bool = True) -> IndexStats:
        """Rebuild BM25 and bring the vector index up to date with the store."""
        docs = load_docs(self.engine)
        self.lexical.build([d.product_id for d in docs], [d.text for d in docs])
        self._names = {d.title.strip().lower(): d.product_id for d in docs}
        self.categories = {
            str(d.metadata["category"]).lower(): str(d.metadata["category"])
            for d in docs
            if d.metadata.get("category")
        }
        self.brands = {
            str(d.metadata["brand"]).lower(): str(d.metadata["brand"])
            for d in docs
            if d.metadata.get("brand")
        }
        self.option_words = option_vocabulary([o for d in docs for o in d.option_sets])
        self.vocabulary = CatalogVocabulary.load(self.engine)
        self.lexicon = shop_lexicon(docs, self.vocabulary, self.settings.synonyms)
        self.name_words = {w for name in self._names for w in words(name)}
        self._title_tokens = {d.product_id: frozenset(tokenize(d.title)) for d in docs}
        self.models = ModelNames({d.product_id: d.title for d in docs})
        if self.multilingual is not None:
            self.multilingual.sync_in_background(docs)
        return sync_dense_index(
            docs, self.dense, self.embedder, progress=progress, batch_size=self.settings.batch_size
        )

    def name_of(self, product_id: str) -> str | None:
        """Return a product's name (lower case) from the index, without a database read."""
        if not hasattr(self, "_ids_to_names") or len(self._ids_to_names) != len(self._names):
            self._ids_to_names = {pid: name for name, pid in self._names.items()}
        return self._ids_to_names.get(product_id)

    def multilingual_type(
        self, message: str, *, hint: str | None = None, wait_s: float = 30.0
    ) -> str | None:
        """Return the catalog type a shopper's own words (any language) name, if clear.

        Waits up to ``wait_s`` for the multilingual index on the first call after start-up.
        """
        if self.multilingual is None or not self.multilingual.ready(wait_s):
            return None
        return self.multilingual.guess_type(message, self.vocabulary.type_of, hint=hint)

    def own_words(
        self, message: str, *groups: tuple[Sequence[str], float], wait_s: float = 5.0
    ) -> dict[str, str]:
        """Map English catalog phrases to the shopper's own words for them (see MultilingualIndex).

        Each group is (phrases, how close in meaning a run of the message's words must be).
        Empty when the multilingual model is not available: callers keep the English words.
        """
        if self.multilingual is None or not self.multilingual.ready(wait_s):
            return {}
        return self.multilingual.own_words(message, *groups)

    def phrase_scores(
        self, message: str, phrases: list[str], *, wait_s: float = 5.0
    ) -> dict[str, tuple[float, str]]:
        """Cosine of each English phrase to the nearest run of the message's words (any language).

        Empty when the multilingual model is not available.
        """
        if self.multilingual is None or not self.multilingual.ready(wait_s):
            return {}
        return self.multilingual.phrase_scores(message, phrases)

    @staticmethod
    def _lexical_ranking(by_id: dict[str, float], allowed: set[str] | None, pool: int) -> list[str]:
        ids = list(by_id)
        scores = np.fromiter(by_id.values(), dtype=np.float64, count=len(ids))
        order = np.argsort(-scores, kind="stable")
        out: list[str] = []
        for i in order:
            if scores[i] <= 0:
                break
            if allowed is None or ids[i] in allowed:
                out.append(ids[i])
                if len(out) >= pool:
                    break
        return out

    def _dense_ranking(self, query: str, allowed: set[str] | None, pool: int) -> list[str]:
        vector = self.embedder.encode([query])[0]
        if allowed is not None and len(allowed) <= EXACT_SCAN_LIMIT:
            stored = self.dense.vectors(sorted(allowed))
            ranked = sorted(stored, key=lambda pid: -float(stored[pid] @ vector))
            return ranked[:pool]
        hits = self.dense.query(vector, pool if allowed is None else pool * 5)
        return [pid for pid, _ in hits if allowed is None or pid in allowed][:pool]

    def _named(self, wanted: set[str]) -> list[str]:
        """Products whose title tokens hold every token of ``wanted``, in id order."""
        if not wanted:
            return []
        return sorted(p for p, t in self._title_tokens.items() if wanted <= t)

    def named_by(self, text: str) -> list[str]:
        """Return the products whose title holds every word of ``text``."""
        return self._named(set(tokenize(text)))

    def title_says(self, product_id: str, text: str) -> bool:
        """Return True when the product's title holds every word of ``text``."""
        wanted = set(tokenize(text))
        return bool(wanted) and wanted <= self._title_tokens.get(product_id, frozenset())

    def _named_outside(
        self,
        wanted: set[str],
        named: list[str],
        scores: dict[str, float],
        filters: SearchFilters,
        shown: set[str],
    ) -> dict[str, list[Variant]]:
        """Products ``named`` by every query word (2 or more) that a guessed filter hid.

        A product type or feature read from the words is a guess; a product the shopper
        names by its own title words is shown anyway, if it meets the price, stock,
        options, brand and category asked for (BM25 order, at most three), with the
        variants that meet those. When the filters' own names hold every query word
        ("running shoes" with the type Running Shoes) the filter is what was said, not a
        guess, and it stands.
        """
        outside = [p for p in named if p not in shown]
        if not (filters.product_types or filters.features) or not outside:
            return {}
        said = set(tokenize(" ".join([*filters.product_types, *filters.features])))
        if wanted <= said:
            return {}
        hard = filters.model_copy(update={"product_types": [], "features": []})
        ok = matching_variants(self.engine, hard, product_ids=outside)
        return {p: ok[p] for p in _by_score(list(ok), scores)[:3]}

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 10,
        mode: SearchMode = "hybrid",
    ) -> list[SearchHit]:
        """Rank products for ``query`` among those meeting ``filters``."""
        filters = filters or SearchFilters()
        query = query.strip()
        if not query and filters.is_empty():
            raise InvalidInputError("give a search query or at least one filter")
        if limit < 1 or limit > 100:
            raise InvalidInputError("limit must be between 1 and 100")
        variants = matching_variants(self.engine, filters) if not filters.is_empty() else None
        allowed = set(variants) if variants is not None else None
        if allowed is not None and not allowed:
            return []
        pool = max(self.settings.candidate_pool, limit)
        if not query:
            found = variants or {}
            ranked = sorted(found, key=lambda pid: found[pid][0].price)[:limit]
            return [SearchHit(pid, 0.0, variants=found[pid]) for pid in ranked]
        # BM25 scores and the title match are read once; three steps below use them
        scores = self.lexical.score_map(query)
        wanted = set(tokenize(query))
        named = self._named(wanted)
        lexical = self._lexical_ranking(scores, allowed, pool) if mode != "dense" else []
        dense = self._dense_ranking(query, allowed, pool) if mode != "bm25" else []
        # the third ranking: a product named by its own title words is not lost because
        # its description is long or its vector far
        titled = (
            _by_score([p for p in named if allowed is None or p in allowed], scores)[:pool]
            if mode != "dense"
            else []
        )
        lists = [
            (r, w) for r, w in ((lexical, 1.0), (dense, 1.0), (titled, TITLE_RANK_WEIGHT)) if r
        ]
        fused = rrf([r for r, _ in lists], self.settings.rrf_k, [w for _, w in lists])
        exact = self._names.get(query.lower())
        if exact is not None and (allowed is None or exact in allowed):
            fused[exact] = float("inf")
        top = sorted(fused, key=lambda pid: -fused[pid])[:limit]
        outside = (
            self._named_outside(wanted, named, scores, filters, set(top)) if len(wanted) > 1 else {}
        )
        top = [*outside, *(pid for pid in top if pid not in outside)][:limit]
        if variants is None or outside:
            variants = matching_variants(self.engine, filters, product_ids=top) | outside
        lex_pos = {pid: i + 1 for i, pid in enumerate(lexical)}
        dense_pos = {pid: i + 1 for i, pid in enumerate(dense)}
        return [
            SearchHit(
                pid,
                fused.get(pid, 0.0),
                lex_pos.get(pid),
                dense_pos.get(pid),
                variants.get(pid, []),
            )
            for pid in top
        ]
