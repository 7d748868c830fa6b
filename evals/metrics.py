"""Aggregate scenario runs into the report's summary: pass rates, pass^k, latency, tokens."""

from __future__ import annotations

from collections import Counter, defaultdict
from math import comb
from typing import Any

from evals.records import ScenarioRun

DEFAULT_ROADMAP_TAGS = ("roadmap",)


def percentile(values: list[float], q: float) -> float | None:
    """Return the ``q`` quantile (0–1) by linear interpolation; None for no values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return round(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo), 3)


def pass_hat_k(runs: list[ScenarioRun], k: int) -> float | None:
    """tau-bench's pass^k: mean over scenarios of C(successes, k) / C(trials, k)."""
    by_id: dict[str, list[bool]] = defaultdict(list)
    for r in runs:
        by_id[r.id].append(r.passed)
    scores = [comb(sum(v), k) / comb(len(v), k) for v in by_id.values() if len(v) >= k]
    return round(sum(scores) / len(scores), 4) if scores else None


def summarize(
    runs: list[ScenarioRun], *, trials: int, roadmap_tags: tuple[str, ...] = DEFAULT_ROADMAP_TAGS
) -> dict[str, Any]:
    """Build the report's ``summary`` object (keys documented in evals/scenarios/REPORT.md)."""
    turns = [t for r in runs for t in r.turns]
    ids = sorted({r.id for r in runs})
    in_scope = [r for r in runs if not set(r.tags) & set(roadmap_tags)]
    roadmap = [r for r in runs if set(r.tags) & set(roadmap_tags)]
    by_tag: dict[str, list[bool]] = defaultdict(list)
    for r in runs:
        for tag in r.tags:
            by_tag[tag].append(r.passed)
    failures: Counter[str] = Counter()
    for r in runs:
        for c in r.failed_checks():
            failures[c.check] += 1
        if r.error:
            failures["scenario.error"] += 1
    invariant = sum(1 for r in runs for c in r.failed_checks() if c.check.startswith("implicit."))

    def rate(xs: list[ScenarioRun]) -> float | None:
        return round(sum(r.passed for r in xs) / len(xs), 4) if xs else None

    ttft = [t.ttft_s for t in turns if t.ttft_s is not None]
    ttfc = [t.ttfc_s for t in turns if t.ttfc_s is not None]
    secs = [t.seconds for t in turns]
    return {
        "scenarios": len(ids),
        "runs": len(runs),
        "trials": trials,
        "turns": len(turns),
        "passed_runs": sum(r.passed for r in runs),
        "pass_rate": rate(runs),
        "in_scope_scenarios": len({r.id for r in in_scope}),
        "in_scope_pass_rate": rate(in_scope),
        "roadmap_scenarios": len({r.id for r in roadmap}),
        "roadmap_pass_rate": rate(roadmap),
        "pass_hat_k": {str(k): pass_hat_k(runs, k) for k in range(1, trials + 1)},
        "by_tag": {
            tag: {"runs": len(v), "passed": sum(v), "pass_rate": round(sum(v) / len(v), 4)}
            for tag, v in sorted(by_tag.items())
        },
        "check_failures": dict(failures.most_common()),
        "invariant_violations": invariant,
        "errors": sum(1 for r in runs if r.error) + sum(1 for t in turns if t.error),
        "writes_executed": sum(len(t.writes) for t in turns),
        "latency_s": {
            "turn_p50": percentile(secs, 0.5),
            "turn_p95": percentile(secs, 0.95),
            "ttft_p50": percentile(ttft, 0.5),
            "ttft_p95": percentile(ttft, 0.95),
            "ttfc_p50": percentile(ttfc, 0.5),
            "ttfc_p95": percentile(ttfc, 0.95),
            "llm_p50": percentile([t.llm_seconds for t in turns], 0.5),
        },
        "tokens": {
            "in": sum(t.tokens_in for t in turns),
            "out": sum(t.tokens_out for t in turns),
            "in_per_turn": round(sum(t.tokens_in for t in turns) / len(turns), 1)
            if turns
            else None,
            "out_per_turn": round(sum(t.tokens_out for t in turns) / len(turns), 1)
            if turns
            else None,
        },
    }
