"""Two simultaneous confirmations of one refund: exactly one refund row, one audit row."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.importer import load_store_dict
from catalog.models import PaymentMethod, PaymentTransaction
from catalog.orders.confirmations import Execution
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from tests.catalog.order_store import order_store


def _race(engine: Engine, order_id: str, rounds_tag: str) -> list[Execution]:
    svc = OrderService(engine, identity="tau2", check_typed=False)
    conv = f"c-{rounds_tag}"
    svc.authenticate_email(conv, "ann@example.com")
    proposal = svc.propose(
        conv,
        "ann_lee_1",
        "cancel_pending_order",
        {"order_id": order_id, "reason": "no longer needed"},
        turn_id="p",
    )
    barrier = threading.Barrier(2)
    results: list[Execution] = []
    errors: list[BaseException] = []

    def confirm() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(
                OrderService(engine, identity="tau2", check_typed=False).confirm(
                    conv, "ann_lee_1", proposal.token, turn_id="yes"
                )
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def _check(engine: Engine) -> None:
    for n, order_id in enumerate(("#W1", "#W7")):
        results = _race(engine, order_id, str(n))
        assert len(results) == 2
        assert sorted(r.replayed for r in results) == [False, True]
        assert results[0].result == results[1].result
        with Session(engine) as s:
            refunds = s.exec(
                select(func.count())
                .select_from(PaymentTransaction)
                .where(col(PaymentTransaction.order_id) == order_id)
                .where(col(PaymentTransaction.transaction_type) == "refund")
            ).one()
            audits = s.exec(
                select(func.count())
                .select_from(AuditLog)
                .where(col(AuditLog.args)["order_id"].as_string() == order_id)
            ).one()
        assert refunds == 1
        assert audits == 1
    with Session(engine) as s:
        # #W7 was paid by gift card: credited exactly once
        assert s.get(PaymentMethod, "gift_card_1").balance == 22.0  # type: ignore[union-attr]


def test_concurrent_confirmations_sqlite(tmp_path: Path) -> None:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/race.db"))
    create_schema(engine)
    load_store_dict(engine, order_store(), progress=False)
    _check(engine)


@pytest.mark.postgres
def test_concurrent_confirmations_postgres(postgres_url: str) -> None:
    engine = make_engine(DatabaseSettings(url=postgres_url))
    create_schema(engine)
    load_store_dict(engine, order_store(), progress=False)
    _check(engine)
    engine.dispose()
