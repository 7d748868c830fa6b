"""Money invariants over random sequences of allowed actions on random orders (hypothesis).

Per order, refunds never exceed what was paid; a gift card's balance changes by exactly
the net of the payments from it and refunds to it; every executed action has one audit row.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.errors import ShopError
from catalog.importer import load_store_dict
from catalog.models import PaymentMethod, PaymentTransaction
from catalog.orders.actions import CANCEL_REASONS, outstanding_by_method
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from tests.catalog.order_store import order_store

ANN_METHODS = ["credit_card_1", "gift_card_1", "paypal_1"]
VARIANTS = {"100": ["1101", "1102", "1103"], "200": ["2201", "2202"]}
PRICES = {"1101": 50.0, "1102": 55.0, "1103": 60.0, "2201": 20.0, "2202": 30.0}
ADDR = {"address1": "2 Oak", "city": "Reno", "state": "NV", "country": "USA", "zip": "89501"}


def _random_store(items: list[str], method: str, status: str, balance: float) -> dict[str, Any]:
    store = order_store()
    product = {v: p for p, vs in VARIANTS.items() for v in vs}
    lines = [
        {
            "name": "x",
            "product_id": product[v],
            "item_id": v,
            "price": PRICES[v],
            "options": store["products"][product[v]]["variants"][v]["options"],
        }
        for v in items
    ]
    total = round(sum(PRICES[v] for v in items), 2)
    store["orders"]["#W9"] = {
        "order_id": "#W9",
        "user_id": "ann_lee_1",
        "address": ADDR,
        "items": lines,
        "status": status,
        "fulfillments": [],
        "payment_history": [
            {"transaction_type": "payment", "amount": total, "payment_method_id": method}
        ],
    }
    store["users"]["ann_lee_1"]["orders"].append("#W9")
    store["users"]["ann_lee_1"]["payment_methods"]["gift_card_1"]["balance"] = balance
    return store


action = st.one_of(
    st.tuples(st.just("cancel_pending_order"), st.sampled_from(CANCEL_REASONS)),
    st.tuples(st.just("modify_pending_order_payment"), st.sampled_from(ANN_METHODS)),
    st.tuples(
        st.just("modify_pending_order_items"),
        st.sampled_from(["1101", "1102", "1103", "2201", "2202"]),
        st.sampled_from(ANN_METHODS),
    ),
    st.tuples(st.just("modify_pending_order_address"), st.just("")),
    st.tuples(st.just("return_delivered_order_items"), st.sampled_from(ANN_METHODS)),
    st.tuples(
        st.just("exchange_delivered_order_items"),
        st.sampled_from(["1101", "1102", "2201", "2202"]),
        st.sampled_from(ANN_METHODS),
    ),
)


def _args(step: tuple[Any, ...], order_id: str, items: list[str]) -> tuple[str, dict[str, Any]]:
    kind = step[0]
    if kind == "cancel_pending_order":
        return kind, {"order_id": order_id, "reason": step[1]}
    if kind == "modify_pending_order_payment":
        return kind, {"order_id": order_id, "payment_method_id": step[1]}
    if kind in ("modify_pending_order_items", "exchange_delivered_order_items"):
        new = step[1]
        old = next((v for v in items if v[:2] == new[:2] and v != new), items[0])
        return kind, {
            "order_id": order_id,
            "item_ids": [old],
            "new_item_ids": [new],
            "payment_method_id": step[2],
        }
    if kind == "modify_pending_order_address":
        return kind, {"order_id": order_id, **ADDR}
    return kind, {"order_id": order_id, "item_ids": [items[0]], "payment_method_id": step[1]}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("money")


def _engine(folder: Path, store: dict[str, Any], n: int) -> Engine:
    path = folder / f"money-{n}.db"
    path.unlink(missing_ok=True)
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{path}"))
    create_schema(engine)
    load_store_dict(engine, store, progress=False)
    return engine


def _gift_balance(engine: Engine) -> float:
    with Session(engine) as session:
        method = session.get(PaymentMethod, "gift_card_1")
        assert method is not None
        return float(method.balance or 0.0)


def _txs(engine: Engine, order_id: str) -> list[PaymentTransaction]:
    with Session(engine) as session:
        stmt = (
            select(PaymentTransaction)
            .where(col(PaymentTransaction.order_id) == order_id)
            .order_by(col(PaymentTransaction.position))
        )
        return list(session.exec(stmt).all())


COUNTER = {"n": 0}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(st.sampled_from(["1101", "1102", "2201", "2202"]), min_size=1, max_size=3),
    method=st.sampled_from(ANN_METHODS),
    status=st.sampled_from(["pending", "delivered"]),
    balance=st.sampled_from([0.0, 2.0, 60.0, 500.0]),
    steps=st.lists(action, min_size=1, max_size=5),
)
def test_money_invariants_hold_for_any_sequence(
    template: Path,
    items: list[str],
    method: str,
    status: str,
    balance: float,
    steps: list[tuple[Any, ...]],
) -> None:
    COUNTER["n"] += 1
    engine = _engine(template, _random_store(items, method, status, balance), COUNTER["n"])
    svc = OrderService(engine, identity="tau2", check_typed=False)
    svc.authenticate_email("c-ann", "ann@example.com")
    before_balance = _gift_balance(engine)
    before_txs = len(_txs(engine, "#W9"))
    executed = 0
    for turn, step in enumerate(steps):
        kind, args = _args(step, "#W9", items)
        try:
            proposal = svc.propose("c-ann", "ann_lee_1", kind, args, turn_id=f"p{turn}")
            svc.confirm("c-ann", "ann_lee_1", proposal.token, turn_id=f"c{turn}")
        except ShopError:
            continue
        executed += 1
        if kind in ("modify_pending_order_items", "exchange_delivered_order_items"):
            items = [args["new_item_ids"][0] if v == args["item_ids"][0] else v for v in items]
    txs = _txs(engine, "#W9")
    paid = sum(t.amount for t in txs if t.transaction_type == "payment")
    refunded = sum(t.amount for t in txs if t.transaction_type == "refund")
    assert refunded <= paid + 0.005, (steps, [(t.transaction_type, t.amount) for t in txs])
    net: dict[str, float] = defaultdict(float)
    for t in txs[before_txs:]:
        sign = 1 if t.transaction_type == "refund" else -1
        net[t.payment_method_id] += sign * t.amount
    assert _gift_balance(engine) == pytest.approx(before_balance + net["gift_card_1"], abs=0.005)
    with Session(engine) as session:
        audits = session.exec(select(AuditLog)).all()
    assert len(audits) == executed
    engine.dispose()


def test_payment_change_then_cancel_refunds_once(tmp_path: Path) -> None:
    """The reported sequences: card→PayPal then cancel; gift card→card then cancel."""
    for first, second in (("credit_card_1", "paypal_1"), ("gift_card_1", "credit_card_1")):
        engine = _engine(tmp_path, _random_store(["1101"], first, "pending", 500.0), 0)
        svc = OrderService(engine, identity="tau2", check_typed=False)
        svc.authenticate_email("c", "ann@example.com")
        start = _gift_balance(engine)
        for i, (kind, args) in enumerate(
            (
                ("modify_pending_order_payment", {"order_id": "#W9", "payment_method_id": second}),
                ("cancel_pending_order", {"order_id": "#W9", "reason": "no longer needed"}),
            )
        ):
            p = svc.propose("c", "ann_lee_1", kind, args, turn_id=f"p{i}")
            svc.confirm("c", "ann_lee_1", p.token, turn_id=f"c{i}")
        txs = _txs(engine, "#W9")
        refunds = [(t.payment_method_id, t.amount) for t in txs if t.transaction_type == "refund"]
        assert refunds == [(first, 50.0), (second, 50.0)]
        # a gift card that paid the order gets its 50 back once, not twice
        assert _gift_balance(engine) == pytest.approx(start + (50 if first == "gift_card_1" else 0))
        engine.dispose()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_outstanding_never_exceeds_net_paid() -> None:
    def tx(kind: str, amount: float, method: str) -> PaymentTransaction:
        return PaymentTransaction(
            order_id="#W",
            position=0,
            transaction_type=kind,
            amount=amount,
            payment_method_id=method,
        )

    assert outstanding_by_method([tx("payment", 10, "a"), tx("payment", 5, "b")]) == [
        ("a", 10),
        ("b", 5),
    ]
    # paid 10 by a, refunded 3 to b (a price drop settled on another method): 7 is owed
    assert outstanding_by_method([tx("payment", 10, "a"), tx("refund", 3, "b")]) == [("a", 7)]
    assert outstanding_by_method([tx("payment", 10, "a"), tx("refund", 10, "a")]) == []
