from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from catalog.config import DatabaseSettings
from catalog.db import make_engine
from catalog.errors import DataImportError
from catalog.importer import import_store_file, load_store_dict
from catalog.models import Order, PaymentMethod, PaymentTransaction, Product, User, Variant
from tests.conftest import SHARED_DATA

TINY = {
    "products": {
        "111": {
            "name": "T-Shirt",
            "product_id": "111",
            "variants": {
                "9001": {
                    "item_id": "9001",
                    "options": {"color": "blue", "size": "M"},
                    "available": True,
                    "price": 50.88,
                },
                "9002": {
                    "item_id": "9002",
                    "options": {"color": "red", "size": "L"},
                    "available": False,
                    "price": 46.85,
                },
            },
        },
    },
    "users": {
        "ann_lee_1": {
            "user_id": "ann_lee_1",
            "name": {"first_name": "Ann", "last_name": "Lee"},
            "address": {
                "address1": "1 Main",
                "address2": "",
                "city": "Austin",
                "country": "USA",
                "state": "TX",
                "zip": "78701",
            },
            "email": "ann@example.com",
            "payment_methods": {
                "gift_card_1": {"source": "gift_card", "id": "gift_card_1", "balance": 20}
            },
            "orders": ["#W1"],
        },
    },
    "orders": {
        "#W1": {
            "order_id": "#W1",
            "user_id": "ann_lee_1",
            "address": {"zip": "78701"},
            "items": [
                {
                    "name": "T-Shirt",
                    "product_id": "111",
                    "item_id": "9001",
                    "price": 50.88,
                    "options": {"color": "blue", "size": "M"},
                }
            ],
            "status": "pending",
            "fulfillments": [],
            "payment_history": [
                {"transaction_type": "payment", "amount": 50.88, "payment_method_id": "gift_card_1"}
            ],
        },
    },
}


def _engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/s.db"))


def test_tiny_tau2_document_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_text(json.dumps(TINY))
    engine = _engine(tmp_path)
    import_store_file(engine, tmp_path, progress=False)
    with Session(engine) as s:
        product = s.get(Product, "111")
        assert product is not None and product.name == "T-Shirt"
        assert "color: blue, red" in product.description
        assert s.get(Variant, "9002").available is False  # type: ignore[union-attr]
        assert s.get(User, "ann_lee_1").zip == "78701"  # type: ignore[union-attr]
        assert s.get(PaymentMethod, "gift_card_1").balance == 20.0  # type: ignore[union-attr]
        assert s.get(Order, "#W1").status == "pending"  # type: ignore[union-attr]
        txs = s.exec(select(PaymentTransaction)).all()
        assert [(t.transaction_type, t.amount) for t in txs] == [("payment", 50.88)]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("not json", "not readable JSON"),
        ("[]", "must be a JSON object"),
        (json.dumps({"products": {}, "users": {}}), "must be a JSON object"),
    ],
)
def test_malformed_files_give_clear_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "db.json"
    path.write_text(content)
    with pytest.raises(DataImportError, match=fragment):
        import_store_file(_engine(tmp_path), path, progress=False)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(DataImportError, match="not found"):
        import_store_file(_engine(tmp_path), tmp_path / "nope.json", progress=False)


def test_bad_row_leaves_existing_store_untouched(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    load_store_dict(engine, TINY, progress=False)
    broken = json.loads(json.dumps(TINY))
    del broken["users"]["ann_lee_1"]["email"]
    with pytest.raises(DataImportError, match="ann_lee_1"):
        load_store_dict(engine, broken, progress=False)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(User)).one() == 1


@pytest.mark.skipif(
    not (SHARED_DATA / "tau2_retail" / "db.json").is_file(), reason="shared tau2 data not present"
)
def test_real_tau2_store_imports_completely(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    import_store_file(engine, SHARED_DATA / "tau2_retail", progress=False)
    with Session(engine) as s:
        count = lambda model: s.exec(select(func.count()).select_from(model)).one()  # noqa: E731
        assert count(Product) == 50
        assert count(Variant) == 591
        assert count(User) == 500
        assert count(Order) == 1000
