"""The support console under attack: agents' order proposals with arguments the action
does not take, and strangers guessing staff passwords (they must not lock agents out)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from catalog.orders.confirmations import PendingAction
from catalog.staff import StaffStore
from serving.app import create_app
from tests.security.conftest import Shop

PASSWORD = "correct horse battery"
AGENT = "alex@shop.example"


def _login(c: TestClient, email: str, password: str = PASSWORD) -> int:
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/console/login").text)
    assert token
    form = {"csrf": token.group(1), "email": email, "password": password}
    return c.post("/console/login", data=form, follow_redirects=False).status_code


def _pending(shop: Shop) -> int:
    with Session(shop.engine) as s:
        return int(s.exec(select(func.count(col(PendingAction.token)))).one())


BAD_ARGS: dict[str, tuple[str, dict[str, Any], str]] = {
    "unexpected_argument": (
        "cancel_pending_order",
        {"order_id": "PENDING", "reason": "no longer needed", "refund_to": "attacker"},
        "unexpected_argument",
    ),
    "missing_argument": ("cancel_pending_order", {"order_id": "PENDING"}, "bad_arguments"),
    "extra_address_field": (
        "modify_pending_order_address",
        {
            "order_id": "PENDING",
            "address1": "1 Main St",
            "city": "Austin",
            "state": "TX",
            "country": "USA",
            "zip": "78701",
            "email": "attacker@evil.example",
        },
        "unexpected_argument",
    ),
    "extra_profile_field": (
        "modify_user_address",
        {
            "user_id": "USER",
            "address1": "1 Main St",
            "city": "Austin",
            "state": "TX",
            "country": "USA",
            "zip": "78701",
            "role": "admin",
        },
        "unexpected_argument",
    ),
    "object_as_order_id": (
        "cancel_pending_order",
        {"order_id": {"$ne": ""}, "reason": "no longer needed"},
        "bad_arguments",
    ),
    "string_as_item_list": (
        "return_delivered_order_items",
        {"order_id": "DELIVERED", "item_ids": "ITEM", "payment_method_id": "PM"},
        "bad_arguments",
    ),
}


def _fill(value: Any, shop: Shop) -> Any:
    v = shop.victim
    names = {"PENDING": v.order("pending"), "DELIVERED": v.order("delivered"), "USER": v.id}
    return names.get(value, value) if isinstance(value, str) else value


def bad_proposal_is_a_typed_422(shop: Shop, case: str) -> None:
    """The agent holds the victim's chat; a malformed proposal is refused, nothing stored."""
    action, raw, code = BAD_ARGS[case]
    args = {k: _fill(val, shop) for k, val in raw.items()}
    staff = StaffStore(shop.engine).create(AGENT, PASSWORD, role="agent", name="Alex")
    conv = shop.signed_in(shop.victim)
    shop.chat.support.handoffs.take(conv, staff.id)
    before, pending = shop.snapshot(), _pending(shop)
    with TestClient(create_app(shop.services), raise_server_exceptions=False) as c:
        assert _login(c, AGENT) == 303
        c.headers["X-CSRF-Token"] = c.get("/console/api/me").json()["csrf"]
        url = f"/console/api/conversations/{conv}/actions"
        r = c.post(url, json={"action": action, "args": args})
        assert r.status_code == 422, (r.status_code, r.text)
        err = r.json()["error"]
        assert set(err) == {"type", "message", "code"} and err["code"] == code, err
        assert shop.snapshot() == before and _pending(shop) == pending
        good = {"order_id": shop.victim.order("pending"), "reason": "no longer needed"}
        ok = c.post(url, json={"action": "cancel_pending_order", "args": good})
        assert ok.status_code == 200, ok.text  # the console carries on
    assert shop.snapshot() == before  # a proposal changes nothing by itself


@pytest.mark.parametrize("case", list(BAD_ARGS))
def test_a_malformed_agent_proposal_is_a_typed_422(shop: Shop, case: str) -> None:
    bad_proposal_is_a_typed_422(shop, case)


def _agent(shop: Shop) -> None:
    StaffStore(shop.engine).create(AGENT, PASSWORD, role="agent", name="Alex")


def strangers_cannot_lock_an_agent_out(shop: Shop) -> None:
    """Client A fails 10 times on the agent's account; the agent on client B signs in."""
    _agent(shop)
    with TestClient(create_app(shop.services), client=("203.0.113.66", 1)) as a:
        statuses = [_login(a, AGENT, "guess") for _ in range(10)]
        b = TestClient(a.app, client=("198.51.100.20", 1))  # the same app state
        assert _login(b, AGENT) == 303
        assert b.get("/console/api/me").json()["email"] == AGENT
        assert _login(a, AGENT) == 429  # A itself stays throttled, even with the password
    assert statuses == [401] * 5 + [429] * 5


def test_strangers_cannot_lock_an_agent_out(shop: Shop) -> None:
    strangers_cannot_lock_an_agent_out(shop)


def a_guessing_client_is_throttled_over_all_accounts(shop: Shop) -> None:
    """Client A spreads its guesses over many emails: after 20 it waits, for any account."""
    _agent(shop)
    with TestClient(create_app(shop.services), client=("203.0.113.66", 1)) as a:
        statuses = [_login(a, f"guess{i}@shop.example", "guess") for i in range(20)]
        assert _login(a, AGENT) == 429
        b = TestClient(a.app, client=("198.51.100.20", 1))
        assert _login(b, AGENT) == 303
    assert statuses == [401] * 20


def test_a_guessing_client_is_throttled_over_all_accounts(shop: Shop) -> None:
    a_guessing_client_is_throttled_over_all_accounts(shop)
