"""Tool: hand the conversation to a human support agent."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from tools.deps import Deps, RunContext
from tools.registry import ToolOutput


class TransferInput(BaseModel):
    """Arguments of ``transfer_to_human_agents``."""

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(default="", max_length=2000, description="What the customer needs.")


class TransferOutput(ToolOutput):
    """Confirmation of the hand-off."""

    status: str
    message: str


async def transfer_to_human_agents(ctx: RunContext[Deps], args: TransferInput) -> TransferOutput:
    """Transfer to a human agent, only when the request is outside what the tools can do."""
    ctx.deps.orders.escalate(ctx.conversation_id)
    return TransferOutput(
        status="escalated", message="YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."
    )
