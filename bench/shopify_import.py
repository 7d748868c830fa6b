"""Import real Shopify exports and check that every product is there and can be found.

For each export (a fresh store per file):

* **counts**, from the CSV itself and independently of the importer: distinct handles
  that have a Title and are not archived; variant rows (product rows and rows with an
  option value, SKU or price); distinct ``Image Src`` per handle. The importer's counts
  must be equal.
* **findability**: for every imported product, ``shopassist search`` with the two most
  specific words of its title (the two with the fewest titles of that shop containing
  them, ties to the later word) must return it in the top 5. Target: >= 95%.

Writes ``bench/results/shopify_import.json`` (per-file numbers and the misses).

    python bench/shopify_import.py EXPORT.csv [EXPORT.csv ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

STOP = {"and", "the", "for", "with", "of", "in", "a", "an", "to", "on", "by", "de", "la"}
NEW = {"URL handle": "Handle", "Product image URL": "Image Src", "Price": "Variant Price"}
NEW |= {"SKU": "Variant SKU", "Option1 value": "Option1 Value"}


def csv_counts(path: Path) -> tuple[set[str], int, int]:
    """Handles to import, variant rows and images, read straight from the CSV."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows = [{NEW.get(k, k): (v or "").strip() for k, v in r.items() if k} for r in
            csv.DictReader(io.StringIO(text, newline=""))]  # fmt: skip
    titled = {r["Handle"] for r in rows if r.get("Handle") and r.get("Title")}
    archived = {
        r["Handle"] for r in rows if r.get("Title") and r.get("Status", "").lower() == "archived"
    }
    keep = titled - archived
    variants = sum(
        1 for r in rows
        if r.get("Handle") in keep and r.get("Variant Price")
        and (r.get("Title") or r.get("Option1 Value") or r.get("Variant SKU"))
    )  # fmt: skip
    images = len(
        {
            (r["Handle"], r["Image Src"])
            for r in rows
            if r.get("Handle") in keep and r.get("Image Src")
        }
    )
    return keep, variants, images


def specific_words(titles: dict[str, str]) -> dict[str, str]:
    """The two rarest words of each title (in title order)."""
    toks = {
        pid: [w for w in re.findall(r"[^\W_]+", t.lower()) if w not in STOP]
        for pid, t in titles.items()
    }
    df = Counter(w for ws in toks.values() for w in set(ws))
    out = {}
    for pid, ws in toks.items():
        ranked = sorted(range(len(ws)), key=lambda i: (df[ws[i]], -i))
        keep = sorted(set(ranked[:2]))
        out[pid] = " ".join(ws[i] for i in keep) if ws else titles[pid]
    return out


def run_one(path: Path) -> dict[str, object]:
    """Import ``path`` into a fresh store and measure it."""
    data_dir = tempfile.mkdtemp(prefix="shopify-bench-")
    os.environ["SHOP_DATA_DIR"] = data_dir
    from assistant.bootstrap import merchant_deps
    from assistant.catalog_import import import_catalog
    from assistant.catalog_search import search
    from assistant.settings import Settings

    settings = Settings(data_dir=data_dir)
    started = time.perf_counter()
    report = import_catalog(settings, "shopify", path, progress=False)
    seconds = time.perf_counter() - started
    keep, variants, images = csv_counts(path)
    deps, _ = merchant_deps(settings, need_llm=False, progress=False)
    from catalog.sync.writer import CatalogWriter

    titles = {r.id: r.title for r in CatalogWriter(deps.engine).records()}
    queries = specific_words(titles)
    misses = []
    for pid, query in queries.items():
        rows = asyncio.run(search(deps, query, limit=5))
        if pid not in [r.id for r in rows]:
            misses.append({"id": pid, "query": query, "got": [r.id for r in rows]})
    deps.engine.dispose()
    found = len(queries) - len(misses)
    return {
        "file": path.name,
        "expected_products": len(keep),
        "imported_products": report.products,
        "expected_variants": variants,
        "imported_variants": report.variants,
        "expected_images": images,
        "imported_images": report.images,
        "counts_equal": (len(keep), variants, images)
        == (report.products, report.variants, report.images),
        "skipped_rows": len(report.skipped),
        "search_hit_rate": round(found / max(1, len(queries)), 4),
        "searched": len(queries),
        "import_seconds": round(seconds, 2),
        "misses": misses,
    }


def main() -> int:
    """Run the benchmark on every export given."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("exports", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/results/shopify_import.json"))
    args = ap.parse_args()
    for p in args.exports:
        if not p.is_file():
            sys.exit(f"error: {p} not found")
    results = [run_one(p) for p in args.exports]
    for r in results:
        print(
            f"{r['file']}: products {r['imported_products']}/{r['expected_products']}, "
            f"variants {r['imported_variants']}/{r['expected_variants']}, images "
            f"{r['imported_images']}/{r['expected_images']}, search hit rate "
            f"{r['search_hit_rate']:.1%} of {r['searched']} (target 95%)"
        )
    total = sum(int(r["searched"]) for r in results)  # type: ignore[call-overload]
    hits = sum(round(float(r["search_hit_rate"]) * int(r["searched"])) for r in results)  # type: ignore[arg-type,call-overload]
    summary = {
        "files": len(results),
        "all_counts_equal": all(r["counts_equal"] for r in results),
        "search_hit_rate": round(hits / max(1, total), 4),
        "min_file_hit_rate": min(float(r["search_hit_rate"]) for r in results),  # type: ignore[arg-type]
        "target": 0.95,
    }
    print(
        f"overall: hit rate {summary['search_hit_rate']:.1%} over {total} products; "
        f"counts equal: {summary['all_counts_equal']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "results": results}, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0 if not math.isnan(summary["search_hit_rate"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
