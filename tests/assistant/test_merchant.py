"""Merchant writing service: draft → approve re-indexes one product; resumable translation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from assistant.bootstrap import build_searcher, order_service, prepare_store
from assistant.merchant import MerchantService
from catalog.copywriting import list_copies
from catalog.models import Product
from catalog.orders.records import AuditLog
from catalog.translations import Translation
from tests.conftest import make_settings
from tests.fakes import FakeLLM
from tools.deps import Deps


def _echo(messages: list[dict[str, str]]) -> str:
    """Translations echo the masked sentence with a marker."""
    return "DE " + messages[-1]["content"]


@pytest.fixture()
def merchant(tmp_path: Path) -> Iterator[tuple[MerchantService, FakeLLM]]:
    settings = make_settings(tmp_path, products=24)
    settings.retrieval.multilingual = False
    engine = prepare_store(settings, progress=False)
    searcher, _stats = build_searcher(engine, settings, progress=False)
    llm = FakeLLM(translate=_echo)
    deps = Deps(engine=engine, searcher=searcher, orders=order_service(engine, settings), llm=llm)
    yield MerchantService(deps), llm
    engine.dispose()


def _product(service: MerchantService) -> Product:
    with Session(service.deps.engine) as s:
        p = s.exec(select(Product).order_by(col(Product.id))).first()
    assert p is not None
    return p


async def test_describe_is_a_draft_until_approved_then_one_product_is_reindexed(
    merchant: tuple[MerchantService, FakeLLM],
) -> None:
    service, llm = merchant
    p = _product(service)
    feature = p.attributes["features"][0]
    llm.enqueue(f"The {p.name} offers {feature} and zebrastripes.")  # "zebrastripes": no claim
    draft = await service.describe(
        p.id, kind="description", tone="calm", lang="en", actor="cli:ann"
    )
    assert draft.status == "draft" and draft.ai_written and draft.created_by == "cli:ann"
    before = service.deps.searcher.search("zebrastripes", limit=3)
    assert p.id not in [h.product_id for h in before]  # a draft is not live or searchable
    row, stats = await service.approve(int(draft.id or 0), actor="cli:ann")
    assert row.status == "approved" and stats is not None and stats.embedded == 1
    hits = service.deps.searcher.search("zebrastripes", limit=3)
    assert hits and hits[0].product_id == p.id
    with Session(service.deps.engine) as s:
        assert (
            s.exec(select(AuditLog).where(AuditLog.action == "approve_copy")).one().actor
            == "cli:ann"
        )


async def test_rejected_drafts_fall_back_to_the_template(
    merchant: tuple[MerchantService, FakeLLM],
) -> None:
    service, llm = merchant
    p = _product(service)
    llm.enqueue("Waterproof to 99 m!", "Waterproof to 99 m!")
    draft = await service.describe(p.id, kind="social", tone="fun", lang="en", actor="cli:ann")
    assert draft.fallback and draft.generated_by == "template" and draft.rejected_drafts == 2
    assert {"99", "waterproof"} <= set(draft.checks["rejected_words"])
    assert p.name in draft.text and "#" in draft.text
    assert [c.id for c in list_copies(service.deps.engine, status="draft")] == [draft.id]


async def test_catalog_translation_is_resumable_with_progress(
    merchant: tuple[MerchantService, FakeLLM],
) -> None:
    service, llm = merchant
    with Session(service.deps.engine) as s:
        ids = [str(i) for i in s.exec(select(Product.id).order_by(col(Product.id)))]
    ticks: list[int] = []
    first = await service.translate_catalog("de", product_ids=ids[:5], on_progress=ticks.append)
    assert first.products == 5 and first.translated == 10 and sum(ticks) == 5
    calls = len(llm.calls)
    rest = await service.translate_catalog("DE")  # the whole catalog: the first 5 are cached
    assert rest.products == len(ids) and rest.cached >= 10 and rest.translated == 2 * (len(ids) - 5)
    assert len(llm.calls) > calls
    again = await service.translate_catalog("de")
    assert again.translated == 0 and again.cached == 2 * len(ids)
    with Session(service.deps.engine) as s:
        name = s.exec(select(Translation).where(Translation.key == f"product:{ids[0]}:name")).one()
        desc = s.exec(
            select(Translation).where(Translation.key == f"product:{ids[0]}:description")
        ).one()
    # a name keeps brand and model; only the product type is translated
    assert name.text.startswith("DE ") and "<" not in name.text
    assert name.source_text.rsplit(" ", 2)[0] in name.text
    assert desc.generated_by == "llm" and desc.text.startswith("DE ")
    with pytest.raises(Exception, match="unsupported locale"):
        await service.translate_catalog("xx")


def test_review_insights_lists_complaints_most_criticised_first(
    merchant: tuple[MerchantService, FakeLLM],
) -> None:
    service, _llm = merchant
    rows = service.review_insights()
    assert rows and all(r["reviews"] > 0 for r in rows)
    shares = [r["positive_share"] for r in rows]
    assert shares == sorted(shares)
    assert any(r["complaints"] for r in rows)
    from catalog.reviews import reviews_for

    for r in rows[:5]:
        texts = " ".join(rv.text for rv in reviews_for(service.deps.engine, r["product_id"]))
        assert all(c["quote"] in texts for c in r["complaints"])
