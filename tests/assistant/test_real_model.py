"""Checks with the real embedded Qwen model (slow; run with ``-m real_model``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from assistant.agent import ShoppingAgent
from assistant.bootstrap import AppServices, start_llm
from assistant.chat_service import ChatService
from assistant.llm.client import ChatModel
from assistant.llm.local_server import EmbeddedLlamaServer
from catalog.models import Order, User
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from evals.routing import default_cases, evaluate, report
from tests.conftest import make_settings
from tools.default_registry import default_registry
from tools.deps import Deps

pytestmark = pytest.mark.real_model
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatModel]:
    settings = make_settings(tmp_path_factory.mktemp("real"))
    settings.llm.models_dir = str(REPO / "var" / "models")
    settings.llm.temperature = 0.0
    llm, server = start_llm(settings, progress=False)
    assert isinstance(server, EmbeddedLlamaServer)
    yield llm
    server.stop()


async def test_routing_on_10_fixed_messages(real_llm: ChatModel) -> None:
    agent = ShoppingAgent(
        real_llm, default_registry(), store_name="Northwind Outfitters", max_steps=4
    )
    outcomes = await evaluate(agent, default_cases())
    summary = report(outcomes)
    for o in outcomes:
        print(
            f"{'OK ' if o.ok else 'BAD'} {o.seconds:5.1f}s {o.message!r}: "
            f"expected {o.expect}, got {o.got} ({o.kind})"
        )
    assert summary["correct"] >= 9, summary


async def test_real_model_answers_healthcheck(real_llm: ChatModel) -> None:
    await real_llm.ping()


async def test_order_cancellation_flow_with_the_real_model(
    real_llm: ChatModel, shared_services: AppServices
) -> None:
    """Authenticate → propose → "yes" → executed, with Qwen 1.5B choosing every tool."""
    engine = shared_services.engine
    with Session(engine) as s:
        order = s.exec(
            select(Order).where(col(Order.status) == "pending").order_by(col(Order.id))
        ).first()
        assert order is not None
        email = s.get(User, order.user_id).email  # type: ignore[union-attr]
    agent = ShoppingAgent(
        real_llm, default_registry(), store_name="Northwind Outfitters", max_steps=4
    )
    # The tau2 identity policy (email), as in the replayed benchmark tasks.
    deps = Deps(
        engine=engine,
        searcher=shared_services.deps.searcher,
        orders=OrderService(engine, identity="tau2"),
        llm=real_llm,
    )
    chat = ChatService(agent, deps, shared_services.conversations, shared_services.settings.agent)
    first = await chat.run_turn(
        None,
        f"Hi, I want to cancel my order {order.id} because I no longer need it. "
        f"My email is {email}",
    )
    print("turn 1:", first.tools_used, first.reply)
    with Session(engine) as s:
        assert s.get(Order, order.id).status == "pending"  # type: ignore[union-attr]
    assert first.reply.startswith(f"Please confirm: Cancel order {order.id}")
    second = await chat.run_turn(first.conversation_id, "yes")
    print("turn 2:", second.tools_used, second.reply)
    assert second.tools_used == ["confirm_action"]
    with Session(engine) as s:
        assert s.get(Order, order.id).status == "cancelled"  # type: ignore[union-attr]
        audit = s.exec(
            select(AuditLog).where(col(AuditLog.conversation_id) == first.conversation_id)
        ).all()
    assert [a.action for a in audit] == ["cancel_pending_order"]
