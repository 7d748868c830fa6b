"""Tool: the authenticated customer's profile."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tools.common.orders import guarded
from tools.common.privacy import mask_email, payment_methods_for_model
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class GetUserInput(BaseModel):
    """Arguments of ``get_user_details``."""

    model_config = ConfigDict(extra="ignore")

    user_id: str = Field(min_length=1, max_length=100)


class UserDetailsOutput(ToolOutput):
    """Profile: name, masked email, default address, payment methods, order ids.

    Card digits and gift-card balances are included only when the shopper's message asks
    about payment or balances (:mod:`tools.common.privacy`).
    """

    user_id: str
    name: str
    email: str
    address: dict[str, str]
    payment_methods: list[dict[str, Any]]
    orders: list[str]


async def get_user_details(ctx: RunContext[Deps], args: GetUserInput) -> UserDetailsOutput:
    """Get the authenticated customer's profile, payment methods and order ids."""
    user = guarded(ctx.deps.orders.user_details, ctx.conversation_id, args.user_id)
    name = f"{user['name']['first_name']} {user['name']['last_name']}"
    return UserDetailsOutput(
        user_id=user["user_id"],
        name=name,
        email=mask_email(user["email"]),
        address=user["address"],
        payment_methods=payment_methods_for_model(
            list(user["payment_methods"].values()), ctx.user_message
        ),
        orders=user["orders"],
    )
