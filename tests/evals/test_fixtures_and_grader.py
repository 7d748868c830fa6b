"""Scenario parsing, customer/placeholder resolution and the database-hash grader."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem, User
from evals.errors import FixtureError, ScenarioFileError
from evals.fixtures import StoreIndex, fill, resolve
from evals.grader import replay_actions, store_hash
from evals.scenario import load_file, parse_scenarios
from evals.stores import EvalStore


def test_unknown_keys_are_errors_with_their_location(tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: a\n  turns:\n    - user: hi\n      expect:\n        reply: "
        "{mentions_anny: [x]}\n- id: a\n  turns: [{user: yo}]\n  colour: red\n"
    )
    with pytest.raises(ScenarioFileError) as err:
        load_file(bad)
    text = "\n".join(err.value.problems)
    assert "scenario a: turns.0.expect.reply.mentions_anny: unknown key" in text
    assert "colour: unknown key" in text


@pytest.mark.parametrize(
    "data",
    [
        "not a list",
        [{"id": "x", "turns": []}],
        [{"id": "x", "turns": [{"user": "hi"}], "customer": "a b"}],
        [{"id": "x", "turns": [{"user": "hi", "expect": {"cards": {"sorted": "up"}}}]}],
    ],
)
def test_malformed_scenarios_are_rejected(data: Any) -> None:
    with pytest.raises(ScenarioFileError):
        parse_scenarios(data, "t")


def test_customer_is_smallest_id_with_each_status(eval_store: EvalStore) -> None:
    engine = eval_store.searcher.engine
    index = StoreIndex.load(engine)
    with Session(engine) as session:
        statuses: dict[str, set[str]] = {}
        for o in session.exec(select(Order)):
            statuses.setdefault(o.user_id, set()).add(o.status)
        users = {u.id: u for u in session.exec(select(User))}
    want = min(uid for uid, s in statuses.items() if {"pending", "delivered"} <= s)
    picked = index.pick("pending+delivered")
    assert picked is not None and picked.id == want
    assert index.pick(users[want].email.upper()) is not None
    assert index.pick("none") is None
    with pytest.raises(FixtureError):
        index.pick("nobody@nowhere.example")
    with pytest.raises(FixtureError):
        index.pick("shipped_to_mars")


def test_placeholders_resolve_from_the_store(eval_store: EvalStore) -> None:
    engine = eval_store.searcher.engine
    index = StoreIndex.load(engine)
    user = index.pick("delivered")
    assert user is not None
    values = index.values(user)
    with Session(engine) as session:
        orders = list(
            session.exec(
                select(Order)
                .where(col(Order.user_id) == user.id)
                .order_by(col(Order.created_at), col(Order.id))
            )
        )
        delivered = next(o for o in orders if o.status == "delivered")
        first = session.exec(
            select(OrderItem)
            .where(col(OrderItem.order_id) == delivered.id)
            .order_by(col(OrderItem.position))
        ).first()
    assert first is not None
    assert values["delivered_order"] == delivered.id
    assert values["delivered_item_id"] == first.item_id
    assert values["delivered_item"] == first.name
    assert values["last_order"] == orders[-1].id
    assert values["email"] == user.email and values["zip"] == user.zip
    assert values["other_order"] not in {o.id for o in orders}
    (scenario,) = parse_scenarios(
        [
            {
                "id": "p",
                "customer": "delivered",
                "turns": [
                    {
                        "user": "I'm {first_name}, order {delivered_order}",
                        "expect": {"reply": {"mentions_any": ["{delivered_item}"]}},
                    }
                ],
                "final": {
                    "actions": [
                        {
                            "name": "return_delivered_order_items",
                            "arguments": {"item_ids": ["{delivered_item_id}"]},
                        }
                    ]
                },
            }
        ],
        "t",
    )
    resolved = resolve(scenario, index)
    assert resolved.scenario.turns[0].user == f"I'm {user.first_name}, order {delivered.id}"
    assert resolved.scenario.turns[0].expect.reply is not None
    assert resolved.scenario.turns[0].expect.reply.mentions_any == [first.name]
    assert resolved.scenario.final is not None and resolved.scenario.final.actions is not None
    assert resolved.scenario.final.actions[0].arguments["item_ids"] == [first.item_id]
    with pytest.raises(FixtureError):
        fill("{no_such_thing}", values)


def test_hash_grader_sees_effects_not_calls(eval_store: EvalStore) -> None:
    index = StoreIndex.load(eval_store.searcher.engine)
    user = index.pick("pending")
    assert user is not None
    order = index.values(user)["pending_order"]
    a, b, c, untouched = (eval_store.fresh(n) for n in "abcd")
    try:
        pristine = store_hash(untouched)
        cancel = [
            {
                "name": "cancel_pending_order",
                "arguments": {"order_id": order, "reason": "no longer needed"},
            }
        ]
        ra = replay_actions(a, user.id, cancel)
        rb = replay_actions(b, user.id, cancel)
        assert not ra.refused and ra.hash == rb.hash != pristine
        other = [
            {
                "name": "cancel_pending_order",
                "arguments": {"order_id": order, "reason": "ordered by mistake"},
            }
        ]
        assert replay_actions(c, user.id, other).hash not in (ra.hash, pristine)
        refused = replay_actions(
            untouched,
            user.id,
            [
                {
                    "name": "cancel_pending_order",
                    "arguments": {"order_id": "#W0000000", "reason": "no longer needed"},
                },
                {"name": "drop_table", "arguments": {}},
            ],
        )
        assert len(refused.refused) == 2 and refused.hash == pristine
    finally:
        for e in (a, b, c, untouched):
            e.dispose()
