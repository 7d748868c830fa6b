"""Tool: propose cancelling a pending order."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.common.orders import normalize_order_id, propose
from tools.deps import Deps, RunContext
from tools.registry import ProposalOutput


class CancelInput(BaseModel):
    """Arguments of ``cancel_pending_order``."""

    model_config = ConfigDict(extra="ignore")

    order_id: str = Field(min_length=2, max_length=40)
    reason: str = Field(description="'no longer needed' or 'ordered by mistake'")

    _norm = field_validator("order_id", mode="before")(normalize_order_id)


async def cancel_pending_order(ctx: RunContext[Deps], args: CancelInput) -> ProposalOutput:
    """Propose cancelling a pending order (reason: 'no longer needed' or 'ordered by mistake')."""
    return propose(ctx, "cancel_pending_order", args.model_dump())
