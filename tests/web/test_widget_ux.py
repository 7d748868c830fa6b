"""What a shopper sees and does in the widget (Chromium, desktop and phone viewports).

Welcome, keyboard, carousel, add to cart, safe rich text, status/typing lifecycle, thumbs
feedback, locale, and an axe-core accessibility audit. The server, store and frames are
real; the LLM is the scripted fake.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.bootstrap import AppServices
from assistant.feedback import FeedbackStore
from assistant.llm.local_server import free_port
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import SEARCH, _Server

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
REPLY = "I found waterproof hiking boots under $150. The cards show sizes and colors."
SHADOW = "document.querySelector('#shopassist-widget').shadowRoot"
pytestmark = pytest.mark.browser


def _shop(services: AppServices) -> AppServices:
    settings = services.settings.model_copy(deep=True)
    settings.widget.product_url_template = "https://shop.example/products/{id}"
    return replace(services, settings=settings)


@contextmanager
def _online(
    services: AppServices, page: object, path: str = "/", html: str | None = None
) -> Iterator[str]:
    """Serve the app, open ``path`` (or a test page with ``html``), wait until online."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    port = free_port()
    server = _Server(services, port)
    base = f"http://127.0.0.1:{port}"
    try:
        if html is not None:
            page.route(
                f"{base}{path}",
                lambda route: route.fulfill(content_type="text/html", body=html),
            )
        page.goto(f"{base}{path}")
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        yield base
    finally:
        server.stop()


def _allowing(services: AppServices, *hosts: str, widget: tuple[str, ...] = ()) -> AppServices:
    """The app with replies allowed links to ``hosts``, the widget to ``widget or hosts``."""
    settings = services.settings.model_copy(deep=True)
    settings.widget = settings.widget.model_copy(update={"link_hosts": list(widget or hosts)})
    services.chat.link_hosts = frozenset(hosts)
    return replace(services, settings=settings)


def _llm(services: AppServices) -> FakeLLM:
    llm = services.chat.agent.llm
    assert isinstance(llm, FakeLLM)
    return llm


def _ask(page: object, text: str) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.locator(".sa-input").fill(text)
    page.locator(".sa-input").press("Enter")


def _active_class(page: object) -> str:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    return str(page.evaluate(f"({SHADOW}.activeElement || {{}}).className || ''"))


def test_welcome_suggestions_and_keyboard(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    _llm(services).enqueue("Here are some ideas.")
    with _online(services, page):
        expect(page.locator(".sa-welcome")).to_contain_text("I can find products")
        chips = page.locator(".sa-chip")
        expect(chips).to_have_count(3)
        launcher = page.locator(".sa-launch")
        expect(launcher).to_have_attribute("aria-expanded", "true")
        page.keyboard.press("Escape")
        expect(page.locator(".sa-panel")).to_be_hidden()
        expect(launcher).to_have_attribute("aria-expanded", "false")
        assert _active_class(page) == "sa-launch", "focus returns to the launcher"
        page.keyboard.press("Enter")  # the focused launcher opens the panel again
        expect(page.locator(".sa-panel")).to_be_visible()
        assert _active_class(page) == "sa-input"
        chips.nth(1).click()
        expect(page.locator(".sa-msg-user")).to_have_text(["Recommend something for me"])
        expect(page.locator(".sa-msg-assistant").last).to_have_text("Here are some ideas.")
        expect(page.locator(".sa-welcome")).to_have_count(0)
        page.locator(".sa-close").click()
        expect(page.locator(".sa-panel")).to_be_hidden()


def test_unread_badge_counts_replies_while_closed(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    llm = _llm(services)
    llm.delay_s = 0.05
    llm.enqueue("A reply that arrives while the panel is closed.")
    with _online(services, page):
        _ask(page, "hello")
        page.evaluate(f"{SHADOW}.querySelector('.sa-close').click()")
        expect(page.locator(".sa-badge")).to_have_text("1", timeout=10_000)
        page.locator(".sa-launch").click()
        expect(page.locator(".sa-badge")).to_be_hidden()


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_cards_carousel_view_link_and_add_to_cart(
    services: AppServices, browser_page: object, viewport: str
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size(VIEWPORTS[viewport])
    _llm(services).enqueue(SEARCH, REPLY)
    with _online(_shop(services), page):
        _ask(page, "waterproof hiking boots under $150")
        cards = page.locator(".sa-card")
        expect(cards.first).to_be_visible(timeout=15_000)
        expect(page.locator(".sa-msg-assistant").last).to_have_text(REPLY)
        n = cards.count()
        assert n >= 3
        count = page.locator(".sa-count")
        expect(count).to_have_text(f"1/{n}")
        expect(page.get_by_role("button", name="Previous products")).to_be_disabled()
        page.get_by_role("button", name="Next products").click()
        expect(count).to_have_text(f"2/{n}")
        first = cards.first
        pid = first.get_attribute("data-product-id") or ""
        assert pid and pid not in first.inner_text(), "no raw ids on cards"
        view = first.get_by_role("link")
        expect(view).to_have_attribute("href", f"https://shop.example/products/{pid}")
        sizes = [
            line.removeprefix("size: ").split(" · ")[0].split(", ")
            for line in first.locator(".sa-card-meta").all_inner_texts()
            if line.startswith("size: ")
        ]
        for values in sizes:
            assert values == sorted(values, key=float), values
        name = first.locator(".sa-card-name").inner_text()
        pick = first.locator("select")  # several sizes in stock: choose one first
        if pick.count():
            pick.select_option(index=1)
        first.get_by_role("button", name=f"Add to cart: {name}").click()
        expect(page.locator("#cart-count")).to_have_text("1")
        expect(page.locator("#cart-items li")).to_have_count(1)
        expect(page.locator("#cart-items li").first).to_contain_text(name)
        assert page.locator("#cart-items li").first.get_attribute("data-product-id") == pid


def test_rich_text_is_rendered_safely(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    text = (
        "**Great** choice, *really*:\n- light\n- warm\n"
        "See [the guide](https://example.com/guide) or [this](javascript:alert(1)) "
        '<img src=x onerror="window.__xss=1"> and https://example.com/care.'
    )
    _llm(services).enqueue(text)
    with _online(_allowing(services, "example.com"), page):
        _ask(page, "tell me about sleeping bags")
        bubble = page.locator(".sa-msg-assistant").last
        expect(bubble.locator("strong")).to_have_text("Great", timeout=10_000)
        expect(bubble.locator("em")).to_have_text("really")
        expect(bubble.locator("li")).to_have_text(["light", "warm"])
        links = bubble.locator("a")
        expect(links).to_have_count(2)
        assert [links.nth(i).get_attribute("href") for i in range(2)] == [
            "https://example.com/guide",
            "https://example.com/care",
        ]
        assert links.first.get_attribute("rel") == "noopener noreferrer nofollow"
        expect(bubble).to_contain_text("[this](javascript:alert(1))")
        expect(bubble).to_contain_text('<img src=x onerror="window.__xss=1">')
        expect(bubble.locator("img")).to_have_count(0)
        assert page.evaluate("window.__xss") is None


def test_the_widget_links_only_hosts_the_shop_allows(
    services: AppServices, browser_page: object
) -> None:
    """Even text that reached it with a foreign link (an old reply, another server) stays text."""
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    text = (
        "See [the guide](https://example.com/guide), [track it](https://evil.example/track), "
        "https://example.com@evil.example/login and https://evil.example/login done"
    )
    _llm(services).enqueue(text)
    shop = _allowing(services, "example.com", "evil.example", widget=("example.com",))
    with _online(shop, page):
        _ask(page, "where is my order?")
        bubble = page.locator(".sa-msg-assistant").last
        expect(bubble).to_contain_text("done", timeout=10_000)
        links = bubble.locator("a")
        expect(links).to_have_count(1)
        assert links.first.get_attribute("href") == "https://example.com/guide"
        expect(bubble).to_contain_text("track it")
        expect(bubble).to_contain_text("https://evil.example/login")


def test_title_attribute_is_text_not_html(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    payload = '"><img src=x onerror="window.__xss=1">'
    html = (
        "<!doctype html><html lang='en'><body><script src='/widget.js' data-open='true' "
        f"data-title='{payload}' defer></script></body></html>"
    )
    with _online(services, page, "/shop", html):
        expect(page.locator(".sa-title")).to_have_text(payload)
        assert page.evaluate("window.__xss") is None


def test_status_line_and_typing_lifecycle(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    llm = _llm(services)
    llm.delay_s = 0.08
    llm.enqueue(SEARCH, REPLY)
    with _online(services, page):
        page.evaluate(
            f"""() => {{
              const root = {SHADOW};
              window.__states = [];
              new MutationObserver(() => {{
                const bubbles = root.querySelectorAll('.sa-msg-assistant');
                const last = bubbles.length ? bubbles[bubbles.length - 1].textContent : '';
                window.__states.push({{
                  tool: !!root.querySelector('.sa-tool'),
                  typing: !!root.querySelector('.sa-typing'),
                  text: last, done: !!root.querySelector('.sa-fb')
                }});
              }}).observe(root, {{subtree: true, childList: true, characterData: true}});
            }}"""
        )
        _ask(page, "waterproof hiking boots under $150")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(REPLY, timeout=15_000)
        expect(page.locator(".sa-fb")).to_have_count(1)
        states = page.evaluate("window.__states")
        assert any(s["tool"] for s in states), "the tool status line was shown"
        assert not states[-1]["tool"] and not states[-1]["typing"]
        streaming = [
            s for s in states if s["text"] and REPLY.startswith(s["text"]) and not s["done"]
        ]
        assert streaming, "the reply streamed in pieces"
        assert not any(s["typing"] for s in streaming), "typing dots vanish with the first token"
        expect(page.locator(".sa-log")).to_have_attribute("aria-busy", "false")


def test_thumbs_down_with_a_reason_is_stored(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    _llm(services).enqueue("We have three sleeping bags in stock.")
    with _online(services, page):
        _ask(page, "sleeping bags?")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(
            "We have three sleeping bags in stock.", timeout=10_000
        )
        page.get_by_role("button", name="Not helpful").click()
        reason = page.get_by_role("textbox", name="What went wrong? (optional)")
        expect(reason).to_be_focused()
        reason.fill("I wanted a cheaper one")
        page.get_by_role("button", name="Send feedback").click()
        expect(reason).to_have_count(0)  # removed once the server stored the reason
        expect(page.locator(".sa-fb-note")).to_have_text("Thanks for your feedback")
    items = FeedbackStore(services.engine).list(rating="down")
    assert any(
        i.reason == "I wanted a cheaper one" and i.reply == "We have three sleeping bags in stock."
        for i in items
    )


def test_phone_viewport_is_full_screen(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size({"width": 390, "height": 844})
    _llm(services).enqueue(SEARCH, REPLY)
    with _online(_shop(services), page):
        box = page.locator(".sa-panel").bounding_box()
        assert box == {"x": 0, "y": 0, "width": 390, "height": 844}
        _ask(page, "waterproof hiking boots under $150")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(REPLY, timeout=15_000)
        expect(page.locator(".sa-card").first).to_be_in_viewport()
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "widget-phone.png"))
        page.locator(".sa-close").click()
        expect(page.locator(".sa-launch")).to_be_visible()


def test_german_page_gets_a_german_widget(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size({"width": 1280, "height": 800})
    html = (
        "<!doctype html><html lang='de'><body><h1>Nordwind Outdoor</h1>"
        "<script src='/widget.js' data-open='true' defer></script></body></html>"
    )
    _llm(services).enqueue(SEARCH, "Hier sind wasserdichte Wanderschuhe unter 150 $.")
    with _online(_shop(services), page, "/de", html):
        expect(page.locator(".sa-welcome")).to_contain_text("Hallo!")
        expect(page.locator(".sa-input")).to_have_attribute(
            "placeholder", "Fragen Sie nach Produkten…"
        )
        _ask(page, "wasserdichte Wanderschuhe unter 150 Dollar")
        expect(page.locator(".sa-card").first).to_be_visible(timeout=15_000)
        expect(page.get_by_role("button", name="Nächste Produkte")).to_be_visible()
        price = page.locator(".sa-card-price").first.inner_text()
        assert price.endswith("$") and "," in price, price  # de-DE number format
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "widget-de.png"))


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_serious_accessibility_problems(
    services: AppServices, browser_page: object, viewport: str
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size(VIEWPORTS[viewport])
    _llm(services).enqueue(SEARCH, REPLY)
    with _online(_shop(services), page):
        _ask(page, "waterproof hiking boots under $150")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(REPLY, timeout=15_000)
        if viewport == "desktop":
            DOCS.mkdir(exist_ok=True)
            page.screenshot(path=str(DOCS / "widget-desktop.png"))
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,"
            " target: v.nodes[0] && v.nodes[0].target})); }"
        )
        serious = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not serious, json.dumps(serious, indent=1)


def test_handoff_shows_the_waiting_state(services: AppServices, browser_page: object) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    _llm(services).enqueue(
        json.dumps({"tool": "transfer_to_human_agents", "args": {"summary": "wants a person"}}),
        "I've asked a colleague to take over.",
    )
    with _online(services, page):
        _ask(page, "I want to talk to a person about a damaged parcel")
        expect(page.locator(".sa-msg-system")).to_have_text(
            "Waiting for a person to join…", timeout=10_000
        )


def test_the_widget_follows_the_language_the_shopper_writes(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    _llm(services).enqueue("Gerne! Wonach suchen Sie genau?")
    with _online(services, page):
        expect(page.locator(".sa-input")).to_have_attribute("placeholder", "Ask about products…")
        _ask(page, "Ich suche ein Geschenk für meinen Bruder, er wandert gern")
        expect(page.locator(".sa-msg-assistant").last).to_have_text(
            "Gerne! Wonach suchen Sie genau?", timeout=10_000
        )
        expect(page.locator(".sa-input")).to_have_attribute(
            "placeholder", "Fragen Sie nach Produkten…"
        )
        expect(page.get_by_role("button", name="Hilfreich", exact=True)).to_be_visible()
