"""Customer verification: same error for unknown and wrong identities, attempt caps, only
identifiers the shopper typed, and no email-only identity in verified mode."""

from __future__ import annotations

import pytest

from catalog.errors import ShopError
from catalog.signing import sign_customer_token, verify_customer_token
from tests.security.conftest import CUSTOMER_SECRET, Shop, run
from tools.default_registry import default_registry

REGISTRY = default_registry(None)


def _say(shop: Shop, conv: str, text: str) -> None:
    shop.services.conversations.append(conv, "user", text)


def _guest_try(shop: Shop, order: str, email: str, zip_code: str) -> ShopError:
    conv = shop.services.conversations.ensure(None).id
    _say(shop, conv, f"order {order}, email {email}, zip {zip_code}")
    before = shop.snapshot()
    with pytest.raises(ShopError) as info:
        run(
            REGISTRY.invoke(
                "verify_guest_order",
                {"order_id": order, "email": email, "zip": zip_code},
                shop.ctx(conv),
            )
        )
    assert shop.snapshot() == before
    assert shop.orders.actor.__self__ is shop.orders  # still the same service
    return info.value


WRONG = [
    "unknown_order",
    "wrong_email",
    "other_customers_email",
    "wrong_zip",
    "other_customers_zip",
    "other_customers_order",
    "email_case_and_zip_of_other",
]


@pytest.mark.parametrize("kind", WRONG)
def test_every_wrong_guest_identity_gets_the_same_error(shop: Shop, kind: str) -> None:
    v, a = shop.victim, shop.attacker
    order, email, zip_code = v.order("pending"), v.email, v.zip
    if kind == "unknown_order":
        order = "#W0000001"
    elif kind == "wrong_email":
        email = "nobody@nowhere.example"
    elif kind == "other_customers_email":
        email = a.email
    elif kind == "wrong_zip":
        zip_code = "00000" if v.zip != "00000" else "11111"
    elif kind == "other_customers_zip":
        zip_code = a.zip if a.zip != v.zip else "00000"
    elif kind == "other_customers_order":
        order = a.order("pending")
    else:
        email, zip_code = v.email.upper(), a.zip if a.zip != v.zip else "00000"
    err = _guest_try(shop, order, email, zip_code)
    assert err.code == "identity_not_verified"
    assert err.message == (
        "we could not verify your identity with those details; please check them"
    )


@pytest.mark.parametrize(
    "tool, args",
    [
        ("find_user_id_by_email", {"email": "VICTIM_EMAIL"}),
        ("find_user_id_by_email", {"email": "nobody@nowhere.example"}),
        ("find_user_id_by_name_zip", {"first_name": "F", "last_name": "L", "zip": "Z"}),
    ],
)
def test_email_or_name_alone_is_not_identity_in_verified_mode(
    shop: Shop, tool: str, args: dict[str, str]
) -> None:
    v = shop.victim
    real = {
        k: x.replace("VICTIM_EMAIL", v.email).replace("F", v.first).replace("L", v.last)
        for k, x in args.items()
    }
    if "zip" in real:
        real["zip"] = v.zip
    conv = shop.services.conversations.ensure(None).id
    _say(shop, conv, " ".join(real.values()))
    before = shop.snapshot()
    with pytest.raises(ShopError) as info:
        run(REGISTRY.invoke(tool, real, shop.ctx(conv)))
    assert info.value.code == "identity_method_not_allowed"
    assert shop.orders.actor.__func__  # noqa: B018
    with pytest.raises(ShopError):
        shop.orders.actor(conv)
    assert shop.snapshot() == before


@pytest.mark.parametrize("missing", ["order", "email", "zip", "all", "other_conversation"])
def test_identifiers_the_shopper_never_typed_are_refused(shop: Shop, missing: str) -> None:
    v = shop.victim
    order, email, zip_code = v.order("pending"), v.email, v.zip
    typed = {"order": order, "email": email, "zip": zip_code}
    conv = shop.services.conversations.ensure(None).id
    if missing == "all":
        _say(shop, conv, "what's the status of my order?")
    elif missing == "other_conversation":
        other = shop.services.conversations.ensure(None).id
        _say(shop, other, f"{order} {email} {zip_code}")
        _say(shop, conv, "it's my order")
    else:
        _say(shop, conv, " ".join(x for k, x in typed.items() if k != missing))
    with pytest.raises(ShopError) as info:
        run(
            REGISTRY.invoke(
                "verify_guest_order",
                {"order_id": order, "email": email, "zip": zip_code},
                shop.ctx(conv),
            )
        )
    assert info.value.code == "identifier_not_typed"
    with pytest.raises(ShopError):
        shop.orders.actor(conv)


@pytest.mark.parametrize("scope", ["conversation", "client"])
def test_failed_attempts_are_capped(shop: Shop, scope: str) -> None:
    v = shop.victim
    conv = shop.services.conversations.ensure(None).id
    limit = 5 if scope == "conversation" else 20
    for i in range(limit):
        c = conv if scope == "conversation" else shop.services.conversations.ensure(None).id
        _say(shop, c, f"{v.order('pending')} {v.email} 0000{i % 10}")
        with pytest.raises(ShopError) as info:
            shop.orders.authenticate_guest_order(
                c, v.order("pending"), v.email, f"0000{i % 10}", client="10.0.0.9"
            )
        assert info.value.code == "identity_not_verified"
    c = conv if scope == "conversation" else shop.services.conversations.ensure(None).id
    _say(shop, c, f"{v.order('pending')} {v.email} {v.zip}")
    with pytest.raises(ShopError) as info:  # even the right answer is refused now
        shop.orders.authenticate_guest_order(
            c, v.order("pending"), v.email, v.zip, client="10.0.0.9"
        )
    assert info.value.code == "too_many_attempts"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "v1..",
        "v1.e30.AAAA",
        "garbage",
        "SIGNED_WITH_OTHER_SECRET",
        "EXPIRED",
        "TAMPERED",
    ],
)
def test_bad_customer_tokens_are_refused(shop: Shop, token: str) -> None:
    v = shop.victim
    if token == "SIGNED_WITH_OTHER_SECRET":
        token = sign_customer_token("other", v.id)
    elif token == "EXPIRED":
        token = sign_customer_token(CUSTOMER_SECRET, v.id, ttl_s=-10)
    elif token == "TAMPERED":
        good = sign_customer_token(CUSTOMER_SECRET, shop.attacker.id)
        head, _payload, sig = good.split(".")
        other = sign_customer_token(CUSTOMER_SECRET, v.id).split(".")[1]
        token = f"{head}.{other}.{sig}"
    conv = shop.services.conversations.ensure(None).id
    with pytest.raises(ShopError) as info:
        shop.orders.authenticate_token(conv, token)
    assert info.value.code == "identity_not_verified"
    with pytest.raises(ShopError):
        shop.orders.actor(conv)


def test_a_good_customer_token_binds_that_customer() -> None:
    token = sign_customer_token("k", "user_1")
    assert verify_customer_token("k", token) == "user_1"
