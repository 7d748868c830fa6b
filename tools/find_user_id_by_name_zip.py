"""Tool: authenticate the customer by first name, last name and zip code."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.common.orders import guarded
from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class FindByNameZipInput(BaseModel):
    """Arguments of ``find_user_id_by_name_zip``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    zip: str = Field(min_length=3, max_length=20)


class NameZipOutput(ToolOutput):
    """The authenticated customer's id."""

    user_id: str


async def find_user_id_by_name_zip(
    ctx: RunContext[Deps], args: FindByNameZipInput
) -> NameZipOutput:
    """Authenticate the customer by first name, last name and zip code (if no email)."""
    user_id = guarded(
        ctx.deps.orders.authenticate_name_zip,
        ctx.conversation_id,
        args.first_name,
        args.last_name,
        args.zip,
        client=ctx.client,
    )
    return NameZipOutput(user_id=user_id)
