"""Tool: translate a product's description or name, or a shopper's text, with glossary checks."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlmodel import Session, col, select

from catalog.errors import InvalidInputError
from catalog.models import Product, Variant
from tools.cards import build_card
from tools.deps import Deps, RunContext
from tools.errors import RetryableToolError, TerminalToolError
from tools.registry import ToolOutput
from tools.writing.facts import attribute_terms, protected_terms
from tools.writing.translator import Translator, text_key


class TranslateTextInput(BaseModel):
    """Arguments of ``translate_text``: a product (and which field) or a text."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    target_lang: str = Field(min_length=2, max_length=8, description="en, de, fr, es or it")
    product_id: str | None = Field(default=None, max_length=64)
    field: Literal["description", "name"] = "description"
    text: str | None = Field(default=None, max_length=4000)
    source_lang: str = "en"

    @model_validator(mode="after")
    def _one_source(self) -> TranslateTextInput:
        if bool(self.product_id) == bool(self.text and self.text.strip()):
            raise ValueError("give exactly one of product_id or text")
        return self


class TranslateTextOutput(ToolOutput):
    """A machine translation and what its checks found."""

    translation: str
    target_lang: str
    source_text: str
    product_id: str | None = None
    product_name: str | None = None
    cached: bool = False
    numbers_ok: bool = True
    untranslated_sentences: int = 0
    generated_by: str = ""
    machine_translated: bool = True


async def translate_text(ctx: RunContext[Deps], args: TranslateTextInput) -> TranslateTextOutput:
    """Translate a product's description or name (product_id), or a text, into target_lang.

    Brand and product names, glossary terms, numbers and units are kept by code.
    """
    if ctx.deps.llm is None:
        raise TerminalToolError("translation needs the language model", code="llm_unavailable")
    name = None
    protect: list[str] = []
    terms: list[str] = []
    cards = []
    if args.product_id:
        with Session(ctx.deps.engine) as session:
            product = session.get(Product, args.product_id.strip())
            if product is None:
                raise RetryableToolError(
                    f"no product with id {args.product_id!r}; use an id from search results"
                )
            variants = list(
                session.exec(select(Variant).where(col(Variant.product_id) == product.id))
            )
        source = product.description if args.field == "description" else product.name
        name = product.name
        protect = protected_terms(product, args.field)
        terms = attribute_terms(product) if args.field == "description" else []
        key = f"product:{product.id}:{args.field}"
        cards = [build_card(product, variants)]
    else:
        source, key = (args.text or "").strip(), text_key((args.text or "").strip())
    translator = Translator(
        ctx.deps.llm,
        ctx.deps.glossary,
        engine=ctx.deps.engine,
        model_name=ctx.deps.model_name,
        retries=ctx.deps.writing.translation_retries,
    )
    try:
        result = await translator.translate(
            source,
            args.target_lang,
            source=args.source_lang,
            key=key,
            protect=protect,
            terms=terms,
        )
    except InvalidInputError as exc:
        raise RetryableToolError(exc.message, code=exc.code) from exc
    return TranslateTextOutput(
        translation=result.text,
        target_lang=result.locale,
        source_text=source,
        product_id=args.product_id,
        product_name=name,
        cached=result.cached,
        numbers_ok=result.numbers_ok,
        untranslated_sentences=result.kept_source,
        generated_by=result.generated_by,
        cards=cards,
    )
