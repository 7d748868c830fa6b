"""Two app processes on one PostgreSQL database: the shopper chats with one, the agent
works in the other, and messages, state and typing still flow both ways (LISTEN/NOTIFY)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets.sync.client as ws_client

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from tests.console_kit import add_staff, frames_until, login
from tests.serving.app_process import start, stop

APP = "tests.serving.app_process"
pytestmark = pytest.mark.postgres


@pytest.fixture()
def two_apps(postgres_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    engine = make_engine(DatabaseSettings(url=postgres_url))
    procs = []
    try:
        one, url_one = start(APP, tmp_path / "one", postgres_url)  # builds the store
        procs.append(one)
        two, url_two = start(APP, tmp_path / "two", postgres_url)
        procs.append(two)
        create_schema(engine)
        add_staff(engine, "agent@shop.example", name="Alex")
        yield url_one, url_two
    finally:
        stop(procs)
        engine.dispose()


def test_shopper_on_one_process_agent_on_the_other(two_apps: tuple[str, str]) -> None:
    shop_url, console_url = two_apps
    agent = login(console_url, "agent@shop.example")
    cookie = agent.cookies["shopassist_staff"]
    with (
        ws_client.connect(shop_url.replace("http", "ws") + "/ws/chat") as shopper,
        ws_client.connect(
            console_url.replace("http", "ws") + "/ws/console",
            additional_headers={"Cookie": f"shopassist_staff={cookie}"},
        ) as console,
    ):
        frames_until(console, "hello")
        conv = frames_until(shopper, "session")["conversation_id"]
        shopper.send(json.dumps({"type": "message", "text": "I want to talk to a human"}))
        frames_until(shopper, "done")
        frames_until(console, "state", conversation_id=conv, state="waiting_for_agent")
        queue = agent.get("/console/api/queue").json()["waiting"]
        assert [q["conversation_id"] for q in queue] == [conv]

        assert agent.post(f"/console/api/conversations/{conv}/take").status_code == 200
        assert frames_until(shopper, "handoff", state="with_agent")["name"] == "Alex"
        sent = time.monotonic()
        agent.post(
            f"/console/api/conversations/{conv}/reply",
            json={"text": "Hello from the other process"},
        )
        got = frames_until(shopper, "agent_message")
        assert got["text"] == "Hello from the other process" and time.monotonic() - sent < 2.0

        shopper.send(json.dumps({"type": "typing", "on": True}))
        frames_until(console, "typing", conversation_id=conv, who="shopper")
        shopper.send(json.dumps({"type": "message", "text": "thanks, one more question"}))
        msg = frames_until(console, "message", conversation_id=conv, role="user")
        assert msg["text"] == "thanks, one more question"

        assert (
            agent.post(
                f"/console/api/conversations/{conv}/hand-back", json={"note": "done"}
            ).status_code
            == 200
        )
        frames_until(shopper, "handoff", state="bot")
