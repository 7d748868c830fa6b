from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.bootstrap import AppServices
from serving.app import create_app
from tests.fakes import FakeLLM


@pytest.fixture()
def client(services: AppServices) -> Iterator[TestClient]:
    with TestClient(create_app(services)) as c:
        yield c


def test_chat_and_history(client: TestClient, fake_llm: FakeLLM) -> None:
    fake_llm.enqueue('{"tool": "search_catalog", "args": {"query": "yoga mat"}}', "Mats here.")
    r = client.post("/v1/chat", json={"message": "yoga mat"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["reply"] == "Mats here." and body["cards"]
    assert body["tools_used"] == ["search_catalog"]
    hist = client.get(f"/v1/conversations/{body['conversation_id']}/messages").json()
    assert [m["role"] for m in hist["messages"]] == ["user", "assistant"]
    assert hist["messages"][1]["cards"] == body["cards"]


@pytest.mark.parametrize(
    "payload, status, code",
    [
        ({"message": ""}, 422, "message_rejected"),
        ({"message": "x" * 4001}, 422, "message_rejected"),
        ({}, 422, "invalid_request"),
        ({"message": 5}, 422, "invalid_request"),
    ],
)
def test_errors_share_one_shape(
    client: TestClient,
    payload: dict,
    status: int,  # type: ignore[type-arg]
    code: str,
) -> None:
    r = client.post("/v1/chat", json=payload)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert set(r.json()["error"]) == {"type", "message", "code"}


def test_unknown_conversation_is_404(client: TestClient) -> None:
    r = client.get("/v1/conversations/nope/messages")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "conversation_not_found"


def test_healthz_is_liveness_and_readyz_checks_the_llm(
    client: TestClient, fake_llm: FakeLLM
) -> None:
    fake_llm.down = True
    assert client.get("/healthz").json() == {"status": "ok"}  # never asks the LLM
    assert fake_llm.calls == []
    fake_llm.down = False
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["llm"] == "ok" and r.json()["products"] > 0
    fake_llm.down = True
    assert client.get("/readyz").status_code == 200  # cached for 10 s: no second LLM call
    client.app.state.server.readiness.checked_at = -1e9  # type: ignore[attr-defined]
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["error"]["code"] == "llm_unavailable"


def test_openapi_and_widget_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/chat" in spec["paths"] and "/healthz" in spec["paths"]
    assert client.get("/docs").status_code == 200
    assert "attachShadow" in client.get("/widget.js").text
    assert '<script src="/widget.js"' in client.get("/").text
