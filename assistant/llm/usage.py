"""Token metering: a context-local counter that every LLM call adds its usage to.

Evaluations and benchmarks open :func:`metering` around a turn; the client records the
server-reported token counts (or an estimate, marked as such, when the server reports
none). Without an open meter nothing is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Usage:
    """Tokens read and written by the LLM calls made under one meter."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    estimated_calls: int = 0


_METER: ContextVar[Usage | None] = ContextVar("shopassist_llm_usage", default=None)


def record(prompt_tokens: int, completion_tokens: int, *, estimated: bool = False) -> None:
    """Add one LLM call's token counts to the open meter (if any)."""
    usage = _METER.get()
    if usage is None:
        return
    usage.prompt_tokens += max(0, int(prompt_tokens))
    usage.completion_tokens += max(0, int(completion_tokens))
    usage.calls += 1
    usage.estimated_calls += int(estimated)


def estimate_tokens(text: str) -> int:
    """Estimate a token count (4 characters a token) for servers that report no usage."""
    return max(1, len(text) // 4) if text else 0


@contextmanager
def metering() -> Iterator[Usage]:
    """Count the tokens of every LLM call made inside the block (this task and its children)."""
    usage = Usage()
    token = _METER.set(usage)
    try:
        yield usage
    finally:
        _METER.reset(token)
