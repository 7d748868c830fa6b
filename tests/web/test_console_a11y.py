"""axe-core audits of the support console and its metrics page (#23), in Debian's Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evals.stores import EvalStore
from tests.console_kit import ADMIN, AGENT, PASSWORD, LiveApp, console_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "var" / "test-artifacts"


@pytest.fixture()
def app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    yield from console_app(eval_store, tmp_path)


def _sign_in(browser: Any, app: LiveApp, email: str) -> Any:
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(app.url + "/console/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#me")).to_contain_text("(", timeout=10_000)
    return page


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,"
        " target: v.nodes[0] && v.nodes[0].target})); }"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def test_axe_finds_nothing_serious_on_the_console_with_an_empty_queue(
    browser: Any, app: LiveApp
) -> None:
    from playwright.sync_api import expect

    page = _sign_in(browser, app, AGENT)
    expect(page.get_by_text("Nobody is waiting.")).to_be_visible(timeout=5_000)
    bad = _violations(page)
    assert not bad, json.dumps(bad, indent=1)

    # and with a shopper waiting: items are list items that stay buttons
    shopper = browser.new_context().new_page()
    shopper.goto(app.url + "/")
    expect(shopper.locator(".sa-status")).to_have_text("online", timeout=10_000)
    shopper.locator(".sa-input").fill("I want to speak to a real person")
    shopper.locator(".sa-input").press("Enter")
    expect(page.locator("#queue").get_by_role("button")).to_have_count(1, timeout=5_000)
    expect(page.get_by_text("Nobody is waiting.")).to_be_hidden()
    bad = _violations(page)
    assert not bad, json.dumps(bad, indent=1)


def test_metrics_charts_have_axis_values_a_legend_and_the_definition(
    browser: Any, app: LiveApp
) -> None:
    from playwright.sync_api import expect

    page = _sign_in(browser, app, ADMIN)
    page.goto(app.url + "/console/metrics")
    expect(page.locator("#tiles")).to_contain_text("bot resolution", timeout=5_000)
    for chart in ("#per-day", "#csat"):
        ticks = page.locator(f"{chart} text[text-anchor=end]").all_text_contents()
        assert ticks[0] == "0" and len(ticks) >= 2, ticks  # y axis values, from 0 up
        assert page.locator(f"{chart} line").count() >= 3  # axes and gridlines
    expect(page.locator("#per-day-legend li")).to_have_text(
        ["Conversations", "Escalated to a person", "Resolved by the bot"]
    )
    expect(page.locator("#csat-legend li")).to_have_count(1)
    expect(page.locator("#csat text[text-anchor=middle]")).to_have_count(5)  # 1★ … 5★
    definition = page.get_by_role("region", name="Resolved by the bot")
    expect(definition).to_contain_text("thumbs-down")
    expect(definition).to_contain_text("repeat a request")
    page.screenshot(path=str(ARTIFACTS / "console-metrics-axes.png"))
    bad = _violations(page)
    assert not bad, json.dumps(bad, indent=1)
