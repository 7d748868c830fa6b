"""Incremental index builds: only new or changed products are re-embedded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from tqdm import tqdm

from catalog.models import Product, Variant
from retrieval.dense import DenseIndex
from retrieval.documents import ProductDoc, product_doc
from retrieval.embedder import Embedder


@dataclass(frozen=True)
class IndexStats:
    """What an index build did."""

    total: int
    embedded: int
    unchanged: int
    removed: int


def load_docs(engine: Engine) -> list[ProductDoc]:
    """Build a search document for every product in the store, ordered by id."""
    with Session(engine) as session:
        products = list(session.exec(select(Product).order_by(col(Product.id))))
        by_product: dict[str, list[Variant]] = {}
        for v in session.exec(select(Variant).order_by(col(Variant.id))):
            by_product.setdefault(v.product_id, []).append(v)
    return [product_doc(p, by_product.get(p.id, [])) for p in products]


def sync_dense_index(
    docs: list[ProductDoc],
    dense: DenseIndex,
    embedder: Embedder,
    *,
    progress: bool = True,
    batch_size: int = 64,
) -> IndexStats:
    """Bring ``dense`` in line with ``docs``, embedding only what changed."""
    current = dense.hashes()
    wanted = {d.product_id for d in docs}
    stale = sorted(set(current) - wanted)
    dense.delete(stale)
    todo = [d for d in docs if current.get(d.product_id) != d.content_hash]
    with tqdm(
        total=len(todo), desc="Embedding products", unit="product", disable=not progress or not todo
    ) as bar:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            vectors = embedder.encode([d.text for d in batch])
            dense.upsert(
                [d.product_id for d in batch],
                vectors,
                [dict(d.metadata) for d in batch],
                [d.text for d in batch],
            )
            bar.update(len(batch))
    return IndexStats(
        total=len(docs), embedded=len(todo), unchanged=len(docs) - len(todo), removed=len(stale)
    )
