"""The merchant's writing tools: copy drafts and approval, catalog translation, review insight.

Used by the CLI (``shopassist describe|copy|translate|reviews``) and the admin API. Copy is
written by the same ``write_product_description`` tool the chat uses and stored as a
draft; approving an English description replaces the product's text and re-indexes that
one product. Catalog translation fills the translation cache product by product, so an
interrupted run resumes where it stopped (cached rows with the same source are skipped).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from catalog.copywriting import ProductCopy, approve_copy, reject_copy, save_draft
from catalog.errors import InvalidInputError
from catalog.models import Product
from catalog.reviews import reviewed_product_ids, reviews_for
from catalog.translations import check_locale, get_translation
from retrieval.indexer import IndexStats
from tools.deps import Deps, RunContext
from tools.errors import TerminalToolError
from tools.write_product_description import (
    WriteProductDescriptionInput,
    write_product_description,
)
from tools.writing.facts import attribute_terms, load_facts, protected_terms
from tools.writing.review_summary import Aspect, summarize
from tools.writing.translator import Translator

FIELDS = ("name", "description")


@dataclass
class TranslateStats:
    """What a catalog translation run did."""

    locale: str
    products: int = 0
    translated: int = 0
    cached: int = 0
    failed: int = 0
    kept_source_sentences: int = 0
    errors: list[str] = field(default_factory=list)


def _aspect(a: Aspect) -> dict[str, Any]:
    return {"aspect": a.aspect, "reviews": a.reviews, "quote": a.quote}


class MerchantService:
    """Copy drafts, approvals, catalog translation and review insight for one store."""

    def __init__(self, deps: Deps) -> None:
        """Work on ``deps``' store, search index and LLM."""
        self.deps = deps

    async def describe(
        self, product_id: str, *, kind: str, tone: str, lang: str, actor: str
    ) -> ProductCopy:
        """Write copy with the verified tool and store it as a draft (never live yet)."""
        args = WriteProductDescriptionInput(product_id=product_id, kind=kind, tone=tone, lang=lang)
        ctx = RunContext(self.deps, conversation_id=f"merchant:{actor}")
        result = await write_product_description(ctx, args)
        draft = ProductCopy(
            product_id=result.product_id,
            kind=result.kind,
            tone=result.tone,
            lang=result.lang,
            text=result.text,
            generated_by="template" if result.fallback else self.deps.model_name,
            fallback=result.fallback,
            rejected_drafts=result.rejected_drafts,
            checks={"rejected_words": result.rejected_words, "english": result.english},
            created_by=actor,
        )
        return await asyncio.to_thread(save_draft, self.deps.engine, draft)

    async def approve(self, copy_id: int, *, actor: str) -> tuple[ProductCopy, IndexStats | None]:
        """Approve a draft; re-index the product when its description changed."""
        row, changed = await asyncio.to_thread(approve_copy, self.deps.engine, copy_id, actor=actor)
        stats = None
        if changed:
            stats = await asyncio.to_thread(self.deps.searcher.refresh, progress=False)
        return row, stats

    async def reject(self, copy_id: int, *, actor: str) -> ProductCopy:
        """Reject a draft."""
        return await asyncio.to_thread(reject_copy, self.deps.engine, copy_id, actor=actor)

    def _product_ids(self, product_ids: list[str] | None) -> list[str]:
        with Session(self.deps.engine) as session:
            if product_ids:
                missing = [p for p in product_ids if session.get(Product, p) is None]
                if missing:
                    raise InvalidInputError(
                        f"unknown product ids: {', '.join(missing)}", code="product_not_found"
                    )
                return list(product_ids)
            return [str(p) for p in session.exec(select(Product.id).order_by(col(Product.id)))]

    async def translate_catalog(
        self,
        locale: str,
        *,
        product_ids: list[str] | None = None,
        fields: tuple[str, ...] = FIELDS,
        on_total: Callable[[int], Any] | None = None,
        on_progress: Callable[[int], Any] | None = None,
    ) -> TranslateStats:
        """Translate each product's fields into ``locale`` (cached rows are skipped).

        ``on_total`` gets the number of products once; ``on_progress`` 1 per product done.
        """
        locale = check_locale(locale)
        if self.deps.llm is None:
            raise TerminalToolError("translation needs the language model", code="llm_unavailable")
        ids = await asyncio.to_thread(self._product_ids, product_ids)
        if on_total is not None:
            on_total(len(ids))
        translator = Translator(
            self.deps.llm,
            self.deps.glossary,
            engine=self.deps.engine,
            model_name=self.deps.model_name,
            retries=self.deps.writing.translation_retries,
        )
        stats = TranslateStats(locale=locale)
        for pid in ids:
            with Session(self.deps.engine) as session:
                product = session.get(Product, pid)
            if product is None:
                continue
            stats.products += 1
            for name in fields:
                source = product.description if name == "description" else product.name
                key = f"product:{pid}:{name}"
                if not source or get_translation(self.deps.engine, key, locale, source):
                    stats.cached += 1
                    continue
                try:
                    result = await translator.translate(
                        source,
                        locale,
                        key=key,
                        protect=protected_terms(product, name),
                        terms=attribute_terms(product) if name == "description" else None,
                    )
                except Exception as exc:  # noqa: BLE001 - one product must not stop the run
                    stats.failed += 1
                    stats.errors.append(f"{pid} {name}: {type(exc).__name__}")
                    continue
                stats.translated += 1
                stats.kept_source_sentences += result.kept_source
            if on_progress is not None:
                on_progress(1)
        return stats

    def review_insights(
        self, product_id: str | None = None, *, top: int = 3
    ) -> list[dict[str, Any]]:
        """Per product: review count, stars, share positive and the commonest complaints."""
        engine = self.deps.engine
        ids = [product_id] if product_id else reviewed_product_ids(engine)
        rows: list[tuple[float, dict[str, Any]]] = []
        for pid in ids:
            facts = load_facts(engine, pid)
            terms = [*facts.features, facts.material] if facts.material else list(facts.features)
            s = summarize(pid, reviews_for(engine, pid), terms=terms, top=top)
            row = {
                "product_id": pid,
                "name": facts.name,
                "reviews": s.count,
                "average_rating": s.average_rating,
                "positive_share": s.positive_share,
                "complaints": [_aspect(a) for a in s.dislikes],
                "praise": [_aspect(a) for a in s.likes],
            }
            rows.append((s.positive_share if s.positive_share is not None else 1.0, row))
        rows.sort(key=lambda r: r[0])  # the most criticised products first
        out = [r for _, r in rows]
        return out
