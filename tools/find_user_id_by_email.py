"""Tool: authenticate the customer by email."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.common.orders import guarded
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class FindByEmailInput(BaseModel):
    """Arguments of ``find_user_id_by_email``."""

    model_config = ConfigDict(extra="ignore")

    email: str = Field(min_length=3, max_length=200)


class UserIdOutput(ToolOutput):
    """The authenticated customer's id."""

    user_id: str


async def find_user_id_by_email(ctx: RunContext[Deps], args: FindByEmailInput) -> UserIdOutput:
    """Authenticate the customer by the email they typed; required before order or profile help."""
    user_id = guarded(
        ctx.deps.orders.authenticate_email, ctx.conversation_id, args.email, client=ctx.client
    )
    return UserIdOutput(user_id=user_id)
