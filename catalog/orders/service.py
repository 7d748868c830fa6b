"""The order service: one entry point for authentication, reads and confirmed writes.

Every method that touches a customer's data takes ``actor``, the authenticated customer's
id, and refuses anything that belongs to someone else.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from catalog.conversations import Conversation
from catalog.errors import AuthenticationError, InvalidInputError
from catalog.orders import auth, confirmations
from catalog.orders.actions import WRITE_ACTIONS, own_profile, owned_order
from catalog.orders.views import load_user, order_view, product_view, user_view

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


class OrderService:
    """Reads and policy-checked, confirmed writes on the SQL store."""

    def __init__(self, engine: Engine) -> None:
        """Use ``engine`` for everything."""
        self.engine = engine

    def authenticate_email(self, conversation_id: str, email: str) -> str:
        """Find the customer by email and bind the conversation to them."""
        user_id = auth.find_user_by_email(self.engine, email)
        auth.bind_conversation(self.engine, conversation_id, user_id)
        return user_id

    def authenticate_name_zip(
        self, conversation_id: str, first_name: str, last_name: str, zip_code: str
    ) -> str:
        """Find the customer by name and zip and bind the conversation to them."""
        user_id = auth.find_user_by_name_zip(self.engine, first_name, last_name, zip_code)
        auth.bind_conversation(self.engine, conversation_id, user_id)
        return user_id

    def actor(self, conversation_id: str) -> str:
        """Return the conversation's authenticated customer or refuse."""
        user_id = auth.conversation_user(self.engine, conversation_id)
        if not user_id:
            raise AuthenticationError(
                "the customer is not authenticated yet: ask for their email, or their name "
                "and zip code"
            )
        return user_id

    def user_details(self, actor: str, user_id: str) -> dict[str, Any]:
        """Return the actor's own profile."""
        own_profile(user_id, actor)
        with Session(self.engine) as session:
            return user_view(session, load_user(session, actor))

    def order_details(self, actor: str, order_id: str) -> dict[str, Any]:
        """Return one of the actor's orders."""
        with Session(self.engine) as session:
            return order_view(session, owned_order(session, order_id, actor))

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
    ) -> confirmations.Proposal:
        """Validate a write and return a confirmation token for it."""
        if action not in WRITE_ACTIONS:
            raise InvalidInputError(f"unknown write action {action!r}")
        return confirmations.propose(
            self.engine,
            conversation_id=conversation_id,
            user_id=actor,
            action=action,
            args=args,
            turn_id=turn_id,
        )

    def confirm(
        self, conversation_id: str, actor: str, token: str, *, turn_id: str = ""
    ) -> confirmations.Execution:
        """Execute a proposed write once; replays return the first result."""
        return confirmations.execute(
            self.engine, token, conversation_id=conversation_id, user_id=actor, turn_id=turn_id
        )

    def decline(self, conversation_id: str, token: str) -> bool:
        """Void a pending proposal; it can never be executed afterwards."""
        return confirmations.decline(self.engine, token, conversation_id=conversation_id)

    def escalate(self, conversation_id: str) -> None:
        """Mark the conversation for a human agent."""
        with Session(self.engine) as session:
            conv = session.get(Conversation, conversation_id) or Conversation(id=conversation_id)
            conv.status = "escalated"
            session.add(conv)
            session.commit()
