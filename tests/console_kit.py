"""A shop with its support console, for tests: flows assistant on a store copy, scripted
LLM, real uvicorn on loopback, staff accounts, and small HTTP/websocket helpers."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy.engine import Engine

from assistant.bootstrap import AppServices, build_support
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from assistant.flows.agent import FlowAgent
from assistant.llm.local_server import free_port
from catalog.orders.service import OrderService
from catalog.staff import Staff, StaffStore
from evals.stores import EvalStore
from retrieval.indexer import IndexStats
from serving.app import create_app
from tests.conftest import make_settings
from tests.fakes import FakeLLM
from tools.default_registry import default_registry
from tools.deps import Deps

PASSWORD = "correct horse battery"
AGENT = "alex@shop.example"  # an agent named Alex
ADMIN = "ada@shop.example"  # an admin named Ada


def flows_services(eval_store: EvalStore, tmp_path: Path) -> AppServices:
    """Flows assistant + support service on a fresh store copy (tau2 identity)."""
    engine = eval_store.fresh("console")
    llm = FakeLLM()
    settings = make_settings(tmp_path).model_copy(deep=True)
    orders = OrderService(engine, identity="tau2")
    deps = Deps(
        engine=engine,
        searcher=eval_store.searcher.bound_to(engine),
        orders=orders,
        llm=llm,
        recs=eval_store.recs.bound_to(engine),
    )
    conversations = ConversationStore(engine)
    support = build_support(engine, conversations, orders, settings)
    chat = ChatService(
        FlowAgent(llm, default_registry(None), use_reader=False),
        deps,
        conversations,
        settings.agent,
        support=support,
    )
    return AppServices(
        settings=settings,
        engine=engine,
        deps=deps,
        llm=llm,
        chat=chat,
        conversations=conversations,
        index_stats=IndexStats(total=0, embedded=0, unchanged=0, removed=0),
    )


class LiveApp:
    """The app served by a real uvicorn on a free loopback port."""

    def __init__(self, services: AppServices) -> None:
        self.services = services
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(services),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws_ping_interval=None,
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def console_app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    """Serve a flows shop with one agent (:data:`AGENT`) and one admin (:data:`ADMIN`)."""
    services = flows_services(eval_store, tmp_path)
    add_staff(services.engine, AGENT, name="Alex")
    add_staff(services.engine, ADMIN, role="admin", name="Ada")
    live = LiveApp(services)
    yield live
    live.stop()
    services.engine.dispose()


def add_staff(engine: Engine, email: str, *, role: str = "agent", name: str = "") -> Staff:
    return StaffStore(engine).create(email, PASSWORD, role=role, name=name)


def login(base_url: str, email: str, password: str = PASSWORD) -> httpx.Client:
    """Sign in through the real form (CSRF double-submit) and return the cookie jar client."""
    client = httpx.Client(base_url=base_url, follow_redirects=False, timeout=10)
    form = client.get("/console/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text[:500]
    done = client.post(
        "/console/login", data={"csrf": token.group(1), "email": email, "password": password}
    )
    assert done.status_code == 303, done.text[:500]
    client.headers["X-CSRF-Token"] = client.get("/console/api/me").json()["csrf"]
    return client


def frames_until(ws: Any, kind: str, *, timeout: float = 10.0, **match: Any) -> dict[str, Any]:
    """Read websocket frames (sync client) until one of ``kind`` matching ``match``."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"no {kind} frame {match} within {timeout}s"
        frame = json.loads(ws.recv(timeout=left))
        if frame.get("type") == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame
