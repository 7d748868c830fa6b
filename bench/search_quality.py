"""NDCG@10 of BM25, dense and hybrid search on an external relevance-judgment file.

Input: a CSV (or a folder of CSVs) with columns ``query``, ``product_title``,
``product_description``, ``median_relevance`` (1-4, 4 = best), e.g. the CrowdFlower
search-relevance data. Every distinct product becomes one catalog product in a fresh
SQLite store; the real ``HybridSearcher`` (BM25 + chromadb + RRF) ranks them.

Gain is ``2**(median_relevance - 1) - 1`` (1 = irrelevant → 0); unjudged products count
as irrelevant. Prints a table and writes ``bench/results/search_quality.json``.

    python bench/search_quality.py --data ../shared/data/search_relevance
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlmodel import Session
from tqdm import tqdm

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.models import Product, Variant
from retrieval.config import RetrievalSettings
from retrieval.dense import DenseIndex
from retrieval.embedder import Embedder
from retrieval.hybrid import HybridSearcher

REQUIRED = ("query", "product_title", "product_description", "median_relevance")


def read_judgments(path: Path) -> list[dict[str, str]]:
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    if not files:
        sys.exit(f"error: no CSV file at {path}")
    rows: list[dict[str, str]] = []
    for f in files:
        with f.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                sys.exit(f"error: {f} lacks columns {missing}")
            rows.extend(reader)
    return rows


def ndcg_at(ranked: list[str], gains: dict[str, float], k: int = 10) -> float:
    dcg = sum(gains.get(pid, 0.0) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, type=Path, help="CSV file or folder of CSVs")
    ap.add_argument("--out", type=Path, default=Path("bench/results/search_quality.json"))
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--max-queries", type=int, default=0, help="0 = all")
    args = ap.parse_args()
    rows = read_judgments(args.data)

    products: dict[tuple[str, str], str] = {}
    judged: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        key = (r["product_title"].strip(), r["product_description"].strip())
        pid = products.setdefault(key, f"p{len(products)}")
        judged[r["query"].strip()][pid] = 2 ** (float(r["median_relevance"]) - 1) - 1
    queries = sorted(judged)
    if args.max_queries:
        queries = queries[: args.max_queries]
    print(f"{len(rows)} judgments, {len(queries)} queries, {len(products)} products")

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp}/bench.db"))
        create_schema(engine)
        with Session(engine) as s:
            for (title, desc), pid in products.items():
                s.add(Product(id=pid, name=title[:300], description=desc[:1500]))
                s.add(Variant(id=f"v{pid}", product_id=pid, price=1.0))
            s.commit()
        settings = RetrievalSettings(chroma_path=f"{tmp}/chroma", candidate_pool=100)
        embedder = Embedder(settings.embedding_model, batch_size=settings.batch_size)
        searcher = HybridSearcher(
            engine,
            embedder,
            DenseIndex(settings.chroma_path, "bench", embedding_model=settings.embedding_model),
            settings,
        )
        t0 = time.perf_counter()
        stats = searcher.refresh(progress=True)
        index_s = time.perf_counter() - t0
        results: dict[str, dict[str, float]] = {}
        for mode in ("bm25", "dense", "hybrid"):
            scores = []
            t0 = time.perf_counter()
            for q in tqdm(queries, desc=f"Ranking ({mode})", unit="query"):
                hits = searcher.search(q, limit=args.k, mode=mode)  # type: ignore[arg-type]
                scores.append(ndcg_at([h.product_id for h in hits], judged[q], args.k))
            elapsed = time.perf_counter() - t0
            results[mode] = {
                "ndcg@10": sum(scores) / len(scores),
                "ms_per_query": 1000 * elapsed / len(queries),
            }

    print(f"\n{'ranker':8} {'NDCG@10':>8} {'ms/query':>9} {'vs BM25':>8}")
    base = results["bm25"]["ndcg@10"]
    for mode, r in results.items():
        print(f"{mode:8} {r['ndcg@10']:8.4f} {r['ms_per_query']:9.1f} {r['ndcg@10'] / base:8.3f}")
    out = {
        "data": str(args.data),
        "judgments": len(rows),
        "queries": len(queries),
        "products": len(products),
        "index_seconds": round(index_s, 1),
        "embedded": stats.embedded,
        "results": results,
        "hybrid_over_bm25": results["hybrid"]["ndcg@10"] / base,
        "hybrid_over_dense": results["hybrid"]["ndcg@10"] / results["dense"]["ndcg@10"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
