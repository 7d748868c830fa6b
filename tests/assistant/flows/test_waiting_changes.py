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


def name_and_zip(flow: Flow, email: str) -> tuple[str, str]:
    """The customer's full name and zip, to sign in with."""
    with Session(flow.engine) as s:
        user = s.exec(select(User).where(col(User.email) == email)).one()
        return f"{user.first_name} {user.last_name}", user.zip


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
    name, zip_code = name_and_zip(flow, case.email)
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


@pytest.mark.parametrize(
    ("ask", "lang", "answer_word"),
    [
        (
            "je voudrais faire livrer ma commande de {thing} chez ma soeur plutôt que chez moi",
            "fr",
            "livraison de la commande",
        ),
        ("can my {thing} order go to a different address?", "en", "ship order"),
        ("quiero que el pedido de {thing} se envíe a otra dirección", "es", "envío del pedido"),
    ],
)
async def test_an_order_sent_elsewhere_asks_for_the_address_then_proposes_it(
    flow: Flow, ask: str, lang: str, answer_word: str
) -> None:
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(ask.format(thing=case.word))
    assert r.proposal is None and not r.cards and not flow.audit(), r.reply
    r = await flow.say("2207 Walnut Street, Philadelphia, PA 19103, USA")
    assert r.proposal is not None, r.reply
    assert answer_word in r.proposal["summary"] and "Walnut" in r.proposal["summary"]
    assert case.order_id in r.proposal["summary"]  # never a cancellation of it
    await flow.say("yes")
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "modify_pending_order_address"
    assert audit[0].args["zip"] == "19103"


def a_pending_item_in_another_colour(flow: Flow) -> tuple[str, str, str, str, str]:
    """(email, order id, type word, colour ordered, other colour) of a pending order's item
    whose product has exactly one in-stock variant in another colour, all else the same."""
    from catalog.models import Variant

    with Session(flow.engine) as s:
        for order in s.exec(select(Order).where(col(Order.status) == "pending")):
            items = list(s.exec(select(OrderItem).where(col(OrderItem.order_id) == order.id)))
            if len(items) != 1:
                continue
            item = items[0]
            colour = item.options.get("color")
            product = s.get(Product, item.product_id)
            kind = str((product.attributes or {}).get("type", "")) if product else ""
            if not colour or not kind or len(kind.split()) > 2:
                continue
            others = {k: v for k, v in item.options.items() if k != "color"}
            targets = [
                v
                for v in s.exec(select(Variant).where(col(Variant.product_id) == item.product_id))
                if v.available
                and v.options.get("color") not in (None, colour)
                and all(v.options.get(k) == val for k, val in others.items())
            ]
            if len({v.options["color"] for v in targets}) == len(targets) >= 1:
                user = s.get(User, order.user_id)
                assert user is not None
                return user.email, order.id, kind.lower(), colour, targets[0].options["color"]
    pytest.skip("no pending single-item order with another colour in stock")


async def test_an_item_ordered_is_swapped_for_another_colour_before_it_ships(flow: Flow) -> None:
    email, order_id, kind, colour, other = a_pending_item_in_another_colour(flow)
    r = await flow.say(
        f"hi! i ordered the {kind} in {colour} but id like it in {other} instead, it hasnt "
        f"shipped yet. my email is {email}"
    )
    assert r.proposal is not None and order_id in r.proposal["summary"], r.reply
    assert other in r.proposal["summary"] and "search_catalog" not in r.tools_used
    await flow.say("yes")
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "modify_pending_order_items", audit


async def test_how_the_difference_is_paid_keeps_the_waiting_swap(flow: Flow) -> None:
    # a message naming only where the money goes, whatever intent it reads as, adds to the
    # waiting change: it is proposed again, never dropped
    email, order_id, kind, colour, other = a_pending_item_in_another_colour(flow)
    r = await flow.say(
        f"hi! i ordered the {kind} in {colour} but id like it in {other} instead, it hasnt "
        f"shipped yet. my email is {email}"
    )
    assert r.proposal is not None, r.reply
    r = await flow.say("la diferencia a la tarjeta")
    assert r.proposal is not None and order_id in r.proposal["summary"], r.reply
    await flow.say("sí")
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "modify_pending_order_items", audit


async def test_removing_an_item_from_a_placed_order_goes_to_a_person(flow: Flow) -> None:
    case = a_customer(flow, "pending")
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please remove the {case.word} from order {case.order_id}")
    assert r.proposal is None and not flow.audit(), r.reply
    assert "transfer_to_human_agents" in r.tools_used, r.reply


async def test_my_product_order_sent_elsewhere_is_no_search(flow: Flow) -> None:
    case = a_customer(flow, "pending", orders=1)
    name, zip_code = name_and_zip(flow, case.email)
    r = await flow.say(
        f"hey, {name} here, zip {zip_code}. my {case.word} order hasnt shipped yet right? "
        "i need it sent to my work address instead"
    )
    assert not r.cards and r.proposal is None, r.reply
    r = await flow.say("1200 Harbor Drive, San Diego, CA 92101, USA")
    assert r.proposal is not None and case.order_id in r.proposal["summary"], r.reply
    assert "Harbor" in r.proposal["summary"]


async def test_right_after_a_status_another_order_is_asked_after_by_its_products(
    flow: Flow,
) -> None:
    case = a_customer(flow, "pending")  # its product type is in no other order
    await flow.say(f"my email is {case.email}")
    other = case.others[0]
    r = await flow.say(f"whats the status of {other}?")
    assert other in r.reply, r.reply
    r = await flow.say(f"and the other one, with the {case.word}, has that one gone out?")
    assert case.order_id in r.reply and not r.cards, r.reply


async def test_another_address_while_one_waits_is_proposed_instead(flow: Flow) -> None:
    # "wait no, scratch that, send it to my office instead: …": the new address waits
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please ship {case.order_id} to 2207 Walnut Street, Philadelphia, PA 19103")
    assert r.proposal is not None and "Walnut" in r.proposal["summary"], r.reply
    r = await flow.say(
        "hmm no scratch that, I'm away that week. send it to my work instead: "
        "40 Grove Ave, Suite 300, Albany, NY 12208, USA"
    )
    assert r.proposal is not None and "Grove" in r.proposal["summary"], r.reply
    await flow.say("yes that's the one, go ahead")
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].action == "modify_pending_order_address"
    assert (audit[0].args["zip"], audit[0].args["address2"]) == ("12208", "Suite 300")


@pytest.mark.parametrize(
    ("correction", "lang"),
    [
        ("wait i got the zip wrong, it's 19104 not 19103", "en"),
        ("aspetta ho sbagliato il cap, è 19104 non 19103", "it"),
        ("perdón, el código postal es 19104", "es"),
    ],
)
async def test_a_zip_corrected_while_an_address_waits_is_proposed_mended(
    flow: Flow, correction: str, lang: str
) -> None:
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please ship {case.order_id} to 2207 Walnut Street, Philadelphia, PA 19103")
    assert r.proposal is not None and "19103" in r.proposal["summary"], r.reply
    r = await flow.say(correction)
    assert r.proposal is not None and "19104" in r.proposal["summary"], r.reply
    assert "Walnut" in r.proposal["summary"] and not flow.audit()
    await flow.say(
        {"en": "yes now it's right", "it": "sì adesso è giusto, procedi pure"}.get(
            lang, "sí, porfa"
        )
    )
    audit = flow.audit()
    assert len(audit) == 1 and audit[0].args["zip"] == "19104"
    assert audit[0].args["address1"] == "2207 Walnut Street"


@pytest.mark.parametrize(
    ("reason", "lang"),
    [
        ("es el de {word}. ya no lo necesito, me lo regalaron", "es"),
        ("c'est celle avec {word}, je n'en ai plus besoin", "fr"),
        ("quello con {word}, non mi serve più", "it"),
        ("the one with the {word}, i dont need it anymore", "en"),
    ],
)
async def test_a_reason_with_a_negation_is_no_refusal_of_the_waiting_cancel(
    flow: Flow, reason: str, lang: str
) -> None:
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please cancel order {case.order_id}")
    assert r.proposal is not None, r.reply
    r = await flow.say(reason.format(word=case.word))
    assert r.proposal is not None and case.order_id in r.proposal["summary"], r.reply
    assert not flow.audit()
    await flow.say({"es": "sí, cancélalo porfa", "fr": "oui, annule-la stp"}.get(lang, "yes pls"))
    assert cancelled(flow, case.order_id) == ("cancelled", "no longer needed")


async def test_a_refusal_beside_a_reason_still_refuses(flow: Flow) -> None:
    case = a_customer(flow, "pending", orders=1)
    await flow.say(f"my email is {case.email}")
    r = await flow.say(f"please cancel order {case.order_id}")
    assert r.proposal is not None, r.reply
    r = await flow.say("no wait, don't cancel it, i don't need it anymore is not true")
    assert r.proposal is None and not flow.audit(), r.reply
