"""Purchase histories as baskets: the one input every recommender here learns from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import sparse


@dataclass(frozen=True)
class Purchase:
    """One item in one basket.

    ``seq`` orders a user's baskets (larger = more recent); ``day`` is when the basket was
    bought, in days on any fixed scale (used for purchase intervals).
    """

    user: str
    basket: str
    seq: float
    item: str
    day: float = 0.0


@dataclass
class Baskets:
    """Users' chronological baskets over a fixed item vocabulary.

    ``history[u]`` lists user ``u``'s baskets oldest first, each an array of item indices
    (duplicates removed), and ``days[u]`` the day of each of those baskets.
    ``item_group`` maps items to a category index (or -1).
    """

    users: list[str]
    items: list[str]
    history: list[list[NDArray[np.int32]]]
    days: list[NDArray[np.float64]]
    item_group: NDArray[np.int32]
    groups: list[str] = field(default_factory=list)
    user_index: dict[str, int] = field(init=False)
    item_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        """Build the id → index maps."""
        self.user_index = {u: i for i, u in enumerate(self.users)}
        self.item_index = {it: i for i, it in enumerate(self.items)}

    @classmethod
    def from_purchases(
        cls,
        purchases: Iterable[Purchase],
        *,
        items: Iterable[str] = (),
        item_groups: dict[str, str] | None = None,
    ) -> Baskets:
        """Group purchases into baskets. ``items`` adds catalog items nobody bought yet."""
        item_ids: dict[str, int] = {}
        for it in items:
            item_ids.setdefault(it, len(item_ids))
        per_user: dict[str, dict[str, tuple[float, float, set[int]]]] = {}
        for p in purchases:
            idx = item_ids.setdefault(p.item, len(item_ids))
            baskets = per_user.setdefault(p.user, {})
            seq, day, members = baskets.get(p.basket, (p.seq, p.day, set()))
            members.add(idx)
            baskets[p.basket] = (seq, day, members)
        users = sorted(per_user)
        history: list[list[NDArray[np.int32]]] = []
        days: list[NDArray[np.float64]] = []
        for u in users:
            ordered = sorted(per_user[u].items(), key=lambda kv: (kv[1][0], kv[0]))
            history.append([np.array(sorted(m), dtype=np.int32) for _, (_, _, m) in ordered])
            days.append(np.array([d for _, (_, d, _) in ordered], dtype=np.float64))
        names = list(item_ids)
        group_names = sorted(set((item_groups or {}).values()))
        gindex = {g: i for i, g in enumerate(group_names)}
        groups = np.array(
            [gindex.get((item_groups or {}).get(it, ""), -1) for it in names], dtype=np.int32
        )
        return cls(
            users=users,
            items=names,
            history=history,
            days=days,
            item_group=groups,
            groups=group_names,
        )

    @property
    def n_users(self) -> int:
        """Number of users with at least one basket."""
        return len(self.users)

    @property
    def n_items(self) -> int:
        """Size of the item vocabulary."""
        return len(self.items)

    def counts(self) -> sparse.csr_matrix:
        """User × item matrix of how many baskets contained each item."""
        rows: list[int] = []
        cols: list[int] = []
        for u, baskets in enumerate(self.history):
            for b in baskets:
                rows.extend([u] * len(b))
                cols.extend(b.tolist())
        data = np.ones(len(rows), dtype=np.float32)
        matrix = sparse.csr_matrix(
            (data, (rows, cols)), shape=(self.n_users, self.n_items), dtype=np.float32
        )
        matrix.sum_duplicates()
        return matrix

    def popularity(self) -> NDArray[np.float32]:
        """Per item, the number of distinct users who bought it."""
        bought = self.counts()
        bought.data[:] = 1.0
        return np.asarray(bought.sum(axis=0), dtype=np.float32).ravel()
