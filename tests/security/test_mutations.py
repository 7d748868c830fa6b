"""Mutation check: disable one guard at a time and its attack cases must fail.

Each case below runs a real attack case from this folder with one guard switched off and
expects the case to catch it (an assertion fails). A guard whose removal no case notices
would be a guard without a test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

import assistant.agent
import assistant.turns
import catalog.orders.actions
import catalog.orders.auth
import catalog.orders.confirmations
import catalog.orders.service
import serving.app
import serving.ws
from catalog.orders.service import OrderService
from serving.app import create_app
from serving.sessions import Sessions
from tests.security import (
    test_bola,
    test_confirmation,
    test_identity,
    test_injection,
    test_sessions,
)
from tests.security.conftest import Shop

CAUGHT = (AssertionError, pytest.fail.Exception)


def _owned_anything(session: Any, order_id: str, actor: str) -> Any:
    return catalog.orders.actions.load_order(session, order_id)


GUARDS: dict[str, tuple[list[tuple[Any, str, Any]], Callable[[Shop], None]]] = {
    "order ownership (owned_order + service actor check)": (
        [
            (catalog.orders.actions, "owned_order", _owned_anything),
            (catalog.orders.service, "owned_order", _owned_anything),
            (OrderService, "_same_actor", lambda *a, **k: None),
        ],
        lambda shop: test_bola.test_signed_in_customer_cannot_touch_another_customers_order(
            shop, "get_order_details", "victim_pending"
        ),
    ),
    "guest order scope": (
        [(OrderService, "_same_actor", lambda *a, **k: None)],
        lambda shop: test_bola.test_guest_is_limited_to_the_verified_order(
            shop, "get_order_details", "delivered"
        ),
    ),
    "identifiers typed by the shopper": (
        [(catalog.orders.auth, "typed_by_shopper", lambda *a: True)],
        lambda shop: test_identity.test_identifiers_the_shopper_never_typed_are_refused(
            shop, "email"
        ),
    ),
    "proposal voided by any other message": (
        [(catalog.orders.confirmations, "void_stale", lambda *a, **k: 0)],
        lambda shop: test_confirmation.test_any_other_message_voids_the_proposal(
            shop, "what about the boots?"
        ),
    ),
    "neutralized tool markers": (
        [
            (assistant.agent, "neutralize", lambda t: t),
            (assistant.turns, "neutralize", lambda t: t),
        ],
        lambda shop: test_injection.test_shopper_text_cannot_forge_a_tool_block(
            shop, test_injection.PAYLOADS[0]
        ),
    ),
    "session secret required": (
        [(Sessions, "require", lambda *a, **k: None)],
        lambda shop: _with_client(
            shop,
            lambda c: (
                test_sessions.test_conversations_need_their_secret_and_unknown_looks_like_forbidden(
                    c, shop, "known_id_no_token", "history"
                )
            ),
        ),
    ),
    "origin check": (
        [
            (serving.app, "origin_allowed", lambda *a: True),
            (serving.ws, "origin_allowed", lambda *a: True),
        ],
        lambda shop: _with_client(
            shop,
            lambda c: test_sessions.test_foreign_origins_are_refused_everywhere(
                c, shop, "https://evil.example"
            ),
        ),
    ),
}


def _with_client(shop: Shop, case: Callable[[TestClient], None]) -> None:
    with TestClient(create_app(shop.services)) as client:
        case(client)


@pytest.mark.parametrize("guard", list(GUARDS))
def test_the_case_passes_with_the_guard(shop: Shop, guard: str) -> None:
    GUARDS[guard][1](shop)


@pytest.mark.parametrize("guard", list(GUARDS))
def test_disabling_the_guard_makes_its_case_fail(
    shop: Shop, guard: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    patches, case = GUARDS[guard]
    for owner, name, replacement in patches:
        monkeypatch.setattr(owner, name, replacement)
    with pytest.raises(CAUGHT):
        case(shop)
