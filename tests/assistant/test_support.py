"""Escalation and takeover through the chat service: who answers, what is stored, what the
console hears (scripted model, real store copy, in-process bus)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.bootstrap import AppServices
from assistant.support import CONSOLE, shopper_topic
from catalog.bus import Subscription
from evals.stores import EvalStore
from tests.console_kit import add_staff, flows_services


@pytest.fixture()
def shop(eval_store: EvalStore, tmp_path: Path) -> Iterator[AppServices]:
    services = flows_services(eval_store, tmp_path)
    yield services
    services.engine.dispose()


async def _drain(sub: Subscription) -> list[tuple[str, dict[str, object]]]:
    out = []
    while not sub.queue.empty():
        e = await sub.get()
        out.append((e.kind, e.data))
    return out


async def test_pain_in_a_product_request_is_no_fury_at_the_shop(shop: AppServices) -> None:
    # VADER and the frustration model both read this as furious; it asks for a lamp
    text = "ugh my eyes are killing me at night, the ceiling light is awful. need a desk lamp"
    mood = await shop.chat.moods.read(text)
    r = await shop.chat.run_turn(None, text)
    assert r.handoff is None and r.tools_used != ["transfer_to_human_agents"], r.reply
    if mood.frustrated:  # it stays with the bot, which says sorry and offers a person
        assert "search_catalog" in r.tools_used, r.reply


async def test_an_upset_shopper_goes_to_a_person_without_the_model(shop: AppServices) -> None:
    console = shop.chat.support.bus.subscribe(CONSOLE)
    r = await shop.chat.run_turn(None, "This is ridiculous, terrible service, I am furious!!")
    assert r.handoff == "waiting_for_agent" and "person from our team" in r.reply
    assert r.tools_used == ["transfer_to_human_agents"]  # logged like any transfer
    conv = shop.chat.support.handoffs.state(r.conversation_id)
    assert conv.status == "waiting_for_agent" and conv.handoff_reason == "upset"
    assert conv.sentiment is not None and conv.sentiment <= -0.6
    events = await _drain(console)
    assert ("state", "waiting_for_agent") in [(k, d.get("state")) for k, d in events]
    assert any(k == "message" and d["role"] == "user" for k, d in events)


async def test_while_a_person_has_the_chat_the_bot_is_silent(shop: AppServices) -> None:
    alex = add_staff(shop.engine, "alex@shop.example", name="Alex")
    first = await shop.chat.run_turn(None, "hello")  # greeting: code, no model
    cid = first.conversation_id
    widget = shop.chat.support.bus.subscribe(shopper_topic(cid))
    await shop.chat.support.take(cid, alex)  # the agent decides to take a bot chat
    assert [k for k, _ in await _drain(widget)] == ["handoff"]
    r = await shop.chat.run_turn(cid, "do you have rain jackets?")
    assert r.reply == "" and r.handoff == "with_agent" and not r.tools_used
    await shop.chat.support.agent_typing(cid, alex, True)
    assert await _drain(widget) == [("typing", {"on": True, "name": "Alex"})]
    await shop.chat.support.reply(cid, alex, "We do, let me show you.")
    kinds = await _drain(widget)
    assert kinds == [
        (
            "agent_message",
            {
                "message_id": kinds[0][1]["message_id"],
                "text": "We do, let me show you.",
                "name": "Alex",
            },
        )
    ]
    roles = [m.role for m in shop.conversations.messages(cid, roles=("user", "assistant", "agent"))]
    assert roles == ["user", "assistant", "user", "agent"]
    await shop.chat.support.close(cid, alex, "resolved")
    r = await shop.chat.run_turn(cid, "hello")  # after close the bot answers again
    assert "Hi" in r.reply and shop.chat.support.handoffs.state(cid).status == "bot"
    await asyncio.sleep(0)
