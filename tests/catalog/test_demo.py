from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlmodel import Session, func, select

from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.db import has_catalog, make_engine
from catalog.demo import generate_store
from catalog.importer import load_store_dict
from catalog.models import Order, OrderItem, PaymentMethod, Product, User, Variant


def test_default_demo_store_has_2000_products_in_10_plus_categories() -> None:
    store = generate_store(DemoStoreSettings(), progress=False)
    products = store["products"]
    assert len(products) == 2000
    categories = Counter(p["category"] for p in products.values())
    assert len(categories) >= 10
    assert min(categories.values()) >= 50
    names = [p["name"] for p in products.values()]
    assert len(set(names)) == len(names), "product names must be unique"
    for p in list(products.values())[:50]:
        assert p["variants"], "every product has variants"
        assert p["attributes"]["features"]
        assert p["description"]
        for v in p["variants"].values():
            assert v["price"] > 0
            assert set(v["options"])


def test_generator_is_deterministic_and_seed_sensitive() -> None:
    a = generate_store(DemoStoreSettings(products=60, users=10), progress=False)
    b = generate_store(DemoStoreSettings(products=60, users=10), progress=False)
    c = generate_store(DemoStoreSettings(products=60, users=10, seed=8), progress=False)
    assert a == b
    assert a != c


def test_orders_reference_real_users_variants_and_payment_methods() -> None:
    store = generate_store(DemoStoreSettings(products=80, users=30), progress=False)
    variants = {vid for p in store["products"].values() for vid in p["variants"]}
    assert store["orders"]
    for order in store["orders"].values():
        user = store["users"][order["user_id"]]
        assert order["order_id"] in user["orders"]
        for item in order["items"]:
            assert item["item_id"] in variants
        for tx in order["payment_history"]:
            assert tx["payment_method_id"] in user["payment_methods"]
        paid = sum(
            t["amount"] for t in order["payment_history"] if t["transaction_type"] == "payment"
        )
        assert abs(paid - sum(i["price"] for i in order["items"])) < 0.01


def test_load_into_sqlite_counts_match(tmp_path: Path) -> None:
    store = generate_store(DemoStoreSettings(products=50, users=20), progress=False)
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/s.db"))
    assert not has_catalog(engine)
    load_store_dict(engine, store, progress=False)
    assert has_catalog(engine)
    with Session(engine) as s:
        count = lambda model: s.exec(select(func.count()).select_from(model)).one()  # noqa: E731
        assert count(Product) == 50
        assert count(Variant) == sum(len(p["variants"]) for p in store["products"].values())
        assert count(User) == 20
        assert count(PaymentMethod) == sum(
            len(u["payment_methods"]) for u in store["users"].values()
        )
        assert count(Order) == len(store["orders"])
        assert count(OrderItem) == sum(len(o["items"]) for o in store["orders"].values())
