"""`eval check` (validation without running), `eval export`, and tau2 with a simulated user."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from catalog.orders.service import OrderService
from catalog.orders.views import export_store
from evals import cli as eval_cli
from evals.export import export_conversation
from evals.tau2 import STOP, run_task
from tests.conftest import make_settings
from tests.evals.conftest import Harness, call
from tests.evals.test_suite import SUITE
from tests.fakes import FakeLLM
from tools.deps import Deps

BROKEN = """
- id: typo
  turns: [{user: hi, expect: {reply: {mentions_anny: [x]}}}]
- id: no-such-customer
  customer: nobody@nowhere.example
  turns: [{user: hi}]
- id: missing-placeholder
  customer: pending
  turns: [{user: "order {delivered_order}, item {no_such_key}"}]
- id: impossible-cards
  turns: [{user: boots, expect: {cards: {type: [Hiking Boots], max_price: 1}}}]
- id: unknown-type
  turns: [{user: bikes, expect: {cards: {type: [Bicycle]}}}]
- id: bad-action
  customer: pending
  turns: [{user: hi}]
  final: {actions: [{name: drop_everything, arguments: {}}]}
- id: future-tool
  turns: [{user: hi, expect: {tools: [book_a_stylist]}}]
"""


def _check(tmp_path: Path, harness: Harness, *files: Path, capsys: Any) -> tuple[int, str]:
    args = argparse.Namespace(files=list(files), store_dir=str(harness.ctx.store.root))
    code = eval_cli._check(make_settings(tmp_path), args)
    return code, capsys.readouterr().out


def test_check_reports_every_problem_with_location(
    harness: Harness, tmp_path: Path, capsys: Any
) -> None:
    code, out = _check(tmp_path, harness, SUITE, capsys=capsys)
    assert code == 0, out
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text(BROKEN.replace("mentions_anny", "mentions_any"))
    code, out = _check(tmp_path, harness, syntax, capsys=capsys)
    assert code == 1
    assert "scenario no-such-customer: customer: customer 'nobody@nowhere.example'" in out
    assert "missing-placeholder: turns.0.user: placeholder {delivered_order}" in out
    assert "{no_such_key}" in out
    assert "impossible-cards: turns.0.expect.cards: no product in the store" in out
    assert "unknown-type: turns.0.expect.cards.type: no product has type 'Bicycle'" in out
    assert "bad-action: final.actions.0.name: 'drop_everything' is not a write action" in out
    assert "warning: " in out and "'book_a_stylist' is registered (yet)" in out
    typo = tmp_path / "typo.yaml"
    typo.write_text(BROKEN)
    code, out = _check(tmp_path, harness, typo, capsys=capsys)
    assert code == 1 and "scenario typo: turns.0.expect.reply.mentions_anny: unknown key" in out


async def test_export_round_trips_a_real_conversation(harness: Harness) -> None:
    engine = harness.ctx.store.fresh("export")
    try:
        llm = FakeLLM().enqueue(
            call("search_catalog", query="headlamp"),
            "Some headlamps.",
            call("transfer_to_human_agents", summary="wants a person"),
            "OK",
        )
        harness.ctx.agent.llm = llm
        conversations = ConversationStore(engine)
        chat = ChatService(
            harness.ctx.agent,
            Deps(
                engine=engine,
                searcher=harness.ctx.store.searcher.bound_to(engine),
                orders=OrderService(engine, identity="tau2"),
            ),
            conversations,
            harness.ctx.settings.agent,
        )
        first = await chat.run_turn(None, "headlamps please")
        await chat.run_turn(first.conversation_id, "a human please")
        text = export_conversation(engine, first.conversation_id, scenario_id="from-chat")
    finally:
        engine.dispose()
    (scenario,) = yaml.safe_load(text)
    assert scenario["id"] == "from-chat"
    assert scenario["turns"][0]["user"] == "headlamps please"
    assert scenario["turns"][0]["expect"]["tools"] == ["search_catalog"]
    assert scenario["turns"][0]["expect"]["cards"]["min"] == 1
    assert scenario["turns"][1]["expect"] == {
        "tools": ["transfer_to_human_agents"],
        "escalated": True,
    }
    # The skeleton runs as a scenario: the same model behaviour passes it.
    harness.ctx.agent.llm = harness.llm
    harness.llm.enqueue(
        call("search_catalog", query="headlamp"),
        "Some headlamps.",
        call("transfer_to_human_agents", summary="wants a person"),
        "OK",
    )
    run = await harness.run({k: v for k, v in scenario.items() if k != "id"})
    assert run.passed, run.failed_checks()


async def test_tau2_task_with_a_simulated_customer(harness: Harness) -> None:
    with Session(harness.ctx.store.searcher.engine) as session:
        data = export_store(session)
    values = harness.ctx.index.values(harness.ctx.index.pick("pending"))
    task = {
        "id": "demo-1",
        "user_scenario": {
            "instructions": {
                "reason_for_call": "cancel your pending order",
                "known_info": f"email {values['email']}",
            }
        },
        "evaluation_criteria": {
            "actions": [
                {"name": "find_user_id_by_email", "arguments": {"email": values["email"]}},
                {
                    "name": "cancel_pending_order",
                    "arguments": {
                        "order_id": values["pending_order"],
                        "reason": "no longer needed",
                    },
                },
            ]
        },
    }

    def customer(*lines: str) -> FakeLLM:
        return FakeLLM().enqueue(*lines)

    def assistant_confirms(messages: list[dict[str, str]]) -> str:
        tokens = re.findall(r'"token"\s*:\s*"([^"]+)"', "\n".join(m["content"] for m in messages))
        return call("confirm_action", token=tokens[-1])

    harness.llm.enqueue(
        call("find_user_id_by_email", email=values["email"]),
        "Thanks!",
        call("cancel_pending_order", order_id=values["pending_order"], reason="no longer needed"),
        assistant_confirms,
        "Cancelled.",
    )
    sim = customer(
        f"My email is {values['email']}.",
        f"Please cancel {values['pending_order']}, no longer needed.",
        "yes",
        STOP,
    )
    run = await run_task(harness.ctx, sim, task, data, trial=0, max_turns=6)
    assert run.passed, run.final_checks
    assert len(run.turns) == 3 and sim.pending == 0
    # The simulator sees the assistant's words as the other side of the conversation.
    assert sim.calls[1][-1] == {"role": "user", "content": "Thanks!"}

    harness.llm.enqueue(
        call("find_user_id_by_email", email=values["email"]), "Thanks!", "I cannot do that."
    )
    sim = customer(f"My email is {values['email']}.", "Cancel it please.", STOP)
    run = await run_task(harness.ctx, sim, task, data, trial=1, max_turns=6)
    assert not run.passed and "cancel" in run.final_checks[0].detail
