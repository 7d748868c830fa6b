"""Review sentiment: predict whether a reviewer recommends the product from the text.

Data: ``reviews_dev.csv`` (Title, Review Text, Recommended IND). Models, side by side,
5-fold stratified cross-validation on the same folds:

  vader           vaderSentiment compound score (no training; threshold fit per fold)
  minilm+logreg   all-MiniLM-L6-v2 embeddings + logistic regression
  use+logreg      multilingual USE v3 embeddings + logistic regression (works for
                  reviews in de/fr/es/it too)
  vader+minilm    the VADER scores appended to the MiniLM features

Reports F1 (of "recommends") and ROC-AUC, mean ± std over folds, plus ms per review.
Writes ``bench/results/review_sentiment.json``.

    python bench/review_sentiment.py --data ../shared/data/reviews_clothing
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from retrieval.config import RetrievalSettings
from retrieval.embedder import Embedder
from retrieval.multilingual import MultilingualEmbedder


def _read(path: Path) -> tuple[list[str], NDArray[np.int64]]:
    file = path / "reviews_dev.csv" if path.is_dir() else path
    if not file.exists():
        sys.exit(f"error: {file} not found")
    with file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    need = {"Title", "Review Text", "Recommended IND"}
    if rows and not need <= set(rows[0]):
        sys.exit(f"error: {file} lacks columns {sorted(need - set(rows[0]))}")
    texts = [f"{r['Title'] or ''}. {r['Review Text'] or ''}".strip(". ") for r in rows]
    labels = np.array([int(r["Recommended IND"]) for r in rows], dtype=np.int64)
    return texts, labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("bench/results/review_sentiment.json"))
    args = ap.parse_args()
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts, y = _read(args.data)
    print(f"{len(texts)} reviews, {y.mean():.1%} recommend")
    cost: dict[str, float] = {}
    t = time.perf_counter()
    vader = SentimentIntensityAnalyzer()
    v = np.array(
        [[vader.polarity_scores(x)[k] for k in ("compound", "pos", "neg", "neu")] for x in texts]
    )
    cost["vader"] = time.perf_counter() - t
    t = time.perf_counter()
    mini = Embedder(RetrievalSettings().embedding_model).encode(texts)
    cost["minilm+logreg"] = time.perf_counter() - t
    t = time.perf_counter()
    use = MultilingualEmbedder().encode(texts)
    cost["use+logreg"] = time.perf_counter() - t
    cost["vader+minilm"] = cost["vader"] + cost["minilm+logreg"]
    features = {
        "minilm+logreg": mini,
        "use+logreg": use,
        "vader+minilm": np.hstack([mini, v]),
    }
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores: dict[str, dict[str, list[float]]] = {
        k: {"f1": [], "roc_auc": []} for k in ("vader", *features)
    }
    for train, test in folds.split(texts, y):
        # VADER: the compound score ranks; the threshold is the best one on the training fold
        grid = np.linspace(-1, 1, 81)
        best = max(grid, key=lambda th: f1_score(y[train], v[train, 0] >= th))
        scores["vader"]["f1"].append(f1_score(y[test], v[test, 0] >= best))
        scores["vader"]["roc_auc"].append(roc_auc_score(y[test], v[test, 0]))
        for name, x in features.items():
            clf = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
            clf.fit(x[train], y[train])
            prob = clf.predict_proba(x[test])[:, 1]
            scores[name]["f1"].append(f1_score(y[test], prob >= 0.5))
            scores[name]["roc_auc"].append(roc_auc_score(y[test], prob))
    results = {
        name: {
            "f1": round(float(np.mean(s["f1"])), 4),
            "f1_std": round(float(np.std(s["f1"])), 4),
            "roc_auc": round(float(np.mean(s["roc_auc"])), 4),
            "roc_auc_std": round(float(np.std(s["roc_auc"])), 4),
            "ms_per_review": round(cost[name] / len(texts) * 1000, 2),
        }
        for name, s in scores.items()
    }
    print(f"\n{'model':<16}{'F1':>14}{'ROC-AUC':>16}{'ms/review':>11}")
    for name, r in results.items():
        print(
            f"{name:<16}{r['f1']:>8} ±{r['f1_std']:<5}{r['roc_auc']:>9} ±{r['roc_auc_std']:<5}"
            f"{r['ms_per_review']:>11}"
        )
    out = {
        "benchmark": "review_sentiment",
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "reviews": len(texts),
        "positive_share": round(float(y.mean()), 4),
        "cv": "5-fold stratified, shuffle, seed 0",
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
