"""Write checks (per turn and final, graded by store hash) and the always-on invariants."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.errors import LLMUnavailableError
from tests.evals.conftest import Harness, call, passed


def confirm_with_token(messages: list[dict[str, str]]) -> str:
    """The scripted model confirms with the token it saw in the proposal's tool result."""
    tokens = re.findall(r'"token"\s*:\s*"([^"]+)"', "\n".join(m["content"] for m in messages))
    return call("confirm_action", token=tokens[-1])


def cancel_script(harness: Harness, reason: str, *, confirm: bool = True) -> list[Any]:
    values = harness.ctx.index.values(harness.ctx.index.pick("pending"))
    script: list[Any] = [
        call("find_user_id_by_email", email=values["email"]),
        "Thanks!",
        call("cancel_pending_order", order_id=values["pending_order"], reason=reason),
    ]
    script += [confirm_with_token, "Done."] if confirm else ["OK, I will not."]
    return script


def cancel_scenario(writes_last: int, final_writes: int, reason: str) -> dict[str, Any]:
    return {
        "customer": "pending",
        "turns": [
            {"user": "my email is {email}", "expect": {"authenticated": True}},
            {"user": "cancel {pending_order} please", "expect": {"writes": 0}},
            {"user": "yes", "expect": {"writes": writes_last}},
        ],
        "final": {
            "writes": final_writes,
            "actions": [
                {
                    "name": "cancel_pending_order",
                    "arguments": {"order_id": "{pending_order}", "reason": reason},
                }
            ],
        },
    }


async def test_write_flow_passes_every_check(harness: Harness) -> None:
    harness.llm.enqueue(*cancel_script(harness, "no longer needed"))
    run = await harness.run(cancel_scenario(1, 1, "no longer needed"))
    assert run.passed, [c for c in run.failed_checks()]
    assert run.turns[2].writes[0].action == "cancel_pending_order"
    assert run.turns[2].writes[0].proposed_earlier


async def test_writes_and_final_checks_fail_without_the_write(harness: Harness) -> None:
    harness.llm.enqueue(*cancel_script(harness, "no longer needed", confirm=False))
    run = await harness.run(cancel_scenario(1, 1, "no longer needed"))
    assert not passed(run, "writes")
    assert not passed(run, "final.writes")
    assert not passed(run, "final.actions")


async def test_final_actions_compare_the_store_not_the_call(harness: Harness) -> None:
    """Same action, different argument: the store differs, so the hash grader fails it."""
    harness.llm.enqueue(*cancel_script(harness, "ordered by mistake"))
    run = await harness.run(cancel_scenario(1, 1, "no longer needed"))
    assert passed(run, "final.writes")
    assert not passed(run, "final.actions")
    detail = next(c.detail for c in run.final_checks if c.check == "final.actions")
    assert "cancel_reason" in detail


async def test_final_actions_empty_means_unchanged_store(harness: Harness) -> None:
    scen: dict[str, Any] = {
        "customer": "pending",
        "turns": [{"user": "hi"}],
        "final": {"actions": []},
    }
    harness.llm.enqueue("Hello!")
    assert passed(await harness.run(scen), "final.actions")


async def test_unconfirmed_write_invariant_catches_a_broken_guard(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the confirm guard disabled (a mutation), a vague reply executes the write."""
    import assistant.chat_service as chat_service
    import assistant.turn_store as turn_store
    import tools.confirm_action as confirm_tool

    # Two guards stand in the way: the confirm tool's yes check, and the chat service
    # voiding a proposal on any message that is not a yes. The mutation disables both.
    monkeypatch.setattr(confirm_tool, "is_explicit_yes", lambda *_args: True)
    monkeypatch.setattr(chat_service, "is_explicit_yes", lambda *_args: True)
    monkeypatch.setattr(turn_store, "is_explicit_yes", lambda *_args: True)
    harness.llm.enqueue(*cancel_script(harness, "no longer needed"))
    scen = cancel_scenario(1, 1, "no longer needed")
    scen["turns"][2]["user"] = "hmm, I am not sure"
    run = await harness.run(scen)
    assert not passed(run, "implicit.no_unconfirmed_write")


INVARIANT_CASES: list[tuple[str, str]] = [
    ("implicit.not_json", 'Sure! {"tool": "search_catalog", "args": {}}'),
    ("implicit.no_tool_names", "Let me call search_catalog for you."),
    ("implicit.no_placeholders", "Please confirm <token from the cancel_pending_order result>."),
    (
        "implicit.no_prompt_leak",
        "Each answer is EITHER a tool call OR a message to the shopper, never both.",
    ),
    ("implicit.no_prompt_leak", "Your order #W1234567 is on its way."),
]


@pytest.mark.parametrize(("check", "bad_reply"), INVARIANT_CASES)
async def test_reply_invariants(harness: Harness, check: str, bad_reply: str) -> None:
    harness.llm.enqueue("Hi! What are you looking for today?")
    assert passed(await harness.run({"turns": [{"user": "hello"}]}), check)
    harness.llm.enqueue(bad_reply)
    assert not passed(await harness.run({"turns": [{"user": "hello"}]}), check)


async def test_reply_nonempty_invariant(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    harness.llm.enqueue("Hello!")
    assert passed(await harness.run({"turns": [{"user": "hello"}]}), "implicit.reply_nonempty")
    monkeypatch.setattr(harness.ctx.agent, "fallback_text", "")
    harness.llm.enqueue("")
    run = await harness.run({"turns": [{"user": "hello"}]})
    assert not passed(run, "implicit.reply_nonempty")


async def test_no_private_data_before_authentication(harness: Harness) -> None:
    values = harness.ctx.index.values(harness.ctx.index.pick("pending"))
    scen: dict[str, Any] = {"customer": "pending", "turns": [{"user": "where is my parcel?"}]}
    harness.llm.enqueue("Please tell me your email, or your name and zip code.")
    assert passed(await harness.run(scen), "implicit.no_data_before_auth")
    harness.llm.enqueue(f"Your order {values['pending_order']} is pending.")
    assert not passed(await harness.run(scen), "implicit.no_data_before_auth")
    # Echoing an order id the shopper typed is not a leak.
    scen = {"customer": "pending", "turns": [{"user": "where is {pending_order}?"}]}
    harness.llm.enqueue(f"To look up {values['pending_order']} I need your email first.")
    assert passed(await harness.run(scen), "implicit.no_data_before_auth")


async def test_turn_errors_fail_the_scenario(harness: Harness) -> None:
    harness.llm.enqueue(LLMUnavailableError("model down"))
    run = await harness.run({"turns": [{"user": "hello"}]})
    assert not run.passed and not passed(run, "turn.error")
    assert "model down" in run.turns[0].error if run.turns[0].error else False


async def test_records_carry_tools_cards_timings_and_tokens(harness: Harness) -> None:
    harness.llm.enqueue(call("search_catalog", query="headlamp"), "Here are some headlamps.")
    run = await harness.run({"turns": [{"user": "headlamps please"}]})
    t = run.turns[0]
    assert t.tools[0].name == "search_catalog" and t.tools[0].args == {"query": "headlamp"}
    assert '"results"' in t.tools[0].result and t.cards[0]["name"] in t.tools[0].result
    assert t.cards and t.ttfc_s is not None and t.ttft_s is not None
    assert t.ttfc_s <= t.seconds and t.tokens_in > 0 and t.tokens_out > 0


def test_a_colloquial_yes_is_an_affirmation_and_a_yes_with_a_no_is_not() -> None:
    from evals.invariants import is_affirmation

    for yes in ("Jap, genau so. Bitte ändern.", "ouais vas-y", "sisi, adelante", "yep"):
        assert is_affirmation(yes), yes
    for no in ("jo, aber nicht die Bestellung", "ouais non attends", "genau nicht das"):
        assert not is_affirmation(no), no
