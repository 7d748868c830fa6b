"""Dense vector index: a chromadb collection of product embeddings, embedded or on a server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from numpy.typing import NDArray

from catalog.errors import InvalidInputError
from retrieval.chroma_url import ChromaServer, parse_chroma_url
from retrieval.errors import RetrievalError


def _chroma_settings() -> ChromaSettings:
    # A fresh object per client: HttpClient writes the server's host and port into it.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def _unreachable(server: ChromaServer, reason: object) -> RetrievalError:
    return RetrievalError(
        f"cannot reach the Chroma server at {server.url} ({reason}). Start it, e.g. "
        f"`{server.start_hint()}`, or unset SHOP_RETRIEVAL__CHROMA_URL to use the "
        "embedded index"
    )


def _open_client(path: str | Path | None, server: ChromaServer | None) -> ClientAPI:
    if server is None:
        if path is None:
            raise InvalidInputError("DenseIndex needs a folder (path) or a Chroma server (url)")
        Path(path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    try:  # the client checks the server's tenant on creation: this is the reachability test
        return chromadb.HttpClient(
            host=server.host, port=server.port, ssl=server.ssl, settings=_chroma_settings()
        )
    except (ValueError, ChromaError, httpx.HTTPError, OSError) as exc:
        raise _unreachable(server, exc) from None


class DenseIndex:
    """Product vectors in chromadb, with the content hash of each product as metadata."""

    def __init__(
        self,
        path: str | Path | None,
        collection: str,
        *,
        embedding_model: str,
        url: str | None = None,
    ) -> None:
        """Open (or create) ``collection``; telemetry is always off.

        The collection lives in the Chroma server at ``url`` (``http(s)://host:port``) when
        one is given, else in the embedded store under ``path``. Vectors of another
        ``embedding_model`` are dropped. A malformed ``url`` raises ``InvalidInputError``; a
        server that does not answer raises ``RetrievalError``.
        """
        self.server = parse_chroma_url(url) if url is not None else None
        self._client = _open_client(path, self.server)
        self.embedding_model = embedding_model
        with self._reachable():
            self._open(collection)

    @contextmanager
    def _reachable(self) -> Iterator[None]:
        """Turn a lost connection to the server into a ``RetrievalError`` naming its URL."""
        try:
            yield
        except httpx.TransportError as exc:
            if self.server is None:
                raise
            raise _unreachable(self.server, exc) from None

    def _open(self, collection: str) -> None:
        embedding_model = self.embedding_model
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
        with self._reachable():
            return int(self._collection.count())

    def hashes(self) -> dict[str, str]:
        """Map every indexed product id to the content hash it was embedded from."""
        out: dict[str, str] = {}
        total = self.count()
        page = 5000
        for offset in range(0, total, page):
            with self._reachable():
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
            with self._reachable():
                self._collection.upsert(
                    ids=ids,
                    embeddings=vectors.tolist(),
                    metadatas=metadatas,  # type: ignore[arg-type]
                    documents=documents,
                )

    def delete(self, ids: list[str]) -> None:
        """Remove ``ids`` from the index."""
        if ids:
            with self._reachable():
                self._collection.delete(ids=ids)

    def vectors(self, ids: list[str]) -> dict[str, NDArray[np.float32]]:
        """Fetch stored vectors for ``ids`` (ids not in the index are left out)."""
        out: dict[str, NDArray[np.float32]] = {}
        for start in range(0, len(ids), 2000):
            with self._reachable():
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
            with self._reachable():
                got = self._collection.query(
                    query_embeddings=[vector.tolist()],
                    n_results=min(n, total),
                    where=where,
                    include=["distances"],
                )
        except RetrievalError:
            raise
        except Exception as exc:  # chromadb raises plain exceptions for bad filters
            raise RetrievalError(f"vector query failed: {exc}") from exc
        ids = got["ids"][0] if got["ids"] else []
        dists = (got["distances"] or [[]])[0]
        return [(pid, 1.0 - float(d)) for pid, d in zip(ids, dists, strict=False)]
