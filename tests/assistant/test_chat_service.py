from __future__ import annotations

from typing import Any

import pytest

from assistant.bootstrap import AppServices
from assistant.errors import LLMUnavailableError, MessageRejectedError
from tests.fakes import FakeLLM

SEARCH = '{"tool": "search_catalog", "args": {"query": "rain jacket"}}'


async def test_turns_are_persisted_with_cards_and_history_is_replayed(
    services: AppServices, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue(SEARCH, "Here are rain jackets.", "The first one is cheapest.")
    first = await services.chat.run_turn(None, "rain jacket please")
    assert first.cards and first.tools_used == ["search_catalog"]
    second = await services.chat.run_turn(first.conversation_id, "which is cheapest?")
    # the second turn's prompt carries the first turn, including the tool step
    prompt = fake_llm.calls[-1]
    roles = [m["role"] for m in prompt]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user"]
    assert prompt[3]["content"].startswith('<tool_result tool="search_catalog"')
    visible = services.conversations.messages(first.conversation_id)
    assert [(m.role, m.content) for m in visible] == [
        ("user", "rain jacket please"),
        ("assistant", "Here are rain jackets."),
        ("user", "which is cheapest?"),
        ("assistant", "The first one is cheapest."),
    ]
    assert visible[1].cards == first.cards
    assert visible[1].message_id == first.message_id
    assert second.total_seconds >= second.llm_seconds >= 0


@pytest.mark.parametrize(
    "text, why",
    [("", "empty"), ("   \n", "empty"), ("x" * 4001, "limit is 4000"), (None, "string")],
)
async def test_bad_messages_are_rejected_before_anything_runs(
    services: AppServices, fake_llm: FakeLLM, text: object, why: str
) -> None:
    with pytest.raises(MessageRejectedError, match=why):
        await services.chat.run_turn(None, text)
    assert fake_llm.calls == []


async def test_llm_failure_keeps_the_shoppers_message(
    services: AppServices, fake_llm: FakeLLM
) -> None:
    conv = services.conversations.ensure(None)
    fake_llm.enqueue(LLMUnavailableError("connection refused"))
    with pytest.raises(LLMUnavailableError):
        await services.chat.run_turn(conv.id, "are you there?")
    stored = services.conversations.messages(conv.id)
    assert [(m.role, m.content) for m in stored] == [("user", "are you there?")]


async def test_exactly_4000_characters_is_accepted(
    services: AppServices, fake_llm: FakeLLM
) -> None:
    fake_llm.enqueue("ok")
    result = await services.chat.run_turn(None, "y" * 4000)
    assert result.reply == "ok"


async def test_a_plain_turn_takes_two_store_thread_hops_and_stores_language_and_mood(
    services: AppServices, fake_llm: FakeLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database work of a turn runs off the event loop, in two hops on the store's own
    thread: before the model (conversation, replay check, proposals, history, the
    shopper's message with language and mood) and after it (the reply). Nothing of the
    turn goes to the loop's default thread pool (LangGraph sends plain-function routers
    there). More hops, or hops queued in a shared pool, cost time under load
    (bench/load.py)."""
    import asyncio
    import threading

    hops: list[str] = []
    threads: set[str] = set()
    real = services.chat.hops.threads.run  # type: ignore[attr-defined]

    async def counting(func: Any, /, *args: object, **kwargs: object) -> object:
        hops.append(func.__name__)

        def on_thread(*a: object, **k: object) -> object:
            threads.add(threading.current_thread().name)
            return func(*a, **k)

        return await real(on_thread, *args, **kwargs)

    monkeypatch.setattr(services.chat.hops.threads, "run", counting)  # type: ignore[attr-defined]
    loop = asyncio.get_running_loop()
    default_pool: list[object] = []
    real_executor = loop.run_in_executor

    def spy(executor: Any, func: Any, *args: Any) -> Any:
        if executor is None:
            default_pool.append(func)
        return real_executor(executor, func, *args)

    monkeypatch.setattr(loop, "run_in_executor", spy)
    fake_llm.enqueue("Hallo! Wie kann ich helfen?")
    result = await services.chat.run_turn(None, "Guten Tag, ich suche eine schöne Lampe")
    assert hops == ["open", "finish"]
    assert default_pool == []
    assert len(threads) == 1 and threads.pop().startswith("shop-store")
    head = services.conversations.head(result.conversation_id)
    assert head.lang == "de"
    stored = services.conversations.messages(result.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"]
    fake_llm.enqueue("Glad to help!")
    hops.clear()
    await services.chat.run_turn(result.conversation_id, "Thanks, this lamp looks great!")
    assert hops == ["open", "finish"]
    conv = services.conversations.get(result.conversation_id)
    assert conv.lang == "en" and conv.sentiment is not None and conv.sentiment > 0.5
