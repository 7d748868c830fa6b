"""The agent loop as a LangGraph graph: ``model`` ⇄ ``tools`` with a step cap.

``model`` streams the LLM's answer. Under the JSON protocol, output that starts like
JSON is buffered and parsed as a tool call; anything else streams to the shopper as it
arrives. ``tools`` validates and runs the call through the registry and feeds a compact
result back. The loop ends on a plain-text reply, on the step cap, or with a fallback
reply when the model produced nothing usable.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

import prompts
from assistant.events import CardsEvent, CartEvent, Emit, TokenEvent, ToolStatusEvent
from assistant.llm.client import ChatModel, NativeToolCall, TextDelta
from assistant.protocol import ParsedOutput, looks_like_json, parse_model_output
from assistant.untrusted import neutralize
from catalog.errors import ShopError
from tools.common.cart import CartOutput
from tools.deps import Deps, RunContext
from tools.errors import TerminalToolError
from tools.registry import ProposalOutput, ToolRegistry

DECIDE_CHARS = 4


class AgentState(TypedDict, total=False):
    """Graph state of one turn."""

    messages: list[dict[str, str]]
    steps: int
    call: dict[str, Any] | None
    reply: str
    cards: list[dict[str, Any]]
    tools_used: list[str]
    tool_log: list[dict[str, Any]]
    failed: dict[str, str]
    proposal: dict[str, str] | None
    llm_seconds: float
    fallback: bool


@dataclass
class TurnContext:
    """What the nodes need besides the state: emitter and tool context."""

    emit: Emit
    ctx: RunContext[Deps]


def _turn(config: RunnableConfig) -> TurnContext:
    turn = (config.get("configurable") or {}).get("turn")
    if not isinstance(turn, TurnContext):
        raise RuntimeError("agent graph invoked without a TurnContext in config['configurable']")
    return turn


class ShoppingAgent:
    """Builds the system prompt and runs the LangGraph loop for one turn at a time."""

    def __init__(
        self,
        llm: ChatModel,
        registry: ToolRegistry,
        *,
        store_name: str,
        max_steps: int,
        native_tools: bool = False,
        identity: str = "tau2",
    ) -> None:
        """Compile the graph; the system prompt is fixed so prefix caching works.

        ``identity`` (``verified`` or ``tau2``) picks the verification rule in the prompt.
        """
        self.llm = llm
        self.registry = registry
        self.max_steps = max_steps
        self.native_tools = native_tools
        template = prompts.load("system_native" if native_tools else "system_json")
        identity_texts = json.loads(prompts.load("identity", ".json"))[identity]
        self.system_prompt = template.format(
            store_name=store_name,
            tools=registry.prompt_block(),
            identity_rule=identity_texts["rule"],
            identity_example=identity_texts["example"],
        )
        self.fallback_text = prompts.load("fallback").strip()
        self._templates = {
            name: prompts.load(name)
            for name in ("tool_result", "tool_error", "refusal", "confirm_request")
        }
        graph = StateGraph(AgentState)
        graph.add_node("model", self._model_node, destinations=("tools", END))
        graph.add_node("tools", self._tools_node, destinations=("model", END))
        graph.add_edge(START, "model")
        self.graph = graph.compile()

    # Each node routes with a Command instead of a conditional edge: LangGraph traces a
    # conditional edge as its own run (a shielded callback task, several event-loop
    # iterations per step) and runs a plain-function router in the thread pool. Under
    # load every loop iteration costs milliseconds, so this keeps the turn's tail short.
    async def _model_node(self, state: AgentState, config: RunnableConfig) -> Command[str]:
        out = await self._model_step(state, config)
        return Command(update=out, goto="tools" if out.get("call") else END)

    async def _tools_node(self, state: AgentState, config: RunnableConfig) -> Command[str]:
        out = await self._tools_step(state, config)
        return Command(update=out, goto=END if out.get("reply") else "model")

    async def _stream_model(
        self, messages: list[dict[str, str]], emit: Emit
    ) -> tuple[ParsedOutput, bool, float]:
        """Stream one completion; return (parsed output, text already emitted, seconds)."""
        started = time.perf_counter()
        text = ""
        mode: str | None = None  # None = undecided, "text" = streaming, "json" = buffering
        native: NativeToolCall | None = None
        tools = self.registry.openai_tools() if self.native_tools else None
        async for delta in self.llm.stream(messages, tools=tools):
            if isinstance(delta, NativeToolCall):
                native = native or delta
                continue
            assert isinstance(delta, TextDelta)
            text += delta.text
            if mode is None:
                head = text.lstrip()
                if len(head) >= DECIDE_CHARS or (head and not looks_like_json(head)):
                    mode = "json" if looks_like_json(head[:DECIDE_CHARS]) else "text"
                    if mode == "text":
                        await emit(TokenEvent(head))
            elif mode == "text":
                await emit(TokenEvent(delta.text))
        elapsed = time.perf_counter() - started
        if native is not None:
            return ParsedOutput("tool", tool=native.name, args=native.arguments), False, elapsed
        # Text that streamed never looks like JSON, so the parser reads it as a reply.
        return parse_model_output(text), mode == "text", elapsed

    async def _model_step(self, state: AgentState, config: RunnableConfig) -> AgentState:
        turn = _turn(config)
        parsed, streamed, seconds = await self._stream_model(state["messages"], turn.emit)
        out: AgentState = {"llm_seconds": state.get("llm_seconds", 0.0) + seconds, "call": None}
        if parsed.kind == "tool" and not streamed and state.get("steps", 0) < self.max_steps:
            out["call"] = {"tool": parsed.tool, "args": parsed.args}
            return out
        if parsed.kind == "reply":
            reply = parsed.text
            if not streamed:
                await turn.emit(TokenEvent(reply))
        else:
            reply = self.fallback_text
            out["fallback"] = True
            await turn.emit(TokenEvent(reply))
        out["reply"] = reply
        return out

    async def _tools_step(self, state: AgentState, config: RunnableConfig) -> AgentState:
        turn = _turn(config)
        call = state.get("call") or {}
        name, args = str(call.get("tool", "")), dict(call.get("args") or {})
        await turn.emit(ToolStatusEvent(name, "started"))
        call_text = json.dumps({"tool": name, "args": args}, ensure_ascii=False)
        messages = [*state["messages"], {"role": "assistant", "content": call_text}]
        cards = state.get("cards", [])
        failed = dict(state.get("failed", {}))
        reply = ""
        proposal: dict[str, str] | None = None
        if call_text in failed:
            # The model repeats a call that already failed this turn: stop the loop and
            # tell the customer why, in code's words.
            reply = self._templates["refusal"].format(error=failed[call_text]).strip()
            await turn.emit(TokenEvent(reply))
            return {"reply": reply, "call": None, "steps": state.get("steps", 0) + 1}
        try:
            result = await self.registry.invoke(name, args, turn.ctx)
        except TerminalToolError as exc:
            # Retrying cannot help (a rule forbids it): the turn ends here, and code, not
            # the model, tells the shopper why.
            await turn.emit(ToolStatusEvent(name, "failed", exc.message))
            feedback = self._templates["tool_error"].format(
                tool=name, error=neutralize(exc.message)
            )
            reply = self._templates["refusal"].format(error=exc.message).strip()
        except ShopError as exc:
            await turn.emit(ToolStatusEvent(name, "failed", exc.message))
            feedback = self._templates["tool_error"].format(
                tool=name, error=neutralize(exc.message)
            )
            failed[call_text] = exc.message
        else:
            if result.cards:
                cards = [c.model_dump() for c in result.cards]
                await turn.emit(CardsEvent(list(result.cards)))
            if isinstance(result, CartOutput):
                await turn.emit(CartEvent(result.for_client()))
            await turn.emit(ToolStatusEvent(name, "finished"))
            feedback = self._templates["tool_result"].format(
                tool=name, result=neutralize(result.for_llm())
            )
            if self.registry.get(name).approval and isinstance(result, ProposalOutput):
                # The confirmation request is written by code, not the model: the customer
                # sees exactly what would be executed, and the turn ends here.
                reply = self._templates["confirm_request"].format(summary=result.summary).strip()
                proposal = {"token": result.token, "summary": result.summary}
        messages.append({"role": "user", "content": feedback})
        log_entry = {"tool": name, "args": args, "feedback": feedback}
        out: AgentState = {
            "messages": messages,
            "steps": state.get("steps", 0) + 1,
            "call": None,
            "cards": cards,
            "tools_used": [*state.get("tools_used", []), name],
            "tool_log": [*state.get("tool_log", []), log_entry],
            "failed": failed,
        }
        if reply:
            await turn.emit(TokenEvent(reply))
            out["reply"] = reply
            out["proposal"] = proposal
        return out

    async def run(
        self, history: list[dict[str, str]], user_text: str, *, emit: Emit, ctx: RunContext[Deps]
    ) -> AgentState:
        """Run one turn and return the final state (``reply``, ``cards``, timings)."""
        messages = [
            {"role": "system", "content": self.system_prompt},
            *history,
            {"role": "user", "content": neutralize(user_text)},
        ]
        initial: AgentState = {
            "messages": messages,
            "steps": 0,
            "call": None,
            "reply": "",
            "cards": [],
            "tools_used": [],
            "tool_log": [],
            "failed": {},
            "llm_seconds": 0.0,
            "fallback": False,
        }
        config: RunnableConfig = {
            "configurable": {"turn": TurnContext(emit=emit, ctx=ctx)},
            "recursion_limit": 2 * self.max_steps + 4,
        }
        final = await self.graph.ainvoke(initial, config=config)
        return final  # type: ignore[return-value]
