"""The widget on a default install (#23), in Debian's Chromium against a real server.

The app runs with default settings — no customer-token secret, no allowed origins, the
trained reader; only the demo store is smaller and the LLM is the scripted fake (no
message here needs it). A shopper never sees an error line: a guest verifies with order
number + email + zip, a token the assistant cannot verify leaves them a guest (the shop's
developer gets a console warning), and a token from ``shopassist customer-token`` signs
them in. A page on an origin the assistant does not allow says so once, in a line for the
shopper and a console error naming the setting, instead of reconnecting forever.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from assistant.bootstrap import AppServices, build_services
from assistant.llm.local_server import free_port
from assistant.settings import Settings
from catalog.config import DatabaseSettings, DemoStoreSettings
from catalog.models import Order, User
from catalog.signing import sign_customer_token
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import _Server

pytestmark = pytest.mark.browser
SHOP = "http://shop.example.test"


@pytest.fixture(scope="module")
def default_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServices, str]]:
    root = tmp_path_factory.mktemp("default-install")
    settings = Settings(_env_file=None, data_dir=str(root))
    settings.demo = DemoStoreSettings(seed=7, products=60, users=40, orders_per_user=2)
    settings.database = DatabaseSettings(url=f"sqlite:///{root}/shop.db")
    assert settings.identity.customer_token_secret is None
    assert settings.server.allowed_origins == []
    services = build_services(settings, llm=FakeLLM(), progress=False)
    port = free_port()
    server = _Server(services, port)
    try:
        yield services, f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        services.close()


def _guest(services: AppServices) -> tuple[str, str, str]:
    """An order's number, email and zip, as a guest would type them."""
    with Session(services.engine) as s:
        order = s.exec(select(Order)).first()
        assert order is not None
        user = s.get(User, order.user_id)
        assert user is not None
        return order.id, user.email, str(order.address["zip"])


def _watch(page: Any) -> list[tuple[str, str]]:
    logged: list[tuple[str, str]] = []
    page.on("console", lambda m: logged.append((m.type, m.text)))
    return logged


def _say(page: Any, text: str) -> None:
    page.locator(".sa-input").fill(text)
    page.locator(".sa-input").press("Enter")


def _serve_page(page: Any, url: str, script: str) -> None:
    page.route(
        url,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f"<!doctype html><html lang='en'><body><h1>Shop</h1>{script}</body></html>",
        ),
    )


def _verify_as_guest(page: Any, services: AppServices) -> None:
    from playwright.sync_api import expect

    order_id, email, zip_code = _guest(services)
    _say(page, "Where is my order?")
    expect(page.locator(".sa-msg-assistant").last).to_contain_text("order number", timeout=10_000)
    _say(page, f"order {order_id}, {email}, zip {zip_code}")
    expect(page.locator(".sa-msg-assistant").last).to_contain_text(
        "you're verified", timeout=10_000
    )
    expect(page.locator(".sa-msg-assistant").last).to_contain_text(order_id)


def test_default_install_guest_verifies_without_an_error_line(
    default_app: tuple[AppServices, str], browser_page: object
) -> None:
    from playwright.sync_api import expect

    services, url = default_app
    page: Any = browser_page
    logged = _watch(page)
    page.goto(url + "/")
    expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
    _verify_as_guest(page, services)
    expect(page.locator(".sa-msg-error")).to_have_count(0)
    assert not [t for kind, t in logged if "shopassist" in t], logged


def test_a_token_the_assistant_cannot_verify_leaves_the_shopper_a_guest(
    default_app: tuple[AppServices, str], browser_page: object
) -> None:
    from playwright.sync_api import expect

    services, url = default_app
    page: Any = browser_page
    logged = _watch(page)
    user_id = _guest(services)[0]
    with Session(services.engine) as s:
        order = s.get(Order, user_id)
        assert order is not None
    stale = sign_customer_token("not-the-assistants-secret", order.user_id)
    _serve_page(
        page,
        url + "/account",
        f'<script src="/widget.js" data-open="true" data-customer-token="{stale}" defer></script>',
    )
    page.goto(url + "/account")
    expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
    time.sleep(0.5)  # the identify answer has arrived by now
    expect(page.locator(".sa-msg-error")).to_have_count(0)
    warnings = [t for kind, t in logged if kind == "warning" and "shopassist" in t]
    assert warnings and "SHOP_IDENTITY__CUSTOMER_TOKEN_SECRET" in warnings[0], logged
    _verify_as_guest(page, services)
    expect(page.locator(".sa-msg-error")).to_have_count(0)


def test_a_token_from_the_cli_secret_signs_the_shopper_in(
    default_app: tuple[AppServices, str], browser_page: object
) -> None:
    from playwright.sync_api import expect

    services, url = default_app
    page: Any = browser_page
    order_id = _guest(services)[0]
    with Session(services.engine) as s:
        order = s.get(Order, order_id)
        assert order is not None
    from assistant.dev_secrets import customer_token_secret

    # what `shopassist customer-token USER_ID` prints on this data folder
    secret, note = customer_token_secret(services.settings)
    assert note is not None and Path(services.settings.data_dir).name in note
    token = sign_customer_token(secret, order.user_id)
    _serve_page(
        page,
        url + "/me",
        f'<script src="/widget.js" data-open="true" data-customer-token="{token}" defer></script>',
    )
    page.goto(url + "/me")
    expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
    _say(page, "Where is my order?")
    reply = page.locator(".sa-msg-assistant").last
    expect(reply).to_contain_text("#W", timeout=10_000)
    expect(reply).not_to_contain_text("verify")
    expect(page.locator(".sa-msg-error")).to_have_count(0)


def test_widget_on_a_disallowed_origin_says_so_instead_of_reconnecting(
    default_app: tuple[AppServices, str], browser: Any
) -> None:
    from playwright.sync_api import expect

    services, url = default_app
    page = browser.new_page()
    logged = _watch(page)
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    _serve_page(page, SHOP + "/", f'<script src="{url}/widget.js" data-open="true" defer></script>')
    page.goto(SHOP + "/")
    expect(page.locator(".sa-msg-system")).to_have_text(
        "This chat isn't enabled for this site.", timeout=10_000
    )
    expect(page.locator(".sa-status")).to_have_text("unavailable")
    errors = [t for kind, t in logged if kind == "error" and "shopassist" in t]
    assert len(errors) == 1, logged
    assert "SHOP_SERVER__ALLOWED_ORIGINS" in errors[0] and SHOP in errors[0]
    time.sleep(2.5)  # a reconnect loop would have tried several times by now
    assert sockets == [], "no websocket is opened for a site that is not allowed"
    expect(page.locator(".sa-status")).to_have_text("unavailable")

    # the one setting fixes it
    allowed = services.settings.model_copy(deep=True)
    allowed.server.allowed_origins = [SHOP]
    port = free_port()
    server = _Server(replace(services, settings=allowed), port)
    try:
        other = browser.new_page()
        _serve_page(
            other,
            SHOP + "/",
            f'<script src="http://127.0.0.1:{port}/widget.js" data-open="true" defer></script>',
        )
        other.goto(SHOP + "/")
        expect(other.locator(".sa-status")).to_have_text("online", timeout=10_000)
        expect(other.locator(".sa-msg-system")).to_have_count(0)
    finally:
        server.stop()
