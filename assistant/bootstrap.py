"""Build the app's services once at startup: store, index, LLM, agent, chat service."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from assistant.agent import ShoppingAgent
from assistant.cart_actions import CartActions
from assistant.catalog_import import CATALOG_SOURCE, shop_currency
from assistant.catalog_refresh import CatalogRefresher
from assistant.chat_service import ChatService
from assistant.conversations import ConversationStore
from assistant.dev_secrets import customer_token_secret
from assistant.events import TurnAgent
from assistant.flows.agent import FlowAgent
from assistant.llm.client import ChatModel, OpenAICompatibleClient
from assistant.llm.local_server import EmbeddedLlamaServer
from assistant.llm.model_files import ensure_model_file
from assistant.settings import Settings
from assistant.store_process import ProcessHops, StoreProcessSpec, in_memory
from assistant.support import SupportService
from catalog.bus import EventBus, MemoryBus, PostgresBus
from catalog.db import create_schema, has_catalog, make_engine
from catalog.demo import generate_store
from catalog.errors import InvalidInputError
from catalog.importer import load_store_dict
from catalog.orders.auth import AttemptLimiter
from catalog.orders.service import OrderService
from catalog.shared_limits import Windows, shared_windows
from catalog.startup_lock import startup_lock
from catalog.store_threads import StoreThreads, default_threads
from catalog.sync.profile import set_shop_setting
from recommend.service import RecommendationService
from retrieval.dense import DenseIndex
from retrieval.embedder import Embedder
from retrieval.hybrid import HybridSearcher
from retrieval.indexer import IndexStats
from retrieval.multilingual import MultilingualEmbedder, MultilingualIndex
from tools.default_registry import default_registry
from tools.deps import Deps
from tools.writing.glossary import Glossary

log = logging.getLogger(__name__)


@dataclass
class AppServices:
    """Everything the server needs, built once and shared by all requests."""

    settings: Settings
    engine: Engine
    deps: Deps
    llm: ChatModel
    chat: ChatService
    conversations: ConversationStore
    index_stats: IndexStats
    embedded: EmbeddedLlamaServer | None = None
    carts: CartActions = field(default=None)  # type: ignore[assignment]  # the widget's buttons
    notes: list[str] = field(default_factory=list)
    # search catching up with products written through the merchant API
    catalog_refresher: CatalogRefresher = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        """Build the widget's cart actions and the catalog refresher when none were given."""
        if self.carts is None:
            self.carts = CartActions(self.chat.agent.registry, self.deps, self.conversations)
        if self.catalog_refresher is None:
            searcher = self.deps.searcher
            self.catalog_refresher = CatalogRefresher(lambda: searcher.refresh(progress=False))

    def close(self) -> None:
        """Stop the embedded LLM server, the store threads, and release the database."""
        if self.embedded is not None:
            self.embedded.stop()
        self.chat.store.close()
        self.engine.dispose()


def make_hops(settings: Settings, workers: int) -> ProcessHops | None:
    """Return ``workers`` store processes when ``database.turn_hops`` asks (else threads)."""
    db = settings.database
    if db.turn_hops != "process" or in_memory(db.url):
        return None
    spec = StoreProcessSpec(
        database=db,
        history_messages=settings.agent.history_messages,
        upset_threshold=settings.support.upset_threshold,
    )
    return ProcessHops(spec, processes=workers)


def require_setting(value: str | None, name: str) -> str:
    """Return a path that ``Settings`` fills from ``data_dir`` (unset only if built by hand)."""
    if not value:
        raise InvalidInputError(f"setting {name} is unset (build it through Settings)")
    return value


def prepare_store(settings: Settings, *, progress: bool = True) -> Engine:
    """Open the database, creating the schema and a seeded demo store if it is empty.

    Under the start-up lock: a process that starts beside another waits for it.
    """
    with preparing(settings, progress=progress) as engine:
        return engine


@contextmanager
def preparing(settings: Settings, *, progress: bool = True) -> Iterator[Engine]:
    """Hold the start-up lock over the block, with the store ready (schema, demo store).

    What the block builds (index, recommender) is built by one process at a time; a
    process that waited finds it current and only loads it.
    """
    engine = make_engine(settings.database)
    with startup_lock(engine, settings.data_dir, note=_waiting_note(progress)):
        _fill_store(engine, settings, progress=progress)
        yield engine


def _fill_store(engine: Engine, settings: Settings, *, progress: bool) -> None:
    """Create or migrate the schema; generate the demo store when there is no catalog."""
    create_schema(engine)
    if not has_catalog(engine):
        log.info("store is empty: generating the demo store (seed %s)", settings.demo.seed)
        load_store_dict(engine, generate_store(settings.demo, progress=progress), progress=progress)
        set_shop_setting(engine, CATALOG_SOURCE, "demo")


def _waiting_note(progress: bool) -> Callable[[str], None]:
    """Say why a start waits: on the terminal with progress bars, else in the log."""
    if progress:
        return lambda text: print(f"{text}…", flush=True)
    return log.info


def build_searcher(
    engine: Engine, settings: Settings, *, progress: bool = True
) -> tuple[HybridSearcher, IndexStats]:
    """Load the embedder, open the vector index and bring it up to date."""
    r = settings.retrieval
    embedder = Embedder(r.embedding_model, batch_size=r.batch_size)
    chroma = require_setting(r.chroma_path, "retrieval.chroma_path")
    # A Chroma server (chroma_url) holds the product vectors when set; the embedded store
    # under chroma_path otherwise. The multilingual vectors stay in chroma_path either way.
    dense = DenseIndex(
        None if r.chroma_url else chroma,
        r.collection,
        embedding_model=r.embedding_model,
        url=r.chroma_url,
    )
    multilingual = (
        MultilingualIndex(MultilingualEmbedder(), Path(chroma) / f"{r.collection}-multilingual.npz")
        if r.multilingual
        else None
    )
    searcher = HybridSearcher(engine, embedder, dense, r, multilingual)
    stats = searcher.refresh(progress=progress)
    return searcher, stats


def build_recommender(
    engine: Engine,
    settings: Settings,
    searcher: HybridSearcher,
    *,
    progress: bool = True,
    retrain: bool = False,
) -> RecommendationService:
    """Load the persisted recommender (``<data_dir>/recs/model.pkl``), retraining if stale.

    ``retrain`` trains (and saves) a new model even when the persisted one is current.
    """
    recs = RecommendationService(
        engine,
        settings.recs,
        model_path=Path(settings.data_dir) / "recs" / "model.pkl",
        vectors=searcher.dense,
    )
    if retrain:
        recs.train(progress=progress)
    else:
        recs.prepare(progress=progress)
    return recs


def start_llm(
    settings: Settings, *, progress: bool = True
) -> tuple[ChatModel, EmbeddedLlamaServer | None]:
    """Connect to ``llm.base_url``, or start the embedded llama.cpp server and connect to it."""
    if settings.llm.base_url:
        return OpenAICompatibleClient(settings.llm, settings.llm.base_url), None
    path = ensure_model_file(
        settings.llm.embedded_model,
        require_setting(settings.llm.models_dir, "llm.models_dir"),
        progress=progress,
    )
    server = EmbeddedLlamaServer(
        path,
        n_ctx=settings.llm.n_ctx,
        threads=settings.llm.threads,
        port=settings.llm.port,
        alias=settings.llm.model,
    )
    base_url = server.start()
    return OpenAICompatibleClient(settings.llm, base_url), server


def order_service(
    engine: Engine, settings: Settings, windows: Windows | None = None
) -> OrderService:
    """Build the order service with the configured identity mode and attempt caps.

    Failed verifications are counted in ``windows`` (default: the store's own).
    """
    ident = settings.identity
    secret, note = customer_token_secret(settings)
    if note:
        log.warning(note)
    return OrderService(
        engine,
        identity=ident.mode,
        customer_token_secret=secret,
        limiter=AttemptLimiter(
            per_conversation=ident.max_failures_per_conversation,
            per_client=ident.max_failures_per_client,
            window_s=ident.failure_window_s,
            windows=windows or shared_windows(engine),
        ),
    )


def event_bus(settings: Settings) -> EventBus:
    """Return the bus SHOP_SUPPORT__EVENT_BUS asks for (auto: PostgreSQL when the store is)."""
    url = settings.database.url or ""
    kind = settings.support.event_bus
    if kind == "auto":
        kind = "postgres" if url.startswith("postgresql") else "memory"
    if kind == "postgres":
        if not url.startswith("postgresql"):
            raise InvalidInputError("SHOP_SUPPORT__EVENT_BUS=postgres needs a PostgreSQL database")
        return PostgresBus(url)
    return MemoryBus()


def build_support(
    engine: Engine, conversations: ConversationStore, orders: OrderService, settings: Settings
) -> SupportService:
    """Build the support service (handoffs, staff, the event bus) for the chat and console."""
    return SupportService(
        engine, conversations, orders, bus=event_bus(settings), settings=settings.support
    )


def agent_mode(settings: Settings) -> str:
    """``flows`` or ``agent``: what ``SHOP_AGENT__MODE`` (``auto`` by default) resolves to."""
    if settings.agent.mode != "auto":
        return settings.agent.mode
    return "agent" if settings.llm.base_url else "flows"


def build_agent(settings: Settings, llm: ChatModel, *, every_identity: bool = False) -> TurnAgent:
    """Build the assistant for ``llm`` with the default tool registry, in the set mode.

    ``every_identity`` registers both identity modes' verification tools (the eval harness
    runs tau2 and verified scenarios side by side; the order service enforces each mode).
    """
    tools = default_registry(None if every_identity else settings.identity.mode)
    identity = "tau2" if every_identity else settings.identity.mode
    if agent_mode(settings) == "flows":
        return FlowAgent(
            llm,
            tools,
            friendly_sentence=settings.agent.friendly_sentence,
            repeated_failures=settings.support.repeated_failures,
            use_reader=settings.agent.reader == "trained",
            read_confidence=settings.agent.read_confidence,
        )
    native = settings.llm.use_native_tools() and isinstance(llm, OpenAICompatibleClient)
    return ShoppingAgent(
        llm,
        tools,
        store_name=settings.agent.store_name,
        max_steps=settings.agent.max_steps,
        native_tools=native,
        identity=identity,
    )


def warm_llm(llm: ChatModel, agent: TurnAgent) -> None:
    """Have the LLM server read the fixed system prompt once, so its prefix cache holds it.

    The first shopper's turn then skips ~1,500 prompt tokens on the CPU.
    """
    if isinstance(llm, OpenAICompatibleClient):
        log.info("warming the LLM's prompt cache")
        asyncio.run(
            llm.prefill(
                [
                    {"role": "system", "content": agent.system_prompt},
                    {"role": "user", "content": "hello"},
                ]
            )
        )


def _warm_quietly(llm: ChatModel, agent: TurnAgent) -> None:
    try:
        warm_llm(llm, agent)
        log.info("the LLM's prompt cache is warm")
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation only
        log.warning("warming the LLM's prompt cache failed: %s", type(exc).__name__)


def load_glossary(settings: Settings) -> Glossary:
    """Read the merchant's glossary file and protected terms (brands are protected per call)."""
    return Glossary.load(settings.writing.glossary_path, protected=settings.writing.protected_terms)


def make_deps(
    settings: Settings,
    engine: Engine,
    searcher: HybridSearcher,
    llm: ChatModel | None,
    recs: RecommendationService | None = None,
) -> Deps:
    """Build the one ``Deps`` of a process: store, index, orders, LLM, recommender, writing."""
    windows = shared_windows(engine)  # one set of counts for the chat and the order service
    return Deps(
        engine=engine,
        searcher=searcher,
        orders=order_service(engine, settings, windows),
        windows=windows,
        llm=llm,
        recs=recs,
        glossary=load_glossary(settings),
        writing=settings.writing,
        model_name=settings.llm.model,
        checkout_url_template=settings.cart.checkout_url_template,
        currency=shop_currency(engine, settings.widget.currency),
    )


def merchant_deps(
    settings: Settings, *, need_llm: bool, progress: bool = True
) -> tuple[Deps, EmbeddedLlamaServer | None]:
    """Deps for the merchant's commands: store and index, and the LLM only if ``need_llm``."""
    with preparing(settings, progress=progress) as engine:
        searcher, _stats = build_searcher(engine, settings, progress=progress)
    llm, server = start_llm(settings, progress=progress) if need_llm else (None, None)
    return make_deps(settings, engine, searcher, llm), server


def build_services(
    settings: Settings, *, llm: ChatModel | None = None, progress: bool = True
) -> AppServices:
    """Build every service; pass ``llm`` to use a ready client (tests use a scripted fake)."""
    embedded: EmbeddedLlamaServer | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-start") as pool:
        # llama.cpp loads its model in native code while Python loads the embedder and
        # the indexes: the two biggest start-up costs overlap.
        starting = pool.submit(start_llm, settings, progress=progress) if llm is None else None
        # One process builds (schema, demo store, index, recommender); workers started
        # beside it wait, then find all of it current and load it.
        with preparing(settings, progress=progress) as engine:
            searcher, stats = build_searcher(engine, settings, progress=progress)
            recs = build_recommender(engine, settings, searcher, progress=progress)
        if starting is not None:
            llm, embedded = starting.result()
    assert llm is not None
    deps = make_deps(settings, engine, searcher, llm, recs)
    agent = build_agent(settings, llm)
    if embedded is not None:
        # Read the fixed prompt in the background: the server is ready before it finishes,
        # and a first turn that arrives earlier simply queues behind it on the LLM.
        threading.Thread(target=_warm_quietly, args=(llm, agent), daemon=True).start()
    conversations = ConversationStore(engine)
    workers = settings.database.threads or default_threads(engine)
    chat = ChatService(
        agent,
        deps,
        conversations,
        settings.agent,
        support=build_support(engine, conversations, deps.orders, settings),
        store_threads=StoreThreads(workers),
        hops=make_hops(settings, workers),
        link_hosts=settings.link_hosts(),
    )
    return AppServices(
        settings=settings,
        engine=engine,
        deps=deps,
        llm=llm,
        chat=chat,
        conversations=conversations,
        index_stats=stats,
        embedded=embedded,
    )
