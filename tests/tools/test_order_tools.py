from __future__ import annotations

from pathlib import Path

import pytest

from assistant.bootstrap import AppServices
from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.importer import load_store_dict
from catalog.orders.actions import WRITE_ACTIONS
from catalog.orders.service import OrderService
from tests.catalog.order_store import order_store
from tools.default_registry import default_registry
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ProposalOutput


@pytest.fixture()
def ctx(tmp_path: Path, shared_services: AppServices) -> RunContext[Deps]:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/t.db"))
    create_schema(engine)
    load_store_dict(engine, order_store(), progress=False)
    deps = Deps(
        engine=engine,
        searcher=shared_services.deps.searcher,
        orders=OrderService(engine, identity="tau2", check_typed=False),
    )
    return RunContext(deps=deps, conversation_id="c1", user_message="hi", turn_id="t1")


async def test_error_kinds(ctx: RunContext[Deps]) -> None:
    registry = default_registry()
    with pytest.raises(RetryableToolError, match="not verified"):
        await registry.invoke("get_order_details", {"order_id": "#W1"}, ctx)
    await registry.invoke(
        "find_user_id_by_name_zip", {"first_name": "ann", "last_name": "LEE", "zip": 78701}, ctx
    )
    with pytest.raises(RetryableToolError, match="not found"):
        await registry.invoke("get_order_details", {"order_id": "#W404"}, ctx)
    with pytest.raises(RetryableToolError, match="item_ids"):
        await registry.invoke(
            "return_delivered_order_items",
            {"order_id": "#W2", "payment_method_id": "paypal_1"},
            ctx,
        )
    with pytest.raises(TerminalToolError, match="only pending") as info:
        await registry.invoke(
            "cancel_pending_order", {"order_id": "W2", "reason": "no longer needed"}, ctx
        )
    assert info.value.code == "order_not_pending"


async def test_write_tools_only_propose(ctx: RunContext[Deps]) -> None:
    registry = default_registry()
    await registry.invoke("find_user_id_by_email", {"email": "ann@example.com"}, ctx)
    out = await registry.invoke(
        "return_delivered_order_items",
        {"order_id": "2", "item_ids": [1101], "payment_method_id": "paypal_1"},
        ctx,
    )
    assert isinstance(out, ProposalOutput)
    assert "Return items of order #W2" in out.summary and out.token
    order = await registry.invoke("get_order_details", {"order_id": "#W2"}, ctx)
    assert '"status":"delivered"' in order.for_llm()
    assert all(registry.get(n).approval for n in WRITE_ACTIONS)
