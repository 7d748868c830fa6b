"""A merchant's own shop in the real widget (Chromium): a real Shopify export
(tests/fixtures/catalogs/shopify_home_garden.csv) imported into a fresh store, priced in
EUR, served by the flows assistant with the trained reader and no model call.

A budget search shows the shop's products within the budget, with the export's own image
URLs, prices in euros and View links built from the product URL template; a follow-up
about the first card answers about that product.
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.bootstrap import AppServices, build_services
from assistant.catalog_import import import_catalog
from assistant.llm.local_server import free_port
from assistant.settings import WidgetSettings
from tests.conftest import make_settings
from tests.fakes import FakeLLM
from tests.web.test_widget_browser import ARTIFACTS, _Server
from tests.web.test_widget_follow_up_browser import _flows

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "shopify_home_garden.csv"
PRODUCT_URL = "https://shop.example/products/{handle}"
BUDGET = 50.0
# A 1×1 transparent PNG: what the page gets instead of the shop's CDN images.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _export() -> tuple[dict[str, str], dict[str, str]]:
    """Return handle → title and handle → first image URL, read from the export itself."""
    titles: dict[str, str] = {}
    images: dict[str, str] = {}
    with FIXTURE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            handle = row["Handle"]
            if row["Title"]:
                titles.setdefault(handle, row["Title"])
            if row["Image Src"] and row["Image Position"] in ("", "1"):
                images.setdefault(handle, row["Image Src"])
    return titles, images


@pytest.fixture()
def imported_shop(tmp_path: Path) -> Iterator[AppServices]:
    """A fresh store holding only the imported Shopify export, in EUR, with product links."""
    settings = make_settings(tmp_path)
    settings.widget = WidgetSettings(product_url_template=PRODUCT_URL)
    report = import_catalog(settings, "shopify", FIXTURE, currency="EUR", progress=False)
    assert report.products == 20, report
    assert report.currency == "EUR" and not report.replaced_demo, report
    services = build_services(settings, llm=FakeLLM(), progress=False)
    try:
        assert services.deps.currency == "EUR"
        yield services
    finally:
        services.close()


def test_imported_shopify_shop_search_and_follow_up(
    imported_shop: AppServices, browser_page: object
) -> None:
    from playwright.sync_api import Page, Route, expect

    page: Page = browser_page  # type: ignore[assignment]
    titles, images = _export()
    assert len(titles) == 20
    fetched: list[str] = []

    def cdn(route: Route) -> None:
        fetched.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    # the export's images live on Shopify's CDN: answered here, the test needs no internet
    page.route("https://cdn.shopify.com/**", cdn)
    port = free_port()
    server = _Server(_flows(imported_shop), port)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.locator(".sa-status")).to_have_text("online", timeout=10_000)
        box = page.locator(".sa-input")

        box.fill("do you have lamps under €50?")
        box.press("Enter")
        cards = page.locator(".sa-card")
        expect(cards.first).to_be_visible(timeout=15_000)
        expect(page.locator(".sa-typing")).to_have_count(0, timeout=15_000)
        count = cards.count()
        ids = [cards.nth(i).get_attribute("data-product-id") or "" for i in range(count)]
        names = cards.locator(".sa-card-name").all_inner_texts()
        prices = [float(cards.nth(i).get_attribute("data-price") or "inf") for i in range(count)]
        assert count >= 1 and set(ids) <= set(titles), ids
        assert all(p <= BUDGET for p in prices), list(zip(ids, prices, strict=True))
        # the only lamp within the budget is found (the Floor Lamp is €69.99)
        assert "black-lamp" in ids and "floor-lamp" not in ids, ids
        assert names == [titles[i] for i in ids], names

        for i, handle in enumerate(ids):
            card = cards.nth(i)
            # the card's image is the export's own image of that product
            assert card.locator("img.sa-card-img").get_attribute("src") == images[handle]
            # the shop's currency, from the import
            price = card.locator(".sa-card-price").inner_text()
            assert "€" in price and "$" not in price, price
            view = card.locator(".sa-card-actions a")
            assert view.get_attribute("href") == PRODUCT_URL.format(handle=handle)
        first = cards.first.locator("img.sa-card-img")
        expect(first).to_have_js_property("complete", True, timeout=10_000)
        assert first.evaluate("img => img.naturalWidth") == 1
        assert images[ids[0]] in fetched, fetched
        search_reply = page.locator(".sa-msg-assistant").last.inner_text()
        assert names[0] in search_reply and "€" in search_reply, search_reply
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "widget-imported-shop.png"))

        box.fill("tell me more about the first one")
        box.press("Enter")
        replies = page.locator(".sa-msg-assistant")
        expect(replies).to_have_count(2, timeout=15_000)
        reply = replies.last
        expect(reply).to_contain_text(names[0], timeout=15_000)
        expect(page.locator(".sa-typing")).to_have_count(0, timeout=15_000)
        text = reply.inner_text()
        assert "€" in text, text
        assert all(other not in text for other in names[1:]), text
        expect(page.locator(".sa-msg-error")).to_have_count(0)
    finally:
        server.stop()
