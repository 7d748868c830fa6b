"""The merchant's catalog sync API: scoped API keys, upsert, delete, batch, and search
catching up with the writes (only changed products embedded again)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from assistant.bootstrap import AppServices, build_services
from catalog.apikeys import ApiKeys
from catalog.models import Product, Variant
from serving.app import create_app
from tests.conftest import make_settings
from tests.fakes import FakeLLM


@pytest.fixture()
def own_services(tmp_path: Path) -> Iterator[AppServices]:
    """A small store of its own: these tests write to the catalog."""
    services = build_services(make_settings(tmp_path, products=30), llm=FakeLLM(), progress=False)
    yield services
    services.catalog_refresher.wait()
    services.close()


@pytest.fixture()
def client(own_services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(own_services)) as c:
        yield c


def _auth(services: AppServices, scope: str = "catalog:write") -> dict[str, str]:
    _row, key = ApiKeys(services.engine).create("sync", [scope])
    return {"Authorization": f"Bearer {key}"}


LANTERN: dict[str, Any] = {
    "title": "Brass Storm Lantern",
    "vendor": "Harbor & Co",
    "type": "Lantern",
    "tags": ["brass", "outdoor"],
    "body_html": "<p>A <b>solid brass</b> storm lantern with a glass chimney.</p>",
    "images": [{"src": "https://cdn.example.com/lantern.jpg", "alt": "lantern"}],
    "variants": [
        {"sku": "BSL-S", "options": {"Size": "Small"}, "price": 39.0, "inventory": 4},
        {"sku": "BSL-L", "options": {"Size": "Large"}, "price": 59.0, "inventory": 0},
    ],
}


def _search_ids(services: AppServices, query: str) -> list[str]:
    return [h.product_id for h in services.deps.searcher.search(query, limit=5)]


def test_put_creates_updates_and_search_catches_up(
    client: TestClient, own_services: AppServices
) -> None:
    auth = _auth(own_services)
    r = client.put("/v1/merchant/products/brass-storm-lantern", json=LANTERN, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json() | {"errors": []} == {
        "created": 1, "updated": 0, "unchanged": 0, "deleted": 0, "errors": [],
        "search": "updating",
    }  # fmt: skip
    assert own_services.catalog_refresher.wait(60)
    assert _search_ids(own_services, "brass storm lantern")[0] == "brass-storm-lantern"
    with Session(own_services.engine) as s:
        product = s.get(Product, "brass-storm-lantern")
        assert product is not None
        assert product.description == "A solid brass storm lantern with a glass chimney."
        assert product.attributes["image_url"] == "https://cdn.example.com/lantern.jpg"
        large = s.get(Variant, "brass-storm-lantern:BSL-L")
        assert large is not None and large.available is False  # inventory 0

    again = client.put("/v1/merchant/products/brass-storm-lantern", json=LANTERN, headers=auth)
    assert again.json()["unchanged"] == 1 and again.json()["search"] == "current"

    cheaper = LANTERN | {"variants": [LANTERN["variants"][0] | {"price": 35.0}]}
    r = client.put("/v1/merchant/products/brass-storm-lantern", json=cheaper, headers=auth)
    assert r.json()["updated"] == 1
    with Session(own_services.engine) as s:
        assert s.get(Variant, "brass-storm-lantern:BSL-L") is None  # gone from the product
        v = s.get(Variant, "brass-storm-lantern:BSL-S")
        assert v is not None and v.price == 35.0


def test_keys_bad_bodies_and_delete(client: TestClient, own_services: AppServices) -> None:
    url = "/v1/merchant/products/brass-storm-lantern"
    for headers in ({}, _auth(own_services, "cart:read"), {"Authorization": "Bearer sk_x_y"}):
        r = client.put(url, json=LANTERN, headers=headers)
        assert r.status_code == 401, r.text
        assert set(r.json()["error"]) == {"type", "message", "code"}
    auth = _auth(own_services)
    r = client.put(url, json=LANTERN | {"id": "something-else"}, headers=auth)
    assert r.status_code == 422 and "path" in r.json()["error"]["message"]
    r = client.put(url, json=LANTERN | {"variants": [{"price": -1}]}, headers=auth)
    assert r.status_code == 422 and "variants.0.price" in r.json()["error"]["message"]
    with Session(own_services.engine) as s:
        assert s.get(Product, "brass-storm-lantern") is None  # nothing half-written

    assert client.put(url, json=LANTERN, headers=auth).status_code == 200
    assert client.delete(url, headers=auth).status_code == 204
    assert client.delete(url, headers=auth).status_code == 404
    with Session(own_services.engine) as s:
        assert s.get(Product, "brass-storm-lantern") is None
        assert s.get(Variant, "brass-storm-lantern:BSL-S") is None


def test_batch_writes_the_valid_items_and_lists_the_rest(
    client: TestClient, own_services: AppServices
) -> None:
    auth = _auth(own_services)
    with Session(own_services.engine) as s:
        doomed = s.exec(Product.__table__.select().limit(1)).first()  # type: ignore[attr-defined]
    assert doomed is not None
    body = {
        "upsert": [
            LANTERN | {"id": "lantern-a"},
            {"id": "no-variants", "title": "Broken", "variants": []},
            LANTERN | {"id": "lantern-b", "title": "Copper Storm Lantern"},
        ],
        "delete": [doomed.id, "never-existed"],
    }
    r = client.post("/v1/merchant/products:batch", json=body, headers=auth)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["created"], out["deleted"]) == (2, 1)
    assert [(e["index"], e["id"]) for e in out["errors"]] == [(1, "no-variants")]
    with Session(own_services.engine) as s:
        assert s.get(Product, "lantern-a") and s.get(Product, "lantern-b")
        assert s.get(Product, doomed.id) is None
    assert own_services.catalog_refresher.wait(60)
    assert "lantern-b" in _search_ids(own_services, "copper storm lantern")[:2]
    assert doomed.id not in _search_ids(own_services, doomed.name)
