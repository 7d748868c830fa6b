"""The widget's cart view in Chromium against the real server, store and flows assistant
(the trained reader, no model call): a search, "add the second one in size 9" typed in the
chat, the view's stepper, "checkout" answered with the shop's link, a reload, a card's size
select, the ``shopassist:cart-changed`` event (in the page and posted to a parent frame),
a line no longer sold, and a refused change shown next to the cart."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from assistant.cart_actions import CartActions
from assistant.chat_service import ChatService
from assistant.flows.agent import FlowAgent
from assistant.llm.local_server import free_port
from catalog.carts import CartService
from catalog.models import Variant
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import ARTIFACTS, _Server
from tools.default_registry import default_registry

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHECKOUT = "https://shop.example/cart/{lines}"
LISTEN = """
window.__carts = [];
window.__adds = [];
window.addEventListener("shopassist:cart-changed", (e) => window.__carts.push(e.detail));
window.addEventListener("shopassist:add-to-cart", (e) => window.__adds.push(e.detail));
"""
T = TypeVar("T")


def _shop(services: AppServices) -> AppServices:
    """The flows assistant with the trained reader (the scripted model has nothing queued,
    so a turn that asked it would fail) and the shop's own checkout link."""
    settings = services.settings.model_copy(deep=True)
    settings.cart.checkout_url_template = CHECKOUT
    llm = FakeLLM()
    deps = replace(services.deps, llm=llm, checkout_url_template=CHECKOUT)
    agent = FlowAgent(llm, default_registry(), use_reader=True)
    chat = ChatService(
        agent, deps, services.conversations, settings.agent, link_hosts=settings.link_hosts()
    )
    carts = CartActions(agent.registry, deps, services.conversations)  # the checkout link
    return replace(services, settings=settings, deps=deps, llm=llm, chat=chat, carts=carts)


@contextmanager
def _online(services: AppServices, page: Any, html: str | None = None) -> Iterator[str]:
    """Serve the shop, open its demo page (or ``html`` at /frame) and wait until online."""
    from playwright.sync_api import expect

    port = free_port()
    server = _Server(_shop(services), port)
    base = f"http://127.0.0.1:{port}"
    try:
        if html is None:
            page.goto(f"{base}/")
            expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        else:
            page.route(
                f"{base}/frame", lambda route: route.fulfill(content_type="text/html", body=html)
            )
            page.goto(f"{base}/frame")
        yield base
    finally:
        server.stop()


def _errors(page: Any) -> list[str]:
    """Collect the page's console errors and uncaught exceptions (the demo server has no
    favicon; the browser's own 404 for it is not the widget's)."""
    seen: list[str] = []

    def console(m: Any) -> None:
        url = str(m.location.get("url", ""))
        if m.type == "error" and not url.endswith("/favicon.ico"):
            seen.append(f"{m.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    return seen


def _until(probe: Callable[[], T | None], what: str, timeout: float = 10) -> T:
    deadline = time.monotonic() + timeout
    while True:
        got = probe()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _session(page: Any) -> tuple[str, str]:
    token = page.evaluate("localStorage.getItem('shopassist.conversation')")
    assert token, "the widget keeps its session"
    return token, token.split(".")[1]


def _server_cart(page: Any, base: str) -> dict[str, Any]:
    """The cart as the shop's backend reads it (GET …/cart with the session token)."""
    token, conversation = _session(page)
    r = page.request.get(
        f"{base}/v1/conversations/{conversation}/cart",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.ok, r.text()
    body: dict[str, Any] = r.json()
    assert body["conversation_id"] == conversation
    return body["cart"]  # type: ignore[no-any-return]


def _say(page: Any, text: str) -> str:
    """Type ``text`` in the chat and return the reply once its turn is over."""
    from playwright.sync_api import expect

    before = page.locator(".sa-fb").count()
    page.locator(".sa-input").fill(text)
    page.locator(".sa-input").press("Enter")
    expect(page.locator(".sa-fb")).to_have_count(before + 1, timeout=20_000)
    return str(page.locator(".sa-msg-assistant").last.inner_text())


def _size_nine(services: AppServices, product_id: str) -> Variant:
    with Session(services.engine) as s:
        nines = [
            v
            for v in s.exec(select(Variant).where(Variant.product_id == product_id))
            if v.available and v.options.get("size") == "9"
        ]
    assert len(nines) == 1, f"the second card needs exactly one size 9 in stock: {nines}"
    return nines[0]


def _cart_button(page: Any) -> Any:
    return page.get_by_role("button", name=re.compile(r"^Cart \("))


def test_chat_stepper_checkout_reload_and_card_select(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = _errors(page)
    page.add_init_script(LISTEN)
    with _online(services, page) as base:
        expect(_cart_button(page)).to_have_attribute("aria-label", "Cart (0 items)")
        reply = _say(page, "show me hiking boots")
        cards = page.locator(".sa-carousel").last.locator(".sa-card")
        assert cards.count() >= 2, reply
        second = cards.nth(1)
        name = second.locator(".sa-card-name").inner_text()
        pid = second.get_attribute("data-product-id") or ""
        nine = _size_nine(services, pid)

        reply = _say(page, "add the second one in size 9")
        count = page.locator(".sa-cart-count")
        try:
            expect(count).to_have_text("1", timeout=5_000)
        except AssertionError as exc:
            raise AssertionError(f"the chat did not add it; it answered: {reply!r}") from exc
        _cart_button(page).click()
        view = page.get_by_role("region", name="Your cart")
        expect(view).to_be_visible()
        line = view.locator(".sa-line")
        expect(line).to_have_count(1)
        assert line.get_attribute("data-variant-id") == nine.id
        expect(line).to_contain_text(name)
        expect(line).to_contain_text("size: 9")
        expect(line.locator(".sa-qty")).to_have_text("1")
        expect(view.get_by_role("button", name=f"Decrease quantity of {name}")).to_be_disabled()

        view.get_by_role("button", name=f"Increase quantity of {name}").click()
        expect(line.locator(".sa-qty")).to_have_text("2")
        server = _until(
            lambda: (c := _server_cart(page, base))["item_count"] == 2 and c,
            "the server cart to hold 2",
        )
        assert [(ln["variant_id"], ln["quantity"]) for ln in server["lines"]] == [(nine.id, 2)]
        expect(count).to_have_text("2")
        expect(view.locator(".sa-cart-total")).to_have_text(f"${server['total']:,.2f}")
        link = f"https://shop.example/cart/{nine.id}:2"
        checkout = view.get_by_role("link", name=re.compile("^Checkout"))
        expect(checkout).to_have_attribute("href", link)
        expect(checkout).to_have_attribute("target", "_blank")
        page.screenshot(path=str(ARTIFACTS / "widget-cart.png"))

        reply = _say(page, "checkout")
        anchor = page.locator(".sa-msg-assistant").last.locator(f'a[href="{link}"]')
        assert anchor.count() == 1, f"no clickable {link} in the reply: {reply!r}"
        page.context.route(
            "https://shop.example/**",
            lambda route: route.fulfill(content_type="text/html", body="<p>shop</p>"),
        )
        with page.expect_popup() as popup:
            anchor.click()
        assert popup.value.url == link
        popup.value.close()

        carts = page.evaluate("window.__carts")
        assert carts[-1]["lines"][0]["quantity"] == 2 and carts[-1]["checkout_url"] == link
        assert carts[-1] == _server_cart(page, base)

        page.reload()
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        expect(count).to_have_text("2", timeout=10_000)
        _cart_button(page).click()
        expect(view.locator(".sa-line")).to_have_count(1)
        expect(view.locator(".sa-line .sa-qty")).to_have_text("2")
        _cart_button(page).click()
        expect(view).to_be_hidden()

        # a card with several sizes in stock: its select first, then Add to cart
        card = page.locator(".sa-card:has(select)").first
        expect(card).to_be_visible(timeout=10_000)
        other = card.locator(".sa-card-name").inner_text()
        add = card.get_by_role("button", name=f"Add to cart: {other}")
        add.click()
        expect(card.get_by_role("alert")).to_have_text("Choose an option first.")
        assert page.evaluate("window.__adds") == []
        pick = card.locator("select")
        chosen = pick.locator("option").nth(1).get_attribute("value") or ""
        pick.select_option(chosen)
        add.click()
        expect(count).to_have_text("3", timeout=10_000)
        expect(card.locator(".sa-note")).to_be_empty()
        server = _server_cart(page, base)
        assert [ln["variant_id"] for ln in server["lines"]] == [nine.id, chosen]
        adds = page.evaluate("window.__adds")
        assert [a["variantId"] for a in adds] == [chosen]
        assert page.evaluate("window.__carts")[-1] == server
        expect(page.locator("#cart-count")).to_have_text("3")  # the demo page's mirror
    assert not errors, errors


def test_a_line_no_longer_sold_and_a_refused_change(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = _errors(page)
    with _online(services, page) as base:
        _say(page, "show me hiking boots")
        card = page.locator(".sa-card:has(select)").first
        pick = card.locator("select")
        chosen = pick.locator("option").nth(1).get_attribute("value") or ""
        pick.select_option(chosen)
        card.get_by_role("button", name=re.compile("^Add to cart")).click()
        count = page.locator(".sa-cart-count")
        expect(count).to_have_text("1", timeout=10_000)
        _, conversation = _session(page)
        try:
            with Session(services.engine) as s:
                variant = s.get(Variant, chosen)
                assert variant is not None
                variant.available = False
                s.add(variant)
                s.commit()
            page.reload()
            expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
            _cart_button(page).click()
            view = page.get_by_role("region", name="Your cart")
            line = view.locator(".sa-line")
            expect(line).to_have_class(re.compile("sa-line-off"))
            expect(line).to_contain_text("No longer available — not in the total")
            expect(view.locator(".sa-cart-total")).to_have_text("$0.00")
            expect(count).to_be_hidden()
            expect(view.get_by_role("link", name=re.compile("^Checkout"))).to_have_count(0)
            expect(line.get_by_role("button", name=re.compile("^Increase"))).to_be_disabled()
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(
                "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
                " return r.violations.map(v => ({id: v.id, impact: v.impact,"
                " target: v.nodes[0] && v.nodes[0].target})); }"
            )
            serious = [v for v in found if v["impact"] in ("serious", "critical")]
            assert not serious, json.dumps(serious, indent=1)
        finally:
            with Session(services.engine) as s:
                variant = s.get(Variant, chosen)
                assert variant is not None
                variant.available = True
                s.add(variant)
                s.commit()
        page.reload()
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        expect(count).to_have_text("1", timeout=10_000)
        _cart_button(page).click()
        view = page.get_by_role("region", name="Your cart")
        line_id = int(view.locator(".sa-line").get_attribute("data-line-id") or 0)
        CartService(services.engine).remove(conversation, line_id)  # behind the widget's back
        view.get_by_role("button", name=re.compile("^Increase")).click()
        note = view.get_by_role("alert")
        expect(note).to_contain_text(f"no line {line_id}", timeout=10_000)
        expect(page.locator(".sa-msg-error")).to_have_count(0)  # not a chat bubble
        expect(view.locator(".sa-line .sa-qty")).to_have_text("1")  # back to the server's
        view.get_by_role("button", name=re.compile("^Remove")).click()
        expect(note).to_contain_text("no line", timeout=10_000)
        assert _server_cart(page, base)["lines"] == []
    assert not errors, errors


def test_cart_changes_are_posted_to_the_parent_frame(
    services: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page

    page: Page = browser_page  # type: ignore[assignment]
    html = (
        "<!doctype html><html lang='en'><body><script>window.__msgs = [];"
        "addEventListener('message', (e) => window.__msgs.push(e.data));</script>"
        "<iframe src='/' title='shop' width='900' height='700'></iframe></body></html>"
    )
    with _online(services, page, html):
        msgs = _until(
            lambda: [
                m
                for m in page.evaluate("window.__msgs")
                if isinstance(m, dict) and m.get("type") == "shopassist:cart-changed"
            ],
            "a cart-changed message from the frame",
            timeout=15,
        )
        assert msgs[0]["cart"] == {
            "lines": [],
            "total": 0.0,
            "item_count": 0,
            "checkout_url": None,
        }
