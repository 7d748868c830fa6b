"""``GET /v1/recommendations``: lists with reasons, customer tokens, typed errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlmodel import Session, col, select

from assistant.bootstrap import AppServices
from catalog.models import Order, OrderItem, Product
from catalog.signing import sign_customer_token
from serving.app import create_app

SECRET = "test-customer-secret"


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    settings = services.settings.model_copy(deep=True)
    settings.identity.customer_token_secret = SecretStr(SECRET)
    with TestClient(create_app(replace(services, settings=settings))) as c:
        yield c


def test_popular_and_similar_carry_reasons(client: TestClient, services: AppServices) -> None:
    r = client.get("/v1/recommendations", params={"kind": "popular", "limit": 4})
    assert r.status_code == 200 and r.json()["kind"] == "popular"
    items = r.json()["items"]
    assert len(items) == 4 and all(i["reason"].startswith("Popular in") for i in items)
    with Session(services.engine) as s:
        product = s.exec(select(Product)).first()
    assert product is not None
    r = client.get("/v1/recommendations", params={"kind": "similar", "product_id": product.id})
    assert r.status_code == 200
    assert all(product.name in i["reason"] for i in r.json()["items"])


def test_for_you_with_a_signed_customer_token(client: TestClient, services: AppServices) -> None:
    with Session(services.engine) as s:
        row = s.exec(
            select(Order.user_id, OrderItem.product_id)
            .join(OrderItem, col(OrderItem.order_id) == col(Order.id))
            .join(Product, col(Product.id) == col(OrderItem.product_id))
            .where(
                col(Order.status) == "delivered",
                col(Product.category).not_in(services.settings.recs.consumable_categories),
            )
        ).first()
    assert row is not None
    user_id, bought = row
    token = sign_customer_token(SECRET, user_id)
    r = client.get(
        "/v1/recommendations", params={"kind": "for_you"}, headers={"X-Customer-Token": token}
    )
    assert r.status_code == 200 and r.json()["items"]
    assert bought not in {i["product_id"] for i in r.json()["items"]}
    bad = client.get(
        "/v1/recommendations", params={"kind": "for_you"}, headers={"X-Customer-Token": "v1.x.y"}
    )
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "identity_not_verified"


def test_bad_requests_are_typed(client: TestClient) -> None:
    r = client.get("/v1/recommendations", params={"kind": "similar"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "missing_product_id"
    r = client.get("/v1/recommendations", params={"kind": "similar", "product_id": "nope"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_product"
    r = client.get("/v1/recommendations", params={"min_price": 50, "max_price": 10})
    assert r.status_code == 422 and "error" in r.json()
