"""Shared fixtures: the network guard, a small real demo store with a real index, a fake LLM."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.bootstrap import AppServices, build_services  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from catalog.config import DatabaseSettings, DemoStoreSettings  # noqa: E402
from evals.stores import EvalStore  # noqa: E402
from tests.fakes import FakeLLM  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TEST_PRODUCTS = 400

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # unix socket path
        return True
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return False


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that leaves this machine (only loopback and unix sockets pass)."""

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_local(address):
            raise AssertionError(f"unplanned network call to {address!r}")
        return _real_connect(self, address)  # type: ignore[arg-type]

    def guarded_ex(self: socket.socket, address: object) -> int:
        if not _is_local(address):
            raise AssertionError(f"unplanned network call to {address!r}")
        return _real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_ex)


def make_settings(
    root: Path, *, products: int = TEST_PRODUCTS, db_url: str | None = None
) -> Settings:
    """Settings that keep every file under ``root`` and use a small demo store."""
    s = Settings(_env_file=None, data_dir=str(root))  # type: ignore[call-arg]
    s.demo = DemoStoreSettings(seed=7, products=products, users=40, orders_per_user=2)
    s.database = DatabaseSettings(url=db_url or f"sqlite:///{root}/shop.db")
    s.llm.base_url = None
    # Tests that script the model's commands run the flows with the model as the reader;
    # the trained reader's own tests (tests/assistant/nlu/) switch it back on.
    s.agent.reader = "model"
    return s


@pytest.fixture(scope="session")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="session")
def shared_services(store_root: Path) -> Iterator[AppServices]:
    """One real demo store + real chromadb index for read-only tests (built once)."""
    services = build_services(make_settings(store_root), llm=FakeLLM(), progress=False)
    yield services
    services.close()


@pytest.fixture(scope="session")
def eval_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EvalStore]:
    """A pristine demo-store template with its index; tests take ``fresh()`` copies."""
    root = tmp_path_factory.mktemp("evalstore")
    store = EvalStore.prepare(make_settings(root), root / "eval", progress=False)
    yield store
    store.cleanup()


@pytest.fixture()
def fake_llm() -> FakeLLM:
    return FakeLLM()


@pytest.fixture()
def services(shared_services: AppServices, fake_llm: FakeLLM) -> AppServices:
    """The shared store wired to a fresh scripted LLM for this test."""
    from assistant.agent import ShoppingAgent
    from assistant.chat_service import ChatService
    from catalog.orders.service import OrderService
    from tools.default_registry import default_registry
    from tools.deps import Deps

    s = shared_services.settings
    agent = ShoppingAgent(
        fake_llm, default_registry(), store_name=s.agent.store_name, max_steps=s.agent.max_steps
    )
    # These tests verify customers the tau2 way (email); tests/security covers verified mode.
    deps = Deps(
        engine=shared_services.engine,
        searcher=shared_services.deps.searcher,
        orders=OrderService(shared_services.engine, identity="tau2"),
        llm=fake_llm,
        recs=shared_services.deps.recs,
    )
    chat = ChatService(agent, deps, shared_services.conversations, s.agent)
    return AppServices(
        settings=s,
        engine=shared_services.engine,
        deps=deps,
        llm=fake_llm,
        chat=chat,
        conversations=shared_services.conversations,
        index_stats=shared_services.index_stats,
    )


@pytest.fixture()
def postgres_url() -> Iterator[str]:
    """A clean PostgreSQL database (SHOP_TEST_POSTGRES_URL); schema dropped afterwards.

    Skips when the variable is unset, unless SHOP_REQUIRE_POSTGRES=1 (CI), where a missing
    server is a failure.
    """
    url = os.environ.get("SHOP_TEST_POSTGRES_URL")
    if not url and os.environ.get("SHOP_DATABASE_URL", "").startswith("postgresql"):
        url = os.environ["SHOP_DATABASE_URL"]
    if not url:
        if os.environ.get("SHOP_REQUIRE_POSTGRES") == "1":
            pytest.fail("SHOP_REQUIRE_POSTGRES=1 but SHOP_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server: set SHOP_TEST_POSTGRES_URL (see .ci/postgres.sh)")
    from catalog.db import drop_schema, make_engine

    engine = make_engine(DatabaseSettings(url=url))
    drop_schema(engine)
    engine.dispose()
    yield url
    engine = make_engine(DatabaseSettings(url=url))
    drop_schema(engine)
    engine.dispose()
