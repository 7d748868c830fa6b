"""Errors of the retrieval layer.

Tree::

    ShopError (catalog.errors)
    └── RetrievalError                 search or indexing failed
        └── EmbeddingModelMissingError the embedding model is not installed (no hub access)
"""

from __future__ import annotations

from catalog.errors import ShopError


class RetrievalError(ShopError):
    """Search or indexing failed."""

    code = "retrieval_error"


class EmbeddingModelMissingError(RetrievalError):
    """The embedding model could not be found locally; we never download from a hub."""

    code = "embedding_model_missing"
