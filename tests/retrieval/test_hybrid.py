from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from catalog.errors import InvalidInputError
from catalog.models import Product, Variant
from retrieval.dense import DenseIndex
from retrieval.embedder import Embedder
from retrieval.errors import EmbeddingModelMissingError
from retrieval.filters import SearchFilters
from retrieval.hybrid import HybridSearcher, rrf
from retrieval.indexer import load_docs, sync_dense_index

QUERIES = [
    "waterproof hiking boots",
    "bluetooth speaker",
    "warm jacket",
    "coffee",
    "yoga mat",
    "gift for a runner",
    "kitchen knife",
    "tent for two",
    "office chair",
    "dog bed",
]


def test_rrf_rewards_agreement() -> None:
    scores = rrf([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert max(scores, key=scores.__getitem__) in ("a", "b")
    assert scores["a"] == scores["b"] > scores["c"] > 0


def test_filters_are_never_violated(shared_services: AppServices) -> None:
    searcher = shared_services.deps.searcher
    rng = random.Random(3)
    with Session(shared_services.engine) as s:
        products = {p.id: p for p in s.exec(select(Product))}
    categories = sorted({p.category for p in products.values()})
    brands = sorted({p.brand for p in products.values()})
    checked = 0
    for i in range(60):
        low = rng.choice([None, 20.0, 50.0])
        high = rng.choice([None, 40.0, 100.0, 150.0, 300.0])
        if low is not None and high is not None and low > high:
            low, high = high, low
        filters = SearchFilters(
            min_price=low,
            max_price=high,
            in_stock=rng.random() < 0.5,
            category=rng.choice(categories) if i % 3 == 0 else None,
            brand=rng.choice(brands) if i % 5 == 0 else None,
        )
        for mode in ("hybrid", "bm25", "dense"):
            for hit in searcher.search(rng.choice(QUERIES), filters, limit=10, mode=mode):
                product = products[hit.product_id]
                assert hit.variants, "a hit always carries the variants that matched"
                for v in hit.variants:
                    assert filters.variant_ok(v)
                if filters.category:
                    assert product.category == filters.category
                if filters.brand:
                    assert product.brand == filters.brand
                checked += 1
    assert checked > 300


def test_exact_name_queries_return_that_product_first(shared_services: AppServices) -> None:
    searcher = shared_services.deps.searcher
    with Session(shared_services.engine) as s:
        products = list(s.exec(select(Product)))
    for product in random.Random(5).sample(products, 25):
        hits = searcher.search(product.name, limit=5)
        assert hits[0].product_id == product.id, product.name
        # also without the exact-match shortcut, by ranking alone (lower-case, extra words)
        hits = searcher.search(f"the {product.name.lower()} please", limit=5)
        assert product.id in [h.product_id for h in hits[:3]], product.name


def test_semantic_query_finds_the_right_kind_of_product(shared_services: AppServices) -> None:
    searcher = shared_services.deps.searcher
    with Session(shared_services.engine) as s:
        hits = searcher.search("something to keep my feet dry on muddy trails", limit=5)
        types = [s.get(Product, h.product_id).attributes["type"] for h in hits]  # type: ignore[union-attr]
    assert any("Boots" in t or "Shoes" in t for t in types), types


def test_filter_only_search_is_cheapest_first(shared_services: AppServices) -> None:
    hits = shared_services.deps.searcher.search(
        "", SearchFilters(category="Footwear", max_price=80), limit=10
    )
    prices = [h.variants[0].price for h in hits]
    assert prices and prices == sorted(prices) and max(prices) <= 80


def test_bad_requests_are_rejected(shared_services: AppServices) -> None:
    searcher = shared_services.deps.searcher
    with pytest.raises(InvalidInputError):
        searcher.search("   ")
    with pytest.raises(InvalidInputError):
        searcher.search("boots", limit=0)
    with pytest.raises(ValueError):
        SearchFilters(min_price=100, max_price=10)


def test_unmatchable_filters_return_nothing(shared_services: AppServices) -> None:
    assert shared_services.deps.searcher.search("boots", SearchFilters(max_price=0.5)) == []


def test_index_build_is_incremental(shared_services: AppServices, tmp_path: Path) -> None:
    engine = shared_services.engine
    embedder = shared_services.deps.searcher.embedder
    docs = load_docs(engine)[:40]
    dense = DenseIndex(tmp_path / "chroma", "tst", embedding_model="m")
    first = sync_dense_index(docs, dense, embedder, progress=False)
    assert (first.embedded, first.unchanged) == (40, 0)
    again = sync_dense_index(docs, dense, embedder, progress=False)
    assert (again.embedded, again.unchanged, again.removed) == (0, 40, 0)

    # change one product's text and drop another: exactly one re-embedded, one removed
    with Session(engine) as s:
        product = s.get(Product, docs[0].product_id)
        assert product is not None
        variants = list(s.exec(select(Variant).where(Variant.product_id == product.id)))
    from retrieval.documents import product_doc

    product.description += " Now with recycled laces."
    changed = [product_doc(product, variants), *docs[1:39]]
    third = sync_dense_index(changed, dense, embedder, progress=False)
    assert (third.embedded, third.unchanged, third.removed) == (1, 38, 1)
    assert dense.count() == 39

    # reopening the same folder keeps vectors; another embedding model starts over
    assert DenseIndex(tmp_path / "chroma", "tst", embedding_model="m").count() == 39
    assert DenseIndex(tmp_path / "chroma", "tst", embedding_model="other").count() == 0


def test_bad_collection_name_fails_clearly(tmp_path: Path) -> None:
    from retrieval.errors import RetrievalError

    with pytest.raises(RetrievalError, match="cannot open collection"):
        DenseIndex(tmp_path, "x", embedding_model="m")


def test_missing_embedding_model_fails_clearly() -> None:
    with pytest.raises(EmbeddingModelMissingError, match="pip install"):
        Embedder("no-such-embedding-package")


def test_searcher_requires_refresh_data(shared_services: AppServices, tmp_path: Path) -> None:
    s = shared_services
    fresh = HybridSearcher(
        s.engine,
        s.deps.searcher.embedder,
        DenseIndex(tmp_path / "c", "xyz", embedding_model="m"),
        s.settings.retrieval,
    )
    assert fresh.search("boots") == []  # nothing indexed yet: empty, not an exception
    stats = fresh.refresh(progress=False)
    assert stats.embedded == stats.total > 0
    assert fresh.search("boots")
