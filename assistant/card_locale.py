"""Product cards in the shopper's language, from the translation cache; misses filled later.

A card is localized only from cached translations (``product:<id>:name`` and
``…:description``, keyed by the English source's hash), so a turn never waits for the
model. Missing *names* are queued and translated in the background (one short model call
each), one at a time and only while no turn is running, so a shopper's next turn waits at
most for that one call. Descriptions are many sentences: they come from the merchant's
``shopassist translate`` run (or the chat's translate request), not from the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlmodel import Session, col, select

from catalog.models import Product
from catalog.translations import LOCALES, get_translations
from tools.cards import ProductCard
from tools.deps import Deps
from tools.writing.facts import protected_terms
from tools.writing.translator import Translator

log = logging.getLogger(__name__)
FIELDS = ("name", "description")


class CardLocalizer:
    """Fill ``localized_name``/``localized_description`` of cards from the cache."""

    def __init__(self, deps: Deps, *, idle: Callable[[], bool], enabled: bool = True) -> None:
        """Localize on ``deps``' store; ``idle()`` says no turn is running right now."""
        self.deps = deps
        self.idle = idle
        self.enabled = enabled and deps.llm is not None
        self._queue: asyncio.Queue[tuple[str, str]] | None = None
        self._queued: set[tuple[str, str]] = set()
        self._worker: asyncio.Task[None] | None = None
        self.filled = 0

    def localize(self, cards: list[ProductCard], lang: str) -> tuple[list[ProductCard], list[str]]:
        """Return localized copies of ``cards`` and the product ids with a cache miss."""
        if lang == "en" or lang not in LOCALES or not cards:
            return cards, []
        ids = [c.id for c in cards]
        with Session(self.deps.engine) as session:
            products = {
                p.id: p for p in session.exec(select(Product).where(col(Product.id).in_(ids)))
            }
        sources = {
            f"product:{p.id}:{field}": p.name if field == "name" else p.description
            for p in products.values()
            for field in FIELDS
        }
        cached = get_translations(self.deps.engine, lang, sources)
        out, missing = [], []
        for card in cards:
            product = products.get(card.id)
            if product is None:
                out.append(card)
                continue
            found = {
                field: cached[f"product:{product.id}:{field}"]
                for field in FIELDS
                if f"product:{product.id}:{field}" in cached
            }
            if "name" not in found:
                missing.append(card.id)
            out.append(
                card.model_copy(
                    update={
                        "locale": lang if found else None,
                        "localized_name": found.get("name"),
                        "localized_description": found.get("description"),
                    }
                )
            )
        return out, missing

    def schedule(self, product_ids: list[str], lang: str) -> None:
        """Queue cache misses for background translation (deduplicated)."""
        if not self.enabled:
            return
        if self._queue is None:
            self._queue = asyncio.Queue()
        for pid in product_ids:
            if (pid, lang) not in self._queued:
                self._queued.add((pid, lang))
                self._queue.put_nowait((pid, lang))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        assert self._queue is not None
        while not self._queue.empty():
            pid, lang = await self._queue.get()
            try:
                await self._fill(pid, lang)
            except Exception as exc:  # noqa: BLE001 - background work must not end the server
                log.warning(
                    "card translation failed product=%s lang=%s: %s", pid, lang, type(exc).__name__
                )
            finally:
                self._queued.discard((pid, lang))

    async def _fill(self, pid: str, lang: str) -> None:
        with Session(self.deps.engine) as session:
            product = session.get(Product, pid)
        if product is None or self.deps.llm is None:
            return
        translator = Translator(
            self.deps.llm,
            self.deps.glossary,
            engine=self.deps.engine,
            model_name=self.deps.model_name,
        )
        for _ in range(300):  # a shopper's turn goes first (waits up to a minute)
            if self.idle():
                break
            await asyncio.sleep(0.2)
        await translator.translate(
            product.name,
            lang,
            key=f"product:{pid}:name",
            protect=protected_terms(product, "name"),
        )
        self.filled += 1

    async def drain(self) -> None:
        """Wait until the background queue is empty (tests and shutdown)."""
        if self._worker is not None:
            await self._worker
