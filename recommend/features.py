"""Per-candidate features for the learned "for you" ranker.

For one user, the candidates are everything they bought plus the items their nearest
neighbours buy most. Each candidate gets a row of habit features (how often, how
recently, how regularly it is bought) next to the TIFU-style scores; a gradient-boosted
classifier trained on each user's latest basket turns the rows into probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FEATURES: tuple[str, ...] = (
    "personal",
    "neighbours",
    "share_of_baskets",
    "times_bought",
    "baskets_since_last",
    "days_since_last",
    "mean_interval_days",
    "overdue_ratio",
    "log_popularity",
    "reorder_rate",
    "user_baskets",
    "user_basket_size",
    "days_since_last_order",
    "bought_before",
    "in_last_basket",
    "user_repeat_share",
    "share_of_last_3",
    "share_of_last_5",
)


@dataclass(frozen=True)
class ItemStats:
    """Catalog-wide item signals: how many users buy an item, and how often they rebuy it."""

    log_popularity: NDArray[np.float32]
    reorder_rate: NDArray[np.float32]

    @classmethod
    def from_history(
        cls, history: Sequence[Sequence[NDArray[np.int32]]], n_items: int, *, prior: float = 20.0
    ) -> ItemStats:
        """Count buyers and re-purchases; the reorder rate is smoothed toward the mean."""
        buyers = np.zeros(n_items, dtype=np.float64)
        chances = np.zeros(n_items, dtype=np.float64)
        repeats = np.zeros(n_items, dtype=np.float64)
        for baskets in history:
            seen = np.zeros(n_items, dtype=bool)
            for basket in baskets:
                chances[seen] += 1
                repeats[basket[seen[basket]]] += 1
                seen[basket] = True
            buyers += seen
        mean = repeats.sum() / chances.sum() if chances.sum() else 0.0
        rate = (repeats + prior * mean) / (chances + prior)
        return cls(
            log_popularity=np.log1p(buyers).astype(np.float32),
            reorder_rate=rate.astype(np.float32),
        )


def _recent_share(
    cand: NDArray[np.int64], baskets: Sequence[NDArray[np.int32]], window: int
) -> NDArray[np.float64]:
    """Share of the last ``window`` baskets that contained each candidate."""
    tail = baskets[-window:]
    hits = np.zeros(len(cand))
    for basket in tail:
        hits += np.isin(cand, basket)
    return hits / len(tail)


def user_features(
    baskets: Sequence[NDArray[np.int32]],
    days: NDArray[np.float64],
    now: float,
    personal: NDArray[np.float32],
    neighbours: NDArray[np.float32],
    stats: ItemStats,
    *,
    explore: int,
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Candidate item indices and their feature rows (columns as in :data:`FEATURES`)."""
    n = len(baskets)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES)), dtype=np.float32)
    flat = np.concatenate(baskets).astype(np.int64)
    which = np.concatenate([np.full(len(b), i) for i, b in enumerate(baskets)])
    bought, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    last = np.full(len(bought), -1)
    first = np.full(len(bought), n)
    np.maximum.at(last, inverse, which)
    np.minimum.at(first, inverse, which)
    nb = neighbours.copy()
    nb[bought] = 0.0
    k = min(explore, int((nb > 0).sum()))
    extra = np.argpartition(-nb, k - 1)[:k].astype(np.int64) if k > 0 else np.zeros(0, np.int64)
    cand = np.concatenate([bought, extra])
    m = len(cand)
    nan = np.full(m, np.nan, dtype=np.float64)
    since = nan.copy()
    since[: len(bought)] = n - 1 - last
    days_since = nan.copy()
    days_since[: len(bought)] = now - days[last]
    interval = nan.copy()
    repeat = counts > 1
    span = days[last] - days[first]
    interval[: len(bought)][repeat] = span[repeat] / (counts[repeat] - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        overdue = days_since / interval
    times = np.zeros(m)
    times[: len(bought)] = counts
    sizes = np.array([len(b) for b in baskets], dtype=np.float64)
    repeat_share = float((counts - 1).sum() / max(1.0, sizes.sum()))
    in_last = np.isin(cand, baskets[-1]).astype(np.float64)
    recent = [_recent_share(cand, baskets, w) for w in (3, 5)]
    columns = [
        personal[cand],
        neighbours[cand],
        times / n,
        times,
        since,
        days_since,
        interval,
        overdue,
        stats.log_popularity[cand],
        stats.reorder_rate[cand],
        np.full(m, n),
        np.full(m, sizes.mean()),
        np.full(m, now - days[-1]),
        (times > 0).astype(np.float64),
        in_last,
        np.full(m, repeat_share),
        *recent,
    ]
    return cand, np.column_stack(columns).astype(np.float32)
