"""Every policy rule, enforced in code: refused requests leave the store byte-for-byte unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.errors import (
    AuthenticationError,
    AuthorizationError,
    ConfirmationError,
    InvalidInputError,
    NotFoundError,
    PolicyError,
    ShopError,
)
from catalog.importer import load_store_dict
from catalog.models import Order, PaymentMethod, PaymentTransaction
from catalog.orders import confirmations
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService, calculate
from tests.catalog.order_store import order_store, store_hash

ADDR = {
    "address1": "9 Elm St",
    "address2": "",
    "city": "Boston",
    "state": "MA",
    "country": "USA",
    "zip": "02110",
}


@pytest.fixture()
def engine(tmp_path: Path) -> Engine:
    e = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/orders.db"))
    create_schema(e)
    load_store_dict(e, order_store(), progress=False)
    return e


@pytest.fixture()
def svc(engine: Engine) -> OrderService:
    s = OrderService(engine, identity="tau2", check_typed=False)
    s.authenticate_email("c-ann", "ann@example.com")
    s.authenticate_email("c-bob", "BOB@example.com")
    return s


def write(svc: OrderService, action: str, **args: Any) -> confirmations.Execution:
    """Propose as Ann and confirm in a later turn."""
    proposal = svc.propose("c-ann", "ann_lee_1", action, args, turn_id="t1")
    return svc.confirm("c-ann", "ann_lee_1", proposal.token, turn_id="t2")


def _w(action: str, **args: Any) -> Callable[[OrderService], Any]:
    return lambda s: write(s, action, **args)


NEGATIVE: list[tuple[str, Callable[[OrderService], Any], type[ShopError], str]] = [
    (
        "cancel delivered",
        _w("cancel_pending_order", order_id="#W2", reason="no longer needed"),
        PolicyError,
        "only pending",
    ),
    (
        "cancel processed",
        _w("cancel_pending_order", order_id="#W3", reason="no longer needed"),
        PolicyError,
        "only pending",
    ),
    (
        "cancel cancelled",
        _w("cancel_pending_order", order_id="#W4", reason="ordered by mistake"),
        PolicyError,
        "only pending",
    ),
    (
        "cancel bad reason",
        _w("cancel_pending_order", order_id="#W1", reason="changed my mind"),
        PolicyError,
        "reason must be one of",
    ),
    (
        "cancel other's order",
        _w("cancel_pending_order", order_id="#W5", reason="no longer needed"),
        AuthorizationError,
        "not one of",
    ),
    (
        "cancel unknown order",
        _w("cancel_pending_order", order_id="#W999", reason="no longer needed"),
        NotFoundError,
        "not found",
    ),
    (
        "return pending",
        _w(
            "return_delivered_order_items",
            order_id="#W1",
            item_ids=["1101"],
            payment_method_id="credit_card_1",
        ),
        PolicyError,
        "only delivered",
    ),
    (
        "return processed",
        _w(
            "return_delivered_order_items",
            order_id="#W3",
            item_ids=["2201"],
            payment_method_id="credit_card_1",
        ),
        PolicyError,
        "only delivered",
    ),
    (
        "return item not in order",
        _w(
            "return_delivered_order_items",
            order_id="#W2",
            item_ids=["1102"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "not in order",
    ),
    (
        "return item twice",
        _w(
            "return_delivered_order_items",
            order_id="#W2",
            item_ids=["1101", "1101"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "2 times",
    ),
    (
        "return no items",
        _w(
            "return_delivered_order_items",
            order_id="#W2",
            item_ids=[],
            payment_method_id="paypal_1",
        ),
        InvalidInputError,
        "at least one",
    ),
    (
        "refund to non-original card",
        _w(
            "return_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            payment_method_id="credit_card_1",
        ),
        PolicyError,
        "original payment method or an existing gift card",
    ),
    (
        "refund to someone else's gift card",
        _w(
            "return_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            payment_method_id="gift_card_2",
        ),
        PolicyError,
        "not in your profile",
    ),
    (
        "return other's order",
        _w(
            "return_delivered_order_items",
            order_id="#W6",
            item_ids=["2201"],
            payment_method_id="gift_card_1",
        ),
        AuthorizationError,
        "not one of",
    ),
    (
        "exchange to other product type",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["2201"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "same product",
    ),
    (
        "exchange to unavailable",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["1103"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "not available",
    ),
    (
        "exchange to same item",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["1101"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "same item",
    ),
    (
        "exchange unknown variant",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["9999"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "same product",
    ),
    (
        "exchange pending order",
        _w(
            "exchange_delivered_order_items",
            order_id="#W1",
            item_ids=["1101"],
            new_item_ids=["1102"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "only delivered",
    ),
    (
        "exchange length mismatch",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["1102", "1103"],
            payment_method_id="paypal_1",
        ),
        InvalidInputError,
        "same length",
    ),
    (
        "exchange gift card short",
        _w(
            "exchange_delivered_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["1102"],
            payment_method_id="gift_card_1",
        ),
        PolicyError,
        "not enough for the price difference of 5.00",
    ),
    (
        "modify items other product",
        _w(
            "modify_pending_order_items",
            order_id="#W1",
            item_ids=["2201"],
            new_item_ids=["1102"],
            payment_method_id="credit_card_1",
        ),
        PolicyError,
        "same product",
    ),
    (
        "modify items unavailable",
        _w(
            "modify_pending_order_items",
            order_id="#W1",
            item_ids=["1101"],
            new_item_ids=["1103"],
            payment_method_id="credit_card_1",
        ),
        PolicyError,
        "not available",
    ),
    (
        "modify items gift card short",
        _w(
            "modify_pending_order_items",
            order_id="#W1",
            item_ids=["1101"],
            new_item_ids=["1102"],
            payment_method_id="gift_card_1",
        ),
        PolicyError,
        "not enough",
    ),
    (
        "modify items delivered",
        _w(
            "modify_pending_order_items",
            order_id="#W2",
            item_ids=["1101"],
            new_item_ids=["1102"],
            payment_method_id="paypal_1",
        ),
        PolicyError,
        "only pending",
    ),
    (
        "modify items other's order",
        _w(
            "modify_pending_order_items",
            order_id="#W5",
            item_ids=["1102"],
            new_item_ids=["1101"],
            payment_method_id="credit_card_1",
        ),
        AuthorizationError,
        "not one of",
    ),
    (
        "modify address delivered",
        _w("modify_pending_order_address", order_id="#W2", **ADDR),
        PolicyError,
        "only pending",
    ),
    (
        "modify address missing city",
        _w("modify_pending_order_address", order_id="#W1", **{**ADDR, "city": ""}),
        InvalidInputError,
        "city",
    ),
    (
        "modify address other's order",
        _w("modify_pending_order_address", order_id="#W5", **ADDR),
        AuthorizationError,
        "not one of",
    ),
    (
        "modify payment same method",
        _w("modify_pending_order_payment", order_id="#W1", payment_method_id="credit_card_1"),
        PolicyError,
        "must differ",
    ),
    (
        "modify payment gift card short",
        _w("modify_pending_order_payment", order_id="#W1", payment_method_id="gift_card_1"),
        PolicyError,
        "not enough",
    ),
    (
        "modify payment delivered",
        _w("modify_pending_order_payment", order_id="#W2", payment_method_id="credit_card_1"),
        PolicyError,
        "only pending",
    ),
    (
        "modify payment unknown method",
        _w("modify_pending_order_payment", order_id="#W1", payment_method_id="bitcoin_1"),
        PolicyError,
        "not in your profile",
    ),
    (
        "modify other user's address",
        _w("modify_user_address", user_id="bob_kim_2", **ADDR),
        AuthorizationError,
        "own profile",
    ),
    (
        "unknown write action",
        lambda s: s.propose("c-ann", "ann_lee_1", "refund_everything", {}),
        InvalidInputError,
        "unknown write action",
    ),
    (
        "read other's order",
        lambda s: s.order_details("c-ann", "#W5"),
        AuthorizationError,
        "not one of",
    ),
    (
        "read other's profile",
        lambda s: s.user_details("c-ann", "bob_kim_2"),
        AuthorizationError,
        "own profile",
    ),
    (
        "unauthenticated lookup",
        lambda s: s.actor("c-nobody"),
        AuthenticationError,
        "not verified",
    ),
    (
        "wrong email",
        lambda s: s.authenticate_email("c-new", "eve@example.com"),
        AuthenticationError,
        "could not verify",
    ),
    (
        "wrong zip",
        lambda s: s.authenticate_name_zip("c-new", "Ann", "Lee", "99999"),
        AuthenticationError,
        "could not verify",
    ),
    (
        "second customer in one conversation",
        lambda s: s.authenticate_email("c-ann", "bob@example.com"),
        AuthorizationError,
        "one customer only",
    ),
    (
        "unknown token",
        lambda s: s.confirm("c-ann", "ann_lee_1", "made-up-token"),
        ConfirmationError,
        "unknown confirmation token",
    ),
    (
        "foreign token",
        lambda s: s.confirm(
            "c-ann",
            "ann_lee_1",
            s.propose(
                "c-bob",
                "bob_kim_2",
                "cancel_pending_order",
                {"order_id": "#W5", "reason": "no longer needed"},
            ).token,
        ),
        ConfirmationError,
        "another conversation",
    ),
    (
        "confirm in the proposing turn",
        lambda s: s.confirm(
            "c-ann",
            "ann_lee_1",
            s.propose(
                "c-ann",
                "ann_lee_1",
                "cancel_pending_order",
                {"order_id": "#W1", "reason": "no longer needed"},
                turn_id="t9",
            ).token,
            turn_id="t9",
        ),
        ConfirmationError,
        "later message",
    ),
    (
        "expired token",
        lambda s: s.confirm(
            "c-ann",
            "ann_lee_1",
            confirmations.propose(
                s.engine,
                conversation_id="c-ann",
                user_id="ann_lee_1",
                action="cancel_pending_order",
                args={"order_id": "#W1", "reason": "no longer needed"},
                ttl=timedelta(seconds=-1),
            ).token,
        ),
        ConfirmationError,
        "expired",
    ),
    (
        "calculator refuses code",
        lambda s: calculate("__import__('os').getcwd()"),
        InvalidInputError,
        "only numbers",
    ),
]


@pytest.mark.parametrize("case", NEGATIVE, ids=[c[0] for c in NEGATIVE])
def test_refused_and_store_unchanged(
    engine: Engine,
    svc: OrderService,
    case: tuple[str, Callable[[OrderService], Any], type[ShopError], str],
) -> None:
    _name, attempt, error, fragment = case
    before = store_hash(engine)
    with pytest.raises(error, match=fragment):
        attempt(svc)
    assert store_hash(engine) == before


def test_there_are_at_least_40_negative_cases() -> None:
    assert len(NEGATIVE) >= 40


def test_second_items_modification_is_refused(engine: Engine, svc: OrderService) -> None:
    done = write(
        svc,
        "modify_pending_order_items",
        order_id="#W1",
        item_ids=["1101"],
        new_item_ids=["1102"],
        payment_method_id="credit_card_1",
    )
    assert done.result["status"] == "pending (item modified)"
    before = store_hash(engine)
    with pytest.raises(PolicyError, match="only pending"):
        write(
            svc,
            "modify_pending_order_items",
            order_id="#W1",
            item_ids=["2201"],
            new_item_ids=["2202"],
            payment_method_id="credit_card_1",
        )
    with pytest.raises(PolicyError, match="only pending"):
        write(svc, "cancel_pending_order", order_id="#W1", reason="no longer needed")
    assert store_hash(engine) == before


def test_replayed_confirmation_changes_nothing_and_returns_first_result(
    engine: Engine, svc: OrderService
) -> None:
    p = svc.propose(
        "c-ann",
        "ann_lee_1",
        "cancel_pending_order",
        {"order_id": "#W7", "reason": "ordered by mistake"},
        turn_id="t1",
    )
    first = svc.confirm("c-ann", "ann_lee_1", p.token, turn_id="t2")
    after_first = store_hash(engine)
    again = svc.confirm("c-ann", "ann_lee_1", p.token, turn_id="t3")
    assert store_hash(engine) == after_first
    assert (first.replayed, again.replayed) == (False, True)
    assert again.result == first.result


def test_action_that_became_invalid_fails_at_execution(engine: Engine, svc: OrderService) -> None:
    address = svc.propose(
        "c-ann",
        "ann_lee_1",
        "modify_pending_order_address",
        {"order_id": "#W1", **ADDR},
        turn_id="t1",
    )
    write(svc, "cancel_pending_order", order_id="#W1", reason="no longer needed")
    before = store_hash(engine)
    with pytest.raises(PolicyError, match="only pending"):
        svc.confirm("c-ann", "ann_lee_1", address.token, turn_id="t5")
    assert store_hash(engine) == before
    with pytest.raises(ConfirmationError, match="was failed"):
        svc.confirm("c-ann", "ann_lee_1", address.token, turn_id="t6")


def test_cancel_refunds_gift_card_immediately_and_audits(engine: Engine, svc: OrderService) -> None:
    p = svc.propose(
        "c-ann",
        "ann_lee_1",
        "cancel_pending_order",
        {"order_id": "#W7", "reason": "no longer needed"},
        turn_id="t1",
    )
    assert "Cancel order #W7" in p.summary and "refund of $20.00 via gift_card_1" in p.summary
    done = svc.confirm("c-ann", "ann_lee_1", p.token, turn_id="t2")
    assert done.result["status"] == "cancelled"
    assert done.result["cancel_reason"] == "no longer needed"
    with Session(engine) as s:
        assert s.get(PaymentMethod, "gift_card_1").balance == 22.0  # type: ignore[union-attr]
        audit = s.exec(select(AuditLog)).all()
    assert len(audit) == 1
    assert (audit[0].user_id, audit[0].conversation_id, audit[0].action) == (
        "ann_lee_1",
        "c-ann",
        "cancel_pending_order",
    )
    assert audit[0].before["status"] == "pending" and audit[0].after["status"] == "cancelled"


def test_item_modification_settles_difference(engine: Engine, svc: OrderService) -> None:
    done = write(
        svc,
        "modify_pending_order_items",
        order_id="#W1",
        item_ids=["1101"],
        new_item_ids=["1102"],
        payment_method_id="credit_card_1",
    )
    items = {i["item_id"]: i["price"] for i in done.result["items"]}
    assert items == {"1102": 55.0, "2201": 20.0}
    assert done.result["payment_history"][-1] == {
        "transaction_type": "payment",
        "amount": 5.0,
        "payment_method_id": "credit_card_1",
    }


def test_payment_change_moves_money_both_ways(engine: Engine, svc: OrderService) -> None:
    done = write(svc, "modify_pending_order_payment", order_id="#W7", payment_method_id="paypal_1")
    assert done.result["payment_history"][1:] == [
        {"transaction_type": "payment", "amount": 20.0, "payment_method_id": "paypal_1"},
        {"transaction_type": "refund", "amount": 20.0, "payment_method_id": "gift_card_1"},
    ]
    with Session(engine) as s:
        assert s.get(PaymentMethod, "gift_card_1").balance == 22.0  # type: ignore[union-attr]


def test_return_and_exchange_record_requests(engine: Engine, svc: OrderService) -> None:
    ret = write(
        svc,
        "return_delivered_order_items",
        order_id="#W2",
        item_ids=["1101"],
        payment_method_id="gift_card_1",
    )
    assert ret.result["status"] == "return requested"
    assert ret.result["return_items"] == ["1101"]
    svc.authenticate_email("c-bob2", "bob@example.com")
    p = svc.propose(
        "c-bob2",
        "bob_kim_2",
        "exchange_delivered_order_items",
        {
            "order_id": "#W6",
            "item_ids": ["2201"],
            "new_item_ids": ["2202"],
            "payment_method_id": "gift_card_2",
        },
        turn_id="a",
    )
    ex = svc.confirm("c-bob2", "bob_kim_2", p.token, turn_id="b")
    assert ex.result["status"] == "exchange requested"
    assert ex.result["exchange_price_difference"] == 10.0
    with Session(engine) as s:
        # exchanges charge nothing until the items come back
        txs = s.exec(select(PaymentTransaction).where(col(PaymentTransaction.order_id) == "#W6"))
        assert len(list(txs)) == 1
        assert s.get(Order, "#W6").status == "exchange requested"  # type: ignore[union-attr]


def test_explicit_yes_detection() -> None:
    for yes in (
        "yes",
        "Yes please",
        "YES!",
        "y",
        "confirm",
        "go ahead",
        "yes, go ahead",
        "ok",
        "sure",
        "yes, that's correct",
        # colloquial yeses
        "Jap, genau so. Bitte ändern.",
        "jo mach",
        "ouais vas-y",
        "sisi, adelante",
        "yass go ahead",
    ):
        assert confirmations.is_explicit_yes(yes), yes
    for no in (
        "no",
        "maybe",
        "yes but change the address first",
        "not yet",
        "",
        "what would that cost?",
        "yes " + "x" * 80,
        "cancel it",
        "jo, aber nicht die Bestellung",
        "ouais mais change l'adresse d'abord",
    ):
        assert not confirmations.is_explicit_yes(no), no


def test_bulk_export_matches_row_views(engine: Engine, svc: OrderService) -> None:
    from catalog.models import User
    from catalog.orders.views import export_store, order_view, product_view, user_view

    write(svc, "cancel_pending_order", order_id="#W7", reason="no longer needed")
    with Session(engine) as s:
        doc = export_store(s)
        assert doc["orders"]["#W7"] == order_view(s, s.get(Order, "#W7"))  # type: ignore[arg-type]
        assert doc["users"]["ann_lee_1"] == user_view(s, s.get(User, "ann_lee_1"))  # type: ignore[arg-type]
        assert doc["products"]["100"] == product_view(s, "100")
    assert doc["orders"]["#W7"]["cancel_reason"] == "no longer needed"


def test_a_yes_may_restate_the_change_but_say_nothing_else() -> None:
    for yes in (
        "yes please cancel it",
        "oui c'est bon, vas-y",
        "sí, adelante, cancélalo",
        "sì, confermo il cambio",
        "ja, bitte stornieren",
        "yep thats right, go ahead",
        "yes go ahead and do it",
        "ja, bitte machen",
        "sí, hazlo",
        "oui vous pouvez y aller",
        "sì, procedi pure",
        "ja genau so, bitte umstellen",
        "si procedi pure con l'annullamento",
        "oui je confirme le remboursement",
        "sí, confirmo el pago",
        "oui allez-y, annulez-la",
        "ok cool. yes, go ahead",
        "alright, go for it",
        "sounds good, do it",
        "ja prima, mach das",
        "vale, bien, hazlo",
        "yes thats the one, go ahead",
        "yes exactly, it's right",
        "yes thats right, update it",
        "sì confermo, annullalo pure",  # the verb with its object ending: "annulla" + "lo"
        "sí, cancélamelo",
        "sí, cancélalo porfa",  # the chat's fillers: please, now, "it is", an emoji
        "sì adesso è giusto, procedi pure",
        "oui, annule-la stp",
        "yes pls 👍",
        "oui vas y",  # (the hyphen left out, as shoppers type)
        "ok allez y",
        "sì dai",
        "ja, mach's",
        "oui c'est bon pour moi, allez-y",  # "for me"
        "yes that works for me",
        "ja, passt für mich",
        "sí, para mí está bien",
        "sì, per me va bene",
    ):
        assert confirmations.is_explicit_yes(yes), yes
    for no in (
        "yes cancel #W1234567",  # which order is no restatement
        "yes for the boots",
        "sì, ma cambialo dopo",
        "sì, dimenticalo",  # an object ending on a verb that restates nothing
        "okay so what colours",
        "sure, it's ann@x.com",
        "yes but not the boots",
        "yes and also change the address",
        "ok and what about the second one",
        "great but change the address first",
        "cool, what about the boots",
        "oui vas y mais pas sur la carte",
    ):
        assert not confirmations.is_explicit_yes(no), no


def test_a_yes_may_restate_the_change_with_an_elided_article() -> None:
    shown = "Merci de confirmer : échange de Brightwave Ember 4 Smartwatch contre 41mm, black"
    for yes in (
        "oui, je confirme l'échange",
        "oui l'échange",
        "sì, confermo il cambio dell'ordine",
    ):
        assert confirmations.is_explicit_yes(yes, shown), yes
    for no in (
        "oui, l'adresse de mon frère",  # an elided word that restates nothing
        "oui mais pas l'échange",
        "oui, l'échange, n'importe",
    ):
        assert not confirmations.is_explicit_yes(no, shown), no


def test_a_yes_may_repeat_the_words_of_the_change_it_was_shown() -> None:
    shown = (
        "Bitte bestätigen: Zahlung der Bestellung #W1 (628,19 $) mit Ihr PayPal-Konto statt "
        "mit Ihre Amex-Karte mit den Endziffern 4911."
    )
    assert confirmations.is_explicit_yes("Ja, bitte auf PayPal umstellen.", shown)
    assert not confirmations.is_explicit_yes("Ja, bitte auf PayPal umstellen.")  # not shown
    assert not confirmations.is_explicit_yes("ja, bitte auf die visa umstellen", shown)
    assert not confirmations.is_explicit_yes("ja, aber nicht auf paypal", shown)


def test_a_yes_may_say_to_charge_the_way_shown_and_no_other_way() -> None:
    shown = (
        "Por favor confirme: cambio de Pawsome Sierra 7 T-Shirt (M, green) por L, green del "
        "pedido #W4012029; usted paga la diferencia de 0,45 $ con su tarjeta Amex."
    )
    assert confirmations.is_explicit_yes("sí, cóbralo a la tarjeta, dale", shown)
    assert not confirmations.is_explicit_yes("sí, cóbralo a la paypal", shown)
    assert not confirmations.is_explicit_yes("sí, cóbralo a la tarjeta")  # the card not shown
    assert confirmations.is_explicit_yes("yes charge it to the card", "… charged to your card")


def test_a_yes_may_point_back_at_the_payment_shown_but_not_at_another() -> None:
    shown = "Por favor confirme: devolución de X del pedido #W1; se reembolsan 80,11 $ a su tarjeta Visa"
    for yes in ("sí, adelante, el reembolso a la misma tarjeta", "sí, a la misma tarjeta"):
        assert confirmations.is_explicit_yes(yes, shown), yes
    for no in ("sí, pero a otra tarjeta", "sí, a la tarjeta de mi madre"):
        assert not confirmations.is_explicit_yes(no, shown), no
    card = "Please confirm: return of X from order #W1; $80.11 back to your Visa card"
    assert confirmations.is_explicit_yes("yes, same card please", card)
    assert not confirmations.is_explicit_yes("yes, a different card please", card)
