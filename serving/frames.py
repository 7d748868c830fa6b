"""Typed websocket frames. Every frame has ``type``; turn frames carry ``message_id``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class SessionFrame(BaseModel):
    """Sent once on connect: the conversation this socket talks in."""

    type: Literal["session"] = "session"
    conversation_id: str
    session: str = Field(
        description="The conversation's secret: send it back in a resume frame (cross-site "
        "embeds) or as Authorization: Bearer for REST calls. Same-site pages also get it "
        "as an HttpOnly cookie."
    )


class IdentifiedFrame(BaseModel):
    """The customer token was accepted: the conversation is bound to that customer."""

    type: Literal["identified"] = "identified"


class TokenFrame(BaseModel):
    """A piece of streamed reply text."""

    type: Literal["token"] = "token"
    message_id: str
    text: str


class CardsFrame(BaseModel):
    """Product cards for the reply (built from the store, not from LLM text)."""

    type: Literal["cards"] = "cards"
    message_id: str
    cards: list[dict[str, Any]]


class CompareFrame(BaseModel):
    """A comparison table of shown products (code-written from their records)."""

    type: Literal["compare"] = "compare"
    message_id: str
    headers: dict[str, str]
    rows: list[dict[str, Any]]


class CartFrame(BaseModel):
    """The shopper's cart, whole, after it changed (or when asked with a ``cart`` get).

    ``cart``: ``lines`` (id, product_id, variant_id, name, product_type, options, quantity,
    unit_price, line_total, available), ``total``, ``item_count``, ``checkout_url``.
    ``message_id`` names the turn that changed it (None for the widget's own buttons).
    """

    type: Literal["cart"] = "cart"
    message_id: str | None = None
    cart: dict[str, Any]


class ToolStatusFrame(BaseModel):
    """A tool started, finished or failed."""

    type: Literal["tool_status"] = "tool_status"
    message_id: str
    tool: str
    status: Literal["started", "finished", "failed"]
    detail: str = ""


class DoneFrame(BaseModel):
    """The turn finished; ``text`` is the whole stored reply."""

    type: Literal["done"] = "done"
    message_id: str
    conversation_id: str
    text: str
    cards: list[dict[str, Any]] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    proposal: dict[str, str] | None = Field(
        default=None, description="A write waiting for the customer's yes: token and summary."
    )
    handoff: Literal["waiting", "joined"] | None = Field(
        default=None, description="The conversation went to a person: waiting, or one joined."
    )
    lang: str | None = Field(
        default=None, description="The language the shopper wrote in (en, de, fr, es, it)."
    )


class ErrorFrame(BaseModel):
    """Something went wrong; the socket stays open."""

    type: Literal["error"] = "error"
    message_id: str | None = None
    error: dict[str, str]


class PongFrame(BaseModel):
    """Answer to a client ``ping``."""

    type: Literal["pong"] = "pong"


class InboundConfirm(BaseModel):
    """The customer confirms a proposal: ``{"type": "confirm", "token": "…"}``."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["confirm"]
    token: Any = None
    message_id: str | None = Field(default=None, min_length=1, max_length=64)

    @property
    def text_or_token(self) -> Any:
        """The confirmation token (checked for valid Unicode by the parser)."""
        return self.token


class InboundMessage(BaseModel):
    """A shopper's message: ``{"type": "message", "text": "…"}``."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["message"]
    text: Any = None
    message_id: str | None = Field(default=None, min_length=1, max_length=64)

    @property
    def text_or_token(self) -> Any:
        """The message text (checked for valid Unicode by the parser)."""
        return self.text


class InboundResume(BaseModel):
    """Switch this socket to an earlier conversation: ``{"type": "resume", "session": …}``."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["resume"]
    session: str = Field(min_length=1, max_length=200)


class InboundIdentify(BaseModel):
    """Sign the shopper in with a customer token signed by the shop's backend."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["identify"]
    customer_token: str = Field(min_length=1, max_length=2000)


class InboundCart(BaseModel):
    """The widget's own cart buttons: ``{"type": "cart", "action": "add", …}``.

    ``get`` returns the cart; ``add`` takes ``product_id`` (and ``variant_id`` or
    ``options``, ``quantity``); ``update`` takes ``line_id`` and ``quantity`` (0 removes)
    or ``options``; ``remove`` takes ``line_id``. The answer is a ``cart`` frame.
    """

    model_config = ConfigDict(extra="forbid")

    type: Literal["cart"]
    action: Literal["get", "add", "update", "remove"] = "get"
    product_id: str | None = Field(default=None, min_length=1, max_length=64)
    variant_id: str | None = Field(default=None, min_length=1, max_length=64)
    options: dict[str, str] = Field(default_factory=dict, max_length=5)
    quantity: int | None = Field(default=None, ge=0, le=99)
    line_id: int | None = Field(default=None, ge=1)

    def tool_args(self) -> dict[str, Any]:
        """Return the cart tool's arguments this frame carries."""
        args = self.model_dump(exclude={"type", "action"}, exclude_none=True)
        if not self.options:
            args.pop("options", None)
        return args


class InboundTyping(BaseModel):
    """The shopper is typing (``on``) or stopped; the agent sees it for at most 6 s."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["typing"]
    on: bool = True


class InboundCsat(BaseModel):
    """The shopper rates the closed chat: ``{"type": "csat", "rating": 1..5, "comment": …}``."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["csat"]
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


class HandoffFrame(BaseModel):
    """Who answers now: waiting_for_agent, with_agent, bot, or closed.

    ``name`` is the agent who joined; after ``closed`` the widget asks for a 1–5 rating.
    """

    type: Literal["handoff"] = "handoff"
    state: str
    name: str = ""


class AgentMessageFrame(BaseModel):
    """A message from the support agent who holds the chat."""

    type: Literal["agent_message"] = "agent_message"
    message_id: str
    text: str
    name: str = ""


class TypingFrame(BaseModel):
    """The agent is typing (``on``) or stopped; clients drop it after 6 s without news."""

    type: Literal["typing"] = "typing"
    on: bool
    name: str = ""


class ProposalFrame(BaseModel):
    """An order action the agent proposed: the shopper confirms it with the token (or yes)."""

    type: Literal["proposal"] = "proposal"
    message_id: str
    token: str
    summary: str
    name: str = ""


class CsatThanksFrame(BaseModel):
    """The rating was stored."""

    type: Literal["csat_saved"] = "csat_saved"
    rating: int
