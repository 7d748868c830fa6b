"""A German shopper in the real widget (Chromium): German replies, matching products, and
cards named in German from the translation cache."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.flows.agent import FlowAgent
from assistant.llm.local_server import free_port
from catalog.models import Product
from catalog.translations import Translation, put_translation
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import ARTIFACTS, _Server
from tools.default_registry import default_registry

pytestmark = pytest.mark.browser


def _marked(messages: list[dict[str, str]]) -> str:
    """Background card translations are answered with a marker."""
    return "DE: " + messages[-1]["content"]


def test_german_shopper_gets_german_replies_and_matching_products(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    vocab = services.deps.searcher.vocabulary
    with Session(services.engine) as s:
        lamps = [p for p in s.exec(select(Product)) if vocab.type_of.get(p.id) == "Desk Lamp"]
    assert lamps
    # the merchant translated the lamps' names earlier (`shopassist translate --locale de`)
    german = {p.id: p.name.replace("Desk Lamp", "Schreibtischlampe") for p in lamps}
    for p in lamps:
        put_translation(
            services.engine, f"product:{p.id}:name", "de", p.name, german[p.id], generated_by="test"
        )
    llm = FakeLLM(translate=_marked)
    llm.enqueue(
        json.dumps({"action": "search", "product": "desk lamp", "words": "Schreibtischlampe"})
    )
    deps = replace(services.deps, llm=llm)
    chat = ChatService(
        FlowAgent(llm, default_registry(), use_reader=False),
        deps,
        services.conversations,
        services.settings.agent,
    )
    app_services = replace(services, deps=deps, llm=llm, chat=chat)
    port = free_port()
    server = _Server(app_services, port)
    shop = f"http://127.0.0.1:{port}/de/leuchten"
    page.route(
        shop,
        lambda route: route.fulfill(
            content_type="text/html",
            body="<!doctype html><html lang='de'><body><h1>Leuchten</h1>"
            '<script src="/widget.js" data-open="true" defer></script></body></html>',
        ),
    )
    try:
        page.goto(shop)
        expect(page.locator(".sa-status")).not_to_have_text("", timeout=10_000)
        box = page.locator(".sa-input")
        box.fill("Hallo, ich suche eine Schreibtischlampe für mein Arbeitszimmer.")
        box.press("Enter")
        cards = page.locator(".sa-card")
        expect(cards.first).to_be_visible(timeout=15_000)
        reply = page.locator(".sa-msg-assistant").last
        expect(reply).to_contain_text("Schreibtischlampe", timeout=15_000)
        text = reply.inner_text()
        assert re.search(r"Hier sind \d+ Vorschläge|Hier ist ein Vorschlag", text), text
        assert "Here are" not in text
        names = cards.locator(".sa-card-name").all_inner_texts()
        # every card is a desk lamp, named in German from the cache
        assert names and set(names) <= set(german.values()), names
        page.screenshot(path=str(ARTIFACTS / "widget-german.png"))
    finally:
        server.stop()
        with Session(services.engine) as s:
            s.execute(delete(Translation))
            s.commit()
