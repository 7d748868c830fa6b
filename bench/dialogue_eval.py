"""Dialogue-eval benchmark: scenario pass rates, pass^k and latency on the embedded model.

Runs ``shopassist eval run`` on a scenario file (default: the shared development set) and
writes ``bench/results/dialogue_eval.json`` with the headline numbers the assistant issues
track: mode, scenarios, in_scope_pass_rate, pass_hat_1, pass_hat_3 (when run with
``--trials 3``), invariant_violations, ttfc_p50_s, turn_p50_s, turn_p95_s. ``--baseline``
stores the run under ``baseline`` instead (today's mode, for later modes to beat).

    python bench/dialogue_eval.py --scenarios ../shared/evals/scenarios_dev.yaml [--trials 3]
    python bench/dialogue_eval.py --from-report var/eval/reports/run-…/report.json

Without the shared data, pass ``--scenarios evals/scenarios/example.yaml``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.report import load_report  # noqa: E402


def run_eval(scenarios: Path, out_dir: Path, *extra: str) -> Path:
    """Run ``shopassist eval run`` on ``scenarios`` (quiet console); return its report.json."""
    out_dir = out_dir.resolve()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "serving.cli",
            "--log-level",
            "WARNING",
            "eval",
            "run",
            str(scenarios),
            *extra,
            "--out",
            str(out_dir),
        ],
        check=True,
        cwd=ROOT,
    )
    return out_dir / "report.json"


def headline(report: dict[str, Any], report_path: Path) -> dict[str, Any]:
    """The tracked numbers of one report."""
    s = report["summary"]
    lat = s["latency_s"]
    return {
        "mode": report["config"].get("mode", "agent"),
        "llm": report["config"].get("llm"),
        "scenarios": s["scenarios"],
        "trials": s["trials"],
        "pass_rate": s["pass_rate"],
        "in_scope_scenarios": s["in_scope_scenarios"],
        "in_scope_pass_rate": s["in_scope_pass_rate"],
        "roadmap_pass_rate": s["roadmap_pass_rate"],
        "pass_hat_1": s["pass_hat_k"].get("1"),
        "pass_hat_3": s["pass_hat_k"].get("3"),
        "invariant_violations": s["invariant_violations"],
        "ttft_p50_s": lat["ttft_p50"],
        "ttfc_p50_s": lat["ttfc_p50"],
        "turn_p50_s": lat["turn_p50"],
        "turn_p95_s": lat["turn_p95"],
        "tokens_in_per_turn": s["tokens"]["in_per_turn"],
        "tokens_out_per_turn": s["tokens"]["out_per_turn"],
        "check_failures": s["check_failures"],
        "report": str(report_path),
        "measured_at": report["created_at"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--scenarios", type=Path, default=ROOT.parent / "shared/evals/scenarios_dev.yaml"
    )
    ap.add_argument("--trials", type=int, default=1)
    ap.add_argument("--from-report", type=Path, help="summarize this report instead of running")
    ap.add_argument("--baseline", action="store_true", help="record as the baseline mode")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/dialogue_eval.json")
    args = ap.parse_args()
    if args.from_report:
        report_path = args.from_report
    else:
        if not args.scenarios.is_file():
            sys.exit(f"{args.scenarios} not found; pass --scenarios evals/scenarios/example.yaml")
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        out_dir = ROOT / "var/eval/reports" / f"bench-{stamp}"
        report_path = run_eval(args.scenarios, out_dir, "--trials", str(args.trials))
    numbers = headline(load_report(report_path), report_path)
    previous = json.loads(args.out.read_text()) if args.out.is_file() else {}
    if args.baseline:
        result = {**previous, "baseline": numbers}
        result.setdefault("mode", numbers["mode"])
    else:
        # other recorded runs (e.g. agent_final_code) stay; the headline is replaced
        result = {**previous, **numbers, "baseline": previous.get("baseline", numbers)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    for key in (
        "mode",
        "scenarios",
        "pass_rate",
        "in_scope_pass_rate",
        "pass_hat_1",
        "pass_hat_3",
        "invariant_violations",
        "ttft_p50_s",
        "ttfc_p50_s",
        "turn_p50_s",
        "turn_p95_s",
    ):
        base = result["baseline"].get(key)
        print(f"{key:22} {numbers[key]!s:>10}   baseline {base!s:>10}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
