"""Dense vector index: a chromadb PersistentClient collection of product embeddings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from numpy.typing import NDArray

from retrieval.errors import RetrievalError


class DenseIndex:
    """Product vectors in chromadb, with the content hash of each product as metadata."""

    def __init__(self, path: str | Path, collection: str, *, embedding_model: str) -> None:
        """Open (or create) ``collection`` under ``path``; telemetry is always off."""
        Path(path).mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(path),
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=True),
        )
        self.embedding_model = embedding_model
        try:
            self._collection = self._client.get_or_create_collection(
                collection,
                metadata={"hnsw:space": "cosine", "embedding_model": embedding_model},
                embedding_function=None,
            )
        except (ValueError, ChromaError) as exc:
            raise RetrievalError(f"cannot open collection {collection!r}: {exc}") from exc
        stored_model = (self._collection.metadata or {}).get("embedding_model")
        if stored_model != embedding_model:
            # Vectors from another model are meaningless here: start over.
            self._client.delete_collection(collection)
            self._collection = self._client.create_collection(
                collection,
                metadata={"hnsw:space": "cosine", "embedding_model": embedding_model},
                embedding_function=None,
            )

    def count(self) -> int:
        """Return how many products are indexed."""
        return int(self._collection.count())

    def hashes(self) -> dict[str, str]:
        """Map every indexed product id to the content hash it was embedded from."""
        out: dict[str, str] = {}
        total = self.count()
        page = 5000
        for offset in range(0, total, page):
            got = self._collection.get(include=["metadatas"], limit=page, offset=offset)
            for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                out[pid] = str((meta or {}).get("content_hash", ""))
        return out

    def upsert(
        self,
        ids: list[str],
        vectors: NDArray[np.float32],
        metadatas: list[dict[str, Any]],
        documents: list[str],
    ) -> None:
        """Insert or replace vectors for ``ids``."""
        if ids:
            self._collection.upsert(
                ids=ids,
                embeddings=vectors.tolist(),
                metadatas=metadatas,  # type: ignore[arg-type]
                documents=documents,
            )

    def delete(self, ids: list[str]) -> None:
        """Remove ``ids`` from the index."""
        if ids:
            self._collection.delete(ids=ids)

    def vectors(self, ids: list[str]) -> dict[str, NDArray[np.float32]]:
        """Fetch stored vectors for ``ids`` (ids not in the index are left out)."""
        out: dict[str, NDArray[np.float32]] = {}
        for start in range(0, len(ids), 2000):
            got = self._collection.get(ids=ids[start : start + 2000], include=["embeddings"])
            embs = got.get("embeddings")
            if embs is None:
                continue
            for pid, vec in zip(got["ids"], embs, strict=False):
                out[pid] = np.asarray(vec, dtype=np.float32)
        return out

    def query(
        self, vector: NDArray[np.float32], n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Return up to ``n`` (product id, cosine similarity) pairs, best first."""
        total = self.count()
        if total == 0:
            return []
        try:
            got = self._collection.query(
                query_embeddings=[vector.tolist()],
                n_results=min(n, total),
                where=where,
                include=["distances"],
            )
        except Exception as exc:  # chromadb raises plain exceptions for bad filters
            raise RetrievalError(f"vector query failed: {exc}") from exc
        ids = got["ids"][0] if got["ids"] else []
        dists = (got["distances"] or [[]])[0]
        return [(pid, 1.0 - float(d)) for pid, d in zip(ids, dists, strict=False)]
