"""What a scenario run recorded: turns, tool calls, writes, timings and check outcomes.

These models are the per-scenario part of ``report.json`` (schema in
``evals/scenarios/REPORT.md``); field names are stable.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class CheckResult(BaseModel):
    """One graded check. ``check`` is a stable name such as ``cards.max_price``."""

    check: str
    ok: bool
    detail: str = ""
    turn: int | None = Field(default=None, description="0-based turn; None for final checks.")


class ToolCall(BaseModel):
    """A tool the assistant ran in a turn, with its arguments and the result it saw."""

    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: str = ""


class WriteRecord(BaseModel):
    """An executed write (one audit row) and whether it was proposed in an earlier turn."""

    action: str
    args: dict[str, Any] = Field(default_factory=dict)
    proposed_earlier: bool


class TurnRecord(BaseModel):
    """Everything observed in one turn."""

    index: int
    user: str
    reply: str = ""
    cards: list[dict[str, Any]] = Field(default_factory=list)
    tools: list[ToolCall] = Field(default_factory=list)
    writes: list[WriteRecord] = Field(default_factory=list)
    authenticated: bool = False
    escalated: bool = False
    cart: dict[str, Any] | None = Field(
        default=None, description="The conversation's cart after the turn (lines, total)."
    )
    error: str | None = None
    seconds: float = 0.0
    ttft_s: float | None = Field(default=None, description="Time to first reply token.")
    ttfc_s: float | None = Field(default=None, description="Time to first product card.")
    llm_seconds: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    checks: list[CheckResult] = Field(default_factory=list)

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools run in this turn, in order."""
        return [t.name for t in self.tools]


class ScenarioRun(BaseModel):
    """One trial of one scenario."""

    id: str
    file: str
    tags: list[str] = Field(default_factory=list)
    trial: int = 0
    customer: str | None = None
    passed: bool = False
    error: str | None = None
    seconds: float = 0.0
    turns: list[TurnRecord] = Field(default_factory=list)
    final_checks: list[CheckResult] = Field(default_factory=list)

    def all_checks(self) -> list[CheckResult]:
        """Every check of every turn, then the final ones."""
        return [c for t in self.turns for c in t.checks] + list(self.final_checks)

    def failed_checks(self) -> list[CheckResult]:
        """Return the checks that did not hold."""
        return [c for c in self.all_checks() if not c.ok]
