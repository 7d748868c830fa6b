"""Console security against a real uvicorn: no route or socket without a staff session,
shopper credentials never reach staff routes (and staff cookies are no shopper session),
CSRF on every write, login limits, admin-only metrics, and agent-proposed order actions
that change nothing until the customer says yes in their own chat."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets.sync.client as ws_client
from sqlmodel import Session, col, func, select
from websockets.exceptions import InvalidStatus

from catalog.models import Order, User
from catalog.orders.records import AuditLog
from evals.grader import store_hash
from evals.stores import EvalStore
from tests.console_kit import (
    ADMIN,
    AGENT,
    PASSWORD,
    LiveApp,
    console_app,
    frames_until,
    login,
)

CONSOLE_ROUTES = [
    ("GET", "/console/api/me"),
    ("GET", "/console/api/queue"),
    ("GET", "/console/api/conversations/abc"),
    ("POST", "/console/api/conversations/abc/take"),
    ("POST", "/console/api/conversations/abc/reply"),
    ("POST", "/console/api/conversations/abc/hand-back"),
    ("POST", "/console/api/conversations/abc/close"),
    ("POST", "/console/api/conversations/abc/actions"),
    ("GET", "/console/api/metrics"),
]


@pytest.fixture()
def app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    yield from console_app(eval_store, tmp_path)


def _shopper(app: LiveApp) -> tuple[str, str]:
    """A real shopper conversation: (conversation id, session token)."""
    r = httpx.post(f"{app.url}/v1/chat", json={"message": "hello"}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["conversation_id"], r.json()["session"]


@pytest.mark.parametrize(("method", "path"), CONSOLE_ROUTES)
def test_console_routes_refuse_anyone_without_a_staff_session(
    app: LiveApp, method: str, path: str
) -> None:
    conv, token = _shopper(app)
    for headers, cookies in (
        ({}, {}),
        ({"Authorization": f"Bearer {token}"}, {}),  # a shopper's session token
        ({}, {"shopassist_session": token}),  # the shopper's cookie
        ({}, {"shopassist_staff": token}),  # a shopper token posing as a staff cookie
    ):
        r = httpx.request(
            method, app.url + path, headers=headers, cookies=cookies, json={}, timeout=10
        )
        assert r.status_code == 401, (path, r.status_code, r.text)
        assert r.json()["error"]["code"] == "staff_not_authenticated"


def test_pages_and_socket_need_a_staff_session(app: LiveApp) -> None:
    for page in ("/console", "/console/metrics"):
        r = httpx.get(app.url + page, timeout=10)
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
    with pytest.raises((InvalidStatus, Exception)):
        with ws_client.connect(app.url.replace("http", "ws") + "/ws/console") as ws:
            ws.recv(timeout=2)


def test_every_console_write_needs_the_csrf_token(app: LiveApp) -> None:
    agent = login(app.url, AGENT)
    conv, _ = _shopper(app)
    good = agent.headers.pop("X-CSRF-Token")
    for headers in ({}, {"X-CSRF-Token": "forged"}):
        r = agent.post(f"/console/api/conversations/{conv}/take", headers=headers)
        assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = agent.post(f"/console/api/conversations/{conv}/take", headers={"X-CSRF-Token": good})
    assert r.status_code == 200


def test_the_login_form_checks_its_csrf_pair_and_limits_failures(app: LiveApp) -> None:
    c = httpx.Client(base_url=app.url, timeout=10)
    c.get("/console/login")
    r = c.post(
        "/console/login",
        data={"csrf": "forged", "email": AGENT, "password": PASSWORD},
    )
    assert r.status_code == 403 and "shopassist_staff" not in r.headers.get("set-cookie", "")
    statuses = []
    for _ in range(6):
        form = c.get("/console/login").text
        csrf = form.split('name="csrf" value="')[1].split('"')[0]
        statuses.append(
            c.post(
                "/console/login",
                data={"csrf": csrf, "email": AGENT, "password": "wrong!"},
            ).status_code
        )
    assert statuses == [401] * 5 + [429]
    form = c.get("/console/login").text
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    locked = c.post("/console/login", data={"csrf": csrf, "email": AGENT, "password": PASSWORD})
    assert locked.status_code == 429  # even the right password waits out the window


def test_a_staff_cookie_is_no_shopper_session(app: LiveApp) -> None:
    agent = login(app.url, AGENT)
    conv, _ = _shopper(app)
    r = agent.get(f"/v1/conversations/{conv}/messages")
    assert r.status_code == 404 and r.json()["error"]["code"] == "conversation_not_found"
    r = agent.post(f"/v1/conversations/{conv}/confirm", json={"token": "x" * 16})
    assert r.status_code == 404


def test_metrics_are_for_admins_and_prometheus_for_loopback(app: LiveApp) -> None:
    agent = login(app.url, AGENT)
    assert agent.get("/console/api/metrics").status_code == 403
    assert agent.get("/console/metrics").status_code == 403
    admin = login(app.url, ADMIN)
    m = admin.get("/console/api/metrics").json()
    assert {"conversations", "escalation_rate", "median_wait_s", "csat_average"} <= set(m)
    prom = httpx.get(app.url + "/metrics", timeout=10)
    assert prom.status_code == 200 and "shopassist_queue_length" in prom.text


def _customer(app: LiveApp) -> tuple[User, Order]:
    with Session(app.services.engine) as s:
        order = s.exec(
            select(Order).where(col(Order.status) == "pending").order_by(col(Order.id))
        ).first()
        assert order is not None
        user = s.get(User, order.user_id)
        assert user is not None
        return user, order


def _audits(app: LiveApp) -> int:
    with Session(app.services.engine) as s:
        return int(s.exec(select(func.count(col(AuditLog.pk)))).one())


def test_an_agent_proposal_changes_nothing_until_the_customer_says_yes(app: LiveApp) -> None:
    user, order = _customer(app)
    services = app.services
    agent = login(app.url, AGENT)
    with ws_client.connect(app.url.replace("http", "ws") + "/ws/chat") as shopper:
        conv = frames_until(shopper, "session")["conversation_id"]
        shopper.send(
            json.dumps({"type": "message", "text": f"I'm {user.email}, please get me a human"})
        )
        frames_until(shopper, "done")
        services.deps.orders.authenticate_email(conv, user.email)
        assert agent.post(f"/console/api/conversations/{conv}/take").status_code == 200
        frames_until(shopper, "handoff", state="with_agent")
        before = store_hash(services.engine), _audits(app)
        body = {
            "action": "cancel_pending_order",
            "args": {"order_id": order.id, "reason": "no longer needed"},
        }
        r = agent.post(f"/console/api/conversations/{conv}/actions", json=body)
        assert r.status_code == 200, r.text
        proposal = frames_until(shopper, "proposal")
        assert "cancel" in proposal["summary"].lower() and "token" not in r.json()
        # the agent cannot confirm it: there is no staff route for it, and the shopper
        # routes refuse the staff cookie
        assert (
            agent.post(
                f"/v1/conversations/{conv}/confirm", json={"token": proposal["token"]}
            ).status_code
            == 404
        )
        # the shopper moves on without a yes: the proposal is void, and a later yes does nothing
        shopper.send(json.dumps({"type": "message", "text": "hmm, let me think about it"}))
        frames_until(shopper, "done")
        shopper.send(json.dumps({"type": "message", "text": "yes"}))
        frames_until(shopper, "done")
        assert (store_hash(services.engine), _audits(app)) == before
        # proposed again, the customer's yes executes it once, audited with the agent as actor
        agent.post(f"/console/api/conversations/{conv}/actions", json=body)
        frames_until(shopper, "proposal")
        shopper.send(json.dumps({"type": "message", "text": "yes please"}))
        done = frames_until(shopper, "done")
        assert "cancel" in done["text"].lower()
    with Session(services.engine) as s:
        rows = list(s.exec(select(AuditLog)))
        assert len(rows) == 1 and rows[0].user_id == user.id
        staff_id = agent.get("/console/api/me").json()["id"]
        assert rows[0].actor == f"staff:{staff_id}"
        assert s.get(Order, order.id).status == "cancelled"  # type: ignore[union-attr]
