"""Tool-routing evaluation: does the model's first step pick the right tool, or none."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from importlib import resources

from assistant.agent import ShoppingAgent
from assistant.events import discard


@dataclass(frozen=True)
class RoutingCase:
    """One shopper message and the tool it should route to (None = plain reply)."""

    message: str
    expect: str | None


@dataclass(frozen=True)
class RoutingOutcome:
    """What the model did for one case."""

    message: str
    expect: str | None
    got: str | None
    kind: str
    seconds: float

    @property
    def ok(self) -> bool:
        """True when the routed tool matches the expected one."""
        return self.got == self.expect


def default_cases() -> list[RoutingCase]:
    """Return the 10 fixed routing cases shipped with the project."""
    raw = resources.files(__package__).joinpath("routing_cases.json").read_text("utf-8")
    return [RoutingCase(c["message"], c["expect"]) for c in json.loads(raw)]


async def route(agent: ShoppingAgent, message: str) -> RoutingOutcome:
    """Run only the model's first step for ``message`` and report which tool it chose."""
    messages = [
        {"role": "system", "content": agent.system_prompt},
        {"role": "user", "content": message},
    ]
    started = time.perf_counter()
    parsed, _streamed, _s = await agent._stream_model(messages, discard)
    got = parsed.tool if parsed.kind == "tool" else None
    return RoutingOutcome(message, None, got, parsed.kind, time.perf_counter() - started)


async def evaluate(agent: ShoppingAgent, cases: list[RoutingCase]) -> list[RoutingOutcome]:
    """Route every case; returns outcomes in order."""
    out = []
    for case in cases:
        r = await route(agent, case.message)
        out.append(RoutingOutcome(case.message, case.expect, r.got, r.kind, r.seconds))
    return out


def report(outcomes: list[RoutingOutcome]) -> dict[str, object]:
    """Summarise outcomes as a JSON-able dict."""
    return {
        "correct": sum(o.ok for o in outcomes),
        "total": len(outcomes),
        "cases": [asdict(o) | {"ok": o.ok} for o in outcomes],
    }
