"""The support console and the widget side by side: two browser contexts in one test
(a shopper and an agent) against the real server, in Debian's Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evals.stores import EvalStore
from tests.console_kit import (
    ADMIN,
    AGENT,
    PASSWORD,
    LiveApp,
    console_app,
)

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture()
def app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    yield from console_app(eval_store, tmp_path)


def _agent(browser: Any, app: LiveApp, email: str) -> Any:
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(app.url + "/console")
    expect(page).to_have_url(app.url + "/console/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#me")).to_contain_text("(", timeout=10_000)
    return page


def _shopper(browser: Any, app: LiveApp) -> Any:
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1000, "height": 760}).new_page()
    page.goto(app.url + "/")
    expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
    return page


def _say(shopper: Any, text: str) -> None:
    shopper.locator(".sa-input").fill(text)
    shopper.locator(".sa-input").press("Enter")


def _within(seconds: float, check: Any) -> float:
    """Poll ``check`` until true; return how long it took (fails past ``seconds``)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, f"not within {seconds}s"
        time.sleep(0.02)
    return time.monotonic() - started


def test_shopper_asks_for_a_person_agent_takes_talks_and_hands_back(
    browser: Any, app: LiveApp
) -> None:
    from playwright.sync_api import expect

    agent = _agent(browser, app, AGENT)
    shopper = _shopper(browser, app)
    queued = agent.locator("#queue .item")
    _say(shopper, "Can I talk to a human please?")
    took = _within(1.0, lambda: queued.count() == 1)  # from the shopper's Enter
    expect(shopper.locator(".sa-msg-system")).to_contain_text(
        ["Waiting for a person"], timeout=10_000
    )
    print(f"\nqueue: the request reached the agent's queue in {took * 1000:.0f} ms")
    expect(queued.first).to_contain_text("shopper asked")

    queued.first.click()
    expect(agent.locator("#summary")).to_contain_text("Why here: shopper asked")
    expect(agent.locator("#summary")).to_contain_text("Can I talk to a human please?")
    agent.click("#take")
    expect(shopper.locator(".sa-msg-system").last).to_have_text(
        "Alex joined the chat", timeout=5_000
    )

    # agent → shopper, with the typing indicator first
    agent.locator("#reply").press_sequentially("Hi there", delay=100)
    agent.locator("#reply").fill("Hi, I'm Alex. How can I help?")
    sent = time.monotonic()
    agent.locator("#reply").press("Enter")
    expect(shopper.locator(".sa-msg-agent").last).to_contain_text("How can I help?", timeout=2_000)
    to_shopper = time.monotonic() - sent
    expect(shopper.locator(".sa-status")).to_have_text("online")  # typing never sticks

    # shopper → agent
    shopper.locator(".sa-input").press_sequentially("My")
    expect(agent.locator("#typing")).to_have_text("Shopper is typing…", timeout=4_000)
    sent = time.monotonic()
    shopper.locator(".sa-input").fill("My boots arrived with a broken lace.")
    shopper.locator(".sa-input").press("Enter")
    expect(agent.locator("#transcript .msg.user").last).to_contain_text(
        "broken lace", timeout=2_000
    )
    to_agent = time.monotonic() - sent
    print(f"agent→shopper {to_shopper * 1000:.0f} ms, shopper→agent {to_agent * 1000:.0f} ms")
    assert to_shopper < 0.5 and to_agent < 0.5, (to_shopper, to_agent)
    # the bot's one reply was the handoff; it stayed quiet while a person had the chat
    expect(shopper.locator(".sa-msg-assistant")).to_have_count(1)
    DOCS.mkdir(exist_ok=True)
    agent.screenshot(path=str(DOCS / "console.png"))

    agent.fill("#note", "Sent a new lace; back to the bot.")
    agent.click("#hand-back")
    expect(shopper.locator(".sa-msg-system").last).to_have_text(
        "You're back with the assistant.", timeout=5_000
    )
    _say(shopper, "hello")
    expect(shopper.locator(".sa-msg-assistant").last).to_contain_text("Hi!", timeout=10_000)
    expect(agent.locator("#audit")).to_contain_text("with_agent → bot")


def test_agent_closes_shopper_rates_four_and_metrics_show_it(browser: Any, app: LiveApp) -> None:
    from playwright.sync_api import expect

    agent = _agent(browser, app, AGENT)
    shopper = _shopper(browser, app)
    _say(shopper, "I want to speak to a real person")
    expect(agent.locator("#queue .item")).to_have_count(1, timeout=5_000)
    agent.locator("#queue .item").first.click()
    agent.click("#take")
    expect(shopper.locator(".sa-msg-system").last).to_have_text(
        "Alex joined the chat", timeout=5_000
    )
    agent.select_option("#resolution", "resolved")
    agent.click("#close")
    expect(shopper.locator(".sa-csat")).to_be_visible(timeout=5_000)
    shopper.get_by_role("button", name="4 out of 5").click()
    shopper.locator(".sa-csat input").fill("Quick and friendly")
    shopper.get_by_role("button", name="Send rating").click()
    expect(shopper.locator(".sa-msg-system").last).to_have_text(
        "Thanks for rating us 4 out of 5.", timeout=5_000
    )
    admin = _agent(browser, app, ADMIN)
    admin.goto(app.url + "/console/metrics")
    expect(admin.locator("#tiles")).to_contain_text("4.00 / 5 (1)", timeout=5_000)
    expect(admin.locator("#tiles")).to_contain_text("escalation rate")
    assert admin.locator("#csat rect").count() == 5
    admin.screenshot(path=str(Path(__file__).resolve().parents[2] / "docs" / "console-metrics.png"))
