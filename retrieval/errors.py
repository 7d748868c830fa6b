"""Errors of the retrieval layer.

Tree::

    ShopError (catalog.errors)
    └── RetrievalError                 search or indexing failed
        ├── EmbeddingModelMissingError the embedding model is not installed (no hub access)
        └── IndexNotReadyError         the vector index is empty or out of date
"""

from __future__ import annotations

from catalog.errors import ShopError


class RetrievalError(ShopError):
    """Search or indexing failed."""

    code = "retrieval_error"


class EmbeddingModelMissingError(RetrievalError):
    """The embedding model could not be found locally; we never download from a hub."""

    code = "embedding_model_missing"


class IndexNotReadyError(RetrievalError):
    """The vector index has not been built for the current store."""

    code = "index_not_ready"
