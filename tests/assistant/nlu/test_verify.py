"""Checks after the heads: a reading whose own cue word says its kind is sure enough."""

from __future__ import annotations

from assistant.nlu.message import Reading
from assistant.nlu.verify import change_said, intent_said


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


def _unsure(intent: str, second: str, cues: list[str], share: float = 0.52) -> Reading:
    return Reading(
        text="hmm could u just suggest stuff based on what i bought",
        lang="en",
        intent=intent,
        confidence=share,
        alternatives=[(second, 0.38)],
        cue_groups=cues,
    )


def test_an_intent_its_cue_word_says_and_the_runner_ups_does_not_is_sure_enough() -> None:
    assert intent_said(_unsure("recommend", "capabilities", ["recommend", "order_word"]))
    assert intent_said(_unsure("compare", "refine", ["compare"]))


def test_no_cue_word_a_rival_cue_word_a_change_or_a_low_share_is_not() -> None:
    assert not intent_said(_unsure("recommend", "capabilities", ["order_word"]))
    assert not intent_said(_unsure("recommend", "capabilities", ["recommend", "capability"]))
    assert not intent_said(_unsure("compare", "search", ["compare"], share=0.3))
    assert not intent_said(_unsure("start_write", "order_status", ["cancel"]))
