"""Errors of the recommendation layer.

Tree::

    ShopError (catalog.errors)
    └── RecommendError            anything the recommender cannot do
        ├── UnknownProductError   a product id the recommender has never seen (fixable input)
        └── ModelFileError        a persisted model is unreadable or from another version
"""

from __future__ import annotations

from catalog.errors import ShopError


class RecommendError(ShopError):
    """Base of recommendation errors."""

    code = "recommend_error"


class UnknownProductError(RecommendError):
    """The product id is not in the catalog the model was trained on."""

    code = "unknown_product"


class ModelFileError(RecommendError):
    """The persisted recommendation model cannot be used; retrain it."""

    code = "recs_model_file"
