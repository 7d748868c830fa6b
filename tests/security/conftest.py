"""A verified-mode shop on a private demo-store copy, attacked by a scripted compromised LLM
and by raw HTTP and websocket clients. Every case checks the typed error and that the
store (orders, customers, payments, audit rows) is byte-for-byte unchanged."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from assistant.agent import ShoppingAgent
from assistant.bootstrap import AppServices
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from catalog.models import Order, User
from catalog.orders.auth import AttemptLimiter
from catalog.orders.records import AuditLog
from catalog.orders.service import OrderService
from catalog.signing import sign_customer_token
from evals.grader import store_hash
from evals.stores import EvalStore
from retrieval.indexer import IndexStats
from serving.app import create_app
from tests.conftest import make_settings
from tests.fakes import FakeLLM
from tools.default_registry import default_registry
from tools.deps import Deps, RunContext

CUSTOMER_SECRET = "security-tests-customer-secret"


@dataclass
class Person:
    """A customer of the demo store and their orders by status."""

    id: str
    email: str
    zip: str
    first: str
    last: str
    orders: dict[str, list[str]]

    def order(self, status: str) -> str:
        return self.orders[status][0]


@dataclass
class Shop:
    """One attackable shop: store copy, services, scripted LLM, two customers."""

    engine: Engine
    llm: FakeLLM
    services: AppServices
    victim: Person
    attacker: Person

    @property
    def chat(self) -> ChatService:
        return self.services.chat

    @property
    def orders(self) -> OrderService:
        return self.services.deps.orders

    def snapshot(self) -> tuple[str, int]:
        with Session(self.engine) as s:
            audits = s.exec(select(func.count(col(AuditLog.pk)))).one()
        return store_hash(self.engine), int(audits)

    def ctx(self, conversation_id: str, text: str = "hi", client: str = "") -> RunContext[Deps]:
        return RunContext(
            deps=self.services.deps,
            conversation_id=conversation_id,
            user_message=text,
            turn_id=f"t-{time.monotonic_ns()}",
            client=client,
        )

    def signed_in(self, who: Person) -> str:
        """A conversation bound to ``who`` through a customer token (the shop's login)."""
        conv = self.services.conversations.ensure(None).id
        self.orders.authenticate_token(conv, sign_customer_token(CUSTOMER_SECRET, who.id))
        return conv

    def guest(self, who: Person, order_id: str) -> str:
        """A guest conversation verified for one order (typed by the shopper)."""
        conv = self.services.conversations.ensure(None).id
        self.services.conversations.append(conv, "user", f"{order_id} {who.email} {who.zip}")
        self.orders.authenticate_guest_order(conv, order_id, who.email, who.zip)
        return conv


def _people(engine: Engine) -> list[Person]:
    with Session(engine) as s:
        users = {u.id: u for u in s.exec(select(User))}
        by_user: dict[str, dict[str, list[str]]] = {}
        for o in s.exec(select(Order).order_by(col(Order.id))):
            by_user.setdefault(o.user_id, {}).setdefault(o.status, []).append(o.id)
    out = []
    for uid, orders in sorted(by_user.items()):
        if "pending" in orders and "delivered" in orders:
            u = users[uid]
            out.append(Person(uid, u.email, u.zip, u.first_name, u.last_name, orders))
    assert len(out) >= 2, "the demo store needs two customers with pending and delivered orders"
    return out


@pytest.fixture()
def shop(eval_store: EvalStore) -> Iterator[Shop]:
    engine = eval_store.fresh("security")
    llm = FakeLLM()
    settings = make_settings(eval_store.root).model_copy(deep=True)
    orders = OrderService(
        engine,
        identity="verified",
        customer_token_secret=CUSTOMER_SECRET,
        limiter=AttemptLimiter(per_conversation=5, per_client=20),
    )
    deps = Deps(
        engine=engine, searcher=eval_store.searcher.bound_to(engine), orders=orders, llm=llm
    )
    # The compromised model may call every tool there is, the other mode's included.
    agent = ShoppingAgent(llm, default_registry(None), store_name="Test", max_steps=4)
    conversations = ConversationStore(engine)
    chat = ChatService(agent, deps, conversations, settings.agent)
    services = AppServices(
        settings=settings,
        engine=engine,
        deps=deps,
        llm=llm,
        chat=chat,
        conversations=conversations,
        index_stats=IndexStats(total=0, embedded=0, unchanged=0, removed=0),
    )
    victim, attacker = _people(engine)[:2]
    yield Shop(engine, llm, services, victim, attacker)
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """The app served by a real uvicorn (as ``shopassist serve`` runs it) on loopback."""

    shop: Shop
    url: str
    ws_url: str


@pytest.fixture()
def live(shop: Shop) -> Iterator[LiveServer]:
    port = _free_port()
    sec = shop.services.settings.security
    config = uvicorn.Config(
        create_app(shop.services),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws_max_size=sec.max_frame_bytes,
        ws_per_message_deflate=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield LiveServer(shop, f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/ws/chat")
    server.should_exit = True
    thread.join(timeout=10)


def run(coro: Any) -> Any:
    """Run a coroutine from a sync test."""
    return asyncio.run(coro)
