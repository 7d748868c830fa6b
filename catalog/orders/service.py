"""The order service: one entry point for authentication, reads and confirmed writes.

Every method that touches a customer's data takes ``actor``, the authenticated customer's
id, and refuses anything that belongs to someone else.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any, Literal

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from catalog import signing
from catalog.conversations import Conversation
from catalog.errors import (
    AuthenticationError,
    AuthorizationError,
    HandoffConflictError,
    InvalidInputError,
)
from catalog.handoffs import Handoffs
from catalog.orders import auth, confirmations
from catalog.orders.actions import WRITE_ACTIONS, own_profile, owned_order
from catalog.orders.views import (
    canonical_order_id,
    load_user,
    order_view,
    product_view,
    user_view,
)

_OPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def calculate(expression: str) -> float:
    """Evaluate + - * / arithmetic with parentheses, rounded to cents; nothing else runs."""
    if len(expression) > 200:
        raise InvalidInputError("expression is too long")

    def ev(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return float(_OPS[type(node.op)](ev(node.left), ev(node.right)))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
            return float(_OPS[type(node.op)](ev(node.operand)))
        raise InvalidInputError("only numbers, + - * / and parentheses are allowed")

    try:
        tree = ast.parse(expression.strip(), mode="eval")
        return round(ev(tree.body), 2)
    except (SyntaxError, ZeroDivisionError) as exc:
        raise InvalidInputError(f"cannot calculate {expression!r}: {exc}") from exc


IdentityMode = Literal["verified", "tau2"]


class OrderService:
    """Reads and policy-checked, confirmed writes on the SQL store.

    ``identity`` picks how customers prove who they are (see :mod:`catalog.orders.auth`);
    ``check_typed`` refuses identifiers the shopper never typed in the conversation (off
    only for replays that call the service without a conversation).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        identity: IdentityMode = "verified",
        customer_token_secret: str | None = None,
        limiter: auth.AttemptLimiter | None = None,
        check_typed: bool = True,
    ) -> None:
        """Use ``engine`` for everything."""
        self.engine = engine
        self.identity = identity
        self.customer_token_secret = customer_token_secret
        self.limiter = limiter or auth.AttemptLimiter()
        self.check_typed = check_typed

    def _verify(
        self,
        conversation_id: str,
        client: str,
        typed: list[str],
        find: Callable[[], str],
        *,
        scope_order_id: str | None = None,
    ) -> str:
        self.limiter.check(conversation_id, client)
        if self.check_typed:
            for value in typed:
                if not auth.typed_by_shopper(self.engine, conversation_id, value):
                    raise AuthenticationError(
                        "use only details the customer typed in this chat; ask them for it",
                        code="identifier_not_typed",
                    )
        try:
            user_id = find()
        except AuthenticationError:
            self.limiter.failed(conversation_id, client)
            raise
        auth.bind_conversation(self.engine, conversation_id, user_id, scope_order_id=scope_order_id)
        return user_id

    def _mode(self, wanted: IdentityMode) -> None:
        if self.identity != wanted:
            raise AuthenticationError(
                "this shop verifies customers by their sign-in on the website, or for one "
                "order by its order number, email and zip code",
                code="identity_method_not_allowed",
            )

    def authenticate_email(self, conversation_id: str, email: str, *, client: str = "") -> str:
        """tau2 mode: find the customer by email and bind the conversation to them."""
        self._mode("tau2")
        return self._verify(
            conversation_id, client, [email], lambda: auth.find_user_by_email(self.engine, email)
        )

    def authenticate_name_zip(
        self,
        conversation_id: str,
        first_name: str,
        last_name: str,
        zip_code: str,
        *,
        client: str = "",
    ) -> str:
        """tau2 mode: find the customer by name and zip and bind the conversation to them."""
        self._mode("tau2")
        return self._verify(
            conversation_id,
            client,
            [first_name, last_name, zip_code],
            lambda: auth.find_user_by_name_zip(self.engine, first_name, last_name, zip_code),
        )

    def authenticate_guest_order(
        self, conversation_id: str, order_id: str, email: str, zip_code: str, *, client: str = ""
    ) -> str:
        """Verify a guest for one order: its number, email and zip (verified mode)."""
        if self.identity == "tau2":
            return self.authenticate_email(conversation_id, email, client=client)
        oid = canonical_order_id(order_id)
        return self._verify(
            conversation_id,
            client,
            [oid.lstrip("#"), email, zip_code],
            lambda: auth.find_guest_order(self.engine, oid, email, zip_code),
            scope_order_id=oid,
        )

    def authenticate_token(self, conversation_id: str, token: str, *, client: str = "") -> str:
        """Bind the customer of a token signed by the shop's backend (verified mode)."""
        if not self.customer_token_secret:
            raise AuthenticationError(
                "this shop has no customer sign-in configured", code="identity_method_not_allowed"
            )
        secret = self.customer_token_secret
        return self._verify(
            conversation_id, client, [], lambda: signing.verify_customer_token(secret, token)
        )

    def actor(self, conversation_id: str) -> str:
        """Return the conversation's authenticated customer or refuse."""
        return self._verified(auth.conversation_user(self.engine, conversation_id))

    def _verified(self, binding: tuple[str | None, str | None]) -> str:
        """Return the bound customer of a ``conversation_user`` result, or refuse."""
        user_id, _scope = binding
        if not user_id:
            how = (
                "ask for their email, or their name and zip code"
                if self.identity == "tau2"
                else "ask them to sign in on the shop's website, or for the order number, "
                "the order's email and its zip code"
            )
            raise AuthenticationError(f"the customer is not verified yet: {how}")
        return user_id

    def binding(self, conversation_id: str) -> tuple[str | None, str | None]:
        """Return (customer id, guest order scope) of the conversation; (None, None) if neither."""
        return auth.conversation_user(self.engine, conversation_id)

    def scope_of(self, conversation_id: str) -> str | None:
        """Return the one order a guest conversation is verified for (None: no limit)."""
        return auth.conversation_user(self.engine, conversation_id)[1]

    def _same_actor(
        self,
        conversation_id: str,
        actor: str,
        order_id: str | None = None,
        *,
        binding: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Second check behind the tools: ``actor`` is this conversation's customer, in scope.

        ``binding`` is the conversation's ``conversation_user`` row when the caller already
        read it (so reads look the conversation up once).
        """
        bound, scope = binding or auth.conversation_user(self.engine, conversation_id)
        if not bound or bound != actor:
            raise AuthorizationError("this conversation is not authenticated as that customer")
        if scope is not None and order_id != scope:
            raise AuthorizationError(
                f"this chat is verified for order {scope} only; sign in for your other orders"
            )

    def user_details(self, conversation_id: str, user_id: str) -> dict[str, Any]:
        """Return the conversation's customer's own profile (not for guest chats)."""
        binding = auth.conversation_user(self.engine, conversation_id)
        actor = self._verified(binding)
        self._same_actor(conversation_id, actor, binding=binding)
        own_profile(user_id, actor)
        with Session(self.engine) as session:
            return user_view(session, load_user(session, actor))

    def order_details(self, conversation_id: str, order_id: str) -> dict[str, Any]:
        """Return one of the conversation's customer's orders."""
        binding = auth.conversation_user(self.engine, conversation_id)
        actor = self._verified(binding)
        oid = canonical_order_id(order_id)
        self._same_actor(conversation_id, actor, oid, binding=binding)
        with Session(self.engine) as session:
            return order_view(session, owned_order(session, oid, actor))

    def product_details(self, product_id: str) -> dict[str, Any]:
        """Return a product with all variants (public information)."""
        with Session(self.engine) as session:
            return product_view(session, product_id)

    def propose(
        self,
        conversation_id: str,
        actor: str,
        action: str,
        args: dict[str, Any],
        *,
        turn_id: str = "",
        proposed_by: str = "",
    ) -> confirmations.Proposal:
        """Validate a write and return a confirmation token for it.

        ``proposed_by`` names a support agent (``staff:<id>``) who proposed it for the
        customer; the audit row keeps it. Only the customer's confirmation executes it.
        """
        if action not in WRITE_ACTIONS:
            raise InvalidInputError(f"unknown write action {action!r}")
        order_id = str(args["order_id"]) if "order_id" in args else None
        self._same_actor(conversation_id, actor, order_id)
        return confirmations.propose(
            self.engine,
            conversation_id=conversation_id,
            user_id=actor,
            action=action,
            args=args,
            turn_id=turn_id,
            proposed_by=proposed_by,
        )

    def confirm(
        self, conversation_id: str, actor: str, token: str, *, turn_id: str = ""
    ) -> confirmations.Execution:
        """Execute a proposed write once; replays return the first result."""
        pending = confirmations.pending_for(self.engine, token)
        order_id = pending.args.get("order_id") if pending is not None else None
        self._same_actor(conversation_id, actor, str(order_id) if order_id else None)
        return confirmations.execute(
            self.engine, token, conversation_id=conversation_id, user_id=actor, turn_id=turn_id
        )

    def decline(self, conversation_id: str, token: str) -> bool:
        """Void a pending proposal; it can never be executed afterwards."""
        return confirmations.decline(self.engine, token, conversation_id=conversation_id)

    def pending_in_turn(self, conversation_id: str, turn_id: str) -> str | None:
        """Return the token of the pending proposal made in ``turn_id`` (a message id)."""
        return confirmations.pending_in_turn(self.engine, conversation_id, turn_id)

    def knows(self, token: str) -> bool:
        """Return whether ``token`` was ever proposed (in any conversation, any status)."""
        return confirmations.pending_for(self.engine, token) is not None

    def sole_pending(self, conversation_id: str) -> str | None:
        """Return the token of the conversation's only pending proposal, if exactly one."""
        return confirmations.sole_pending(self.engine, conversation_id)

    def void_stale(
        self, conversation_id: str, *, keep_turn: str | None, read_with: Connection | None = None
    ) -> int:
        """Void pending proposals of the conversation not made in ``keep_turn``.

        ``read_with``: look them up on the caller's connection (see confirmations).
        """
        return confirmations.void_stale(
            self.engine, conversation_id, keep_turn=keep_turn, read_with=read_with
        )

    def escalate(self, conversation_id: str, reason: str = "shopper_asked") -> bool:
        """Queue the conversation for a person (bot → waiting_for_agent).

        Returns False when it is not with the bot (already waiting, with an agent, closed).
        """
        with Session(self.engine) as session:
            if session.get(Conversation, conversation_id) is None:  # replays have no chat
                session.add(Conversation(id=conversation_id))
                session.commit()
        try:
            Handoffs(self.engine).escalate(conversation_id, reason)
        except HandoffConflictError:
            return False
        return True
