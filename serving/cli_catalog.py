"""``shopassist import shopify|woocommerce|jsonl PATH`` and ``shopassist export jsonl PATH``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from assistant.catalog_import import ImportReport, export_catalog, import_catalog
from assistant.settings import Settings

SHOWN_SKIPS = 20


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def print_report(report: ImportReport) -> None:
    """Print an import's summary for a person."""
    print(
        f"imported {report.path} ({report.source}): {report.products} products "
        f"({report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.removed} removed), {report.variants} variants, {report.images} images"
    )
    if report.replaced_demo:
        print("the generated demo catalog was replaced by this one")
    if report.skipped:
        print(f"skipped {len(report.skipped)} row(s):")
        for s in report.skipped[:SHOWN_SKIPS]:
            where = f"row {s.row}" if s.row else "record"
            print(f"  {where:>9}  {s.key or '-'}: {s.reason}")
        if len(report.skipped) > SHOWN_SKIPS:
            print(f"  … and {len(report.skipped) - SHOWN_SKIPS} more (--json lists them all)")
    print(f"search: {report.embedded} product(s) embedded; recommender: {report.recommender}")
    if report.currency:
        print(f"shop currency: {report.currency}")
    print(f"took {report.seconds:.1f} s, peak memory {_peak_rss_mb():.0f} MB")


def _import(settings: Settings, args: argparse.Namespace) -> int:
    report = import_catalog(
        settings,
        args.source,
        args.path,
        replace=args.replace,
        currency=args.currency,
        dry_run=args.dry_run,
        progress=True,  # bars go to stderr; --json keeps stdout for the report
    )
    if args.json:
        data: dict[str, Any] = report.model_dump() | {"peak_rss_mb": _peak_rss_mb()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print_report(report)
        if args.dry_run:
            print("dry run: nothing was written")
    return 0


def _export(settings: Settings, args: argparse.Namespace) -> int:
    count = export_catalog(settings, args.path)
    print(f"exported {count} products to {args.path}")
    return 0


def add_catalog_parsers(sub: Any) -> None:
    """Add ``import`` and ``export`` to the ``shopassist`` command."""
    imp = sub.add_parser("import", help="import your catalog: shopify|woocommerce|jsonl PATH")
    imp_sub = imp.add_subparsers(dest="source", required=True)
    helps = {
        "shopify": "Shopify's product export (products_export.csv)",
        "woocommerce": "WooCommerce's product CSV export",
        "jsonl": "JSON Lines, one product record per line (docs/catalog-import.md)",
    }
    for source, text in helps.items():
        p = imp_sub.add_parser(source, help=text)
        p.add_argument("path", help="the file to import")
        p.add_argument(
            "--replace", action="store_true", help="remove the store's products the file lacks"
        )
        p.add_argument("--currency", default=None, help="the shop's currency, e.g. EUR")
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p.add_argument("--dry-run", action="store_true", help="read and report, write nothing")
        p.set_defaults(fn=_import)
    exp = sub.add_parser("export", help="export the catalog: jsonl PATH")
    exp_sub = exp.add_subparsers(dest="format", required=True)
    p = exp_sub.add_parser("jsonl", help="every product as a JSON Lines record")
    p.add_argument("path")
    p.set_defaults(fn=_export)
