"""The FastAPI application: REST, websocket chat, the widget's static files."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from assistant.bootstrap import AppServices, build_services
from assistant.catalog_refresh import follow_changes
from assistant.llm.client import aclose_quietly
from assistant.settings import Settings, get_settings
from serving import (
    cart_api,
    catalog_api,
    console_api,
    console_pages,
    console_ws,
    merchant_api,
    recs_api,
    rest,
    widget_api,
    ws,
)
from serving.errors import OriginNotAllowedError, error_response, install_handlers
from serving.limits import RateLimiter
from serving.metrics import Metrics
from serving.paths import web_dir
from serving.sessions import Sessions, load_secret, origin_allowed
from serving.state import ServerState

log = logging.getLogger(__name__)
WIDGET_CONFIG = "/v1/widget/config"


def tune_gc(freeze: bool, young_threshold: int) -> None:
    """Keep the garbage collector off the long-lived startup heap (see ServerSettings)."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(young_threshold, middle, old)
    if freeze:
        gc.collect()
        gc.freeze()


def create_app(services: AppServices | None = None, settings: Settings | None = None) -> FastAPI:
    """Create the app; with ``services`` unset they are built at startup from settings."""
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        built = (
            services
            if services is not None
            else await asyncio.to_thread(build_services, settings, progress=False)
        )
        app.state.services = built
        windows = built.deps.windows
        secret = built.settings.security.secret_key
        app.state.server = ServerState(
            services=built,
            sessions=Sessions(
                load_secret(secret.get_secret_value() if secret else None, built.settings.data_dir),
                built.conversations,
                cookie_secure=built.settings.security.cookie_secure,
            ),
            # on PostgreSQL every worker process counts in the same windows
            limits=RateLimiter(windows=windows, namespace="rate"),
            login_limits=RateLimiter(900.0, windows=windows, namespace="login"),
            csat_limits=RateLimiter(900.0, windows=windows, namespace="csat"),
        )
        app.state.server.metrics = Metrics(built)
        await built.chat.support.bus.start()
        following = asyncio.create_task(
            follow_changes(built.chat.support.bus, built.catalog_refresher)
        )
        await built.chat.start()
        tune_gc(built.settings.server.gc_freeze, built.settings.server.gc_young_threshold)
        if owned:  # a worker of ``serve --workers N``: say what it found and built
            stats = built.index_stats
            log.info(
                "worker %d ready: %d products indexed (%d embedded now)",
                os.getpid(),
                stats.total,
                stats.embedded,
            )
        try:
            yield
        finally:
            following.cancel()
            await built.chat.support.bus.close()
            await aclose_quietly(built.llm)
            if owned:
                await built.chat.aclose()
                app.state.services.close()

    app = FastAPI(
        title="shopassist",
        version="0.1.0",
        description="Conversational shopping assistant: chat over websockets or REST.",
        lifespan=lifespan,
    )
    allowed = settings.server.allowed_origins

    @app.middleware("http")
    async def same_origin_only(request: Request, call_next: Any) -> Any:
        """Refuse browser requests from origins that are neither ours nor listed."""
        origin = request.headers.get("origin")
        if not origin_allowed(origin, request.headers.get("host"), allowed):
            refused = error_response(
                OriginNotAllowedError(
                    f"the origin {origin} may not call the assistant; its operator can allow it "
                    "in SHOP_SERVER__ALLOWED_ORIGINS"
                )
            )
            if request.url.path == WIDGET_CONFIG:
                # the widget asks here first: it may read this refusal (nothing else) and
                # tell the shopper and the shop's developer instead of retrying forever
                # (CORSMiddleware, outside this one, adds "Vary: Origin")
                refused.headers["Access-Control-Allow-Origin"] = str(origin)
            return refused
        return await call_next(request)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed,
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type", "X-Customer-Token"],
        # the console is same-origin only: its cookie is SameSite=Strict and CORS never
        # lets another origin send X-CSRF-Token
    )
    install_handlers(app)
    app.include_router(rest.router)
    app.include_router(ws.router)
    app.include_router(recs_api.router)
    app.include_router(widget_api.router)
    app.include_router(console_pages.router)
    app.include_router(console_api.router)
    app.include_router(console_ws.router)
    app.include_router(merchant_api.router)
    app.include_router(cart_api.router)
    app.include_router(catalog_api.router)
    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(static / "index.html")

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(static / "widget.js", media_type="text/javascript")

    return app
