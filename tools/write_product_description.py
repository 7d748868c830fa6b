"""Tool: grounded product copy (description, marketing blurb, email, social post)."""

from __future__ import annotations

import asyncio
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from catalog.errors import InvalidInputError, NotFoundError
from catalog.models import Product, Variant
from tools.cards import build_card
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ToolOutput
from tools.writing.copywriter import CopyWriter
from tools.writing.facts import catalog_claim_words, load_facts
from tools.writing.translator import Translator


class WriteProductDescriptionInput(BaseModel):
    """Arguments of ``write_product_description``."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    product_id: str = Field(min_length=1, max_length=64)
    kind: Literal["description", "marketing", "email", "social"] = "description"
    tone: str = Field(default="friendly", min_length=1, max_length=40)
    lang: str = Field(default="en", min_length=2, max_length=8)


class WriteProductDescriptionOutput(ToolOutput):
    """AI-written copy that passed the verifier (or the template, when no draft did)."""

    text: str
    kind: str
    tone: str
    lang: str
    product_id: str
    product_name: str
    ai_written: bool = True
    fallback: bool = False
    rejected_drafts: int = 0
    english: str = Field(default="", exclude=True)
    rejected_words: list[str] = Field(default_factory=list, exclude=True)
    seconds: float = Field(default=0.0, exclude=True)


async def write_product_description(
    ctx: RunContext[Deps], args: WriteProductDescriptionInput
) -> WriteProductDescriptionOutput:
    """Write a product description, marketing blurb, email or social post for product_id.

    Written from the product's own attributes only; every claim is checked by code.
    """
    if ctx.deps.llm is None:
        raise TerminalToolError("copy writing needs the language model", code="llm_unavailable")
    try:
        facts = await asyncio.to_thread(load_facts, ctx.deps.engine, args.product_id.strip())
    except NotFoundError as exc:
        raise RetryableToolError(
            f"no product with id {args.product_id!r}; use an id from search results"
        ) from exc
    claims = await asyncio.to_thread(catalog_claim_words, ctx.deps.engine)
    translator = Translator(
        ctx.deps.llm, ctx.deps.glossary, engine=ctx.deps.engine, model_name=ctx.deps.model_name
    )
    writer = CopyWriter(
        ctx.deps.llm,
        claims,
        translator=translator,
        attempts=ctx.deps.writing.copy_attempts,
        model_name=ctx.deps.model_name,
    )
    try:
        result = await writer.write(facts, args.kind, tone=args.tone, lang=args.lang)
    except InvalidInputError as exc:
        raise RetryableToolError(exc.message, code=exc.code) from exc
    with Session(ctx.deps.engine) as session:
        product = session.get(Product, facts.product_id)
        variants = list(
            session.exec(select(Variant).where(col(Variant.product_id) == facts.product_id))
        )
    cards = [build_card(product, variants)] if product is not None else []
    return WriteProductDescriptionOutput(
        text=result.text,
        kind=args.kind,
        tone=args.tone,
        lang=args.lang,
        product_id=facts.product_id,
        product_name=facts.name,
        fallback=result.fallback,
        rejected_drafts=result.rejected_drafts,
        english=result.english,
        rejected_words=result.rejected_words,
        seconds=result.seconds,
        cards=cards,
    )
