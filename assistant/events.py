"""Typed events the agent emits while a turn runs (serving turns them into frames)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from tools.cards import ProductCard


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


AgentEvent = TokenEvent | CardsEvent | ToolStatusEvent
Emit = Callable[[AgentEvent], Awaitable[None]]


async def discard(_event: AgentEvent) -> None:
    """Drop every event (the emitter for non-streaming callers)."""
