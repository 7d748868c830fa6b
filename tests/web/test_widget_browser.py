"""The real widget in Debian's Chromium (Playwright) against the real server.

The server, store, search index and frames are real; the LLM is the scripted fake so the
test is fast and deterministic (tests/assistant/test_real_model.py covers the real model).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from assistant.bootstrap import AppServices
from assistant.llm.local_server import free_port
from serving.app import create_app
from tests.fakes import FakeLLM

# Skipped by the browser_page fixture (tests/web/conftest.py) when Chromium is missing.
pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
SEARCH = (
    '{"tool": "search_catalog", "args": {"query": "waterproof hiking boots", "max_price": 150}}'
)
REPLY = "I found waterproof hiking boots under $150. The cards show sizes and colors."


class _Server:
    def __init__(self, services: AppServices, port: int) -> None:
        config = uvicorn.Config(
            create_app(services),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            ws_ping_interval=None,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@contextmanager
def _widget_online(services: AppServices, page: object) -> Iterator[None]:
    """Serve ``services`` on a free port, open the demo page and wait for the widget."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    port = free_port()
    server = _Server(services, port)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        yield
    finally:
        server.stop()


_OBSERVE = """() => {
  const root = document.querySelector('#shopassist-widget').shadowRoot;
  window.__snaps = [];
  window.__typingSeen = false;
  new MutationObserver(() => {
    const bubbles = root.querySelectorAll('.sa-msg-assistant');
    if (bubbles.length) window.__snaps.push(bubbles[bubbles.length - 1].textContent);
    if (root.querySelector('.sa-typing')) window.__typingSeen = true;
  }).observe(root, {subtree: true, childList: true, characterData: true});
}"""


def test_shopper_search_streams_cards_and_survives_reload(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    llm = services.chat.agent.llm
    assert isinstance(llm, FakeLLM)
    llm.delay_s = 0.03
    llm.enqueue(SEARCH, REPLY)
    with _widget_online(services, page):
        page.evaluate(_OBSERVE)
        page.locator(".sa-input").fill("waterproof hiking boots under $150")
        page.locator(".sa-input").press("Enter")

        cards = page.locator(".sa-card")
        expect(cards.first).to_be_visible(timeout=15_000)
        expect(page.locator(".sa-msg-assistant").last).to_have_text(REPLY, timeout=15_000)
        expect(page.locator(".sa-typing")).to_have_count(0)

        count = cards.count()
        assert count >= 1
        prices = [float(cards.nth(i).get_attribute("data-price") or "inf") for i in range(count)]
        names = [cards.nth(i).locator(".sa-card-name").inner_text() for i in range(count)]
        assert all(p <= 150 for p in prices), prices
        assert any("Boots" in n for n in names), names
        snaps = [s for s in page.evaluate("window.__snaps") if s]
        partial = {s for s in snaps if s != REPLY and REPLY.startswith(s)}
        assert len(partial) >= 3, "reply text must arrive in streamed pieces"
        assert page.evaluate("window.__typingSeen") is True
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "widget-search.png"))

        page.reload()
        expect(page.locator(".sa-msg-user")).to_have_text(
            ["waterproof hiking boots under $150"], timeout=10_000
        )
        expect(page.locator(".sa-msg-assistant")).to_have_text([REPLY])
        expect(page.locator(".sa-card")).to_have_count(count)
        expect(page.locator(".sa-typing")).to_have_count(0)


def test_widget_reconnects_after_the_socket_drops(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    llm = services.chat.agent.llm
    assert isinstance(llm, FakeLLM)
    port = free_port()
    server = _Server(services, port)
    page.goto(f"http://127.0.0.1:{port}/")
    expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
    server.stop()
    expect(page.locator(".sa-status")).to_contain_text("reconnecting", timeout=10_000)
    server = _Server(services, port)
    try:
        expect(page.locator(".sa-status")).to_have_text("online", timeout=20_000)
        llm.enqueue("Back online and ready to help.")
        page.locator(".sa-input").fill("hello again")
        page.locator(".sa-input").press("Enter")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(
            "Back online and ready to help.", timeout=10_000
        )
        expect(page.locator(".sa-typing")).to_have_count(0)
    finally:
        server.stop()


def test_error_frame_clears_typing_and_shows_the_problem(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    from assistant.errors import LLMUnavailableError

    page: Page = browser_page  # type: ignore[assignment]
    llm = services.chat.agent.llm
    assert isinstance(llm, FakeLLM)
    llm.enqueue(LLMUnavailableError("the language model is unavailable: test"))
    with _widget_online(services, page):
        page.locator(".sa-input").fill("hello?")
        page.locator(".sa-input").press("Enter")
        expect(page.locator(".sa-msg-error")).to_contain_text("reach a person", timeout=10_000)
        expect(page.locator(".sa-typing")).to_have_count(0)


@pytest.mark.real_model
def test_real_model_search_in_the_browser(
    shared_services: AppServices, browser_page: object, tmp_path: Path
) -> None:
    """The same shopper journey with the real embedded Qwen model answering."""
    from playwright.sync_api import Page, expect

    from assistant.agent import ShoppingAgent
    from assistant.bootstrap import start_llm
    from assistant.chat_service import ChatService
    from tools.default_registry import default_registry

    page: Page = browser_page  # type: ignore[assignment]
    settings = shared_services.settings.model_copy(deep=True)
    settings.llm.models_dir = str(Path(__file__).resolve().parents[2] / "var" / "models")
    llm, embedded = start_llm(settings, progress=False)
    agent = ShoppingAgent(
        llm,
        default_registry(),
        store_name=settings.agent.store_name,
        max_steps=settings.agent.max_steps,
    )
    chat = ChatService(agent, shared_services.deps, shared_services.conversations, settings.agent)
    services = AppServices(
        settings=settings,
        engine=shared_services.engine,
        deps=shared_services.deps,
        llm=llm,
        chat=chat,
        conversations=shared_services.conversations,
        index_stats=shared_services.index_stats,
        embedded=embedded,
    )
    try:
        with _widget_online(services, page):
            page.evaluate(_OBSERVE)
            page.locator(".sa-input").fill("waterproof hiking boots under $150")
            page.locator(".sa-input").press("Enter")
            cards = page.locator(".sa-card")
            expect(cards.first).to_be_visible(timeout=120_000)
            # the turn is over when its feedback buttons appear (typing ends at the first token)
            expect(page.locator(".sa-fb")).to_have_count(1, timeout=120_000)
            expect(page.locator(".sa-typing")).to_have_count(0)
            reply = page.locator(".sa-msg-assistant").last.text_content() or ""
            assert reply.strip()
            prices = [
                float(cards.nth(i).get_attribute("data-price") or "inf")
                for i in range(cards.count())
            ]
            assert prices and all(p <= 150 for p in prices), prices
            assert any("Boot" in cards.nth(i).inner_text() for i in range(cards.count()))
            assert len({s for s in page.evaluate("window.__snaps") if s}) >= 2
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widget-real-model.png"))
            page.reload()
            expect(page.locator(".sa-msg-user").last).to_have_text(
                "waterproof hiking boots under $150", timeout=10_000
            )
            expect(page.locator(".sa-msg-assistant").last).to_have_text(reply.strip())
    finally:
        embedded.stop() if embedded else None


def test_confirm_button_executes_the_proposal(services: AppServices, browser_page: object) -> None:
    import json

    from playwright.sync_api import Page, expect
    from sqlmodel import Session, col, select

    from catalog.models import Order, User

    page: Page = browser_page  # type: ignore[assignment]
    with Session(services.engine) as s:
        order = s.exec(
            select(Order).where(col(Order.status) == "pending").order_by(col(Order.id))
        ).all()[1]
        email = s.get(User, order.user_id).email  # type: ignore[union-attr]
    llm = services.chat.agent.llm
    assert isinstance(llm, FakeLLM)
    llm.enqueue(
        json.dumps({"tool": "find_user_id_by_email", "args": {"email": email}}),
        json.dumps(
            {
                "tool": "cancel_pending_order",
                "args": {"order_id": order.id, "reason": "ordered by mistake"},
            }
        ),
    )
    with _widget_online(services, page):
        page.locator(".sa-input").fill(f"please cancel {order.id}, I'm {email}")
        page.locator(".sa-input").press("Enter")
        expect(page.locator(".sa-msg-assistant").last).to_contain_text(
            f"Please confirm: Cancel order {order.id}", timeout=10_000
        )
        page.locator(".sa-confirm").click()
        expect(page.locator(".sa-msg-assistant").last).to_have_text(
            "Done: cancel pending order — the order is now 'cancelled'.", timeout=10_000
        )
        expect(page.locator(".sa-confirm")).to_be_disabled()
        expect(page.locator(".sa-typing")).to_have_count(0)
        with Session(services.engine) as s:
            assert s.get(Order, order.id).status == "cancelled"  # type: ignore[union-attr]
