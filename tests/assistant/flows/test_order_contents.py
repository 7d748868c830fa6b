"""Orders named by what is in them, waiting changes narrowed, and yeses that restate the change.

The phrasings are written for these tests; every check reads the store, the audit log or
the waiting proposal, never a fixed reply.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from assistant.flows.returns import by_option_words
from assistant.flows.state import FlowState
from assistant.flows.waiting_change import narrows
from assistant.nlu.cues import affirmed_groups
from assistant.nlu.message import Reading
from catalog.models import OrderItem
from tests.assistant.test_flows import Flow


def _items(flow: Flow, order_id: str) -> list[OrderItem]:
    with Session(flow.engine) as s:
        return list(s.exec(select(OrderItem).where(col(OrderItem.order_id) == order_id)))


def _only_in(flow: Flow, order_id: str, other: str) -> OrderItem:
    """An item of ``order_id`` whose kind the ``other`` order does not hold."""
    vocab = flow.chat.deps.searcher.vocabulary
    theirs = {vocab.type_of[i.product_id] for i in _items(flow, other)}
    mine = [i for i in _items(flow, order_id) if vocab.type_of[i.product_id] not in theirs]
    assert mine, f"{order_id} holds no kind {other} lacks"
    return mine[0]


async def test_an_order_named_by_its_coloured_item_is_told_not_searched(flow: Flow) -> None:
    c = flow.customer("pending+delivered")
    item = _only_in(flow, c["pending_order"], c["delivered_order"])
    kind = flow.chat.deps.searcher.vocabulary.type_of[item.product_id].lower()
    colour = item.options.get("color", "")
    await flow.say(f"{c['email']}")
    r = await flow.say(f"the order with the {colour} {kind} in it, is it on the way yet??")
    assert not r.cards, r.reply
    assert c["pending_order"] in r.reply, r.reply


async def test_which_order_is_answered_by_what_was_ordered(flow: Flow) -> None:
    c = flow.customer("pending+delivered")
    item = _only_in(flow, c["pending_order"], c["delivered_order"])
    kind = flow.chat.deps.searcher.vocabulary.type_of[item.product_id].lower()
    await flow.say(f"hey, {c['email']}, i need to cancel something")
    r = await flow.say(f"the one with the {kind}, i clicked buy by mistake")
    assert r.proposal is not None and c["pending_order"] in r.reply, r.reply
    await flow.say("yes go ahead and cancel it")
    assert [a.action for a in flow.audit()] == ["cancel_pending_order"]


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        ("only the gray one please, not the navy one", "en", ["gray"]),
        ("not the navy one", "en", ["gray"]),
        ("the navy one", "en", ["navy"]),
        ("rimborsami quello grigio", "it", ["gray", "navy"]),  # (no value typed as listed)
    ],
)
def test_option_words_pick_items_and_a_negated_one_drops_them(
    text: str, lang: str, kept: list[str]
) -> None:
    items: list[dict[str, Any]] = [
        {"name": "A Hoodie", "options": {"color": "gray", "size": "M"}},
        {"name": "B Hoodie", "options": {"color": "navy", "size": "M"}},
    ]
    assert [i["options"]["color"] for i in by_option_words(items, text)] == kept


def test_a_value_the_waiting_change_shows_narrows_it_a_budget_does_not() -> None:
    state = FlowState(
        pending={
            "tool": "return_delivered_order_items",
            "summary": "return A Pillow (standard, soft) and B Pillow (standard, firm)",
        }
    )
    picked = Reading(text="just the firm one", intent="deny", features=["firm"])
    assert narrows(state, picked)
    other = Reading(text="firm pillows under 40", intent="search", features=["firm"])
    assert not narrows(state, other.model_copy(update={"budget_max": 40.0}))
    state.pending = {"tool": "cancel_pending_order", "summary": "cancel … (standard, firm)"}
    assert not narrows(state, picked)  # a cancellation takes the whole order


@pytest.mark.parametrize(
    ("text", "lang", "group", "said"),
    [
        ("to my card, not the gift card", "en", "refund_gift", False),
        ("to my card, not the gift card", "en", "refund_credit_card", True),
        ("sulla carta di credito, non sulla gift card", "it", "refund_gift", False),
        ("auf die geschenkkarte bitte", "de", "refund_gift", True),
    ],
)
def test_a_cue_after_a_negation_is_not_said(text: str, lang: str, group: str, said: bool) -> None:
    assert (group in affirmed_groups(text, lang)) is said


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("the copperfield boulder please", 2),  # two words of one name beat one of others
        ("the copperfield one", None),  # two Copperfields: a tie
        ("the quillmark", 1),
    ],
)
def test_the_name_with_most_words_typed_is_the_one_meant(text: str, index: int | None) -> None:
    from assistant.flows.references import name_word_match

    names = [
        "Copperfield Sierra 4 Hair Dryer",
        "Quillmark Boulder 3 Hair Dryer",
        "Copperfield Boulder 7 Hair Dryer",
    ]
    assert name_word_match(text, names) == index


async def test_the_order_a_refused_cancellation_named_is_that_order_next(flow: Flow) -> None:
    c = flow.customer("pending+delivered")
    await flow.say(f"{c['email']} here, i need to cancel an order")
    r = await flow.say(f"its {c['delivered_order']}. just cancel it, dont want it anymore")
    assert r.proposal is None and not flow.audit(), r.reply  # delivered: refused
    r = await flow.say("fine. what did that order have in it?")
    item = _items(flow, c["delivered_order"])[0]
    names = flow.chat.deps.searcher.name_of(item.product_id) or ""
    assert names.lower() in r.reply.lower() and c["pending_order"] not in r.reply, r.reply
