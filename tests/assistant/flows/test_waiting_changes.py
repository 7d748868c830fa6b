"""Order changes over several messages, with the trained reader: "which order?" answered by
a product in it, a waiting change that a message adds to (a reason, items, how to pay), an
order asked after by what was in it, and a refusal by status in the shopper's language."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem, PaymentMethod, Product, User
from tests.assistant.test_flows import Flow


@dataclass
class Case:
    email: str
    order_id: str
    word: str  # a product type only this order holds, as the shopper types it
    others: list[str]  # the customer's other orders


def a_customer(flow: Flow, status: str, *, orders: int = 2, gift_card: bool = False) -> Case:
    """A customer with ``orders`` or more orders, one in ``status`` holding a product type
    none of the others holds (and a gift card, with ``gift_card``)."""
    with Session(flow.engine) as s:
        for user in s.exec(select(User)):
            mine = list(s.exec(select(Order).where(col(Order.user_id) == user.id)))
            if len(mine) < orders:
                continue
            methods = s.exec(select(PaymentMethod).where(col(PaymentMethod.user_id) == user.id))
            if gift_card and not any(m.source == "gift_card" for m in methods):
                continue
            types: dict[str, set[str]] = {}
            for order in mine:
                items = s.exec(select(OrderItem).where(col(OrderItem.order_id) == order.id))
                types[order.id] = {
                    str((p.attributes or {}).get("type"))
                    for i in items
                    if (p := s.get(Product, i.product_id)) is not None
                }
            for order in mine:
                if order.status != status:
                    continue
                rest = set().union(*(t for oid, t in types.items() if oid != order.id))
                own = sorted(t for t in types[order.id] - rest if len(t.split()) <= 2)
                if own:
                    others = [o.id for o in mine if o.id != order.id]
                    return Case(user.email, order.id, own[0].lower(), others)
    pytest.skip("the demo store has no such customer")


def cancelled(flow: Flow, order_id: str) -> tuple[str, str | None]:
    with Session(flow.engine) as s:
        order = s.get(Order, order_id)
        assert order is not None
        return order.status, (order.extra or {}).get("cancel_reason")


async def test_which_order_is_answered_by_a_product_in_it(flow: Flow) -> None:
    case = a_customer(flow, "pending")
    await flow.say(f"hi, my email is {case.email}")
    r = await flow.say("i need to cancel an order")
    assert r.proposal is None and all(o in r.reply for o in [case.order_id, *case.others])
    r = await flow.say(f"the {case.word} one. dont need it anymore")
    assert r.proposal is not None and case.order_id in r.proposal["summary"], r.reply
    assert not r.cards  # an answer, not a search
    await flow.say("yes go ahead")
    assert cancelled(flow, case.order_id) == ("cancelled", "no longer needed")


async def test_a_waiting_cancellation_goes_on_with_the_reason_added(flow: Flow) -> None:
    case = a_customer(flow, "pending")
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please cancel order {case.order_id}")
    assert r.proposal is not None, r.reply
    r = await flow.say(f"the one with the {case.word}, i ordered it by mistake")
    assert r.proposal is not None and case.order_id in r.proposal["summary"], r.reply
    assert not r.cards and not flow.audit()
    await flow.say("yes please")
    assert cancelled(flow, case.order_id) == ("cancelled", "ordered by mistake")


@pytest.mark.parametrize(
    ("sign_in", "lang", "word"),
    [
        ("hallo, ich bin {name}, plz {zip}. wo bleibt eigentlich {thing}?", "de", "mein"),
        ("hi, {name} here, zip {zip}. where's my {thing}??", "en", ""),
    ],
)
async def test_an_order_is_asked_after_by_what_was_in_it(
    flow: Flow, sign_in: str, lang: str, word: str
) -> None:
    case = a_customer(flow, "pending")
    with Session(flow.engine) as s:
        user = s.exec(select(User).where(col(User.email) == case.email)).one()
        name, zip_code = f"{user.first_name} {user.last_name}", user.zip
    thing = f"{word} {case.word}".strip()
    r = await flow.say(sign_in.format(name=name, zip=zip_code, thing=thing))
    assert case.order_id in r.reply and not r.cards, r.reply
    assert not any(o in r.reply for o in case.others)


@pytest.mark.parametrize(
    ("ask", "lang", "status_word"),
    [
        ("bitte storniere die bestellung {order}", "de", "versandt"),
        ("annulez la commande {order} svp", "fr", "expédiée"),
        ("cancela el pedido {order} por favor", "es", "enviado"),
        ("annulla l'ordine {order} per favore", "it", "spedito"),
    ],
)
async def test_a_shipped_order_is_refused_in_the_shoppers_language(
    flow: Flow, ask: str, lang: str, status_word: str
) -> None:
    case = a_customer(flow, "processed", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(ask.format(order=case.order_id))
    assert r.proposal is None and not flow.audit()
    assert case.order_id in r.reply and status_word in r.reply, r.reply
    assert "only pending orders" not in r.reply  # never the policy's English words


async def test_a_waiting_return_takes_the_refund_method_named_next(flow: Flow) -> None:
    case = a_customer(flow, "delivered", orders=1, gift_card=True)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"i want to return the {case.word} from order {case.order_id}")
    if r.proposal is None:  # the refund method is asked first
        r = await flow.say("to the original payment method please")
    assert r.proposal is not None, r.reply
    r = await flow.say("actually refund it to my gift card")
    assert r.proposal is not None and "gift card" in r.proposal["summary"], r.reply
    await flow.say("yes")
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "return_delivered_order_items"
    assert str(audit[0].args["payment_method_id"]).startswith("gift_card")


async def test_a_question_about_the_waiting_change_keeps_it_waiting(flow: Flow) -> None:
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please cancel order {case.order_id}, i ordered it by mistake")
    assert r.proposal is not None, r.reply
    r = await flow.say("before you do it - the money goes back to where i paid, right?")
    assert case.order_id in r.reply and not flow.audit(), r.reply  # restated, nothing done
    assert r.proposal is not None, r.reply
    r = await flow.say("ok. yes go ahead")
    assert cancelled(flow, case.order_id) == ("cancelled", "ordered by mistake"), r.reply
