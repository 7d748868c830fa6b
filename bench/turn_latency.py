"""Turn latency over N chat turns: p50/p95 of total, LLM and everything-else time.

Runs real turns through ``ChatService`` (store, hybrid search, agent loop, persistence)
against the configured LLM: the embedded llama.cpp model by default, or any
OpenAI-compatible server with ``--base-url`` (e.g. vLLM). Writes
``bench/results/turn_latency.json``.

    python bench/turn_latency.py --turns 20

Over the dialogue scenarios, both assistant modes side by side (every scenario's turns
through the eval harness, which records time to first token/card per turn):

    python bench/turn_latency.py --scenarios ../shared/evals/scenarios_dev.yaml
    python bench/turn_latency.py --reports agent=REPORT.json flows=REPORT.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.bootstrap import build_services
from assistant.settings import Settings

SCRIPT = [
    ["hi!", "waterproof hiking boots under $150", "which of those is cheapest?", "thanks!"],
    [
        "I need a bluetooth speaker for the beach",
        "anything under $60?",
        "what colors does the first one come in?",
        "great, thank you",
    ],
    [
        "looking for a yoga mat",
        "a thicker one please",
        "do you have resistance bands too?",
        "ok bye",
    ],
    [
        "office chair with lumbar support under $300",
        "and a standing desk?",
        "what can you help me with?",
        "cheers",
    ],
    [
        "gift for a coffee lover under $50",
        "electric kettle maybe",
        "what about a sleeping bag",
        "that's all",
    ],
]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else 0.0


async def run(settings: Settings, turns: int) -> list[dict[str, object]]:
    services = await asyncio.to_thread(build_services, settings)
    records: list[dict[str, object]] = []
    try:
        flat = [(i, msg) for i, conv in enumerate(SCRIPT) for msg in conv]
        conv_ids: dict[int, str | None] = {}
        for n in tqdm(range(turns), desc="Turns", unit="turn"):
            idx, msg = flat[n % len(flat)]
            result = await services.chat.run_turn(conv_ids.get(idx), msg)
            conv_ids[idx] = result.conversation_id
            records.append(
                {
                    "message": msg,
                    "total_s": result.total_seconds,
                    "llm_s": result.llm_seconds,
                    "other_s": result.total_seconds - result.llm_seconds,
                    "tools": result.tools_used,
                    "fallback": result.fallback,
                    "reply_chars": len(result.reply),
                }
            )
    finally:
        services.close()
    return records


def scenario_latency(args: argparse.Namespace) -> None:
    """Turn latency of each mode over scenario files, from eval reports (run or given)."""
    from dialogue_eval import run_eval

    from evals.report import load_report

    reports: dict[str, Path] = {}
    for item in args.reports or []:
        mode, _, path = item.partition("=")
        reports[mode] = Path(path)
    for mode in args.modes if args.scenarios else []:
        if mode in reports:
            continue
        out = Path("var/eval/reports") / f"latency-{mode}"
        reports[mode] = run_eval(args.scenarios, out, "--mode", mode)
    result: dict[str, dict[str, object]] = {}
    print(
        f"{'mode':8} {'turns':>6} {'ttfc p50':>9} {'turn p50':>9} {'turn p95':>9} {'ttft p50':>9}"
    )
    for mode, path in reports.items():
        s = load_report(path)["summary"]
        lat = s["latency_s"]
        result[mode] = {
            "turns": s["turns"],
            "ttfc_p50_s": lat["ttfc_p50"],
            "turn_p50_s": lat["turn_p50"],
            "turn_p95_s": lat["turn_p95"],
            "ttft_p50_s": lat["ttft_p50"],
            "report": str(path),
        }
        print(
            f"{mode:8} {s['turns']:6} {lat['ttfc_p50']!s:>9} {lat['turn_p50']!s:>9} "
            f"{lat['turn_p95']!s:>9} {lat['ttft_p50']!s:>9}"
        )
    out_json = Path("bench/results/turn_latency_scenarios.json")
    out_json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out_json}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--scenarios", type=Path, help="scenario file: latency per mode instead")
    ap.add_argument("--modes", nargs="+", default=["agent", "flows"])
    ap.add_argument("--reports", nargs="*", help="MODE=report.json to reuse instead of running")
    ap.add_argument("--base-url", default=None, help="OpenAI-compatible server (default: embedded)")
    ap.add_argument("--model", default=None, help="model name for --base-url")
    ap.add_argument("--data-dir", default="var/bench", help="store/index/model folder to use")
    ap.add_argument("--out", type=Path, default=Path("bench/results/turn_latency.json"))
    args = ap.parse_args()
    if args.scenarios or args.reports:
        scenario_latency(args)
        return
    settings = Settings(data_dir=args.data_dir)
    settings.llm.models_dir = "var/models"
    if args.base_url:
        settings.llm.base_url = args.base_url
    if args.model:
        settings.llm.model = args.model
    started = time.perf_counter()
    records = asyncio.run(run(settings, args.turns))
    summary: dict[str, dict[str, float]] = {}
    for key in ("total_s", "llm_s", "other_s"):
        vals = [float(r[key]) for r in records]  # type: ignore[arg-type]
        summary[key] = {"p50": pct(vals, 50), "p95": pct(vals, 95), "mean": float(np.mean(vals))}
    backend = settings.llm.base_url or f"embedded {settings.llm.embedded_model}"
    print(f"\n{len(records)} turns, backend: {backend}")
    print(f"{'':10} {'p50 (s)':>9} {'p95 (s)':>9} {'mean (s)':>9}")
    for key, label in (("total_s", "total"), ("llm_s", "LLM"), ("other_s", "other")):
        s = summary[key]
        print(f"{label:10} {s['p50']:9.2f} {s['p95']:9.2f} {s['mean']:9.2f}")
    share = summary["llm_s"]["mean"] / summary["total_s"]["mean"]
    print(
        f"LLM share of turn time: {share:.1%}; "
        f"turns using a tool: {sum(1 for r in records if r['tools'])}/{len(records)}; "
        f"fallbacks: {sum(1 for r in records if r['fallback'])}"
    )
    out = {
        "turns": len(records),
        "backend": settings.llm.base_url or settings.llm.embedded_model,
        "machine": {"cpus": __import__("os").cpu_count(), "platform": platform.platform()},
        "summary": summary,
        "llm_share": share,
        "wall_s": time.perf_counter() - started,
        "records": records,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
