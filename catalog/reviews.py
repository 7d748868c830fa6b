"""Customer reviews of products: the table and the reads the tools need."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from catalog.models import utcnow


class Review(SQLModel, table=True):
    """One customer review: a 1–5 star rating and the reviewer's own words."""

    id: str = Field(primary_key=True)
    product_id: str = Field(foreign_key="product.id", index=True)
    rating: int = Field(ge=1, le=5)
    title: str = ""
    text: str = ""
    author: str = ""
    created_at: datetime = Field(default_factory=utcnow)


def reviews_for(engine: Engine, product_id: str, *, limit: int = 500) -> list[Review]:
    """Return a product's reviews, newest first (at most ``limit``)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Review)
            .where(Review.product_id == product_id)
            .order_by(col(Review.created_at).desc(), col(Review.id))
            .limit(limit)
        )
        return list(rows)


def reviewed_product_ids(engine: Engine) -> list[str]:
    """Return the ids of every product that has at least one review, sorted."""
    with Session(engine) as session:
        rows = session.exec(select(Review.product_id).distinct().order_by(col(Review.product_id)))
        return [str(r) for r in rows]
