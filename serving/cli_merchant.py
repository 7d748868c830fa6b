"""``shopassist apikey create|list|revoke``: the merchant's API keys."""

from __future__ import annotations

import argparse
import json

from assistant.settings import Settings
from catalog.apikeys import SCOPES, ApiKeys


def _keys(settings: Settings) -> ApiKeys:
    from catalog.db import create_schema, make_engine

    engine = make_engine(settings.database)
    create_schema(engine)
    return ApiKeys(engine)


def _create(settings: Settings, args: argparse.Namespace) -> int:
    row, key = _keys(settings).create(args.name, args.scope or ["cart:read"])
    print(f"created API key {row.id} ({row.name}) with scopes {', '.join(row.scopes)}")
    print("the key (shown only now; only its hash is stored):")
    print(key)
    return 0


def _list(settings: Settings, args: argparse.Namespace) -> int:
    rows = _keys(settings).list()
    if args.json:
        print(json.dumps([r.model_dump(mode="json", exclude={"digest"}) for r in rows], indent=2))
        return 0
    if not rows:
        print("no API keys; make one with `shopassist apikey create NAME --scope cart:read`")
    for r in rows:
        state = f"revoked {r.revoked_at:%Y-%m-%d}" if r.revoked_at else "active"
        used = f"last used {r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "never used"
        print(f"{r.id}  {r.name}  [{', '.join(r.scopes)}]  {state}, {used}")
    return 0


def _revoke(settings: Settings, args: argparse.Namespace) -> int:
    row = _keys(settings).revoke(args.id)
    print(f"revoked API key {row.id} ({row.name})")
    return 0


def _search(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from assistant.bootstrap import merchant_deps
    from assistant.catalog_search import search

    deps, _server = merchant_deps(settings, need_llm=False, progress=not args.json)
    rows = asyncio.run(search(deps, args.words, max_price=args.max_price, limit=args.limit))
    if args.json:
        print(json.dumps([r.model_dump() for r in rows], indent=2))
        return 0
    if not rows:
        print("no products match")
    for r in rows:
        stock = "" if r.in_stock else "  (out of stock)"
        print(f"{r.rank}. {r.name}  {r.price:.2f}  [{r.type}]  id {r.id}{stock}")
    return 0


def add_search_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``search WORDS [--json] [--max-price N]``: the chat's search from the shell."""
    find = sub.add_parser("search", help="search the catalog the way the chat does")
    find.add_argument("words", help='what a shopper would type, e.g. "waterproof boots"')
    find.add_argument("--max-price", type=float, default=None, help="a budget ceiling")
    find.add_argument("--limit", type=int, default=5, choices=range(1, 11), metavar="1-10")
    find.add_argument("--json", action="store_true", help="machine-readable output")
    find.set_defaults(fn=_search)


def add_apikey_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``apikey create|list|revoke`` to the command's subparsers."""
    keys = sub.add_parser("apikey", help="merchant API keys: create, list, revoke")
    keys_sub = keys.add_subparsers(dest="apikey_command", required=True)
    create = keys_sub.add_parser("create", help="make a key (printed once)")
    create.add_argument("name", help="what the key is for, e.g. 'shop backend'")
    create.add_argument(
        "--scope",
        action="append",
        choices=SCOPES,
        help="a scope the key grants (repeat for several; default cart:read)",
    )
    create.set_defaults(fn=_create)
    listing = keys_sub.add_parser("list", help="every key, newest first (never the key itself)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(fn=_list)
    revoke = keys_sub.add_parser("revoke", help="revoke a key by its id; it stops at once")
    revoke.add_argument("id")
    revoke.set_defaults(fn=_revoke)
