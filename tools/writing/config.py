"""Settings of the writing tools (``SHOP_WRITING__*``)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WritingSettings(BaseModel):
    """Glossary, retries and background translation of product cards."""

    glossary_path: str | None = Field(
        default=None,
        description="JSON or YAML glossary file: {protected: [...], fixed: {term: {de: ...}}}.",
    )
    protected_terms: list[str] = Field(
        default_factory=list,
        description="Terms never translated, added to the glossary file's (brands are "
        "always protected).",
    )
    translation_retries: int = Field(default=1, ge=0, le=3)
    copy_attempts: int = Field(
        default=2, ge=1, le=5, description="Model drafts tried before the template writes it."
    )
    translate_cards: bool = Field(
        default=True,
        description="Translate missing card names in the background for non-English chats "
        "(descriptions: `shopassist translate`).",
    )
