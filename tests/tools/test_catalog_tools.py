from __future__ import annotations

import pytest
from sqlmodel import Session, select

from assistant.bootstrap import AppServices
from catalog.models import Product
from tools.default_registry import default_registry
from tools.deps import RunContext
from tools.errors import RetryableToolError
from tools.get_product import GetProductOutput
from tools.search_catalog import SearchCatalogOutput


def _ctx(services: AppServices, said: str = "") -> RunContext:  # type: ignore[type-arg]
    return RunContext(deps=services.deps, conversation_id="t", user_message=said)


async def test_search_returns_cards_built_from_the_store(shared_services: AppServices) -> None:
    out = await default_registry().invoke(
        "search_catalog",
        {"query": "waterproof hiking boots", "max_price": "$150"},
        _ctx(shared_services),
    )
    assert isinstance(out, SearchCatalogOutput)
    assert out.results and len(out.cards) == len(out.results)
    with Session(shared_services.engine) as s:
        for card in out.cards:
            product = s.get(Product, card.id)
            assert product is not None and card.name == product.name
            assert card.price <= 150
            assert all(v.price <= 150 for v in card.variants)
    assert "cards" not in out.for_llm()


async def test_shoppers_explicit_budget_overrides_model_arguments(
    shared_services: AppServices,
) -> None:
    # the model mistakenly used min_price; the shopper said "under $150"
    out = await default_registry().invoke(
        "search_catalog",
        {"query": "hiking boots", "min_price": 150},
        _ctx(shared_services, said="waterproof hiking boots under $150"),
    )
    assert out.cards and all(c.price <= 150 for c in out.cards)


async def test_unknown_brand_is_ignored_with_a_note(shared_services: AppServices) -> None:
    out = await default_registry().invoke(
        "search_catalog",
        {"query": "bluetooth speaker", "brand": "bluetooth", "category": "electronics"},
        _ctx(shared_services),
    )
    assert isinstance(out, SearchCatalogOutput)
    assert out.results
    assert out.notes == ["ignored unknown brand 'bluetooth'"]
    assert all(c.category == "Electronics" for c in out.cards)


async def test_search_argument_errors_are_retryable(shared_services: AppServices) -> None:
    registry = default_registry()
    with pytest.raises(RetryableToolError, match="query or at least one filter"):
        await registry.invoke("search_catalog", {"query": ""}, _ctx(shared_services))
    with pytest.raises(RetryableToolError, match="limit"):
        await registry.invoke("search_catalog", {"query": "x", "limit": 50}, _ctx(shared_services))
    with pytest.raises(RetryableToolError, match="min_price must not exceed"):
        await registry.invoke(
            "search_catalog",
            {"query": "boots", "min_price": 90, "max_price": 10},
            _ctx(shared_services),
        )


async def test_get_product_returns_all_variants(shared_services: AppServices) -> None:
    with Session(shared_services.engine) as s:
        product = s.exec(select(Product)).first()
    assert product is not None
    out = await default_registry().invoke(
        "get_product", {"product_id": product.id}, _ctx(shared_services)
    )
    assert isinstance(out, GetProductOutput)
    assert out.name == product.name and out.variants and out.cards[0].id == product.id
    with pytest.raises(RetryableToolError, match="no product with id"):
        await default_registry().invoke(
            "get_product", {"product_id": "0000"}, _ctx(shared_services)
        )


async def test_colour_words_narrow_variants_and_fall_back(shared_services: AppServices) -> None:
    out = await default_registry().invoke(
        "search_catalog", {"query": "red t-shirt"}, _ctx(shared_services, "a red t-shirt")
    )
    assert out.cards
    for card in out.cards:
        assert all(v.options.get("color") == "red" for v in card.variants), card
    out = await default_registry().invoke(
        "search_catalog", {"query": "tan yoga mat"}, _ctx(shared_services)
    )
    assert isinstance(out, SearchCatalogOutput) and out.cards
    assert out.notes and "nothing matches color tan exactly" in out.notes[0]


async def test_a_colour_not_wanted_is_excluded_never_implied(shared_services: AppServices) -> None:
    said = "a robot vacuum, anything but black"
    out = await default_registry().invoke(
        "search_catalog",
        {"query": "robot vacuum", "product_type": "robot vacuum", "exclude_colors": ["black"]},
        _ctx(shared_services, said),
    )
    assert isinstance(out, SearchCatalogOutput) and out.cards
    for card in out.cards:
        # every variant a card offers is another colour; "black" in the words selects none
        assert card.variants and all(v.options.get("color") != "black" for v in card.variants)
