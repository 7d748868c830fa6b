"""One search the way the chat reads it, for the command line (``shopassist search``).

The words are read like a shopper's message (product type from the shop's vocabulary,
budget, colour and size) and run through the same ``search_catalog`` tool as the chat.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from retrieval.query_parser import parse_query
from tools.default_registry import default_registry
from tools.deps import Deps, RunContext
from tools.search_catalog import SearchCatalogOutput


class SearchRow(BaseModel):
    """One result as the command prints it."""

    rank: int
    id: str
    name: str
    price: float
    in_stock: bool
    type: str = ""


async def search(
    deps: Deps, words: str, *, max_price: float | None = None, limit: int = 5
) -> list[SearchRow]:
    """Return the top ``limit`` products for ``words`` (a budget in the words counts too)."""
    said = parse_query(words)
    types = deps.searcher.vocabulary.resolve_types(words)
    args: dict[str, Any] = {"query": said.text or words, "limit": limit}
    ceiling = max_price if max_price is not None else said.max_price
    if ceiling is not None:
        args["max_price"] = ceiling
    if said.min_price is not None:
        args["min_price"] = said.min_price
    if len(types) == 1:
        args["product_type"] = types[0]
    ctx = RunContext(deps=deps, conversation_id="cli-search", user_message=words)
    out = await default_registry().invoke("search_catalog", args, ctx)
    assert isinstance(out, SearchCatalogOutput)
    type_of = deps.searcher.vocabulary.type_of
    return [
        SearchRow(
            rank=i + 1,
            id=r.id,
            name=r.name,
            price=r.price,
            in_stock=r.in_stock,
            type=type_of.get(r.id, ""),
        )
        for i, r in enumerate(out.results)
    ]
