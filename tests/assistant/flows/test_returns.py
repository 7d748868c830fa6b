"""Returns by description, with the trained reader: items in words, the refund method asked
and named in words, and a proposal that shows names and amounts, never raw ids."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from catalog.models import (
    Order,
    OrderItem,
    PaymentMethod,
    PaymentTransaction,
    Product,
    User,
    Variant,
)
from catalog.orders.records import AuditLog
from tests.assistant.test_flows import Flow


@dataclass
class Case:
    email: str
    order_id: str
    items: list[OrderItem]
    types: list[str]
    gift_card: str
    original: str


def a_delivered_order_with_two_kinds(flow: Flow) -> Case:
    """A delivered order with items of two product types, paid by card or PayPal, whose
    customer also has a gift card (so the refund method must be asked)."""
    with Session(flow.engine) as s:
        for order in s.exec(select(Order).where(col(Order.status) == "delivered")):
            items = list(s.exec(select(OrderItem).where(col(OrderItem.order_id) == order.id)))
            types = []
            for item in items:
                product = s.get(Product, item.product_id)
                types.append(str((product.attributes or {}).get("type")) if product else "")
            if len(set(types)) < 2 or len(items) != len(set(types)):
                continue
            methods = {
                m.id: m
                for m in s.exec(
                    select(PaymentMethod).where(col(PaymentMethod.user_id) == order.user_id)
                )
            }
            paid = s.exec(
                select(PaymentTransaction).where(col(PaymentTransaction.order_id) == order.id)
            ).first()
            gift = [mid for mid, m in methods.items() if m.source == "gift_card"]
            if not paid or not gift or methods[paid.payment_method_id].source == "gift_card":
                continue
            user = s.get(User, order.user_id)
            assert user is not None
            return Case(user.email, order.id, items, types, gift[0], paid.payment_method_id)
    pytest.skip("the demo store has no such order")


async def test_a_return_by_type_word_with_the_refund_method_in_words(flow: Flow) -> None:
    case = a_delivered_order_with_two_kinds(flow)
    await flow.say(f"hi, my email is {case.email}")
    r = await flow.say(f"I'd like to return something from order {case.order_id}")
    # which items: named with their options, no item ids
    assert all(i.name in r.reply for i in case.items)
    assert not any(i.item_id in r.reply for i in case.items)
    wanted = case.items[1]
    r = await flow.say(f"the {case.types[1].lower()}")
    assert flow.llm_calls == 0
    # two places the refund can go and the shopper did not say: asked, by kind
    assert "gift card" in r.reply and case.gift_card not in r.reply
    assert case.original not in r.reply and not r.proposal
    r = await flow.say("put it on my gift card please")
    assert r.proposal is not None
    summary = r.proposal["summary"]
    assert wanted.name in summary and f"{wanted.price:,.2f}" in summary
    assert "gift card" in summary
    for raw in (case.gift_card, case.original, wanted.item_id):
        assert raw not in summary and raw not in r.reply
    assert case.items[0].name not in summary
    r = await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["payment_method_id"] == case.gift_card
    assert audit[0].args["item_ids"] == [wanted.item_id]


@pytest.mark.parametrize(
    ("answer", "lang"),
    [
        ("the same way I paid", "en"),
        ("so wie ich bezahlt habe", "de"),
        ("sur le même moyen de paiement", "fr"),
        ("on whatever i paid with originally", "en"),
        ("dahin, womit ich bezahlt habe", "de"),
        ("sur la carte avec laquelle j'ai payé", "fr"),
        ("el reembolso con lo que pagué, porfa", "es"),
        ("sul metodo con cui ho pagato", "it"),
    ],
)
async def test_the_original_payment_method_named_in_words(
    flow: Flow, answer: str, lang: str
) -> None:
    case = a_delivered_order_with_two_kinds(flow)
    await flow.say(f"my email is {case.email}")
    await flow.say(f"I want to return the {case.items[0].name} from order {case.order_id}")
    r = await flow.say(answer)
    assert r.proposal is not None, r.reply
    assert case.items[0].name in r.proposal["summary"]
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert audit and audit[0].args["payment_method_id"] == case.original


async def test_a_status_question_resumes_after_sure_with_the_email(flow: Flow) -> None:
    c = flow.customer("pending")
    r = await flow.say(f"what's the status of my order {c['pending_order']}?")
    assert not r.cards
    r = await flow.say(f"sure, it's {c['email']}")
    assert c["pending_order"] in r.reply and "get_order_details" in r.tools_used


LETTERS = ["XS", "S", "M", "L", "XL"]


def an_exchangeable_item(
    flow: Flow, letters: bool, bigger: bool = False
) -> tuple[str, str, OrderItem, Variant]:
    """(email, order id, item, target variant): a delivered item with a size option whose
    product has another size in stock with the same other options."""
    with Session(flow.engine) as s:
        for order in s.exec(select(Order).where(col(Order.status) == "delivered")):
            items = list(s.exec(select(OrderItem).where(col(OrderItem.order_id) == order.id)))
            for item in items:
                size = item.options.get("size")
                if size is None or (size in ("XS", "S", "M", "L", "XL")) != letters:
                    continue
                others = {k: v for k, v in item.options.items() if k != "size"}
                for v in s.exec(select(Variant).where(col(Variant.product_id) == item.product_id)):
                    same = all(v.options.get(k) == val for k, val in others.items())
                    target = v.options.get("size")
                    if letters and (target not in WORDS or target == size):
                        continue
                    if letters and bigger and LETTERS.index(target) != LETTERS.index(size) + 1:
                        continue
                    if not letters and not (
                        v.options.get("size", "").replace(".", "").isdigit()
                        and size.replace(".", "").isdigit()
                        and float(v.options["size"]) > float(size)
                    ):
                        continue
                    if same and v.available and v.id != item.item_id:
                        user = s.get(User, order.user_id)
                        assert user is not None
                        return user.email, order.id, item, v
    pytest.skip("no such delivered item in the demo store")


WORDS = {
    "S": ("small", "klein"),
    "M": ("medium", "mittel"),
    "L": ("large", "groß"),
    "XL": ("extra large", "xl"),
}


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [
        ("for the same in {word}", "en"),
        ("gegen die gleiche in {word}", "de"),
        # a size word before a comma, and "extra large" never read as "large"
        ("- can i swap it for a {word}, same everything else?", "en"),
        ("umtauschen? in {word}, sonst gleich", "de"),
    ],
)
async def test_an_exchange_for_the_same_in_another_size(flow: Flow, phrase: str, lang: str) -> None:
    email, order_id, item, target = an_exchangeable_item(flow, letters=True)
    phrase = phrase.format(word=WORDS[target.options["size"]][0 if lang == "en" else 1])
    await flow.say(f"my email is {email}")
    ask = (
        "I want to exchange the {name} from order {order} {phrase}"
        if lang == "en"
        else ("ich möchte {name} aus der Bestellung {order} umtauschen, {phrase}")
    )
    r = await flow.say(ask.format(name=item.name, order=order_id, phrase=phrase))
    assert r.proposal is not None, r.reply
    summary = r.proposal["summary"]
    assert item.name in summary and item.item_id not in summary and target.id not in summary
    await flow.say("yes" if lang == "en" else "ja")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["new_item_ids"] == [target.id]


@pytest.mark.parametrize(
    ("ask", "lang"),
    [
        ("the {name} from {order} are {now} and way too baggy, can i swap them for a {word}, "
         "same colour?", "en"),
        ("die {name} aus {order} sind in {now} viel zu weit, bitte gegen {word} umtauschen",
         "de"),
    ],
)  # fmt: skip
async def test_the_items_own_size_said_beside_the_new_one_is_not_the_new_one(
    flow: Flow, ask: str, lang: str
) -> None:
    email, order_id, item, target = an_exchangeable_item(flow, letters=True)
    word = WORDS[target.options["size"]][0 if lang == "en" else 1]
    await flow.say(f"my email is {email}")
    now = item.options["size"]
    r = await flow.say(ask.format(name=item.name, order=order_id, now=now, word=word))
    assert r.proposal is not None, r.reply
    await flow.say("yes" if lang == "en" else "ja")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["new_item_ids"] == [target.id]


async def test_a_waiting_exchange_goes_on_when_the_colour_and_payment_are_named(
    flow: Flow,
) -> None:
    # "same colour please, brown. and the difference to my paypal": no search, the same
    # exchange proposed again
    email, order_id, item, target = an_exchangeable_item(flow, letters=True)
    colour = item.options.get("color")
    if not colour:
        pytest.skip("the item has no colour")
    await flow.say(f"my email is {email}")
    word = WORDS[target.options["size"]][0]
    r = await flow.say(f"I want to exchange the {item.name} from order {order_id} for {word}")
    assert r.proposal is not None, r.reply
    r = await flow.say(f"same colour please, so {colour}. and the difference to my paypal")
    assert "search_catalog" not in r.tools_used and r.proposal is not None, r.reply
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["new_item_ids"] == [target.id]


async def test_an_exchange_a_size_up(flow: Flow) -> None:
    # a letter size one up, in stock (the next size the product has in stock)
    email, order_id, item, _ = an_exchangeable_item(flow, letters=True, bigger=True)
    await flow.say(f"my email is {email}")
    r = await flow.say(f"can I swap the {item.name} from {order_id} for a size bigger?")
    assert r.proposal is not None, r.reply
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
        new = s.get(Variant, audit[0].args["new_item_ids"][0])
    assert new is not None and new.product_id == item.product_id
    assert LETTERS.index(new.options["size"]) == LETTERS.index(item.options["size"]) + 1


def a_dimension_sized_item(flow: Flow) -> tuple[str, str, OrderItem, Variant]:
    """A delivered item sized like "8x10 ft" whose product has another such size in stock."""
    with Session(flow.engine) as s:
        for order in s.exec(select(Order).where(col(Order.status) == "delivered")):
            for item in s.exec(select(OrderItem).where(col(OrderItem.order_id) == order.id)):
                size = str(item.options.get("size", ""))
                if "x" not in size:
                    continue
                others = {k: v for k, v in item.options.items() if k != "size"}
                for v in s.exec(select(Variant).where(col(Variant.product_id) == item.product_id)):
                    same = all(v.options.get(k) == val for k, val in others.items())
                    if same and v.available and v.options.get("size") not in (None, size):
                        user = s.get(User, order.user_id)
                        assert user is not None
                        return user.email, order.id, item, v
    pytest.skip("no such delivered item in the demo store")


async def test_too_big_says_nothing_of_a_dimension_size_the_new_one_does(flow: Flow) -> None:
    email, order_id, item, target = a_dimension_sized_item(flow)
    old, new = str(item.options["size"]).split()[0], str(target.options["size"]).split()[0]
    await flow.say(f"my email is {email}")
    r = await flow.say(
        f"in order {order_id} the {item.name} in {old} is too big. "
        f"i'd like to exchange it for the same one in {new}"
    )
    assert r.proposal is not None, r.reply
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["new_item_ids"] == [target.id]


async def test_the_item_named_a_message_before_is_the_one_sent_back(flow: Flow) -> None:
    case = a_delivered_order_with_two_kinds(flow)
    await flow.say(
        f"hi, my email is {case.email}. i got order {case.order_id} "
        f"but the {case.types[1].lower()} is really bad"
    )
    r = await flow.say("i'd like to send it back, refund the same way i paid")
    assert r.proposal is not None, r.reply
    assert case.items[1].name in r.proposal["summary"]
    assert case.items[0].name not in r.proposal["summary"]


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("las quiero cambiar por una talla mas, mismo color", 1),
        ("une taille plus grande svp", 1),
        ("eine Nummer kleiner bitte", -1),
        ("una taglia sotto", -1),
        ("same size, other colour", 0),
    ],
)
def test_a_size_up_or_down_with_or_without_accents(text: str, step: int) -> None:
    from assistant.flows.returns import step_size

    assert step_size(text) == step


async def test_the_answer_naming_the_same_order_again_goes_on_with_the_exchange(
    flow: Flow,
) -> None:
    # "in order #W… the rug is too big, i'd like it in 4x6": no status, the exchange
    email, order_id, item, target = an_exchangeable_item(flow, letters=True)
    await flow.say(f"my email is {email}")
    await flow.say(f"i want to exchange something from order {order_id}")
    word = WORDS[target.options["size"]][0]
    r = await flow.say(f"in order {order_id} the {item.name} doesnt fit, i'd like it in {word}")
    assert r.proposal is not None and order_id in r.proposal["summary"], r.reply
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert len(audit) == 1 and audit[0].args["new_item_ids"] == [target.id]


def test_two_items_of_one_type_are_told_apart_by_the_brand_word() -> None:
    # "the ironbark earbuds from my last order" with two pairs of earbuds in it: only the
    # pair whose name has the word goes back
    from types import SimpleNamespace

    from assistant.flows.returns import match_items
    from assistant.nlu.message import Reading

    items = [
        {"item_id": "1", "product_id": "p1", "name": "Everstride Aero 9 Wireless Earbuds"},
        {"item_id": "2", "product_id": "p2", "name": "Ironbark Harbor 3 Wireless Earbuds"},
        {"item_id": "3", "product_id": "p3", "name": "Lumina Drift 2 Desk Lamp"},
    ]
    text = "the ironbark earbuds from my last order are garbage, i want to send them back"
    reading = Reading(text=text, lang="en", intent="start_write", products=["Wireless Earbuds"])
    vocab = SimpleNamespace(type_of={"p1": "Wireless Earbuds", "p2": "Wireless Earbuds"})
    models = SimpleNamespace(named=lambda text: [])  # no model named ("Harbor 3")
    kit = SimpleNamespace(reading=reading, ctx=SimpleNamespace(deps=SimpleNamespace(
        searcher=SimpleNamespace(vocabulary=vocab, models=models))))  # fmt: skip
    assert [i["item_id"] for i in match_items(kit, items, text, "en")] == ["2"]  # type: ignore[arg-type]
    both = "both earbuds from my last order have to go back"
    kit.reading = reading.model_copy(update={"text": both})
    assert [i["item_id"] for i in match_items(kit, items, both, "en")] == ["1", "2"]  # type: ignore[arg-type]


def test_the_type_named_beats_a_longer_type_whose_name_holds_it_and_the_size_said_narrows() -> None:
    # "laufschuhe in größe 6 bestellt, brauche 11": the running shoes, not the trail running
    # shoes (whose name also holds "running shoes"); of two pairs, the one in a size said
    from types import SimpleNamespace

    from assistant.flows.returns import match_items
    from assistant.nlu.message import Reading

    items = [
        {"item_id": "1", "product_id": "p1", "name": "Alpha Trail Running Shoes",
         "options": {"size": "9"}},
        {"item_id": "2", "product_id": "p2", "name": "Beta 8 Running Shoes",
         "options": {"size": "6"}},
        {"item_id": "3", "product_id": "p3", "name": "Gamma 2 Running Shoes",
         "options": {"size": "10"}},
    ]  # fmt: skip
    vocab = SimpleNamespace(
        type_of={"p1": "Trail Running Shoes", "p2": "Running Shoes", "p3": "Running Shoes"}
    )
    models = SimpleNamespace(named=lambda text: [])
    text = "hab die laufschuhe in 6 bestellt, brauche aber 11, kann ich die umtauschen"
    reading = Reading(
        text=text, lang="de", intent="start_write", products=["Running Shoes"], sizes=["6", "11"]
    )
    kit = SimpleNamespace(reading=reading, ctx=SimpleNamespace(deps=SimpleNamespace(
        searcher=SimpleNamespace(vocabulary=vocab, models=models))))  # fmt: skip
    assert [i["item_id"] for i in match_items(kit, items, text, "de")] == ["2"]  # type: ignore[arg-type]
    kit.reading = reading.model_copy(update={"sizes": []})
    assert [i["item_id"] for i in match_items(kit, items, text, "de")] == ["2", "3"]  # type: ignore[arg-type]


async def test_money_back_words_to_a_waiting_exchange_keep_the_exchange(flow: Flow) -> None:
    # "und falls geld zurückkommt, dann auf paypal": where the difference goes, no return
    email, order_id, item, target = an_exchangeable_item(flow, letters=True)
    await flow.say(f"my email is {email}")
    word = WORDS[target.options["size"]][0]
    r = await flow.say(f"I want to exchange the {item.name} from order {order_id} for {word}")
    assert r.proposal is not None, r.reply
    r = await flow.say("and if any money comes back, put it on my paypal")
    assert r.proposal is not None, r.reply
    await flow.say("yes")
    with Session(flow.engine) as s:
        audit = list(s.exec(select(AuditLog)))
    assert [a.action for a in audit] == ["exchange_delivered_order_items"]
    assert audit[0].args["new_item_ids"] == [target.id]


@pytest.mark.parametrize(
    ("text", "lang", "capacity"),
    [
        ("the 6 quart one", "en", "6 qt"),
        ("nur die mit 4 qt", "de", "4 qt"),
        ("la de 6 cuartos", "es", "6 qt"),
    ],
)
def test_an_option_value_said_picks_the_item_of_several_of_one_type(
    text: str, lang: str, capacity: str
) -> None:
    # three air fryers in one order, two capacities: the reader's option value picks
    from types import SimpleNamespace

    from assistant.flows.returns import match_items
    from assistant.nlu.message import Reading

    items = [
        {"item_id": str(k), "product_id": f"p{k}", "name": f"{b} Air Fryer",
         "options": {"capacity": c}}
        for k, (b, c) in enumerate([("Alpha 1", "4 qt"), ("Beta 2", "6 qt"), ("Gamma 3", "4 qt")])
    ]  # fmt: skip
    vocab = SimpleNamespace(type_of={i["product_id"]: "Air Fryer" for i in items})
    models = SimpleNamespace(named=lambda text: [])
    reading = Reading(text=text, lang=lang, intent="start_write", options={"capacity": capacity})
    kit = SimpleNamespace(reading=reading, ctx=SimpleNamespace(deps=SimpleNamespace(
        searcher=SimpleNamespace(vocabulary=vocab, models=models))))  # fmt: skip
    want = [i["item_id"] for i in items if i["options"]["capacity"] == capacity]
    assert [i["item_id"] for i in match_items(kit, items, text, lang)] == want  # type: ignore[arg-type]


def test_keeping_the_other_kinds_in_words_keeps_them() -> None:
    from assistant.flows.returns import _kept_types
    from assistant.nlu.message import Reading, SlotSpan

    text = "the e-reader works fine but i never touch it, want it back. keeping the keyboard"
    spans = [
        SlotSpan(
            slot="product", value=value, start=text.index(word), end=text.index(word) + len(word)
        )
        for value, word in (("E-Reader", "e-reader"), ("Mechanical Keyboard", "keyboard"))
    ]
    products = ["E-Reader", "Mechanical Keyboard"]
    reading = Reading(text=text, lang="en", intent="start_write", spans=spans, products=products)
    assert _kept_types(reading) == {"Mechanical Keyboard"}


def test_keep_doing_something_keeps_nothing() -> None:
    from assistant.flows.returns import _kept_types
    from assistant.nlu.message import Reading, SlotSpan

    text = "i got two pairs of earbuds and the ironbark ones keep cutting out, returning those"
    at = text.index("earbuds")
    span = SlotSpan(slot="product", value="Wireless Earbuds", start=at, end=at + 7)
    reading = Reading(
        text=text, lang="en", intent="start_write", spans=[span], products=["Wireless Earbuds"]
    )
    assert _kept_types(reading) == set()


@pytest.mark.parametrize(
    ("text", "current", "expected"),
    [
        ("il modello da 16 pollici è troppo grande, lo stesso da 12?", {"size": "16 inch"}, {"size": "12 inch"}),
        ("the 1.5 one instead pls", {"capacity": "1L"}, {"capacity": "1.5L"}),
        ("order #W1234567, swap it please", {"size": "16 inch"}, {}),  # an order's number
        ("the 16 again", {"size": "16 inch"}, {}),  # the item's own value
    ],
)  # fmt: skip
def test_a_bare_number_names_another_value(
    text: str, current: dict[str, str], expected: dict[str, str]
) -> None:
    from assistant.flows.returns import _numbered_value

    values = {"size": ["12 inch", "16 inch", "20 inch"], "capacity": ["1L", "1.5L", "1.7L"]}
    assert _numbered_value(text, current, values) == expected
