"""The flows assistant in the default ``verified`` identity mode: an email is never enough,
a guest proves one order (number + email + zip) and sees only that order; a signed-in
customer arrives through a customer token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.signing import sign_customer_token
from evals.stores import EvalStore
from tests.assistant.test_flows import Flow, cmd, flow_on_copy

SECRET = "flows-verified-secret"


@pytest.fixture()
def flow(eval_store: EvalStore, tmp_path: Path) -> Iterator[Flow]:
    made = flow_on_copy(eval_store, tmp_path, identity="verified", secret=SECRET)
    yield made
    made.engine.dispose()


async def test_an_email_alone_is_not_enough_then_the_guest_proves_the_order(flow: Flow) -> None:
    c = flow.customer("delivered")
    r = await flow.say(
        f"My email is {c['email']}. What's in my last order?",
        cmd(action="order_status", email=c["email"], order="latest"),
    )
    assert "get_order_details" not in r.tools_used
    assert "order number" in r.reply and c["last_order_item"] not in r.reply
    r = await flow.say(
        f"Sure: it's order {c['last_order']}, and my zip is {c['zip']}.",
        cmd(action="order_status", order_id=c["last_order"]),
    )
    assert r.tools_used[0] == "verify_guest_order"
    assert c["last_order_item"] in r.reply
    # the guest sees that order only
    others = [o for o in flow.index.orders_by_user[c["user_id"]] if o.id != c["last_order"]]
    if others:
        r = await flow.say(
            f"and order {others[0].id}?", cmd(action="order_status", order_id=others[0].id)
        )
        assert others[0].id not in r.reply or "verified" in r.reply or "sign in" in r.reply


async def test_a_wrong_guest_detail_is_refused_like_an_unknown_one(flow: Flow) -> None:
    c = flow.customer("pending")
    r = await flow.say(
        f"order {c['pending_order']}, email {c['email']}, zip 00000",
        cmd(action="order_status", order_id=c["pending_order"]),
    )
    wrong = r.reply
    r2 = await flow.say(
        f"order #W0000000, email {c['email']}, zip {c['zip']}",
        cmd(action="order_status", order_id="#W0000000"),
    )
    # the same refusal for both; the second failure in a row also calls a person
    assert r2.reply.startswith(wrong) and "couldn't verify" in wrong
    assert "person from our team" in r2.reply and r2.handoff == "waiting_for_agent"


async def test_a_signed_in_customer_needs_no_questions(flow: Flow) -> None:
    c = flow.customer("pending")
    conv = flow.chat.conversations.ensure(None).id
    flow.chat.deps.orders.authenticate_token(conv, sign_customer_token(SECRET, c["user_id"]))
    flow.conversation_id = conv
    r = await flow.say("Has my most recent order shipped yet?", cmd(action="order_status"))
    assert "find_user_id_by_email" not in r.tools_used and c["last_order"] in r.reply
