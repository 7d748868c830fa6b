"""Turning scores into a list: top-n with an optional category-diversity penalty."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def diversify(
    cand: NDArray[np.int64],
    scores: NDArray[np.float32],
    groups: NDArray[np.int32],
    n: int,
    *,
    weight: float,
) -> NDArray[np.int64]:
    """Pick ``n`` candidates greedily by relevance minus a same-category penalty.

    The penalty of a candidate is the share of already-picked items in its category, so
    ``weight=0`` is plain top-n and ``weight=1`` rotates through categories. Relevance is
    min-max scaled first, so the weight means the same for any scorer.
    """
    if len(cand) == 0 or n <= 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-scores, kind="stable")
    if weight <= 0:
        return cand[order[:n]]
    pool = order[: max(n * 5, 50)]
    rel = scores[pool].astype(np.float64)
    span = rel.max() - rel.min()
    rel = (rel - rel.min()) / span if span > 0 else np.ones_like(rel)
    pool_groups = groups[cand[pool]]
    taken: list[int] = []
    counts: dict[int, int] = {}
    free = np.ones(len(pool), dtype=bool)
    for _ in range(min(n, len(pool))):
        picked = max(1, len(taken))
        penalty = np.array([counts.get(int(g), 0) / picked for g in pool_groups])
        value = (1 - weight) * rel - weight * penalty
        value[~free] = -np.inf
        best = int(np.argmax(value))
        free[best] = False
        taken.append(best)
        g = int(pool_groups[best])
        counts[g] = counts.get(g, 0) + 1
    return cand[pool[taken]]


def intra_list_diversity(items: NDArray[np.int64], groups: NDArray[np.int32]) -> float:
    """Share of item pairs in a list that come from different categories (0 = one category)."""
    g = groups[items]
    m = len(g)
    if m < 2:
        return 0.0
    same = sum(int((g[i + 1 :] == g[i]).sum()) for i in range(m - 1))
    return 1.0 - same / (m * (m - 1) / 2)
