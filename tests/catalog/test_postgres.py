"""The same store, search filters and conversation memory on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from assistant.conversations import ConversationStore
from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.db import create_schema, has_catalog, make_engine
from catalog.demo import generate_store
from catalog.importer import import_store_file, load_store_dict
from catalog.models import Order, Product, Variant
from retrieval.filters import SearchFilters, matching_variants
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.postgres


def test_demo_store_filters_and_conversations_on_postgres(postgres_url: str) -> None:
    engine = make_engine(DatabaseSettings(url=postgres_url))
    create_schema(engine)
    assert not has_catalog(engine)
    store = generate_store(DemoStoreSettings(products=120, users=20), progress=False)
    load_store_dict(engine, store, progress=False)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Product)).one() == 120
        assert s.exec(select(func.count()).select_from(Order)).one() == len(store["orders"])
    cheap = min(
        (v for p in store["products"].values() for v in p["variants"].values() if v["available"]),
        key=lambda v: v["price"],
    )
    owner = next(p for p in store["products"].values() if cheap["item_id"] in p["variants"])
    filters = SearchFilters(
        max_price=cheap["price"] + 30, in_stock=True, category=owner["category"].upper()
    )
    found = matching_variants(engine, filters)
    assert owner["product_id"] in found
    for variants in found.values():
        assert all(v.available and v.price <= 60 for v in variants)
    # reloading replaces, never duplicates
    load_store_dict(engine, store, progress=False)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Variant)).one() == sum(
            len(p["variants"]) for p in store["products"].values()
        )

    convs = ConversationStore(engine)
    conv = convs.ensure(None)
    convs.append(conv.id, "user", "hello", cards=[{"id": "1", "price": 2.5}])
    convs.append(conv.id, "assistant", "hi")
    assert [(m.role, m.cards) for m in convs.messages(conv.id)] == [
        ("user", [{"id": "1", "price": 2.5}]),
        ("assistant", []),
    ]
    engine.dispose()


@pytest.mark.skipif(
    not (SHARED_DATA / "tau2_retail" / "db.json").is_file(), reason="shared tau2 data not present"
)
def test_tau2_import_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=postgres_url))
    import_store_file(engine, SHARED_DATA / "tau2_retail", progress=False)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 1000
    engine.dispose()
