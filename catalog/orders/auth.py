"""Customer verification and binding a conversation to exactly one customer.

Two identity modes (``SHOP_IDENTITY__MODE``):

* ``verified`` (default): the shop's backend signs a customer token for a signed-in
  customer (:mod:`catalog.signing`), or a guest proves one order is theirs with the order
  number, the order's email and its zip code — that conversation may then see and act on
  that order only.
* ``tau2``: the tau2-bench retail policy (email, or first+last name and zip) for replays
  and evaluations only.

Unknown and wrong identities get the same error; failures are capped per conversation
and per client address (:class:`AttemptLimiter`).
"""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.conversations import Conversation, Message
from catalog.emails import emails_in
from catalog.errors import AuthenticationError, AuthorizationError
from catalog.models import Order, User
from catalog.orders.views import canonical_order_id
from catalog.shared_limits import MemoryWindows, Windows

NOT_VERIFIED = "we could not verify your identity with those details; please check them"


def not_verified() -> AuthenticationError:
    """Return the one error for an unknown or a wrong identity (no enumeration)."""
    return AuthenticationError(NOT_VERIFIED, code="identity_not_verified")


class AttemptLimiter:
    """Caps failed verification attempts per conversation and per client address.

    Over a sliding window; a success does not reset the count. The counts live in
    ``windows``: PostgreSQL's, shared by every worker process, or this process's memory.
    """

    def __init__(
        self,
        *,
        per_conversation: int = 5,
        per_client: int = 20,
        window_s: float = 900.0,
        windows: Windows | None = None,
    ) -> None:
        """Allow ``per_conversation`` / ``per_client`` failures per ``window_s`` seconds."""
        self.limits = {"conversation": per_conversation, "client": per_client}
        self.window_s = window_s
        self.windows: Windows = windows or MemoryWindows()

    def _keys(self, conversation_id: str, client: str) -> list[tuple[str, str]]:
        keys = [("conversation", conversation_id)]
        if client:
            keys.append(("client", client))
        return keys

    def check(self, conversation_id: str, client: str = "") -> None:
        """Raise AuthenticationError(code=too_many_attempts) once a cap is reached."""
        for kind, key in self._keys(conversation_id, client):
            wait = self.windows.wait_s(f"verify:{kind}:{key}", self.limits[kind], self.window_s)
            if wait is not None:
                raise AuthenticationError(
                    "too many failed verification attempts; please wait a few minutes "
                    "or ask for a human agent",
                    code="too_many_attempts",
                )

    def failed(self, conversation_id: str, client: str = "") -> None:
        """Record one failed attempt."""
        for kind, key in self._keys(conversation_id, client):
            self.windows.add(f"verify:{kind}:{key}", self.window_s)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def typed_by_shopper(engine: Engine, conversation_id: str, value: str) -> bool:
    """Return True if the shopper typed ``value`` in one of their messages of this chat.

    An email counts when typed or spelled out; every other value must appear as typed.
    """
    wanted = _norm(value)
    if not wanted:
        return False
    with Session(engine) as session:
        texts = session.exec(
            select(Message.content)
            .where(col(Message.conversation_id) == conversation_id)
            .where(col(Message.role) == "user")
        ).all()
    # an email spelled out ("ann dot lee at x dot com") was typed too
    return any(wanted in _norm(t) or wanted in emails_in(t) for t in texts)


def find_user_by_email(engine: Engine, email: str) -> str:
    """Return the id of the customer with ``email`` (case-insensitive)."""
    with Session(engine) as session:
        found = session.exec(
            select(User.id).where(func.lower(User.email) == email.strip().lower())
        ).first()
    if found is None:
        raise not_verified()
    return found


def find_user_by_name_zip(engine: Engine, first_name: str, last_name: str, zip_code: str) -> str:
    """Return the id of the customer with that name and zip code."""
    with Session(engine) as session:
        found = session.exec(
            select(User.id)
            .where(func.lower(User.first_name) == first_name.strip().lower())
            .where(func.lower(User.last_name) == last_name.strip().lower())
            .where(col(User.zip) == zip_code.strip())
        ).all()
    if len(found) != 1:
        raise not_verified()
    return found[0]


def find_guest_order(engine: Engine, order_id: str, email: str, zip_code: str) -> str:
    """Return the order's customer if the email and the order's (or account's) zip match."""
    oid = canonical_order_id(order_id)
    with Session(engine) as session:
        order = session.get(Order, oid)
        user = session.get(User, order.user_id) if order is not None else None
    if order is None or user is None:
        raise not_verified()
    zips = {str((order.address or {}).get("zip", "")).strip(), user.zip.strip()}
    if user.email.strip().lower() != email.strip().lower() or zip_code.strip() not in zips:
        raise not_verified()
    return user.id


def bind_conversation(
    engine: Engine, conversation_id: str, user_id: str, *, scope_order_id: str | None = None
) -> None:
    """Bind the conversation to ``user_id``; a conversation serves one customer only.

    ``scope_order_id`` limits a guest's conversation to one order; a full verification
    later lifts the limit, a second guest verification cannot widen it to another order.
    """
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        if conv is None:
            conv = Conversation(id=conversation_id)
        if conv.user_id and conv.user_id != user_id:
            raise AuthorizationError(
                "this conversation is already authenticated as another customer; "
                "each conversation can help one customer only"
            )
        if conv.user_id and scope_order_id and conv.scope_order_id != scope_order_id:
            if conv.scope_order_id is not None:
                raise AuthorizationError(
                    "this conversation is verified for another order; start a new chat"
                )
            scope_order_id = None  # already fully verified: keep full access
        conv.user_id = user_id
        conv.scope_order_id = scope_order_id
        session.add(conv)
        session.commit()


def conversation_user(engine: Engine, conversation_id: str) -> tuple[str | None, str | None]:
    """Return (customer id, guest order scope) this conversation is authenticated as."""
    with Session(engine) as session:
        conv = session.get(Conversation, conversation_id)
        return (conv.user_id, conv.scope_order_id) if conv else (None, None)
