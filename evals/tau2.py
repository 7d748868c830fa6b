"""tau2 retail tasks with an LLM-simulated customer, graded by database state.

The customer is played by an LLM that gets the task's ``user_scenario`` instructions and
talks to the assistant (through the same chat service as the widget) until it writes
``###STOP###`` or reaches the turn cap. The final store must equal a fresh copy with the
task's expected actions replayed through the order service (tau-bench's reward).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.bootstrap import agent_mode
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from assistant.llm.client import ChatModel, OpenAICompatibleClient, TextDelta, aclose_quietly
from assistant.settings import Settings
from catalog.errors import ShopError
from catalog.orders.actions import WRITE_ACTIONS
from catalog.orders.service import OrderService
from evals.errors import EvalError
from evals.grader import diff_documents, replay_actions, store_document, store_hash
from evals.records import CheckResult, ScenarioRun
from evals.runner import EvalContext, eval_session, run_turn_recorded
from tools.deps import Deps

STOP = "###STOP###"
GREETING = "Hi! How can I help you today?"
USER_SYSTEM = """You are a customer of an online store, chatting with its support assistant.
Follow these instructions; they are about you, the customer:
{instructions}

Rules:
- Write only your next message to the assistant: one or two short sentences, plain text.
- Give information only when the assistant asks for it; never invent details you were not given.
- When the assistant has done what you wanted, or says it cannot, or you are transferred to
  a human, write only {stop}.
- Never play the assistant and never write JSON."""


def instructions_text(task: dict[str, Any]) -> str:
    """Render the task's ``user_scenario`` as plain instructions for the customer simulator."""
    scenario = task.get("user_scenario") or {}
    inst = scenario.get("instructions") or {}
    if isinstance(inst, str):
        return inst
    parts = [f"{k.replace('_', ' ')}: {v}" for k, v in inst.items() if v and k != "domain"]
    if scenario.get("persona"):
        parts.insert(0, f"persona: {scenario['persona']}")
    return "\n".join(parts)


def task_customer(task: dict[str, Any], data: dict[str, Any]) -> str | None:
    """Return the customer id the task's expected actions act for (from ids, emails or names)."""
    for action in task.get("evaluation_criteria", {}).get("actions", []):
        args = action.get("arguments", {})
        if args.get("user_id") in data["users"]:
            return str(args["user_id"])
        if args.get("order_id") in data["orders"]:
            return str(data["orders"][args["order_id"]]["user_id"])
        if "email" in args:
            for uid, u in data["users"].items():
                if u.get("email") == args["email"]:
                    return str(uid)
        if "first_name" in args:
            for uid, u in data["users"].items():
                name, zip_code = u.get("name", {}), u.get("address", {}).get("zip")
                if (name.get("first_name"), name.get("last_name"), zip_code) == (
                    args["first_name"],
                    args.get("last_name"),
                    args.get("zip"),
                ):
                    return str(uid)
    return None


async def _complete(llm: ChatModel, messages: list[dict[str, str]]) -> str:
    text = ""
    async for delta in llm.stream(messages):
        if isinstance(delta, TextDelta):
            text += delta.text
    return text.strip()


async def simulate_user_turn(
    user_llm: ChatModel, system: str, transcript: list[tuple[str, str]]
) -> str:
    """Return the simulated customer's next message, given the transcript (assistant, customer)."""
    messages = [{"role": "system", "content": system}]
    for speaker, text in transcript:
        messages.append(
            {"role": "user" if speaker == "assistant" else "assistant", "content": text}
        )
    return await _complete(user_llm, messages)


async def run_task(
    ctx: EvalContext,
    user_llm: ChatModel,
    task: dict[str, Any],
    data: dict[str, Any],
    *,
    trial: int,
    max_turns: int,
) -> ScenarioRun:
    """Play one task to the end and grade the final store against the expected actions."""
    run = ScenarioRun(
        id=f"tau2-{task['id']}",
        file="tau2",
        tags=["tau2"],
        trial=trial,
        customer=task_customer(task, data),
    )
    started = time.perf_counter()
    engine = ctx.store.fresh(run.id)
    try:
        conversations = ConversationStore(engine)
        deps = Deps(
            engine=engine,
            searcher=ctx.store.searcher.bound_to(engine),
            orders=OrderService(engine, identity="tau2"),
            llm=ctx.llm,
        )
        chat = ChatService(ctx.agent, deps, conversations, ctx.settings.agent)
        conv = await asyncio.to_thread(conversations.ensure, None)
        system = USER_SYSTEM.format(instructions=instructions_text(task), stop=STOP)
        transcript: list[tuple[str, str]] = [("assistant", GREETING)]
        audit_pk = 0
        for i in range(max_turns):
            said = await simulate_user_turn(user_llm, system, transcript)
            if not said or STOP in said:
                break
            transcript.append(("customer", said))
            record, audit_pk = await run_turn_recorded(
                chat, conversations, engine, conv.id, i, said, audit_pk
            )
            run.turns.append(record)
            transcript.append(("assistant", record.reply or "(no answer)"))
        writes = [a for a in task["evaluation_criteria"]["actions"] if a["name"] in WRITE_ACTIONS]
        expected = ctx.store.fresh(f"{run.id}-expected")
        try:
            replay = replay_actions(expected, run.customer, writes)
            ok = not replay.refused and store_hash(engine) == replay.hash
            detail = (
                "store matches the expected actions"
                if ok
                else (
                    f"expected actions refused: {replay.refused}"
                    if replay.refused
                    else "; ".join(
                        diff_documents(store_document(engine), store_document(expected), limit=6)
                    )
                )
            )
        finally:
            expected.dispose()
        run.final_checks = [CheckResult(check="final.actions", ok=ok, detail=detail)]
        run.passed = ok
    except ShopError as exc:
        run.error = f"{exc.type}: {exc.message}"
    finally:
        engine.dispose()
        run.seconds = round(time.perf_counter() - started, 3)
    return run


def run_tau2_command(settings: Settings, args: argparse.Namespace) -> int:
    """``shopassist eval tau2``: import the tau2 store, simulate customers, write a report."""
    from catalog.importer import read_store_file
    from evals.cli import default_out, print_summary
    from evals.report import build_report, write_report
    from evals.stores import EvalStore

    tasks_path = Path(args.tasks)
    if not tasks_path.is_file():
        raise EvalError(f"{tasks_path}: no such tasks file")
    db_path = Path(args.db) if args.db else tasks_path.parent / "db.json"
    tasks = json.loads(tasks_path.read_text("utf-8"))
    total = len(tasks)
    if args.limit:
        tasks = tasks[: args.limit]
    data = read_store_file(db_path)
    store = EvalStore.prepare(
        settings, Path(args.store_dir or Path(settings.data_dir) / "eval"), tau2_db=db_path
    )
    user_url = args.user_url or settings.eval.user_base_url
    user_settings = settings.llm.model_copy(
        update={
            "model": args.user_model or settings.eval.user_model or settings.llm.model,
            "temperature": settings.eval.user_temperature,
            "tool_mode": "json",
        }
    )
    runs: list[ScenarioRun] = []
    partial = False
    try:
        with eval_session(settings, store) as (ctx, embedded):
            base = user_url or settings.llm.base_url or (embedded.base_url if embedded else None)
            if base is None:
                raise EvalError("no LLM for the simulated customer: set --user-url")
            user_llm = OpenAICompatibleClient(user_settings, base)
            jobs = [(t, k) for k in range(args.trials) for t in tasks]
            print(
                f"Running {len(tasks)} tau2 tasks × {args.trials} trials (of {total} in the "
                f"file), ≤{args.max_turns} customer messages each",
                flush=True,
            )

            async def main() -> None:
                try:
                    for task, trial in tqdm(jobs, desc="tau2 tasks", unit="task"):
                        runs.append(
                            await run_task(
                                ctx, user_llm, task, data, trial=trial, max_turns=args.max_turns
                            )
                        )
                finally:
                    await aclose_quietly(ctx.llm, user_llm)

            asyncio.run(main())
    except KeyboardInterrupt:
        partial = True
        print("\ninterrupted: writing a partial report", file=sys.stderr)
    config = {
        "tasks": str(tasks_path),
        "limit": args.limit,
        "trials": args.trials,
        "max_turns": args.max_turns,
        "store": store.source,
        "mode": agent_mode(settings),
        "llm": settings.llm.base_url or f"embedded:{settings.llm.embedded_model}",
        "user_llm": user_url or "same as the assistant",
    }
    report = build_report(runs, config=config, trials=args.trials, partial=partial)
    json_path, html_path = write_report(
        report, Path(args.out) if args.out else default_out(settings, "tau2")
    )
    print_summary(report)
    print(f"report: {json_path}\n        {html_path}")
    return 130 if partial else 0
