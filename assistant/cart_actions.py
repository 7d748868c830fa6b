"""Cart changes the widget makes itself (its buttons), through the same tools as the chat.

A card's *Add to cart*, the cart view's quantity steppers and remove buttons call the
registry's cart tools with the conversation's run context, so the rules (in-stock
variants only, price at add time, quantity bounds) are the chat's own, and the dialogue
state learns the line touched last ("make it two" after a click means that line).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from assistant.conversations import ConversationStore
from assistant.flows.state import StateStore
from tools.common.cart import CartOutput
from tools.deps import Deps, RunContext
from tools.registry import ToolRegistry

CartAction = Literal["get", "add", "update", "remove"]
_TOOLS: dict[str, str] = {
    "get": "view_cart",
    "add": "add_to_cart",
    "update": "update_cart_line",
    "remove": "remove_from_cart",
}


class CartActions:
    """Runs one widget cart action and returns the cart as clients receive it."""

    def __init__(
        self, registry: ToolRegistry, deps: Deps, conversations: ConversationStore
    ) -> None:
        """Use ``registry``'s cart tools over ``deps``; ``conversations`` to create rows."""
        self.registry = registry
        self.deps = deps
        self.conversations = conversations
        self.states = StateStore(deps.engine)

    async def run(
        self, conversation_id: str, action: CartAction, args: dict[str, Any], *, client: str = ""
    ) -> dict[str, Any]:
        """Run ``action`` with ``args`` (the tool's arguments); errors are the tools' own."""
        if action != "get":
            await asyncio.to_thread(self.conversations.ensure, conversation_id)
        ctx = RunContext(deps=self.deps, conversation_id=conversation_id, client=client)
        result = await self.registry.invoke(_TOOLS[action], args, ctx)
        assert isinstance(result, CartOutput)
        if action != "get":
            await asyncio.to_thread(
                self._remember, conversation_id, result.changed_line, result.cart.item_count
            )
        return result.for_client()

    def _remember(self, conversation_id: str, line: int | None, count: int) -> None:
        state = self.states.load(conversation_id)
        state.cart_line, state.cart_count = line, count
        self.states.save(conversation_id, state)
