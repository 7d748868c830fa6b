"""Repeated failures hand the talk to a person; the store's policy saying no does not.

The phrasings are written for these tests; every check reads the turn's result and the
store, never a fixed string.
"""

from __future__ import annotations

import pytest

from tests.assistant.test_flows import Flow


@pytest.mark.parametrize(
    ("asks", "then"),
    [
        (
            ["cancel {order} please", "come on, cancel {order}, i really need it cancelled"],
            "ok whatever. do you have pruning shears?",
        ),
        (
            ["bitte {order} stornieren", "echt jetzt? storniert {order} trotzdem bitte"],
            "na gut. Andere Frage: habt ihr Gartenscheren?",
        ),
    ],
)
async def test_two_policy_refusals_hand_nothing_over_and_shopping_goes_on(
    flow: Flow, asks: list[str], then: str
) -> None:
    c = flow.customer("processed")
    await flow.say(f"my email is {c['email']}")
    for ask in asks:
        r = await flow.say(ask.format(order=c["processed_order"]))
        assert r.proposal is None and r.escalate is None, r.reply
    r = await flow.say(then)
    assert r.escalate is None and "search_catalog" in r.tools_used, r.reply
    assert r.cards, r.reply
    assert flow.audit() == []


@pytest.mark.parametrize(
    "ask", ["i'd like to return everything from {order}", "je veux renvoyer la commande {order}"]
)
async def test_a_return_of_an_order_not_delivered_is_refused_before_asking_items(
    flow: Flow, ask: str
) -> None:
    c = flow.customer("processed")
    await flow.say(f"my email is {c['email']}")
    r = await flow.say(ask.format(order=c["processed_order"]))
    assert r.proposal is None and c["processed_order"] in r.reply, r.reply
    # no question about which items: nothing of that order can go back yet
    r = await flow.say("what about pruning shears, got any?")
    assert "search_catalog" in r.tools_used and r.cards, r.reply


async def test_two_failed_sign_ins_still_offer_a_person(flow: Flow) -> None:
    await flow.say("my email is nobody.here123@example.com")
    r = await flow.say("my email is noone.else456@example.com")
    assert r.escalate == "repeated_failure", r.reply
