"""Scripted conversations through the real agent loop: authenticate → look up → propose → yes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from assistant.agent import ShoppingAgent
from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from catalog.config import DatabaseSettings
from catalog.conversations import Conversation
from catalog.db import create_schema, make_engine
from catalog.importer import load_store_dict
from catalog.models import Order
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from tests.catalog.order_store import order_store, store_hash
from tests.fakes import FakeLLM
from tools.default_registry import default_registry
from tools.deps import Deps


@pytest.fixture()
def chat(tmp_path: Path, shared_services: AppServices, fake_llm: FakeLLM) -> ChatService:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/conv.db"))
    create_schema(engine)
    load_store_dict(engine, order_store(), progress=False)
    deps = Deps(
        engine=engine,
        searcher=shared_services.deps.searcher,
        orders=OrderService(engine, identity="tau2"),
        llm=fake_llm,
    )
    agent = ShoppingAgent(fake_llm, default_registry(), store_name="Test", max_steps=5)
    return ChatService(agent, deps, ConversationStore(engine), shared_services.settings.agent)


def call(tool: str, **args: object) -> str:
    return json.dumps({"tool": tool, "args": args})


def token_from(messages: list[dict[str, str]]) -> str:
    for m in reversed(messages):
        found = re.search(r'"token":"([^"]+)"', m["content"])
        if found:
            return found.group(1)
    raise AssertionError("no proposal token in the prompt")


async def test_authenticate_lookup_propose_yes_executes(
    chat: ChatService, fake_llm: FakeLLM
) -> None:
    engine = chat.deps.engine
    fake_llm.enqueue(
        call("find_user_id_by_email", email="ann@example.com"),
        call("get_order_details", order_id="W7"),
        call("cancel_pending_order", order_id="#W7", reason="no longer needed"),
    )
    first = await chat.run_turn(
        None, "Cancel my order #W7, I no longer need it. My email is ann@example.com"
    )
    assert first.tools_used == [
        "find_user_id_by_email",
        "get_order_details",
        "cancel_pending_order",
    ]
    # the confirmation request is written by code from the proposal, not by the model
    assert fake_llm.pending == 0 and len(fake_llm.calls) == 3
    assert first.reply.startswith("Please confirm: Cancel order #W7; status: pending → cancelled")
    assert "refund of $20.00 via gift_card_1" in first.reply
    assert 'Reply "yes"' in first.reply
    with Session(engine) as s:
        assert s.get(Order, "#W7").status == "pending"  # type: ignore[union-attr]
        assert s.get(Conversation, first.conversation_id).user_id == "ann_lee_1"  # type: ignore[union-attr]

    fake_llm.enqueue(
        lambda msgs: call("confirm_action", token=token_from(msgs)), "Done: order #W7 is cancelled."
    )
    second = await chat.run_turn(first.conversation_id, "yes")
    assert second.tools_used == ["confirm_action"]
    assert fake_llm.calls[-1][-1]["content"].startswith('<tool_result tool="confirm_action"')
    with Session(engine) as s:
        assert s.get(Order, "#W7").status == "cancelled"  # type: ignore[union-attr]
        audit = s.exec(select(AuditLog)).all()
    assert [(a.action, a.conversation_id, a.user_id) for a in audit] == [
        ("cancel_pending_order", first.conversation_id, "ann_lee_1")
    ]


async def test_yes_without_a_pending_proposal_does_nothing(
    chat: ChatService, fake_llm: FakeLLM
) -> None:
    before = store_hash(chat.deps.engine)
    fake_llm.enqueue(call("find_user_id_by_email", email="ann@example.com"), "Hi Ann!")
    first = await chat.run_turn(None, "hi, I'm ann@example.com")
    fake_llm.enqueue(call("confirm_action", token="tok-made-up-by-the-model"))
    result = await chat.run_turn(first.conversation_id, "yes")
    # A terminal tool error ends the step: code, not the model, tells the customer why.
    assert result.reply.startswith("Sorry, I can't do that: unknown confirmation token")
    assert fake_llm.pending == 0
    assert store_hash(chat.deps.engine) == before


async def test_a_garbled_token_confirms_the_one_proposal_the_shopper_saw(
    chat: ChatService, fake_llm: FakeLLM
) -> None:
    # A small model may miscopy the opaque token; the shopper's yes can only mean the one
    # proposal shown to them, so that one is executed (still only after their yes).
    fake_llm.enqueue(
        call("find_user_id_by_email", email="ann@example.com"),
        call("cancel_pending_order", order_id="#W7", reason="no longer needed"),
    )
    first = await chat.run_turn(None, "cancel #W7 please, ann@example.com")
    assert first.reply.startswith("Please confirm: Cancel order #W7")
    fake_llm.enqueue(call("confirm_action", token="tok-garbled"), "Done.")
    second = await chat.run_turn(first.conversation_id, "yes")
    assert second.tools_used == ["confirm_action"]
    with Session(chat.deps.engine) as s:
        assert s.get(Order, "#W7").status == "cancelled"  # type: ignore[union-attr]


async def test_model_cannot_confirm_without_the_customers_yes(
    chat: ChatService, fake_llm: FakeLLM
) -> None:
    before = store_hash(chat.deps.engine)
    fake_llm.enqueue(
        call("find_user_id_by_email", email="ann@example.com"),
        call("cancel_pending_order", order_id="#W1", reason="ordered by mistake"),
    )
    first = await chat.run_turn(None, "ann@example.com here, cancel #W1 it was a mistake")
    fake_llm.enqueue(
        lambda msgs: call("confirm_action", token=token_from(msgs)), "Please reply yes to confirm."
    )
    await chat.run_turn(first.conversation_id, "hmm, how long does the refund take?")
    assert "the customer has not explicitly confirmed" in fake_llm.calls[-1][-1]["content"]
    assert store_hash(chat.deps.engine) == before


async def test_yes_in_the_same_turn_as_the_proposal_is_not_enough(
    chat: ChatService, fake_llm: FakeLLM
) -> None:
    before = store_hash(chat.deps.engine)
    fake_llm.enqueue(
        call("find_user_id_by_email", email="ann@example.com"),
        call("cancel_pending_order", order_id="#W1", reason="ordered by mistake"),
    )
    result = await chat.run_turn(None, "yes, ann@example.com")
    # a proposal always ends the turn with a confirmation request; nothing runs on this "yes"
    assert result.reply.startswith("Please confirm: Cancel order #W1")
    assert fake_llm.pending == 0
    assert store_hash(chat.deps.engine) == before


async def test_no_order_data_before_authentication(chat: ChatService, fake_llm: FakeLLM) -> None:
    before = store_hash(chat.deps.engine)
    fake_llm.enqueue(
        call("get_order_details", order_id="#W1"),
        call("cancel_pending_order", order_id="#W1", reason="no longer needed"),
        "I need your email first.",
    )
    result = await chat.run_turn(None, "what's in order #W1? cancel it")
    for m in fake_llm.calls[1][-1:] + fake_llm.calls[2][-1:]:
        assert "not verified" in m["content"]
        assert "T-Shirt" not in m["content"]
    assert result.reply == "I need your email first."
    assert store_hash(chat.deps.engine) == before


async def test_transfer_escalates_the_conversation(chat: ChatService, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue(
        call("transfer_to_human_agents", summary="wants a custom engraving"),
        "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.",
    )
    result = await chat.run_turn(None, "can you engrave my name on it?")
    with Session(chat.deps.engine) as s:
        assert s.get(Conversation, result.conversation_id).status == "waiting_for_agent"  # type: ignore[union-attr]
