"""Tool: propose a new default address for the customer."""

from __future__ import annotations

from pydantic import Field

from tools.common.orders import AddressArgs, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class UserAddressInput(AddressArgs):
    """Arguments of ``modify_user_address``."""

    user_id: str = Field(min_length=1, max_length=100)


async def modify_user_address(ctx: RunContext[Deps], args: UserAddressInput) -> ProposalOutput:
    """Propose changing the customer's default address."""
    return propose(ctx, "modify_user_address", args.model_dump())
