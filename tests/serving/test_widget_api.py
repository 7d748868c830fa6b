"""The widget's endpoints: config, thumbs feedback (stored, scoped), QA listing, export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import yaml
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.bootstrap import AppServices
from assistant.catalog_import import shop_currency
from evals.export import export_thumbs_down
from serving.app import create_app
from tests.fakes import FakeLLM

QA = "qa-secret-token"


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    settings = services.settings.model_copy(deep=True)
    settings.security.qa_token = SecretStr(QA)
    settings.widget.product_url_template = "https://shop.example/p/{id}"
    settings.widget.currency = "EUR"
    # start-up resolves the currency into deps (setting, else imported, else USD)
    deps = replace(services.deps, currency=shop_currency(services.engine, "EUR"))
    with TestClient(create_app(replace(services, settings=settings, deps=deps))) as c:
        yield c


def _chat(client: TestClient, fake_llm: FakeLLM, reply: str) -> tuple[str, str, str]:
    fake_llm.enqueue(reply)
    r = client.post("/v1/chat", json={"message": "hi"})
    body = r.json()
    return body["conversation_id"], body["message_id"], r.cookies.get("shopassist_session") or ""


def test_config_carries_the_shop_settings(client: TestClient) -> None:
    r = client.get("/v1/widget/config")
    assert r.status_code == 200
    assert r.json()["currency"] == "EUR"
    assert r.json()["product_url_template"] == "https://shop.example/p/{id}"


def test_a_vote_is_stored_replaced_and_listed_for_qa(
    client: TestClient, fake_llm: FakeLLM, services: AppServices
) -> None:
    conv, mid, _ = _chat(client, fake_llm, "Hello, what are you looking for?")
    url = f"/v1/conversations/{conv}/messages/{mid}/feedback"
    assert client.post(url, json={"rating": "up"}).status_code == 204
    assert client.post(url, json={"rating": "down", "reason": "too vague"}).status_code == 204
    r = client.get("/v1/feedback", headers={"Authorization": f"Bearer {QA}"})
    mine = [i for i in r.json()["items"] if i["message_id"] == mid]
    assert len(mine) == 1 and mine[0]["rating"] == "down" and mine[0]["reason"] == "too vague"
    assert mine[0]["reply"] == "Hello, what are you looking for?"
    text = export_thumbs_down(services.engine)
    assert "too vague" in text
    scenarios = yaml.safe_load(text)
    assert any(s["turns"][0]["user"] == "hi" for s in scenarios)


def test_votes_are_scoped_and_validated(client: TestClient, fake_llm: FakeLLM) -> None:
    conv, mid, _ = _chat(client, fake_llm, "First reply.")
    other_conv, other_mid, _ = _chat(client, fake_llm, "Second reply.")
    # the client now holds the second conversation's cookie: the first is not theirs, and
    # the answer does not reveal that it exists
    r = client.post(f"/v1/conversations/{conv}/messages/{mid}/feedback", json={"rating": "up"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "conversation_not_found"
    r = client.post(
        f"/v1/conversations/{other_conv}/messages/{mid}/feedback", json={"rating": "up"}
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "message_not_found"
    r = client.post(
        f"/v1/conversations/{other_conv}/messages/{other_mid}/feedback", json={"rating": "meh"}
    )
    assert r.status_code == 422 and set(r.json()["error"]) == {"type", "message", "code"}
    r = client.post(
        f"/v1/conversations/{other_conv}/messages/{other_mid}/feedback",
        json={"rating": "down", "reason": "x" * 501},
    )
    assert r.status_code == 422


def test_qa_listing_needs_the_token(client: TestClient, services: AppServices) -> None:
    assert client.get("/v1/feedback").status_code == 401
    assert client.get("/v1/feedback", headers={"Authorization": "Bearer nope"}).status_code == 401
    with TestClient(create_app(services)) as plain:  # no QA token configured: disabled
        assert plain.get("/v1/feedback").status_code == 404
