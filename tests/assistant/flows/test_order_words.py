"""Orders named by how far they got, and an address named again ("that same address")."""

from __future__ import annotations

import pytest

from assistant.flows.order_flows import how_far
from tests.assistant.test_flows import Flow


@pytest.mark.parametrize(
    ("text", "lang", "status"),
    [
        ("the order that hasnt shipped yet", "en", "pending"),
        ("die bestellung, die noch nicht verschickt ist", "de", "pending"),
        ("celle qui est déjà arrivée", "fr", "delivered"),
        ("el pedido que todavía no ha salido", "es", "pending"),
        ("quello che ho ricevuto la settimana scorsa", "it", "delivered"),
        ("the blue one please", "en", None),
        ("can u check on my order thats not here yet?", "en", "on_the_way"),
        ("meine bestellung ist immer noch nicht da", "de", "on_the_way"),
        ("ma commande n'est toujours pas arrivée", "fr", "on_the_way"),
        ("mi pedido todavía no ha llegado", "es", "on_the_way"),
        ("il mio ordine non è ancora arrivato", "it", "on_the_way"),
    ],
)
def test_an_order_named_by_how_far_it_got(text: str, lang: str, status: str | None) -> None:
    assert how_far(text, lang) == status


def test_the_order_not_here_yet_is_the_one_still_coming() -> None:
    from assistant.flows.command import Command
    from assistant.flows.order_flows import _pick_order

    orders = [
        {"order_id": "#W1", "status": "delivered", "items": []},
        {"order_id": "#W2", "status": "pending", "items": []},
        {"order_id": "#W3", "status": "cancelled", "items": []},
    ]
    text = "can u check on my order thats not here yet?"
    assert _pick_order(orders, text, Command(action="order_status"))["order_id"] == "#W2"  # type: ignore[index]
    # two still coming: the words name neither
    coming = [*orders, {"order_id": "#W4", "status": "processed", "items": []}]
    assert _pick_order(coming, text, Command(action="order_status")) is None


async def test_the_order_not_shipped_gets_the_address_then_the_account_the_same(
    flow: Flow,
) -> None:
    c = flow.customer("pending+delivered")
    await flow.say(f"hi i just moved and need to fix my shipping address. {c['email']}")
    r = await flow.say(
        "the order that hasnt shipped yet should go to 2210 Juniper Street, Apt 5, "
        "Tucson, AZ 85719, USA"
    )
    assert r.proposal is not None and c["pending_order"] in r.reply, r.reply
    await flow.say("yes thats right, update it")
    assert [a.action for a in flow.audit()] == ["modify_pending_order_address"]
    r = await flow.say("can u also save that same address on my account")
    assert r.proposal is not None and "Juniper" in r.reply, r.reply
    await flow.say("yep go ahead")
    actions = [a.action for a in flow.audit()]
    assert actions == ["modify_pending_order_address", "modify_user_address"]


async def test_right_after_a_status_the_one_with_a_product_is_another_order(flow: Flow) -> None:
    from sqlmodel import Session, col, select

    from catalog.models import OrderItem

    c = flow.customer("pending+delivered")
    vocab = flow.chat.deps.searcher.vocabulary

    def kinds(order_id: str) -> set[str]:
        with Session(flow.engine) as s:
            items = s.exec(select(OrderItem).where(col(OrderItem.order_id) == order_id))
            return {vocab.type_of[i.product_id] for i in items}

    only = sorted(kinds(c["delivered_order"]) - kinds(c["pending_order"]))
    assert only, "the delivered order holds no kind the pending one lacks"
    await flow.say(f"{c['email']} here")
    r = await flow.say(f"where is order {c['pending_order']}")
    assert c["pending_order"] in r.reply, r.reply
    r = await flow.say(f"and the one w the {only[0].lower()} from last summer?")
    assert not r.cards and c["delivered_order"] in r.reply, r.reply


@pytest.mark.parametrize(
    "asked",
    [
        "huh ok. so whats going on with my own order then",
        "ok. und was ist mit meiner bestellung?",
        "d'accord. et ma commande alors, elle en est où ?",
    ],
)
async def test_an_ok_before_a_question_about_an_order_is_no_yes(flow: Flow, asked: str) -> None:
    # nothing waits for a yes: the "ok" opens a question about the shopper's order
    c = flow.customer("pending")
    await flow.say(f"hi, {c['email']}")
    r = await flow.say(asked)
    assert c["pending_order"] in r.reply, r.reply


@pytest.mark.parametrize(
    "asked",
    [
        "whats in it and what did it cost altogether?",
        "was ist da alles drin und was hat das zusammen gekostet",
        "et qu'est-ce qu'il y a dedans, ça a coûté combien au total ?",
    ],
)
async def test_what_an_order_holds_and_cost_right_after_its_status(flow: Flow, asked: str) -> None:
    from sqlmodel import Session, col, select

    from catalog.models import OrderItem

    c = flow.customer("pending")
    await flow.say(f"{c['email']} here, where is order {c['pending_order']}?")
    r = await flow.say(asked)
    with Session(flow.engine) as s:
        items = list(s.exec(select(OrderItem).where(col(OrderItem.order_id) == c["pending_order"])))
    total = f"{sum(float(i.price) for i in items):.2f}"
    assert total in r.reply.replace(",", "."), r.reply
    assert all(i.name in r.reply for i in items) and not r.cards, r.reply


def _kinds(flow: Flow, order_id: str) -> list[str]:
    from sqlmodel import Session, col, select

    from catalog.models import OrderItem

    vocab = flow.chat.deps.searcher.vocabulary
    with Session(flow.engine) as s:
        items = s.exec(select(OrderItem).where(col(OrderItem.order_id) == order_id))
        return sorted({vocab.type_of[i.product_id] for i in items})


async def test_a_lowercase_name_and_zip_typed_first_sign_in_before_the_question(
    flow: Flow,
) -> None:
    c = flow.customer("pending")
    kind = _kinds(flow, c["pending_order"])[0].lower()
    r = await flow.say(
        f"{c['first_name'].lower()} {c['last_name'].lower()}, {c['zip']}. wheres my {kind}?? "
        "feels like i ordered it forever ago"
    )
    assert "find_user_id_by_name_zip" in r.tools_used, r.reply
    assert c["pending_order"] in r.reply, r.reply


async def test_it_is_the_one_with_names_the_order_asked_after_just_before(flow: Flow) -> None:
    c = flow.customer("pending")
    kinds = _kinds(flow, c["pending_order"])
    with_ = " and the ".join(k.lower() for k in kinds[:2])
    r = await flow.say(
        f"oh and while i have you, can u check on my order? {c['email']}, it's the one with "
        f"the {with_}"
    )
    assert not r.cards and c["pending_order"] in r.reply, r.reply


async def test_a_product_unlike_the_ones_bought_is_asked_for_not_an_order(flow: Flow) -> None:
    c = flow.customer("pending")
    await flow.say(f"hallo, {c['email']}, wie siehts aus mit meiner bestellung?")
    r = await flow.say(
        "ach und ich bräuchte noch ne stirnlampe für meinen freund, aber bitte keine von "
        "denen die ich schon bei euch gekauft hab"
    )
    assert "search_catalog" in r.tools_used and r.cards, r.reply
    assert "get_order_details" not in r.tools_used, r.reply


async def test_a_product_named_with_no_word_of_an_order_is_no_order_change(flow: Flow) -> None:
    # the reader leans to an order change by a hair; no order, change or "my" is said
    r = await flow.say("brettspiel, die normale edition reicht")
    assert "search_catalog" in r.tools_used and r.cards, r.reply
