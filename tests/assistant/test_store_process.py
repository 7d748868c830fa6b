"""Turn hops in a real store process: same results as threads, typed errors, restarts."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore, new_id
from assistant.errors import MessageRejectedError, StoreProcessError
from assistant.store_process import ProcessHops, StoreProcessSpec
from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from tests.fakes import FakeLLM


def _spec(url: str) -> StoreProcessSpec:
    return StoreProcessSpec(
        database=DatabaseSettings(url=url), history_messages=12, upset_threshold=-0.6
    )


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/hops.db"
    create_schema(make_engine(DatabaseSettings(url=url)))
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def postgres_or_sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/turn.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


async def test_open_and_finish_run_in_a_child_and_commit(sqlite_url: str) -> None:
    hops = ProcessHops(_spec(sqlite_url))
    try:
        conv = new_id()
        opened = await hops.open(conv, "Guten Tag, ich suche eine schöne Lampe", None)
        child = hops.children[0].pid
        assert child is not None and child != os.getpid()
        assert opened.head.id == conv and opened.lang == "de" and opened.history == []
        await hops.finish(conv, [], "Hallo!", "reply-1", [{"id": "P1"}])
        again = await hops.open(conv, "und noch eine Frage zu der Lampe bitte", None)
        assert [(m.role, m.content) for m in again.history or []] == [
            ("user", "Guten Tag, ich suche eine schöne Lampe"),
            ("assistant", "Hallo!"),
        ]
    finally:
        await hops.aclose()
    # committed: this process reads what the child wrote
    stored = ConversationStore(make_engine(DatabaseSettings(url=sqlite_url))).messages(conv)
    assert [m.role for m in stored] == ["user", "assistant", "user"]
    assert stored[1].cards == [{"id": "P1"}]


async def test_a_rule_error_in_the_child_keeps_its_type(sqlite_url: str) -> None:
    hops = ProcessHops(_spec(sqlite_url))
    try:
        conv = new_id()
        await hops.open(conv, "hello there, I need a lamp", None)
        await hops.finish(conv, [], "Sure.", "used-id", [])
        # the same message id from another conversation is refused, as with threads
        with pytest.raises(MessageRejectedError, match="already used"):
            await hops.open(new_id(), "hello again from elsewhere", "used-id")
        replay = await hops.open(conv, "hello there, I need a lamp", "used-id")
        assert replay.replay is not None and replay.replay.reply == "Sure."
    finally:
        await hops.aclose()


async def test_a_killed_child_fails_calls_in_flight_then_a_new_one_starts(
    sqlite_url: str,
) -> None:
    hops = ProcessHops(_spec(sqlite_url))
    try:
        conv = new_id()
        await hops.open(conv, "hello there, I need a lamp", None)
        first = hops.children[0].pid
        assert first is not None
        os.kill(first, signal.SIGSTOP)  # hold it mid-call, then kill it
        call = asyncio.ensure_future(hops.finish(conv, [], "Sure.", "r-1", []))
        await asyncio.sleep(0.1)
        os.kill(first, signal.SIGKILL)
        with pytest.raises(StoreProcessError, match="ended"):
            await asyncio.wait_for(call, 10)
        again = await hops.open(conv, "are you still there?", None)
        second = hops.children[0].pid
        assert second is not None and second != first
        assert [m.role for m in again.history or []] == ["user"]  # the lost reply: not half-stored
    finally:
        await hops.aclose()


async def test_two_children_share_the_calls(sqlite_url: str) -> None:
    hops = ProcessHops(_spec(sqlite_url), processes=2)
    try:
        convs = [new_id() for _ in range(8)]
        await asyncio.gather(*(hops.open(c, "hello there, I need a lamp", None) for c in convs))
        assert all(child.pid is not None for child in hops.children)
        assert len({child.pid for child in hops.children}) == 2
    finally:
        await hops.aclose()
    assert all(child.pid is None for child in hops.children)


def test_an_in_memory_database_cannot_use_a_store_process() -> None:
    for url in ("sqlite://", "sqlite:///:memory:"):
        with pytest.raises(StoreProcessError, match="in-memory"):
            ProcessHops(_spec(url))


async def test_a_chat_turn_through_a_store_process(
    services: AppServices, fake_llm: FakeLLM, postgres_or_sqlite_url: str
) -> None:
    """A whole turn (message stored before the model, reply after) with process hops."""
    engine = make_engine(DatabaseSettings(url=postgres_or_sqlite_url))
    create_schema(engine)
    conversations = ConversationStore(engine)
    hops = ProcessHops(_spec(postgres_or_sqlite_url))
    chat = ChatService(
        services.chat.agent, services.deps, conversations, services.settings.agent, hops=hops
    )
    try:
        fake_llm.enqueue("Hello! What are you looking for?")
        result = await chat.run_turn(None, "Hi, I am looking for a tent")
        assert result.reply == "Hello! What are you looking for?"
        stored = conversations.messages(result.conversation_id)
        assert [(m.role, m.content) for m in stored] == [
            ("user", "Hi, I am looking for a tent"),
            ("assistant", "Hello! What are you looking for?"),
        ]
    finally:
        await chat.aclose()
        engine.dispose()


def test_warm_up_loads_the_language_identifier() -> None:
    """What a store process does before its first hop: the identifier is loaded after it."""
    from assistant.flows.understand import _identifier
    from assistant.turn_store import TurnStore

    _identifier.cache_clear()
    assert _identifier.cache_info().currsize == 0
    TurnStore.warm_up()
    assert _identifier.cache_info().currsize == 1
