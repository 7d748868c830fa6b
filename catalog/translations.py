"""The translation cache: machine (or reviewed) translations keyed by source, locale and hash.

A row is looked up by ``(key, locale, source_hash)``: ``key`` names what was translated
(``product:<id>:description``, ``text:<hash>``), and the hash of the English source means
an edited source never reuses a stale translation. Every row says who made it
(``generated_by``: the model's name, or ``staff:<email>`` after a review) and its
``status``: ``machine`` (unreviewed), ``reviewed`` or ``rejected``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.errors import InvalidInputError, NotFoundError
from catalog.models import utcnow

TranslationStatus = Literal["machine", "reviewed", "rejected"]
LOCALES = ("en", "de", "fr", "es", "it")


def content_hash(text: str) -> str:
    """Return the SHA-256 (first 16 hex digits) of ``text``: the cache's source key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Translation(SQLModel, table=True):
    """One translation of one source text into one locale."""

    __table_args__ = (UniqueConstraint("key", "locale", "source_hash"),)

    pk: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)
    locale: str = Field(index=True)
    source_hash: str
    source_text: str
    text: str
    generated_by: str
    status: str = Field(default="machine", index=True)
    checks: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None


def check_locale(locale: str) -> str:
    """Return ``locale`` normalised (``DE`` → ``de``), or raise for an unsupported one."""
    norm = locale.strip().lower()[:2]
    if norm not in LOCALES:
        raise InvalidInputError(
            f"unsupported locale {locale!r}: use one of {', '.join(LOCALES)}",
            code="unsupported_locale",
        )
    return norm


def get_translation(engine: Engine, key: str, locale: str, source: str) -> Translation | None:
    """Return the cached, not rejected translation of ``source`` under ``key``, if any."""
    with Session(engine) as session:
        return session.exec(
            select(Translation).where(
                Translation.key == key,
                Translation.locale == locale,
                Translation.source_hash == content_hash(source),
                Translation.status != "rejected",
            )
        ).first()


def get_translations(engine: Engine, locale: str, sources: dict[str, str]) -> dict[str, str]:
    """Return the cached, not rejected translations of many ``{key: source}`` in one query."""
    if not sources:
        return {}
    wanted = {(key, content_hash(src)) for key, src in sources.items()}
    with Session(engine) as session:
        rows = session.exec(
            select(Translation).where(
                col(Translation.key).in_(list(sources)),
                Translation.locale == locale,
                Translation.status != "rejected",
            )
        )
        return {r.key: r.text for r in rows if (r.key, r.source_hash) in wanted}


def put_translation(
    engine: Engine,
    key: str,
    locale: str,
    source: str,
    text: str,
    *,
    generated_by: str,
    checks: dict[str, Any] | None = None,
) -> Translation:
    """Store a translation (replacing a rejected or older machine one for the same source).

    A reviewed translation is never overwritten by a machine one: the existing row is
    returned instead.
    """
    digest = content_hash(source)
    with Session(engine) as session:
        row = session.exec(
            select(Translation).where(
                Translation.key == key,
                Translation.locale == locale,
                Translation.source_hash == digest,
            )
        ).first()
        if row is not None and row.status == "reviewed":
            return row
        if row is None:
            row = Translation(
                key=key,
                locale=locale,
                source_hash=digest,
                source_text=source,
                text=text,
                generated_by=generated_by,
            )
        row.text, row.generated_by, row.status = text, generated_by, "machine"
        row.checks = dict(checks or {})
        row.created_at = utcnow()
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another worker stored the same source first: keep theirs
            session.rollback()
            existing = get_translation(engine, key, locale, source)
            if existing is None:
                raise
            return existing
        session.refresh(row)
        return row


def review_translation(
    engine: Engine, pk: int, *, reviewer: str, approve: bool, text: str | None = None
) -> Translation:
    """Mark a translation reviewed (optionally with corrected ``text``) or rejected."""
    with Session(engine) as session:
        row = session.get(Translation, pk)
        if row is None:
            raise NotFoundError(f"no translation {pk}", code="translation_not_found")
        row.status = "reviewed" if approve else "rejected"
        if text is not None:
            row.text = text
        row.reviewed_by, row.reviewed_at = reviewer, utcnow()
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def list_translations(
    engine: Engine, *, locale: str | None = None, status: str | None = None, limit: int = 100
) -> list[Translation]:
    """Return stored translations, newest first, optionally for one locale or status."""
    query = select(Translation)
    if locale:
        query = query.where(Translation.locale == locale)
    if status:
        query = query.where(Translation.status == status)
    with Session(engine) as session:
        return list(session.exec(query.order_by(col(Translation.pk).desc()).limit(limit)))
