"""Scoring signals over baskets: decayed personal frequency, neighbours, co-purchase.

Each function returns plain arrays/sparse matrices so the recommender can blend them;
co-purchase similarity and ALS come from the ``implicit`` library.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from implicit.nearest_neighbours import CosineRecommender
from implicit.utils import ParameterWarning
from numpy.typing import NDArray
from scipy import sparse


def personal_vector(
    baskets: Sequence[NDArray[np.int32]],
    n_items: int,
    *,
    decay: float,
    group_decay: float,
    group: int,
) -> NDArray[np.float32]:
    """TIFU-style time-decayed purchase frequency of one user (sums to 1).

    Baskets are split into groups of ``group`` consecutive baskets (newest last). Inside a
    group a basket weighs ``decay**age``; each group is averaged, then groups decay by
    ``group_decay**group_age`` — recent habits count most, old ones never vanish.
    """
    vec = np.zeros(n_items, dtype=np.float32)
    if not baskets:
        return vec
    # groups counted from the newest basket backwards, so the newest group is full
    for g_age, end in enumerate(range(len(baskets), 0, -group)):
        chunk = baskets[max(0, end - group) : end]
        gvec = np.zeros(n_items, dtype=np.float32)
        weight_sum = 0.0
        for age, basket in enumerate(reversed(chunk)):
            w = decay**age
            gvec[basket] += w
            weight_sum += w
        vec += (group_decay**g_age) * gvec / max(weight_sum, 1e-9)
    total = float(vec.sum())
    return vec / total if total > 0 else vec


def personal_matrix(
    history: Sequence[Sequence[NDArray[np.int32]]],
    n_items: int,
    *,
    decay: float,
    group_decay: float,
    group: int,
) -> sparse.csr_matrix:
    """Stack every user's :func:`personal_vector` into a sparse user × item matrix."""
    rows = [
        sparse.csr_matrix(
            personal_vector(b, n_items, decay=decay, group_decay=group_decay, group=group)
        )
        for b in history
    ]
    if not rows:
        return sparse.csr_matrix((0, n_items), dtype=np.float32)
    return sparse.vstack(rows, format="csr").astype(np.float32)


def l2_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


def neighbour_mean(
    vec: NDArray[np.float32],
    users: sparse.csr_matrix,
    users_l2: sparse.csr_matrix,
    *,
    k: int,
    exclude: int | None = None,
) -> NDArray[np.float32]:
    """Mean personal vector of the ``k`` users most similar (cosine) to ``vec``."""
    norm = float(np.linalg.norm(vec))
    if norm == 0 or users.shape[0] == 0:
        return np.zeros(users.shape[1], dtype=np.float32)
    sims = np.asarray(users_l2 @ (vec / norm)).ravel()
    if exclude is not None:
        sims[exclude] = -1.0
    k = min(k, int((sims > 0).sum()))
    if k == 0:
        return np.zeros(users.shape[1], dtype=np.float32)
    top = np.argpartition(-sims, k - 1)[:k]
    return np.asarray(users[top].mean(axis=0), dtype=np.float32).ravel()


def copurchase_similarity(counts: sparse.csr_matrix, *, k: int) -> sparse.csr_matrix:
    """Item × item cosine similarity of co-purchases, ``k`` neighbours per item (implicit)."""
    binary = counts.copy().tocsr()
    binary.data[:] = 1.0
    model = CosineRecommender(K=k, num_threads=1)
    with warnings.catch_warnings():
        # implicit 0.7.3 normalises to COO internally and then warns about its own input
        warnings.simplefilter("ignore", ParameterWarning)
        model.fit(binary, show_progress=False)
    sim = sparse.csr_matrix(model.similarity, dtype=np.float32)
    sim.setdiag(0.0)
    sim.eliminate_zeros()
    return sim


def normalized(scores: NDArray[np.float32]) -> NDArray[np.float32]:
    """Scale non-negative scores to max 1 (all-zero stays zero)."""
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def type_similarity(
    personal: sparse.csr_matrix, item_type: NDArray[np.int64], n_types: int
) -> NDArray[np.float64]:
    """Cosine similarity of product types by the customers who buy them (1 on the diagonal).

    Product-level co-purchases are sparse in a shop with many products; at the level of
    types ("hiking boots", "sleeping bags") the same customers' tastes show clearly.
    """
    onehot = sparse.csr_matrix(
        (np.ones(len(item_type)), (np.arange(len(item_type)), item_type)),
        shape=(len(item_type), n_types),
    )
    users = (personal @ onehot).toarray() > 0
    counts = users.T.astype(np.float64) @ users.astype(np.float64)
    norms = np.sqrt(np.diag(counts))
    norms[norms == 0] = 1.0
    sim: NDArray[np.float64] = counts / np.outer(norms, norms)
    np.fill_diagonal(sim, 1.0)
    return sim
