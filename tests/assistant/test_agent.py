from __future__ import annotations

import json

from assistant.agent import ShoppingAgent
from assistant.events import AgentEvent, CardsEvent, TokenEvent, ToolStatusEvent
from assistant.llm.client import NativeToolCall
from tests.fakes import FakeLLM
from tools.default_registry import default_registry
from tools.deps import Deps, RunContext

SEARCH = (
    '{"tool": "search_catalog", "args": {"query": "waterproof hiking boots", "max_price": 150}}'
)


def _agent(llm: FakeLLM, *, max_steps: int = 3, native: bool = False) -> ShoppingAgent:
    return ShoppingAgent(
        llm, default_registry(), store_name="Test Store", max_steps=max_steps, native_tools=native
    )


async def _run(agent: ShoppingAgent, deps: Deps, text: str) -> tuple[dict, list[AgentEvent]]:  # type: ignore[type-arg]
    events: list[AgentEvent] = []

    async def emit(e: AgentEvent) -> None:
        events.append(e)

    final = await agent.run(
        [], text, emit=emit, ctx=RunContext(deps=deps, conversation_id="c", user_message=text)
    )
    return dict(final), events


async def test_search_turn_calls_tool_then_streams_reply(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue(SEARCH, "Here are some boots under $150.")
    final, events = await _run(_agent(llm), shared_services.deps, "boots under $150")
    assert final["reply"] == "Here are some boots under $150."
    assert final["tools_used"] == ["search_catalog"]
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("CardsEvent") < kinds.index("TokenEvent")
    statuses = [(e.tool, e.status) for e in events if isinstance(e, ToolStatusEvent)]
    assert statuses == [("search_catalog", "started"), ("search_catalog", "finished")]
    cards = next(e for e in events if isinstance(e, CardsEvent)).cards
    assert cards and all(c.price <= 150 for c in cards)
    # JSON tool call text is never streamed to the shopper
    assert "".join(e.text for e in events if isinstance(e, TokenEvent)) == final["reply"]
    # the second LLM call saw the system prompt, the call and a compact tool result
    second = llm.calls[1]
    assert second[0]["role"] == "system" and "search_catalog" in second[0]["content"]
    assert json.loads(second[-2]["content"])["tool"] == "search_catalog"
    assert second[-1]["content"].startswith('<tool_result tool="search_catalog"')
    assert llm.pending == 0


async def test_system_prompt_is_identical_across_turns(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue("Hello!", "Hi again!")
    agent = _agent(llm)
    await _run(agent, shared_services.deps, "hi")
    await _run(agent, shared_services.deps, "hello")
    assert llm.calls[0][0] == llm.calls[1][0]


async def test_invalid_output_gives_fallback_not_crash(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue("null")
    agent = _agent(llm)
    final, events = await _run(agent, shared_services.deps, "???")
    assert final["fallback"] is True
    assert final["reply"] == agent.fallback_text
    assert [e.text for e in events if isinstance(e, TokenEvent)] == [agent.fallback_text]


async def test_bad_arguments_are_fed_back_and_retried(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue(
        '{"tool": "search_catalog", "args": {"limit": 99, "query": "x"}}', SEARCH, "Found some."
    )
    final, events = await _run(_agent(llm), shared_services.deps, "boots")
    assert final["tools_used"] == ["search_catalog", "search_catalog"]
    assert llm.calls[1][-1]["content"].startswith(
        '<tool_error tool="search_catalog">\ninvalid arguments'
    )
    failed = [e for e in events if isinstance(e, ToolStatusEvent) and e.status == "failed"]
    assert len(failed) == 1


async def test_unknown_tool_is_reported_to_the_model(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue('{"tool": "buy_everything", "args": {}}', "I can't do that.")
    final, _ = await _run(_agent(llm), shared_services.deps, "buy all")
    assert "unknown tool 'buy_everything'" in llm.calls[1][-1]["content"]
    assert final["reply"] == "I can't do that."


async def test_step_cap_stops_a_looping_model(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue(SEARCH, SEARCH, SEARCH)
    agent = _agent(llm, max_steps=2)
    final, _ = await _run(agent, shared_services.deps, "boots")
    assert final["tools_used"] == ["search_catalog", "search_catalog"]
    assert final["fallback"] is True
    assert llm.pending == 0


async def test_native_tool_calls(shared_services) -> None:  # type: ignore[no-untyped-def]
    llm = FakeLLM().enqueue(NativeToolCall("search_catalog", {"query": "yoga mat"}), "Mats!")
    final, _ = await _run(_agent(llm, native=True), shared_services.deps, "yoga mat")
    assert final["tools_used"] == ["search_catalog"] and final["reply"] == "Mats!"
    assert llm.tools_seen[0] and llm.tools_seen[0][0]["function"]["name"] == "search_catalog"


async def test_repeating_a_failed_call_ends_with_a_refusal(shared_services) -> None:  # type: ignore[no-untyped-def]
    bad = '{"tool": "get_product", "args": {"product_id": "0000"}}'
    llm = FakeLLM().enqueue(bad, bad)
    final, events = await _run(_agent(llm, max_steps=4), shared_services.deps, "product 0000")
    assert final["reply"].startswith("Sorry, I can't do that: no product with id '0000'")
    assert final["tools_used"] == ["get_product"]
    assert llm.pending == 0 and len(llm.calls) == 2
