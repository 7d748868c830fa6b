"""``shopassist`` commands for merchants: translate, describe, copy, translations, reviews."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
from typing import Any

from tqdm import tqdm

from assistant.settings import Settings


def _actor(args: argparse.Namespace) -> str:
    return f"cli:{args.by or getpass.getuser()}"


def _translate(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.bootstrap import merchant_deps
    from assistant.merchant import MerchantService

    deps, server = merchant_deps(settings, need_llm=True)
    try:
        service = MerchantService(deps)
        fields = tuple(f.strip() for f in args.fields.split(",") if f.strip())
        with tqdm(desc=f"Translating into {args.locale}", unit="product") as bar:

            def total(n: int) -> None:
                bar.reset(total=n)

            stats = asyncio.run(
                service.translate_catalog(
                    args.locale,
                    product_ids=args.product or None,
                    fields=fields,
                    on_total=total,
                    on_progress=bar.update,
                )
            )
    finally:
        if server is not None:
            server.stop()
    print(
        f"{stats.products} products into {stats.locale}: {stats.translated} texts translated, "
        f"{stats.cached} already cached, {stats.failed} failed, "
        f"{stats.kept_source_sentences} sentences kept in English (checks failed)"
    )
    for line in stats.errors[:20]:
        print(f"  failed: {line}")
    return 1 if stats.failed else 0


def _describe(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.bootstrap import merchant_deps
    from assistant.merchant import MerchantService

    deps, server = merchant_deps(settings, need_llm=True)
    try:
        draft = asyncio.run(
            MerchantService(deps).describe(
                args.product_id, kind=args.kind, tone=args.tone, lang=args.lang, actor=_actor(args)
            )
        )
    finally:
        if server is not None:
            server.stop()
    how = "template (no model draft passed the verifier)" if draft.fallback else draft.generated_by
    print(f"draft {draft.id} ({draft.kind}, {draft.lang}, AI-written by {how}; not live yet):\n")
    print(draft.text)
    print(f"\napprove with: shopassist copy approve {draft.id}")
    return 0


def _copy_list(settings: Settings, args: argparse.Namespace) -> int:
    from catalog.copywriting import list_copies
    from catalog.db import create_schema, make_engine

    engine = make_engine(settings.database)
    create_schema(engine)
    rows = list_copies(engine, status=args.status, product_id=args.product)
    for r in rows:
        first = r.text.replace("\n", " ")[:70]
        print(f"{r.id:>5}  {r.status:<10} {r.product_id}  {r.kind:<11} {r.lang}  {first}")
    if not rows:
        print("no copy matches")
    return 0


def _copy_decide(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.bootstrap import merchant_deps
    from assistant.merchant import MerchantService

    deps, _server = merchant_deps(settings, need_llm=False, progress=False)
    service = MerchantService(deps)
    if args.copy_command == "approve":
        row, stats = asyncio.run(service.approve(args.copy_id, actor=_actor(args)))
        reindexed = f"; re-indexed {stats.embedded} product" if stats else ""
        print(f"copy {row.id} approved by {row.decided_by}{reindexed}")
    else:
        row = asyncio.run(service.reject(args.copy_id, actor=_actor(args)))
        print(f"copy {row.id} rejected by {row.decided_by}")
    return 0


def _translations(settings: Settings, args: argparse.Namespace) -> int:
    from catalog.db import create_schema, make_engine
    from catalog.translations import list_translations, review_translation

    engine = make_engine(settings.database)
    create_schema(engine)
    if args.tr_command == "list":
        for t in list_translations(
            engine, locale=args.locale, status=args.status, limit=args.limit
        ):
            print(f"{t.pk:>6}  {t.locale}  {t.status:<9} {t.generated_by:<20} {t.key}")
            print(f"        {t.source_text[:90]}\n     →  {t.text[:90]}")
        return 0
    row = review_translation(
        engine, args.pk, reviewer=_actor(args), approve=not args.reject, text=args.text
    )
    print(f"translation {row.pk} is now {row.status} (by {row.reviewed_by})")
    return 0


def _reviews(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.bootstrap import merchant_deps
    from assistant.merchant import MerchantService

    deps, _server = merchant_deps(settings, need_llm=False, progress=False)
    rows: list[dict[str, Any]] = MerchantService(deps).review_insights(args.product_id)
    rows = rows[: args.limit]
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    for r in rows:
        share = "–" if r["positive_share"] is None else f"{r['positive_share']:.0%}"
        print(
            f"{r['product_id']}  {r['name']}: {r['reviews']} reviews, "
            f"{r['average_rating']}★, {share} positive"
        )
        for c in r["complaints"]:
            print(f"    complaint: {c['aspect']} ({c['reviews']}) “{c['quote']}”")
    return 0


def add_writing_parsers(sub: Any) -> None:
    """Register the merchant's writing commands on the ``shopassist`` parser."""
    tr = sub.add_parser("translate", help="translate the catalog (or products) into a locale")
    tr.add_argument("--locale", required=True, help="de, fr, es, it or en")
    tr.add_argument("--product", action="append", help="a product id (repeat); default: all")
    tr.add_argument("--fields", default="name,description")
    tr.set_defaults(fn=_translate)
    de = sub.add_parser("describe", help="write AI copy for a product as a draft")
    de.add_argument("product_id")
    de.add_argument(
        "--kind", choices=["description", "marketing", "email", "social"], default="description"
    )
    de.add_argument("--tone", default="friendly")
    de.add_argument("--lang", default="en")
    de.add_argument("--by", default=None, help="who asked (default: your user name)")
    de.set_defaults(fn=_describe)
    cp = sub.add_parser("copy", help="copy drafts: `copy list`, `copy approve ID`")
    cp_sub = cp.add_subparsers(dest="copy_command", required=True)
    ls = cp_sub.add_parser("list", help="list copy drafts and approvals")
    ls.add_argument("--status", choices=["draft", "approved", "rejected", "superseded"])
    ls.add_argument("--product", default=None)
    ls.set_defaults(fn=_copy_list)
    for name in ("approve", "reject"):
        p = cp_sub.add_parser(name, help=f"{name} a draft")
        p.add_argument("copy_id", type=int)
        p.add_argument("--by", default=None, help="approver (default: your user name)")
        p.set_defaults(fn=_copy_decide)
    tl = sub.add_parser("translations", help="review machine translations")
    tl_sub = tl.add_subparsers(dest="tr_command", required=True)
    tls = tl_sub.add_parser("list")
    tls.add_argument("--locale", default=None)
    tls.add_argument("--status", choices=["machine", "reviewed", "rejected"], default=None)
    tls.add_argument("--limit", type=int, default=50)
    tls.set_defaults(fn=_translations)
    tlr = tl_sub.add_parser("review", help="mark a translation reviewed (or --reject it)")
    tlr.add_argument("pk", type=int)
    tlr.add_argument("--reject", action="store_true")
    tlr.add_argument("--text", default=None, help="corrected translation")
    tlr.add_argument("--by", default=None)
    tlr.set_defaults(fn=_translations)
    rv = sub.add_parser("reviews", help="review sentiment per product and top complaints")
    rv.add_argument("product_id", nargs="?", default=None)
    rv.add_argument("--limit", type=int, default=20)
    rv.add_argument("--json", action="store_true")
    rv.set_defaults(fn=_reviews)
