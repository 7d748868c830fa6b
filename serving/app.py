"""The FastAPI application: REST, websocket chat, the widget's static files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from assistant.bootstrap import AppServices, build_services
from assistant.settings import Settings, get_settings
from serving import rest, ws
from serving.errors import install_handlers


def web_dir() -> Path:
    """Folder holding the widget's static files."""
    return Path(str(resources.files("web")))


def create_app(services: AppServices | None = None, settings: Settings | None = None) -> FastAPI:
    """Create the app; with ``services`` unset they are built at startup from settings."""
    settings = settings or (services.settings if services else get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or await asyncio.to_thread(build_services, settings)
        try:
            yield
        finally:
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="shopassist",
        version="0.1.0",
        description="Conversational shopping assistant: chat over websockets or REST.",
        lifespan=lifespan,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.server.allowed_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
    )
    install_handlers(app)
    app.include_router(rest.router)
    app.include_router(ws.router)
    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(static / "index.html")

    @app.get("/widget.js", include_in_schema=False)
    async def widget() -> FileResponse:
        return FileResponse(static / "widget.js", media_type="text/javascript")

    return app
