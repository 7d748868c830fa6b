"""``shopassist search``: the chat's search from the command line, checked against the store."""

from __future__ import annotations

from sqlmodel import Session, col, select

from assistant.bootstrap import AppServices
from assistant.catalog_search import search
from catalog.models import Variant


async def test_words_with_a_budget_find_that_type_within_it(shared_services: AppServices) -> None:
    rows = await search(shared_services.deps, "hiking boots under 120", limit=5)
    assert rows and [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert {r.type for r in rows} == {"Hiking Boots"}
    with Session(shared_services.engine) as s:
        for r in rows:
            prices = s.exec(select(Variant.price).where(col(Variant.product_id) == r.id)).all()
            assert min(prices) <= 120


async def test_the_max_price_option_wins_over_no_budget(shared_services: AppServices) -> None:
    rows = await search(shared_services.deps, "rain jacket", max_price=60, limit=3)
    assert len(rows) <= 3 and all(r.price <= 60 for r in rows)
