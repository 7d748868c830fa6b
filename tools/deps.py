"""The dependency container tools receive through ``ctx.deps`` (built once at startup)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.engine import Engine

from catalog.carts import DEFAULT_CHECKOUT, CartService
from catalog.orders.service import OrderService
from catalog.shared_limits import Windows, shared_windows
from recommend.service import RecommendationService
from retrieval.hybrid import HybridSearcher
from tools.writing.config import WritingSettings
from tools.writing.glossary import Glossary


class TextGenerator(Protocol):
    """The slice of the LLM client that tools may use (to translate and write copy)."""

    def stream(
        self, messages: list[dict[str, str]], *, tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[Any]:
        """Stream a completion for ``messages``."""
        ...

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """Return one whole completion."""
        ...


@dataclass
class Deps:
    """Everything a tool may touch: store, search index, orders, recommender, the LLM.

    ``glossary`` and ``writing`` configure translation and copy; ``model_name`` is what
    machine-written text is stored as ``generated_by``.
    """

    engine: Engine
    searcher: HybridSearcher
    orders: OrderService
    llm: TextGenerator | None = None
    recs: RecommendationService | None = None
    glossary: Glossary = field(default_factory=Glossary)
    writing: WritingSettings = field(default_factory=WritingSettings)
    model_name: str = "llm"
    # the shopper's cart (built over ``engine`` when not given)
    carts: CartService = field(default=None)  # type: ignore[assignment]
    # the shop's checkout link, with {lines} (``variant_id:quantity,…``), from settings
    checkout_url_template: str = DEFAULT_CHECKOUT
    # ISO 4217 code of the shop's prices (settings, else the imported catalog's, else USD)
    currency: str = "USD"
    # the process's rate-limit counts: PostgreSQL's (every worker), else in memory
    windows: Windows = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        """Build the cart service and the limit counts over the store when none were given."""
        if self.carts is None:
            self.carts = CartService(self.engine)
        if self.windows is None:
            self.windows = shared_windows(self.engine)


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
    # (min, max) of the budget the reader found in ``user_message``, when a reader ran:
    # tools use it instead of reading the text again.
    said_budget: tuple[float | None, float | None] | None = None
    # The chat service read ``user_message`` as frustrated (``assistant.mood``): the flows
    # say sorry and offer a person, besides doing what was asked.
    frustrated: bool = False
    # The shopper's language for this turn, decided once by the chat service ("" when a
    # caller runs the agent directly: the agent decides it then).
    lang: str = ""
    # The assistant's previous reply, which showed any change waiting for a yes: the yes
    # may repeat its words ("ja, bitte auf PayPal umstellen"), checked by the order rule.
    last_reply: str = ""
