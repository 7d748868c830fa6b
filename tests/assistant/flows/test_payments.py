"""Paying a pending order another way, with the trained reader: the method is named in
words, asked when unclear, proposed by kind and last four (never raw ids), and written only
after a yes; a shipped order's payment is not changed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from assistant.flows import payments
from catalog.models import Order, PaymentMethod, PaymentTransaction, User
from tests.assistant.test_flows import Flow


@dataclass
class Case:
    email: str
    order_id: str
    original: str
    others: dict[str, str]  # method id -> source
    amount: float
    balances: dict[str, float]  # gift card id -> balance


def an_order(flow: Flow, status: str, other: str | None = None, short_gift: bool = False) -> Case:
    """An order in ``status`` paid once by credit card whose customer has other methods
    (one of source ``other`` when given; a gift card below the order's amount if
    ``short_gift``)."""
    with Session(flow.engine) as s:
        for order in s.exec(select(Order).where(col(Order.status) == status)):
            paid = list(
                s.exec(
                    select(PaymentTransaction).where(col(PaymentTransaction.order_id) == order.id)
                )
            )
            methods = {
                m.id: m
                for m in s.exec(
                    select(PaymentMethod).where(col(PaymentMethod.user_id) == order.user_id)
                )
            }
            if len(paid) != 1 or methods[paid[0].payment_method_id].source != "credit_card":
                continue
            others = {
                mid: m.source for mid, m in methods.items() if mid != paid[0].payment_method_id
            }
            if not others or (other is not None and other not in others.values()):
                continue
            balances = {
                mid: float(m.balance or 0.0)
                for mid, m in methods.items()
                if m.source == "gift_card"
            }
            if short_gift and not any(b < paid[0].amount for b in balances.values()):
                continue
            user = s.get(User, order.user_id)
            assert user is not None
            return Case(
                user.email, order.id, paid[0].payment_method_id, others, paid[0].amount, balances
            )
    pytest.skip("the demo store has no such order")


@pytest.mark.parametrize(
    ("ask", "lang"),
    [
        ("can i pay {order} with paypal instead of my card?", "en"),
        ("kann ich die bestellung {order} stattdessen mit paypal bezahlen?", "de"),
        ("je peux payer la commande {order} avec paypal plutôt qu'avec ma carte ?", "fr"),
        ("puedo pagar el pedido {order} con paypal en vez de la tarjeta?", "es"),
        ("posso pagare l'ordine {order} con paypal invece che con la carta?", "it"),
    ],
)
async def test_paypal_named_in_words_is_proposed_then_written_on_yes(
    flow: Flow, ask: str, lang: str
) -> None:
    case = an_order(flow, "pending", other="paypal")
    await flow.say(f"my email is {case.email}")
    r = await flow.say(ask.format(order=case.order_id))
    assert flow.llm_calls == 0 and r.proposal is not None, r.reply
    assert "PayPal" in r.proposal["summary"] and case.order_id in r.proposal["summary"]
    for raw in (case.original, *case.others):
        assert raw not in r.reply
    assert not flow.audit()  # proposed only
    await flow.say({"en": "yes", "de": "ja", "fr": "oui", "es": "sí", "it": "sì"}[lang])
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "modify_pending_order_payment"
    paypal = next(mid for mid, src in case.others.items() if src == "paypal")
    assert audit[0].args["payment_method_id"] == paypal


async def test_an_unclear_method_is_asked_then_answered_in_words(flow: Flow) -> None:
    case = an_order(flow, "pending", other="paypal")
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"i want to change the payment method of order {case.order_id}")
    assert r.proposal is None and not flow.audit()
    assert case.order_id in r.reply and "PayPal" in r.reply
    assert not any(mid in r.reply for mid in case.others)
    r = await flow.say("paypal please")
    assert r.proposal is not None, r.reply
    await flow.say("yes")
    audit = flow.audit()
    paypal = next(mid for mid, src in case.others.items() if src == "paypal")
    assert len(audit) == 1 and audit[0].args["payment_method_id"] == paypal


async def test_a_gift_card_short_of_the_amount_is_refused_without_raw_ids(flow: Flow) -> None:
    case = an_order(flow, "pending", short_gift=True)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"can i pay order {case.order_id} with my gift card instead?")
    assert r.proposal is None and not flow.audit()
    assert "balance" in r.reply and not any(mid in r.reply for mid in case.others)


async def test_a_shipped_orders_payment_is_not_changed(flow: Flow) -> None:
    case = an_order(flow, "delivered")
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"can i pay order {case.order_id} with a different method instead?")
    assert r.proposal is None and case.order_id in r.reply
    assert "pending" in r.reply and not flow.audit()


METHODS = {
    "cc_1": {"source": "credit_card", "brand": "visa", "last_four": "1111"},
    "cc_2": {"source": "credit_card", "brand": "mastercard", "last_four": "2222"},
    "cc_3": {"source": "credit_card", "brand": "visa", "last_four": "3333"},
    "pp_1": {"source": "paypal"},
    "gc_1": {"source": "gift_card"},
}
ORDER = {"order_id": "#W1", "payment_history": [
    {"transaction_type": "payment", "payment_method_id": "cc_1", "amount": 10.0}
]}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("with paypal instead of the card", "en", "pp_1"),
        ("auf meine geschenkkarte bitte", "de", "gc_1"),
        ("the mastercard", "en", "cc_2"),
        ("the one ending 3333", "en", "cc_3"),
        ("another card", "en", None),  # two other cards: the kind names neither
        ("the visa", "en", "cc_3"),  # the order's own visa is not a choice
        ("with my card ending 1111", "en", None),  # the method it was paid with
        ("something else", "en", None),
    ],
)
def test_new_method_from_words(text: str, lang: str, expected: str | None) -> None:
    assert payments.new_method(ORDER, METHODS, text, lang) == expected


def test_the_choices_are_named_by_kind_and_last_four() -> None:
    text = payments.choices_text(payments.other_methods(ORDER, METHODS), "en")
    assert "ending in 2222" in text and "PayPal" in text and " or " in text
    assert "1111" not in text and "cc_" not in text


def test_an_exchange_difference_may_go_to_any_method_named() -> None:
    # the order's own method may settle an exchange; the plainest naming still wins
    assert payments.named_method(METHODS, METHODS, ORDER, "sur mon paypal", "fr") == "pp_1"
    assert payments.named_method(METHODS, METHODS, ORDER, "the card ending 1111", "en") == "cc_1"
    assert payments.named_method(METHODS, METHODS, ORDER, "whatever", "en") is None


async def test_changing_how_a_pending_order_is_paid_is_no_item_swap(flow: Flow) -> None:
    # "quiero cambiar la forma de pago": "cambiar" is no exchange when it is about paying
    c = flow.customer("pending")
    r = await flow.say(
        f"hola! quiero cambiar la forma de pago de un pedido que todavía no ha salido, "
        f"mi correo es {c['email']}"
    )
    assert "transfer_to_human_agents" not in r.tools_used, r.reply
    assert "artículos" not in r.reply, r.reply  # never "which items do you want to change?"
    assert r.proposal is None or "PayPal" in r.proposal["summary"] or "pago" in r.reply, r.reply
