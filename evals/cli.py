"""``shopassist eval``: run, check, compare, export and tau2 (wired into the main CLI)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.bootstrap import agent_mode
from assistant.settings import Settings
from evals.metrics import DEFAULT_ROADMAP_TAGS


def _llm_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    llm = settings.llm.model_copy()
    if getattr(args, "llm_url", None):
        llm.base_url = args.llm_url
    if getattr(args, "llm_model", None):
        llm.model = args.llm_model
    return settings.model_copy(update={"llm": llm})


def default_out(settings: Settings, kind: str) -> Path:
    """Return a fresh report folder under the data dir: ``eval/reports/<kind>-<time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.data_dir) / "eval" / "reports" / f"{kind}-{stamp}"


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.llm.client import aclose_quietly
    from evals import runner
    from evals.report import build_report, write_report
    from evals.scenario import load_files
    from evals.stores import EvalStore

    settings = _llm_settings(settings, args)
    if getattr(args, "mode", None):
        settings.agent.mode = args.mode
    scenarios = load_files(args.files, tags=args.tags, ids=args.ids)
    if args.limit:
        scenarios = scenarios[: args.limit]
    if not scenarios:
        print("error: no scenario matches the given files, --tags and --ids", file=sys.stderr)
        return 2
    store = EvalStore.prepare(settings, Path(args.store_dir or Path(settings.data_dir) / "eval"))
    out = Path(args.out) if args.out else default_out(settings, "run")
    roadmap = tuple(args.roadmap_tags)
    runs: list[Any] = []
    partial = False
    try:
        with runner.eval_session(settings, store) as (ctx, _embedded):
            print(
                f"Running {len(scenarios)} scenarios × {args.trials} trials on {store.source}; "
                f"LLM {settings.llm.base_url or 'embedded ' + settings.llm.embedded_model}",
                flush=True,
            )

            async def main() -> None:
                try:
                    await runner.run_all(
                        ctx, scenarios, trials=args.trials, concurrency=args.concurrency, sink=runs
                    )
                finally:
                    await aclose_quietly(ctx.llm)

            asyncio.run(main())
    except KeyboardInterrupt:
        partial = True
        print("\ninterrupted: writing a partial report", file=sys.stderr)
    config = {
        "files": [str(f) for f in args.files],
        "tags": args.tags,
        "ids": args.ids,
        "trials": args.trials,
        "concurrency": args.concurrency,
        "store": store.source,
        "mode": agent_mode(settings),
        "llm": settings.llm.base_url or f"embedded:{settings.llm.embedded_model}",
        "model": settings.llm.model,
    }
    report = build_report(
        runs, config=config, trials=args.trials, partial=partial, roadmap_tags=roadmap
    )
    json_path, html_path = write_report(report, out)
    print_summary(report)
    print(f"report: {json_path}\n        {html_path}")
    rate = report["summary"]["pass_rate"] or 0.0
    if partial:
        return 130
    if args.min_pass_rate is not None and rate < args.min_pass_rate:
        print(
            f"FAIL: pass rate {rate:.3f} is below the required {args.min_pass_rate:.3f}",
            file=sys.stderr,
        )
        return 1
    return 0


def print_summary(report: dict[str, Any]) -> None:
    """Print the headline numbers of a report."""
    s = report["summary"]
    lat = s["latency_s"]
    print(
        f"scenarios {s['scenarios']}, runs {s['runs']}: passed {s['passed_runs']} "
        f"(pass rate {s['pass_rate']}; in-scope {s['in_scope_pass_rate']}, "
        f"roadmap {s['roadmap_pass_rate']})"
    )
    print("pass^k: " + ", ".join(f"k={k}: {v}" for k, v in s["pass_hat_k"].items()))
    print(
        f"turn p50 {lat['turn_p50']}s p95 {lat['turn_p95']}s; first token p50 "
        f"{lat['ttft_p50']}s; first card p50 {lat['ttfc_p50']}s; tokens in/out "
        f"{s['tokens']['in']}/{s['tokens']['out']}; writes {s['writes_executed']}; "
        f"invariant violations {s['invariant_violations']}; errors {s['errors']}"
    )
    if s["check_failures"]:
        print("failed checks: " + ", ".join(f"{k} ×{v}" for k, v in s["check_failures"].items()))


def _check(settings: Settings, args: argparse.Namespace) -> int:
    from evals.validate import validate_files

    problems = validate_files(settings, args.files, store_dir=args.store_dir)
    for p in problems:
        print(p)
    errors = [p for p in problems if p.startswith("error")]
    print(
        f"{len(args.files)} file(s): {len(errors)} error(s), "
        f"{len(problems) - len(errors)} warning(s)"
    )
    return 1 if errors else 0


def _compare(_settings: Settings, args: argparse.Namespace) -> int:
    from evals.report import compare, load_report

    result = compare(load_report(args.old), load_report(args.new))
    for line in result.lines():
        print(line)
    return 1 if result.regressions else 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    from catalog.db import make_engine
    from evals.export import export_conversation, export_thumbs_down

    engine = make_engine(settings.database)
    if args.thumbs_down:
        text = export_thumbs_down(engine)
    elif args.conversation_id:
        text = export_conversation(engine, args.conversation_id, scenario_id=args.id)
    else:
        print("error: give a conversation id, or --thumbs-down", file=sys.stderr)
        return 2
    if args.out:
        Path(args.out).write_text(text, "utf-8")
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0


def _tau2(settings: Settings, args: argparse.Namespace) -> int:
    from evals.tau2 import run_tau2_command

    settings = _llm_settings(settings, args)
    if getattr(args, "mode", None):
        settings.agent.mode = args.mode
    return run_tau2_command(settings, args)


def add_eval_parser(sub: Any) -> None:
    """Add ``eval`` and its subcommands to the ``shopassist`` parser."""
    ev = sub.add_parser("eval", help="dialogue evaluations for QA (run, check, compare, …)")
    esub = ev.add_subparsers(dest="eval_command", required=True)

    def llm_flags(p: argparse.ArgumentParser) -> None:
        p.add_argument("--llm-url", help="OpenAI-compatible base URL (vLLM); default: settings")
        p.add_argument("--llm-model", help="model name sent to that server")

    run = esub.add_parser("run", help="run scenario files against the assistant")
    run.add_argument("files", nargs="+", type=Path)
    run.add_argument("--trials", type=int, default=1, help="runs per scenario (pass^k)")
    run.add_argument("--tags", nargs="*", default=None, help="only scenarios with any tag")
    run.add_argument("--ids", nargs="*", default=None, help="only these scenario ids")
    run.add_argument("--limit", type=int, default=0, help="run at most N scenarios")
    run.add_argument("--concurrency", type=int, default=1)
    run.add_argument("--out", help="report folder (default var/eval/reports/run-<time>)")
    run.add_argument("--store-dir", help="where the template store lives (default var/eval)")
    run.add_argument(
        "--roadmap-tags",
        nargs="*",
        default=list(DEFAULT_ROADMAP_TAGS),
        help="tags of scenarios for features not built yet (reported apart)",
    )
    run.add_argument(
        "--min-pass-rate",
        type=float,
        default=None,
        help="exit 1 when the pass rate is lower (a CI gate)",
    )
    run.add_argument(
        "--mode",
        choices=["flows", "agent"],
        default=None,
        help="assistant mode (default: SHOP_AGENT__MODE, auto)",
    )
    llm_flags(run)
    run.set_defaults(fn=_run)

    chk = esub.add_parser("check", help="validate scenario files without running them")
    chk.add_argument("files", nargs="+", type=Path)
    chk.add_argument("--store-dir", help="where the template store lives (default var/eval)")
    chk.set_defaults(fn=_check)

    cmp = esub.add_parser("compare", help="list regressions and fixes; exit 1 on a regression")
    cmp.add_argument("old", type=Path)
    cmp.add_argument("new", type=Path)
    cmp.set_defaults(fn=_compare)

    exp = esub.add_parser("export", help="write a scenario skeleton from a stored conversation")
    exp.add_argument("conversation_id", nargs="?")
    exp.add_argument("--id", help="scenario id (default: from the conversation id)")
    exp.add_argument(
        "--thumbs-down",
        action="store_true",
        help="export every conversation with a thumbs-down reply (newest first)",
    )
    exp.add_argument("--out", help="file to write (default: stdout)")
    exp.set_defaults(fn=_export)

    tau = esub.add_parser("tau2", help="tau2 retail tasks with an LLM-simulated customer")
    tau.add_argument("--tasks", required=True, type=Path, help="tasks_train.json")
    tau.add_argument("--db", type=Path, help="db.json (default: beside the tasks file)")
    tau.add_argument("--limit", type=int, default=0, help="run the first N tasks")
    tau.add_argument("--trials", type=int, default=1)
    tau.add_argument("--max-turns", type=int, default=10, help="shopper messages per task")
    tau.add_argument(
        "--user-url",
        help="OpenAI-compatible URL for the simulated customer "
        "(default: settings eval.user_base_url, else the assistant's LLM)",
    )
    tau.add_argument("--user-model", help="model name for the simulated customer")
    tau.add_argument("--out", help="report folder (default var/eval/reports/tau2-<time>)")
    tau.add_argument("--store-dir", help="where the template store lives (default var/eval)")
    tau.add_argument(
        "--mode",
        choices=["flows", "agent"],
        default=None,
        help="assistant mode (default: SHOP_AGENT__MODE, auto)",
    )
    llm_flags(tau)
    tau.set_defaults(fn=_tau2)
