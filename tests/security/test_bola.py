"""BOLA/IDOR: a compromised model calls every account tool on orders and profiles that are
not the conversation's — as a signed-in customer, as a guest verified for one order, and
before any verification. The order service refuses each one; nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from catalog.errors import ShopError
from tests.security.conftest import Person, Shop, run
from tools.default_registry import default_registry

REGISTRY = default_registry(None)


def _calls(order_id: str, who: Person) -> list[tuple[str, dict[str, Any]]]:
    address = {
        "address1": "666 Attacker Ave",
        "city": "X",
        "state": "CA",
        "country": "USA",
        "zip": "90001",
    }
    return [
        ("get_order_details", {"order_id": order_id}),
        ("cancel_pending_order", {"order_id": order_id, "reason": "no longer needed"}),
        ("modify_pending_order_address", {"order_id": order_id, **address}),
        (
            "modify_pending_order_payment",
            {"order_id": order_id, "payment_method_id": "gift_card_1"},
        ),
        (
            "modify_pending_order_items",
            {
                "order_id": order_id,
                "item_ids": ["1"],
                "new_item_ids": ["2"],
                "payment_method_id": "x",
            },
        ),
        (
            "return_delivered_order_items",
            {"order_id": order_id, "item_ids": ["1"], "payment_method_id": "x"},
        ),
        (
            "exchange_delivered_order_items",
            {
                "order_id": order_id,
                "item_ids": ["1"],
                "new_item_ids": ["2"],
                "payment_method_id": "x",
            },
        ),
    ]


TOOLS = [name for name, _ in _calls("#W1", None)]  # type: ignore[arg-type]
FOREIGN = ["victim_pending", "victim_delivered", "missing", "unnormalized", "padded"]
REFUSED = {
    "not_your_order",
    "forbidden",
    "not_found",
    "not_authenticated",
    "invalid_input",
    "out_of_scope",
    "authorization_error",
}


def _target(shop: Shop, which: str) -> str:
    v = shop.victim
    return {
        "victim_pending": v.order("pending"),
        "victim_delivered": v.order("delivered"),
        "missing": "#W0000000",
        "unnormalized": v.order("pending").lstrip("#"),
        "padded": f"  {v.order('pending')}  ",
    }[which]


def attempt(shop: Shop, conv: str, tool: str, args: dict[str, Any]) -> str:
    """Invoke a tool the way the model would; return the refusal's code (asserts refusal)."""
    before = shop.snapshot()
    with pytest.raises(ShopError) as info:
        run(REGISTRY.invoke(tool, args, shop.ctx(conv)))
    assert shop.snapshot() == before
    return info.value.code


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("target", FOREIGN)
def test_signed_in_customer_cannot_touch_another_customers_order(
    shop: Shop, tool: str, target: str
) -> None:
    conv = shop.signed_in(shop.attacker)
    args = dict(_calls(_target(shop, target), shop.attacker))[tool]
    code = attempt(shop, conv, tool, args)
    assert code in REFUSED | {"not_found"}, code


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("status", ["pending_other", "delivered"])
def test_guest_is_limited_to_the_verified_order(shop: Shop, tool: str, status: str) -> None:
    """A guest verified for one pending order cannot reach the same customer's others."""
    v = shop.victim
    conv = shop.guest(v, v.order("pending"))
    others = [o for s, ids in v.orders.items() for o in ids if o != v.order("pending")]
    target = v.order("delivered") if status == "delivered" else others[-1]
    args = dict(_calls(target, v))[tool]
    assert attempt(shop, conv, tool, args) == "forbidden"


@pytest.mark.parametrize("tool", TOOLS)
def test_nothing_before_verification(shop: Shop, tool: str) -> None:
    conv = shop.services.conversations.ensure(None).id
    args = dict(_calls(shop.victim.order("pending"), shop.victim))[tool]
    code = attempt(shop, conv, tool, args)
    assert code in {"not_authenticated"}, code


@pytest.mark.parametrize(
    "tool, args",
    [
        ("get_user_details", {"user_id": "VICTIM"}),
        (
            "modify_user_address",
            {
                "user_id": "VICTIM",
                "address1": "666 Attacker Ave",
                "city": "X",
                "state": "CA",
                "country": "USA",
                "zip": "90001",
            },
        ),
    ],
)
@pytest.mark.parametrize("as_guest", [False, True])
def test_profiles_are_own_only_and_never_for_guests(
    shop: Shop, tool: str, args: dict[str, Any], as_guest: bool
) -> None:
    a = shop.attacker
    conv = shop.guest(a, a.order("pending")) if as_guest else shop.signed_in(a)
    real = {k: (shop.victim.id if v == "VICTIM" else v) for k, v in args.items()}
    assert attempt(shop, conv, tool, real) == "forbidden"


@pytest.mark.parametrize("action", ["cancel_pending_order", "modify_pending_order_address"])
def test_service_refuses_an_actor_that_is_not_the_conversations(shop: Shop, action: str) -> None:
    """Second check behind the tools: the service itself compares actor and conversation."""
    conv = shop.signed_in(shop.attacker)
    order = shop.victim.order("pending")
    args: dict[str, Any] = {"order_id": order, "reason": "no longer needed"}
    if action == "modify_pending_order_address":
        args = {
            "order_id": order,
            "address1": "1 A",
            "city": "B",
            "state": "C",
            "country": "D",
            "zip": "12345",
        }
    before = shop.snapshot()
    with pytest.raises(ShopError) as info:
        shop.orders.propose(conv, shop.victim.id, action, args, turn_id="t")
    assert info.value.code == "forbidden"
    assert shop.snapshot() == before
