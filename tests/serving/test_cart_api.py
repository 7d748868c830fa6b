"""The cart over HTTP: the shop's backend reads it with a session token or a scoped API key;
the default checkout link opens the demo checkout page with those lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from catalog.apikeys import ApiKeys
from catalog.carts import CartService
from catalog.models import Variant
from serving.app import create_app
from tests.fakes import FakeLLM


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as c:
        yield c


def _conversation_with_cart(
    client: TestClient, services: AppServices, fake_llm: FakeLLM
) -> tuple[str, str, Variant]:
    fake_llm.enqueue("Hello!")
    body = client.post("/v1/chat", json={"message": "hi"}).json()
    with Session(services.engine) as s:
        variant = next(v for v in s.exec(select(Variant)) if v.available)
    CartService(services.engine).add(body["conversation_id"], variant.id, 2)
    return body["conversation_id"], body["session"], variant


def test_the_cart_needs_the_conversations_token_or_a_scoped_key(
    client: TestClient, services: AppServices, fake_llm: FakeLLM
) -> None:
    cid, token, variant = _conversation_with_cart(client, services, fake_llm)
    url = f"/v1/conversations/{cid}/cart"
    client.cookies.clear()
    r = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    cart = r.json()["cart"]
    assert [(ln["variant_id"], ln["quantity"]) for ln in cart["lines"]] == [(variant.id, 2)]
    assert cart["total"] == round(2 * round(variant.price, 2), 2)
    assert cart["checkout_url"] == f"/checkout?cart={variant.id}:2"

    assert client.get(url).status_code == 404  # no token: the one "not found" error
    keys = ApiKeys(services.engine)
    _row, good = keys.create("backend", ["cart:read"])
    _row2, wrong_scope = keys.create("sync", ["catalog:write"])
    r = client.get(url, headers={"Authorization": f"Bearer {good}"})
    assert r.status_code == 200 and r.json()["cart"] == cart
    for bad in (wrong_scope, good[:-2] + "xx", "sk_nope_nope"):
        r = client.get(url, headers={"Authorization": f"Bearer {bad}"})
        assert r.status_code == 401, r.text
        assert set(r.json()["error"]) == {"type", "message", "code"}
    keys.revoke(_row.id)
    assert client.get(url, headers={"Authorization": f"Bearer {good}"}).status_code == 401
    r = client.get(
        "/v1/conversations/nope/cart", headers={"Authorization": f"Bearer {wrong_scope}"}
    )
    assert r.status_code == 401  # the scope is checked before anything is looked up


def test_the_demo_checkout_page_shows_the_lines(
    client: TestClient, services: AppServices, fake_llm: FakeLLM
) -> None:
    cid, token, variant = _conversation_with_cart(client, services, fake_llm)
    cart = client.get(
        f"/v1/conversations/{cid}/cart", headers={"Authorization": f"Bearer {token}"}
    ).json()["cart"]
    page = client.get(cart["checkout_url"])
    assert page.status_code == 200
    assert f"{2 * round(variant.price, 2):.2f}" in page.text
    assert "<script" not in client.get("/checkout?cart=<script>:1").text.replace(
        "&lt;script&gt;", ""
    )
