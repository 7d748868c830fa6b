"""Typed events the agent emits while a turn runs (serving turns them into frames)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from tools.cards import ProductCard
from tools.deps import Deps, RunContext
from tools.registry import ToolRegistry


@dataclass(frozen=True)
class TokenEvent:
    """A piece of the assistant's reply text."""

    text: str


@dataclass(frozen=True)
class CardsEvent:
    """Product cards to show with the reply."""

    cards: list[ProductCard] = field(default_factory=list)


@dataclass(frozen=True)
class ToolStatusEvent:
    """A tool started, finished or failed."""

    tool: str
    status: Literal["started", "finished", "failed"]
    detail: str = ""


@dataclass(frozen=True)
class CompareEvent:
    """A comparison table of shown products, written by code from their records.

    ``headers`` name the columns in the shopper's language (product, price, rating,
    features, in stock); each row has ``id``, ``name``, ``price`` (formatted), ``rating``,
    ``features`` and ``options`` (lists of strings).
    """

    headers: dict[str, str]
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class CartEvent:
    """The shopper's cart changed (or was shown): the whole cart, as the cart tools return it.

    ``cart`` has ``lines``, ``total``, ``item_count`` and ``checkout_url``.
    """

    cart: dict[str, Any]


AgentEvent = TokenEvent | CardsEvent | ToolStatusEvent | CompareEvent | CartEvent
Emit = Callable[[AgentEvent], Awaitable[None]]


class TurnAgent(Protocol):
    """What the chat service needs of an assistant: the tool loop and the flows alike."""

    registry: ToolRegistry
    system_prompt: str

    async def run(
        self, history: list[dict[str, str]], user_text: str, *, emit: Emit, ctx: RunContext[Deps]
    ) -> Any:
        """Run one turn; the result maps reply, cards, tools_used, tool_log, timings."""
        ...


async def discard(_event: AgentEvent) -> None:
    """Drop every event (the emitter for non-streaming callers)."""
