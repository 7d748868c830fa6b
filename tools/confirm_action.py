"""Tool: execute a proposed write after the customer explicitly said yes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog.orders.confirmations import is_explicit_yes
from tools.common.orders import actor, compact_order, guarded
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError
from tools.registry import ToolOutput


class ConfirmInput(BaseModel):
    """Arguments of ``confirm_action``."""

    model_config = ConfigDict(extra="ignore")

    token: str = Field(min_length=4, max_length=64)


class ConfirmOutput(ToolOutput):
    """What was done."""

    done: str
    already_done: bool
    result: dict[str, Any]


async def confirm_action(ctx: RunContext[Deps], args: ConfirmInput) -> ConfirmOutput:
    """Execute a proposed action by its token, only after the customer replied yes."""
    if not is_explicit_yes(ctx.user_message, ctx.last_reply):
        raise RetryableToolError(
            "the customer has not explicitly confirmed; show the summary and ask them to "
            "reply 'yes'",
            code="not_confirmed",
        )
    who = actor(ctx)
    token = _token_for(ctx, args.token)
    done = guarded(ctx.deps.orders.confirm, ctx.conversation_id, who, token, turn_id=ctx.turn_id)
    result = compact_order(done.result) if "order_id" in done.result else done.result
    return ConfirmOutput(done=done.action, already_done=done.replayed, result=result)


def _token_for(ctx: RunContext[Deps], given: str) -> str:
    """Return the token to execute: the one given, or the one proposal the shopper saw.

    A model may garble the opaque token it copies. Stale proposals are voided before each
    shopper message, so at most the last turn's proposals are pending; when exactly one is,
    and the given token is not one of this conversation's, the shopper's yes can only mean
    that one. A token of another conversation is never replaced (the service refuses it).
    """
    orders = ctx.deps.orders
    if orders.knows(given):
        return given
    sole = orders.sole_pending(ctx.conversation_id)
    return sole if sole is not None else given
