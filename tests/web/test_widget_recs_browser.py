"""A signed-in shopper asks for recommendations in the real widget (Chromium) and sees a
carousel of cards, each with the reason code wrote for it.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlmodel import Session, col, select

from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.flows.agent import FlowAgent
from assistant.llm.local_server import free_port
from catalog.models import Order, OrderItem
from catalog.orders.service import OrderService
from catalog.signing import sign_customer_token
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import ARTIFACTS, _Server
from tools.default_registry import default_registry

SECRET = "browser-test-secret"
pytestmark = pytest.mark.browser


def _customer_with_orders(services: AppServices) -> tuple[str, set[str]]:
    with Session(services.engine) as s:
        rows = s.exec(
            select(Order.user_id, OrderItem.name)
            .join(OrderItem, col(OrderItem.order_id) == col(Order.id))
            .where(col(Order.status) == "delivered")
        ).all()
    by_user: dict[str, set[str]] = {}
    for uid, name in rows:
        by_user.setdefault(uid, set()).add(name)
    uid = max(by_user, key=lambda u: len(by_user[u]))
    return uid, by_user[uid]


def test_signed_in_shopper_sees_a_carousel_of_recommendations_with_reasons(
    services: AppServices,
    browser_page: object,
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    llm = FakeLLM()
    llm.enqueue(json.dumps({"action": "recommend"}))
    deps = replace(
        services.deps,
        orders=OrderService(services.engine, identity="verified", customer_token_secret=SECRET),
        llm=llm,
    )
    agent = FlowAgent(llm, default_registry("verified"), use_reader=False)
    chat = ChatService(agent, deps, services.conversations, services.settings.agent)
    app_services = replace(services, deps=deps, llm=llm, chat=chat)
    user_id, bought = _customer_with_orders(services)
    token = sign_customer_token(SECRET, user_id)
    port = free_port()
    server = _Server(app_services, port)
    shop = f"http://127.0.0.1:{port}/account"
    # The shop's own signed-in page embeds the widget with the token its backend signed.
    page.route(
        shop,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!doctype html><html><body><h1>My account</h1><script src="/widget.js" '
            f'data-open="true" data-customer-token="{token}" defer></script></body></html>',
        ),
    )
    try:
        page.goto(shop)
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        page.locator(".sa-input").fill("recommend something for me")
        page.locator(".sa-input").press("Enter")
        carousel = page.locator("[aria-roledescription=carousel]")
        expect(carousel).to_have_count(1, timeout=15_000)
        cards = carousel.locator(".sa-card")
        expect(cards.first).to_be_visible()
        count = cards.count()
        assert count >= 3
        reasons = [cards.nth(i).locator(".sa-card-reason").inner_text() for i in range(count)]
        names = [cards.nth(i).locator(".sa-card-name").inner_text() for i in range(count)]
        assert all(reasons), reasons
        assert not set(names) & bought, "already-bought products are not recommended"
        assert any(
            r.removeprefix("Because you bought the ") in bought
            for r in reasons
            if r.startswith("Because you bought the ")
        ), reasons
        expect(page.locator(".sa-msg-assistant").last).to_contain_text(names[0])
        page.get_by_role("button", name="Next products").click()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "widget-recommendations.png"))
    finally:
        server.stop()
