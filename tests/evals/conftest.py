"""Fixtures for harness tests: a small real eval store and a runner on the scripted LLM."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from assistant.bootstrap import build_agent
from evals.records import CheckResult, ScenarioRun
from evals.runner import EvalContext, run_scenario
from evals.scenario import parse_scenarios
from evals.stores import EvalStore
from tests.conftest import make_settings
from tests.fakes import FakeLLM


def call(tool: str, **args: Any) -> str:
    """The scripted model's JSON tool call."""
    return json.dumps({"tool": tool, "args": args})


@dataclass
class Harness:
    """Run one scenario dict through the real runner with the scripted LLM."""

    ctx: EvalContext
    llm: FakeLLM

    async def run(self, scenario: dict[str, Any]) -> ScenarioRun:
        scenario = {"id": "t", **scenario}
        (parsed,) = parse_scenarios([scenario], "test")
        result = await run_scenario(self.ctx, "test.yaml", parsed)
        assert self.llm.pending == 0, "the scenario did not use every scripted reply"
        return result


@pytest.fixture()
def harness(eval_store: EvalStore, tmp_path: Path) -> Harness:
    llm = FakeLLM()
    settings = make_settings(tmp_path)
    settings.agent.mode = "agent"  # these tests script the tool loop's JSON calls
    return Harness(
        EvalContext.create(
            settings, eval_store, llm, build_agent(settings, llm, every_identity=True)
        ),
        llm,
    )


def results(run: ScenarioRun, check: str) -> list[CheckResult]:
    """The results of one named check (asserting it was graded at all)."""
    found = [c for c in run.all_checks() if c.check == check]
    assert found, f"check {check} was not graded; got {[c.check for c in run.all_checks()]}"
    return found


def passed(run: ScenarioRun, check: str) -> bool:
    return all(c.ok for c in results(run, check))
