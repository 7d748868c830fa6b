"""Consecutive failures of one request, counted per conversation (then a person is offered)."""

from __future__ import annotations

from assistant.flows.kit import TurnKit
from assistant.flows.replies import say_raw
from assistant.flows.state import FlowState

_FAILURE_REPLIES = (
    "search_none",
    "auth_failed",
    "auth_failed_verified",
    "refused",
    "unavailable",
    "which_product",
)


def _template_head(key: str, lang: str) -> str:
    """Return the fixed start of a reply template (up to its first placeholder)."""
    return say_raw(key, lang).split("{", 1)[0]


def count_failure(
    state: FlowState, action: str, reply: str, kit: TurnKit, lang: str, *, limit: int
) -> bool:
    """Count consecutive failures of the same request; True when it is time for a person.

    A turn failed when a tool refused, the model could not be read, or the reply is a
    "could not find / could not verify / can't do that" template. The store's policy
    saying no ("a shipped order can't be cancelled any more") is an answer, not a failure.
    """
    failed = any(
        str(e["feedback"]).startswith("ERROR") and not e.get("policy") for e in kit.tool_log
    ) or any(reply.startswith(_template_head(key, lang)) for key in _FAILURE_REPLIES)
    if action == "handoff" or "transfer_to_human_agents" in kit.tools_used:
        failed = False
    if not failed:
        state.failures, state.failed_action = 0, ""
        return False
    same = state.failed_action in ("", action)
    state.failures = state.failures + 1 if same else 1
    state.failed_action = action
    if state.failures >= limit:
        state.failures, state.failed_action = 0, ""
        return True
    return False
