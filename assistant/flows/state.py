"""Per-conversation memory of the flows assistant, persisted in ``ConversationState``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from catalog.conversations import ConversationState
from catalog.models import utcnow

# how many searches before the current one a conversation keeps to go back to
EARLIER_KEPT = 4


@dataclass
class FlowState:
    """What code remembers between turns; the model sees none of it directly."""

    lang: str = "en"
    turn: int = 0
    search: dict[str, Any] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    pending: dict[str, Any] | None = None
    intent: dict[str, Any] | None = None
    failures: int = 0
    failed_action: str = ""
    typed_identity: dict[str, str] = field(default_factory=dict)
    viewed: list[str] = field(default_factory=list)
    last_order: str | None = None  # the order the last reply was about ("cancel it")
    order_turn: int = 0  # the turn an order's status was last told (0: never)
    # product types named in the last message about an order ("the robot vacuum works
    # badly" → next turn "I'd like to send it back")
    order_types: list[str] = field(default_factory=list)
    # the shown products the last replies were about ("it", "those two"): ids, in order
    focus: list[str] = field(default_factory=list)
    # the shown products the last comparison or "which is cheaper" weighed ("the cheaper
    # of those two" next turn picks among them, whatever the answer then focused on)
    weighed: list[str] = field(default_factory=list)
    hinted: bool = False  # the shopper was told once what they can ask next
    # the cart line the conversation touched last ("make it two"), and the turn the cart
    # was listed (then "the second one" means its second line)
    cart_line: int | None = None
    cart_turn: int = 0  # the turn that line was added or changed (0: never)
    cart_product: str | None = None  # that line's product
    cart_listed: int = 0
    cart_count: int = 0  # items in the cart when a cart tool last ran
    offered_checkout: int = 0  # the turn the cart was listed with "check out?" (0: never)
    offered_person: int = 0  # the turn a frustrated shopper was offered a person (0: never)
    # the product text written last (product id and name, kind, language) and its turn:
    # "make it funnier" right after it writes that text again
    wrote: dict[str, str] = field(default_factory=dict)
    wrote_turn: int = 0
    # the address the last address change proposed ("save that same address on my account")
    last_address: dict[str, str] = field(default_factory=dict)
    # the searches before the current one, newest first ("back to the tents from before")
    earlier: list[dict[str, Any]] = field(default_factory=list)
    # the kinds the last message asking for several at once searched, by product type:
    # {"search": its spec, "shown": its cards} ("von den Scheren die billigste" picks
    # among the shears' own list, with their own options)
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def touch_line(self, line_id: int | None, product_id: str | None = None) -> None:
        """Remember the cart line this turn added or changed ("make it two" next means it)."""
        self.cart_line, self.cart_turn, self.cart_product = line_id, self.turn, product_id

    def touched_last_turn(self) -> bool:
        """Whether the turn before this one added or changed the cart line kept."""
        return self.cart_line is not None and self.cart_turn == self.turn - 1

    def keep_earlier(self, search: dict[str, Any], shown: list[str]) -> None:
        """Keep a search the shopper moved on from (its list too), newest first, four at most."""
        if shown:
            self.earlier = [{"search": search, "shown": shown}, *self.earlier][:EARLIER_KEPT]

    def kind_searched(self, ptype: str) -> bool:
        """Make the search of ``ptype`` the current one, when it was one of several.

        True when the search on screen is of that type, or one message searched it with
        others; the search and its cards are then the ones of that type.
        """
        current = str(self.search.get("type_query") or "").lower()
        if current == ptype.lower():
            return True
        own = self.kinds.get(ptype)
        if own is None:
            return False
        self.search, self.shown = dict(own["search"]), list(own["shown"])
        return True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowState:
        """Rebuild from stored JSON, ignoring keys this version does not know."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class StateStore:
    """Load and save :class:`FlowState` per conversation."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for every read and write."""
        self.engine = engine

    def load(self, conversation_id: str) -> FlowState:
        """Return the conversation's state (a fresh one for a new conversation)."""
        with Session(self.engine) as session:
            row = session.get(ConversationState, conversation_id)
            return FlowState.from_dict(dict(row.data)) if row else FlowState()

    def save(self, conversation_id: str, state: FlowState) -> None:
        """Persist ``state`` (one row per conversation, replaced)."""
        with Session(self.engine) as session:
            row = session.get(ConversationState, conversation_id)
            if row is None:
                row = ConversationState(conversation_id=conversation_id)
            row.data = asdict(state)
            row.updated_at = utcnow()
            session.add(row)
            session.commit()
