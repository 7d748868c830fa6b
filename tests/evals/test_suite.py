"""The shipped example suite end to end on a scripted model: runner, reports, compare, CLI."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import pytest

from evals import cli as eval_cli
from evals.report import build_report, compare, load_report, write_report
from evals.runner import run_all
from evals.scenario import load_files
from tests.conftest import make_settings
from tests.evals.conftest import Harness, call

SUITE = Path(__file__).resolve().parents[2] / "evals" / "scenarios" / "example.yaml"


def rule_model(messages: list[dict[str, str]]) -> str:
    """A deterministic stand-in for the LLM: keyword rules over the last message."""
    last = messages[-1]["content"]
    text = last.lower()
    if last.startswith("<tool_result"):
        if '"results"' in last:
            found = re.search(r'"name":"([^"]+)","price":([\d.]+)', last)
            return f"I found the {found.group(1)} at ${found.group(2)}." if found else "None."
        return "Done, is there anything else?"
    if "kettle" in text:
        return call("search_catalog", query="electric kettle", max_price=60)
    if "headphones" in text:
        return call("search_catalog", query="over-ear headphones")
    if "yoga mat" in text:
        return call("search_catalog", query="yoga mat")
    if "person" in text or "human" in text:
        return call("transfer_to_human_agents", summary="asked for a person")
    if text.strip() == "yes":
        tokens = re.findall(r'"token"\s*:\s*"([^"]+)"', "\n".join(m["content"] for m in messages))
        return call("confirm_action", token=tokens[-1])
    email = re.search(r"[\w.+-]+@[\w.-]+", last)
    order = re.search(r"#W\d+", last)
    if email and "override" not in text:
        return call("find_user_id_by_email", email=email.group(0))
    if order and "cancel" in text and "override" not in text:
        return call("cancel_pending_order", order_id=order.group(0), reason="no longer needed")
    if order and "status" in text:
        return call("get_order_details", order_id=order.group(0))
    if order:
        return "Please tell me your email, or your name and zip code, first."
    return "Hello! What are you looking for today?"


async def test_example_suite_end_to_end(harness: Harness, tmp_path: Path) -> None:
    scenarios = load_files([SUITE])
    assert len(scenarios) == 10
    harness.llm.enqueue(*([rule_model] * 200))
    runs = await run_all(harness.ctx, scenarios, trials=2, concurrency=2, progress=False)
    assert len(runs) == 20
    by_id = {r.id: r for r in runs if r.trial == 0}
    # (Budget and cheapest searches depend on search ranking in this small test store,
    # so only the scenarios the rule model fully controls must pass.)
    for sid in (
        "ex-search-headphones",
        "ex-greeting",
        "ex-human-please",
        "ex-orders-no-data-before-auth",
        "ex-orders-cancel-confirmed",
        "ex-orders-cancel-declined",
        "ex-safety-injection",
    ):
        assert by_id[sid].passed, (sid, [c for c in by_id[sid].failed_checks()])
    cancel = by_id["ex-orders-cancel-confirmed"]
    assert [len(t.writes) for t in cancel.turns] == [0, 0, 1]
    # Writes never leak between scenarios: each run cancelled the same order on its own copy.
    assert all(r.passed for r in runs if r.id == "ex-orders-cancel-confirmed")

    report = build_report(runs, config={"files": [str(SUITE)]}, trials=2)
    s = report["summary"]
    assert s["runs"] == 20 and s["scenarios"] == 10
    assert s["passed_runs"] == sum(r.passed for r in runs)
    assert s["pass_hat_k"]["1"] == pytest.approx(s["pass_rate"], abs=1e-3)
    assert s["pass_hat_k"]["2"] <= s["pass_hat_k"]["1"]
    assert s["writes_executed"] == 2 and s["invariant_violations"] == 0
    assert s["latency_s"]["turn_p50"] is not None and s["tokens"]["in"] > 0
    assert s["by_tag"]["orders"]["runs"] == 8

    json_path, html_path = write_report(report, tmp_path / "out")
    assert load_report(json_path)["summary"] == json.loads(json.dumps(s))
    html = html_path.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://127", "")
    assert "<svg" in html and "ex-orders-cancel-confirmed" in html
    assert "pass^k" in html


def _report(outcomes: dict[str, list[bool]]) -> dict[str, Any]:
    runs = [
        {"id": sid, "passed": ok, "trial": i}
        for sid, oks in outcomes.items()
        for i, ok in enumerate(oks)
    ]
    return {"schema": "shopassist.eval.report/1", "summary": {}, "runs": runs}


def test_compare_lists_regressions_and_fixes(tmp_path: Path) -> None:
    old = _report({"a": [True, True], "b": [False, False], "c": [True, False], "gone": [True]})
    new = _report({"a": [True, False], "b": [True, True], "c": [True, False], "new": [True]})
    result = compare(old, new)
    assert result.regressions == ["a (2/2 -> 1/2)"] and result.fixes == ["b (0/2 -> 2/2)"]
    assert result.added == ["new"] and result.removed == ["gone"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    args = argparse.Namespace(old=tmp_path / "old.json", new=tmp_path / "new.json")
    assert eval_cli._compare(make_settings(tmp_path), args) == 1
    args = argparse.Namespace(old=tmp_path / "new.json", new=tmp_path / "new.json")
    assert eval_cli._compare(make_settings(tmp_path), args) == 0


def test_ctrl_c_writes_a_partial_report(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evals import runner
    from evals.records import ScenarioRun

    async def interrupted(_ctx: Any, _scenarios: Any, **kw: Any) -> None:
        kw["sink"].append(ScenarioRun(id="ex-greeting", file=str(SUITE), passed=True))
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_all", interrupted)
    args = argparse.Namespace(
        files=[SUITE],
        tags=None,
        ids=None,
        limit=0,
        trials=1,
        concurrency=1,
        out=str(tmp_path / "partial"),
        store_dir=str(harness.ctx.store.root),
        roadmap_tags=["roadmap"],
        min_pass_rate=None,
        llm_url="http://127.0.0.1:9/v1",
        llm_model=None,
    )
    assert eval_cli._run(make_settings(tmp_path), args) == 130
    report = load_report(tmp_path / "partial" / "report.json")
    assert report["partial"] is True and report["summary"]["runs"] == 1
