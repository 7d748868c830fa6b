"""What a flow needs during one turn: run tools (logged like the agent's), emit events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.events import CardsEvent, CartEvent, Emit, ToolStatusEvent
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from catalog.errors import PolicyError, ShopError
from tools.common.cart import CartOutput
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput, ToolRegistry


@dataclass
class TurnKit:
    """Runs registry tools for a flow, recording each call as the agent loop does.

    ``tool_log`` entries are stored as the conversation's tool messages, so evaluations,
    the console and history see exactly which tools a flow ran, with what, and the result.
    """

    registry: ToolRegistry
    ctx: RunContext[Deps]
    emit: Emit
    tool_log: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    state: FlowState | None = None
    reading: Reading | None = None

    @property
    def tools_used(self) -> list[str]:
        """Names of the tools run so far this turn."""
        return [e["tool"] for e in self.tool_log]

    async def call(self, name: str, **args: Any) -> ToolOutput:
        """Run tool ``name``; its cards become the turn's cards. ShopErrors propagate."""
        await self.emit(ToolStatusEvent(name, "started"))
        try:
            result = await self.registry.invoke(name, args, self.ctx)
        except ShopError as exc:
            await self.emit(ToolStatusEvent(name, "failed", exc.message))
            self.tool_log.append(
                {
                    "tool": name,
                    "args": args,
                    "feedback": f"ERROR {exc.message}",
                    # the store's policy said no (a clear answer, not a failure to help;
                    # a tool raises it again as a tool error, the policy's as its cause)
                    "policy": isinstance(exc, PolicyError)
                    or isinstance(exc.__cause__, PolicyError),
                }
            )
            raise
        if result.cards or name == "search_catalog":
            # a later search with no results clears the cards of an earlier one
            self.cards = [c.model_dump() for c in result.cards]
            if result.cards:
                await self.emit(CardsEvent(list(result.cards)))
        if isinstance(result, CartOutput):
            await self.emit(CartEvent(result.for_client()))
            if self.state is not None:
                self.state.cart_count = result.cart.item_count
        await self.emit(ToolStatusEvent(name, "finished"))
        self.tool_log.append({"tool": name, "args": args, "feedback": result.for_llm()})
        return result

    def data(self, result: ToolOutput) -> dict[str, Any]:
        """Return a tool result as plain JSON data."""
        return result.model_dump(mode="json", exclude_none=True)
