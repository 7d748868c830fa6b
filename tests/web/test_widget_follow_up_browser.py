"""Follow-ups in the real widget (Chromium), read by the trained reader with no model call:
search → "compare the first two" → a comparison table → "what do reviewers say about the
second one?" → that product's review summary; and a reload while waiting for a person."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.flows.agent import FlowAgent
from assistant.llm.local_server import free_port
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import ARTIFACTS, _Server
from tools.default_registry import default_registry

pytestmark = pytest.mark.browser


def _flows(services: AppServices) -> AppServices:
    """The flows assistant with the trained reader; the scripted model has nothing queued,
    so any turn that asked the model would fail."""
    llm = FakeLLM()
    deps = replace(services.deps, llm=llm)
    agent = FlowAgent(llm, default_registry(), use_reader=True)
    chat = ChatService(agent, deps, services.conversations, services.settings.agent)
    return replace(services, deps=deps, llm=llm, chat=chat)


@contextmanager
def _chat(page: Any, services: AppServices) -> Iterator[Any]:
    """Serve the flows assistant, open its demo page and yield the widget's input box."""
    from playwright.sync_api import expect

    port = free_port()
    server = _Server(_flows(services), port)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.locator(".sa-status")).not_to_have_text("", timeout=10_000)
        yield page.locator(".sa-input")
    finally:
        server.stop()


def test_compare_table_then_reviews_of_the_second(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    with _chat(page, services) as box:
        box.fill("show me some headlamps")
        box.press("Enter")
        cards = page.locator(".sa-card")
        expect(cards.first).to_be_visible(timeout=15_000)
        names = cards.locator(".sa-card-name").all_inner_texts()
        assert len(names) >= 2
        box.fill("compare the first two")
        box.press("Enter")
        table = page.locator(".sa-compare table").last
        expect(table).to_be_visible(timeout=15_000)
        heads = table.locator("thead th").all_inner_texts()
        assert heads[1:] == names[:2], heads
        rows = table.locator("tbody tr")
        assert rows.count() == 4
        assert rows.first.locator("td").first.inner_text().startswith("$")
        page.screenshot(path=str(ARTIFACTS / "widget-compare.png"))
        box.fill("what do reviewers say about the second one?")
        box.press("Enter")
        reply = page.locator(".sa-msg-assistant").last
        expect(reply).to_contain_text("reviews", timeout=15_000)
        text = reply.inner_text()
        assert names[1] in text and names[0] not in text, text


def test_a_reload_while_waiting_for_a_person_still_says_so(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    with _chat(page, services) as box:
        box.fill("I want to talk to a real person please")
        box.press("Enter")
        waiting = page.locator(".sa-msg-system")
        expect(waiting.last).to_be_visible(timeout=15_000)
        line = waiting.last.inner_text()
        page.reload()
        expect(page.locator(".sa-msg-user").first).to_be_visible(timeout=15_000)
        expect(page.locator(".sa-msg-system").last).to_have_text(line, timeout=10_000)
