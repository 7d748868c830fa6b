"""Checks after the heads: a change reading whose own cue word says its kind is sure enough."""

from __future__ import annotations

from assistant.nlu.message import Reading
from assistant.nlu.verify import change_said


def _reading(intent: str, write: str | None, cues: list[str]) -> Reading:
    return Reading(
        text="posso pagarlo con paypal invece che con la carta?",
        lang="it",
        intent=intent,
        confidence=0.52,
        write=write,
        cue_groups=cues,
    )


def test_a_change_said_by_its_cue_word_is_sure_enough() -> None:
    assert change_said(_reading("start_write", "change_payment", ["payment", "reference"]))


def test_no_cue_word_for_the_kind_or_another_intent_is_not() -> None:
    assert not change_said(_reading("start_write", "change_payment", ["reference"]))
    assert not change_said(_reading("start_write", "cancel", ["payment"]))
    assert not change_said(_reading("cart", "change_payment", ["payment"]))
    assert not change_said(_reading("start_write", None, ["payment"]))
