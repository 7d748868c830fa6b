"""The dependency container tools receive through ``ctx.deps`` (built once at startup)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.engine import Engine

from catalog.orders.service import OrderService
from recommend.service import RecommendationService
from retrieval.hybrid import HybridSearcher


class TextGenerator(Protocol):
    """The slice of the LLM client that tools may use (e.g. to write descriptions)."""

    def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Any]:
        """Stream a completion for ``messages``."""
        ...


@dataclass
class Deps:
    """Everything a tool may touch: store, search index, orders, recommender and the LLM."""

    engine: Engine
    searcher: HybridSearcher
    orders: OrderService
    llm: TextGenerator | None = None
    recs: RecommendationService | None = None


D = TypeVar("D")


@dataclass
class RunContext(Generic[D]):
    """Per-call context: the shared deps plus who is asking, in which conversation.

    ``client`` is the shopper's network address (for per-client attempt limits).
    """

    deps: D
    conversation_id: str
    user_message: str = ""
    turn_id: str = ""
    client: str = ""
