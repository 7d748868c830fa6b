"""Next-basket recommendation quality on Instacart-format baskets: shipped vs. baselines.

Split: for each user, the last ``prior`` order is held out; everything before it trains.
Every method ranks 10 products per user; repeat purchases count (grocery is consumable).

Methods, all in one run on the same split:
  popularity        global top-10 by number of buyers
  personal_topfreq  the user's most-bought products (ties: most recent), then popularity
  item_knn          implicit CosineRecommender on co-purchases (K=100)
  als               implicit AlternatingLeastSquares (64 factors, 15 iterations)
  shipped           recommend.model.RecsModel with the app's default RecsSettings
  shipped_diverse   the same, re-ranked with the default category-diversity weight

Metrics: Recall@10, NDCG@10, HitRate@10, catalog coverage@10, share of recommendations
from the top 1% most popular products, intra-list category diversity, train and query
time. Writes ``bench/results/recs_quality.json``.

    python bench/recs_quality.py --data ../shared/data/instacart
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from recommend.baskets import Baskets, Purchase
from recommend.config import RecsSettings
from recommend.model import RecsModel
from recommend.rerank import diversify, intra_list_diversity

Ranker = Callable[[int], NDArray[np.int64]]


def _read(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.exists():
        sys.exit(f"error: {path} not found")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"error: {path} lacks columns {missing}")
        return list(reader)


def load_split(data: Path) -> tuple[Baskets, dict[str, set[str]], dict[str, float]]:
    """Training baskets, held-out items per user, and the day of each held-out order."""
    orders = [
        o
        for o in _read(data / "orders.csv", ("order_id", "user_id", "eval_set", "order_number"))
        if o["eval_set"] == "prior"
    ]
    orders.sort(key=lambda o: (o["user_id"], int(o["order_number"])))
    day: dict[str, float] = {}
    last: dict[str, str] = {}
    clock: dict[str, float] = {}
    for o in orders:
        u = o["user_id"]
        clock[u] = clock.get(u, 0.0) + float(o.get("days_since_prior_order") or 0)
        day[o["order_id"]] = clock[u]
        last[u] = o["order_id"]
    by_id = {o["order_id"]: o for o in orders}
    products = _read(data / "products.csv", ("product_id", "department_id"))
    department = {p["product_id"]: p["department_id"] for p in products}
    held = set(last.values())
    train: list[Purchase] = []
    truth: dict[str, set[str]] = {}
    for row in _read(data / "order_items.csv", ("order_id", "product_id")):
        o = by_id.get(row["order_id"])
        if o is None:
            continue
        if row["order_id"] in held:
            truth.setdefault(o["user_id"], set()).add(row["product_id"])
        else:
            train.append(
                Purchase(
                    o["user_id"],
                    o["order_id"],
                    float(o["order_number"]),
                    row["product_id"],
                    day[o["order_id"]],
                )
            )
    baskets = Baskets.from_purchases(train, item_groups=department)
    query_day = {u: day[oid] for u, oid in last.items()}
    truth = {u: t for u, t in truth.items() if u in baskets.user_index}
    return baskets, truth, query_day


def evaluate(
    name: str,
    rank: Ranker,
    baskets: Baskets,
    truth: dict[str, set[str]],
    popular_top: set[int],
) -> dict[str, float]:
    """Accuracy, beyond-accuracy and query-time figures of one method."""
    recall, ndcg, hit, diversity, times = [], [], [], [], []
    shown: set[int] = set()
    from_top = total = 0
    for u, items in tqdm(truth.items(), desc=f"  {name}", leave=False, unit="user"):
        ui = baskets.user_index[u]
        t0 = time.perf_counter()
        top = rank(ui)[:10]
        times.append(time.perf_counter() - t0)
        hits = [1.0 if baskets.items[i] in items else 0.0 for i in top]
        recall.append(sum(hits) / len(items))
        hit.append(1.0 if any(hits) else 0.0)
        dcg = sum(h / math.log2(r + 2) for r, h in enumerate(hits))
        ideal = sum(1 / math.log2(r + 2) for r in range(min(10, len(items))))
        ndcg.append(dcg / ideal)
        diversity.append(intra_list_diversity(np.asarray(top), baskets.item_group))
        shown.update(int(i) for i in top)
        from_top += sum(1 for i in top if int(i) in popular_top)
        total += len(top)
    return {
        "recall@10": round(float(np.mean(recall)), 4),
        "ndcg@10": round(float(np.mean(ndcg)), 4),
        "hitrate@10": round(float(np.mean(hit)), 4),
        "coverage@10": round(len(shown) / baskets.n_items, 4),
        "top1pct_share": round(from_top / max(1, total), 4),
        "intra_list_diversity": round(float(np.mean(diversity)), 4),
        "query_p50_ms": round(float(np.percentile(times, 50)) * 1000, 3),
        "query_p95_ms": round(float(np.percentile(times, 95)) * 1000, 3),
    }


def main() -> None:
    """Run every method on one split and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with the Instacart CSVs")
    ap.add_argument("--out", type=Path, default=Path("bench/results/recs_quality.json"))
    args = ap.parse_args()
    warnings.filterwarnings("ignore")  # implicit's BLAS-threads advice
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    from implicit.als import AlternatingLeastSquares
    from implicit.nearest_neighbours import CosineRecommender

    t0 = time.perf_counter()
    baskets, truth, query_day = load_split(args.data)
    print(
        f"{baskets.n_users} users, {baskets.n_items} products, "
        f"{sum(len(h) for h in baskets.history)} training baskets, {len(truth)} held out "
        f"(loaded in {time.perf_counter() - t0:.1f} s)"
    )
    counts = baskets.counts()
    popularity = baskets.popularity()
    top_n = max(1, int(round(baskets.n_items * 0.01)))
    popular_top = set(np.argsort(-popularity, kind="stable")[:top_n].tolist())
    by_pop = np.argsort(-popularity, kind="stable").astype(np.int64)
    settings = RecsSettings()
    train_s: dict[str, float] = {}
    methods: dict[str, Ranker] = {}

    methods["popularity"] = lambda u: by_pop[:10]
    train_s["popularity"] = 0.0

    def personal_topfreq(u: int) -> NDArray[np.int64]:
        row = counts[u]
        last_seen = np.zeros(baskets.n_items)
        for pos, basket in enumerate(baskets.history[u]):
            last_seen[basket] = pos + 1
        own = row.indices[np.lexsort((-last_seen[row.indices], -row.data))]
        head = by_pop[: 20 + len(own)]
        fill = head[~np.isin(head, own)][:10]
        return np.concatenate([own, fill])[:10].astype(np.int64)

    methods["personal_topfreq"] = personal_topfreq
    train_s["personal_topfreq"] = 0.0

    t = time.perf_counter()
    knn = CosineRecommender(K=100, num_threads=1)
    knn.fit(counts, show_progress=False)
    train_s["item_knn"] = time.perf_counter() - t
    methods["item_knn"] = lambda u: knn.recommend(
        u, counts[u], N=10, filter_already_liked_items=False
    )[0].astype(np.int64)

    t = time.perf_counter()
    als = AlternatingLeastSquares(
        factors=64, iterations=15, regularization=0.05, random_state=0, num_threads=1
    )
    als.fit(counts, show_progress=False)
    train_s["als"] = time.perf_counter() - t
    methods["als"] = lambda u: als.recommend(u, counts[u], N=10, filter_already_liked_items=False)[
        0
    ].astype(np.int64)

    t = time.perf_counter()
    shipped = RecsModel.fit(baskets, settings, progress=True)
    train_s["shipped"] = train_s["shipped_diverse"] = time.perf_counter() - t

    def shipped_rank(u: int, weight: float) -> NDArray[np.int64]:
        user = baskets.users[u]
        cand, scores = shipped.for_user(
            baskets.history[u], baskets.days[u], query_day[user], exclude_user=u
        )
        return diversify(cand, scores, baskets.item_group, 10, weight=weight)

    methods["shipped"] = lambda u: shipped_rank(u, 0.0)
    methods["shipped_diverse"] = lambda u: shipped_rank(u, settings.diversity)

    results: dict[str, dict[str, float]] = {}
    for name, rank in methods.items():
        results[name] = {**evaluate(name, rank, baskets, truth, popular_top)}
        results[name]["train_s"] = round(train_s[name], 2)

    baselines = ("popularity", "personal_topfreq", "item_knn", "als")
    best_recall = max(baselines, key=lambda m: results[m]["recall@10"])
    best_ndcg = max(baselines, key=lambda m: results[m]["ndcg@10"])
    ratio_recall = results["shipped"]["recall@10"] / results[best_recall]["recall@10"]
    ratio_ndcg = results["shipped"]["ndcg@10"] / results[best_ndcg]["ndcg@10"]

    cols = (
        "recall@10",
        "ndcg@10",
        "hitrate@10",
        "coverage@10",
        "top1pct_share",
        "intra_list_diversity",
        "query_p95_ms",
        "train_s",
    )
    print(f"\n{'method':<18}" + "".join(f"{c:>14}" for c in cols))
    for name, r in results.items():
        print(f"{name:<18}" + "".join(f"{r[c]:>14}" for c in cols))
    print(
        f"\nshipped / best baseline: Recall@10 ×{ratio_recall:.3f} (vs {best_recall}), "
        f"NDCG@10 ×{ratio_ndcg:.3f} (vs {best_ndcg}); target ≥ ×1.05"
    )
    print(f"shipped query p95: {results['shipped']['query_p95_ms']:.2f} ms (target ≤ 20 ms)")
    out = {
        "benchmark": "recs_quality",
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "split": "last prior order per user held out",
        "users": len(truth),
        "products": baskets.n_items,
        "settings": settings.model_dump(),
        "learned_ranker_trained": shipped.ranker is not None,
        "results": results,
        "best_baseline_recall10": best_recall,
        "best_baseline_ndcg10": best_ndcg,
        "ratio_recall10_vs_best_baseline": round(ratio_recall, 4),
        "ratio_ndcg10_vs_best_baseline": round(ratio_ndcg, 4),
        "query_p95_ms": results["shipped"]["query_p95_ms"],
        "target": {"ratio": 1.05, "query_p95_ms": 20.0},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
