"""Mutation check: disable one guard at a time and its attack cases must fail.

Each case below runs a real attack case from this folder with one guard switched off and
expects the case to catch it (an assertion fails). A guard whose removal no case notices
would be a guard without a test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from starlette.datastructures import Headers

import assistant.agent
import assistant.chat_service
import assistant.flows.command
import assistant.support
import assistant.turns
import assistant.untrusted
import catalog.orders.actions
import catalog.orders.auth
import catalog.orders.confirmations
import catalog.orders.service
import serving.app
import serving.cli
import serving.console_pages
import serving.state
import serving.ws
import tools.writing.review_summary
import tools.writing.verifier
from catalog.orders.service import OrderService
from serving.app import create_app
from serving.sessions import Sessions
from serving.state import ServerState
from tests.security import (
    test_bola,
    test_confirmation,
    test_console_abuse,
    test_identity,
    test_injection,
    test_limits_and_proxies,
    test_sessions,
    test_untrusted_links,
)
from tests.security.conftest import Shop

CAUGHT = (AssertionError, pytest.fail.Exception)


def _owned_anything(session: Any, order_id: str, actor: str) -> Any:
    return catalog.orders.actions.load_order(session, order_id)


def _most_extreme(hits: list[tuple[float, str, str]]) -> tuple[float, str, str]:
    return max(hits, key=lambda h: abs(h[0]))


def _keep_links(text: str, hosts: Any = ()) -> str:
    return text


def _forwarded_for_from_anyone(headers: Headers, peer: str | None, **_: Any) -> str:
    return headers.get("x-forwarded-for", "").split(",")[0].strip() or peer or "unknown"


def _uvicorn_defaults(app: Any, settings: Any, host: str, port: int) -> uvicorn.Config:
    """The CLI's config before the fix: uvicorn's own proxy defaults (loopback trusted)."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", log_config=None)


def _one_recs_bucket(self: ServerState, client: str) -> None:
    # the old code counted recs as messages of one "conversation" for every client
    sec = self.services.settings.security
    self.limits.hit("conv:recs", sec.messages_per_minute, "messages")
    self.limits.hit(f"msg:{client}", sec.client_messages_per_minute, "messages")


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
    "client address: X-Forwarded-For only from trusted proxies": (
        [(serving.state, "client_address", _forwarded_for_from_anyone)],
        lambda shop: test_limits_and_proxies.rotating_forwarded_for_is_ignored(shop, "websocket"),
    ),
    "shopassist serve: uvicorn proxy headers follow trusted_proxies": (
        [(serving.cli, "server_config", _uvicorn_defaults)],
        test_limits_and_proxies.serve_ignores_forwarded_for_from_loopback,
    ),
    "recommendations limit per client": (
        [(ServerState, "count_recs", _one_recs_bucket)],
        test_limits_and_proxies.recs_limit_is_per_client,
    ),
    "CSAT ratings per conversation": (
        [(ServerState, "count_csat", lambda *a: None)],
        lambda shop: test_limits_and_proxies.csat_flood_is_refused(shop, "websocket"),
    ),
    "strict arguments of agent proposals": (
        [(assistant.support, "strict_action_args", lambda action, args: args)],
        lambda shop: test_console_abuse.bad_proposal_is_a_typed_422(shop, "unexpected_argument"),
    ),
    "staff sign-in throttle per (account, client) and per client": (
        [(serving.console_pages, "check_login_allowed", lambda *a: None)],
        test_console_abuse.strangers_cannot_lock_an_agent_out,
    ),
    "links in replies kept to the shop's hosts": (
        [
            (assistant.chat_service, "strip_links", _keep_links),
            (assistant.untrusted, "strip_links", _keep_links),
        ],
        lambda shop: test_untrusted_links.test_model_reply_links_are_kept_to_allowed_hosts(
            shop, test_untrusted_links.PHISHING[0]
        ),
    ),
    "command product words grounded in the message": (
        [(assistant.flows.command, "_grounded_product", lambda value, *a: value)],
        # (a short one: a longer one is never echoed anyway, replies call what was found
        # by the kinds of the cards when the words are a sentence)
        lambda shop: test_untrusted_links.test_command_words_never_typed_are_not_echoed(
            shop, test_untrusted_links.SPAM_PRODUCTS[2]
        ),
    ),
    "review quote: the typical sentence": (
        [(tools.writing.review_summary, "pick_quote", _most_extreme)],
        test_untrusted_links.test_one_planted_review_does_not_choose_the_quotes,
    ),
    "review quote: never a sentence with a link": (
        [(tools.writing.review_summary, "_quotable", lambda sentence: True)],
        lambda shop: test_untrusted_links.test_a_review_sentence_with_a_link_is_never_quoted(
            shop, test_untrusted_links.LINKED_REVIEWS[0]
        ),
    ),
    "reviews: one voice per reviewer": (
        [(tools.writing.review_summary, "_voice", lambda review: review.id)],
        test_untrusted_links.test_one_reviewer_counts_once_however_many_reviews,
    ),
    "copy verifier rejects links": (
        [(tools.writing.verifier, "foreign_links", lambda text, facts: [])],
        lambda shop: test_untrusted_links.test_a_linked_copy_draft_is_never_checked(
            shop, test_untrusted_links.LINKED_DRAFTS[0]
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
