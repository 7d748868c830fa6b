"""The trained recommender: personal habits + similar shoppers + a learned ranker.

``fit`` learns from baskets only (no catalog text); content similarity and business
filters are added by :mod:`recommend.service`. The same class is what
``bench/recs_quality.py`` measures and what the shop serves.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from tqdm import tqdm

from recommend.baskets import Baskets
from recommend.config import RecsSettings
from recommend.errors import ModelFileError
from recommend.features import FEATURES, ItemStats, user_features
from recommend.scoring import (
    copurchase_similarity,
    l2_rows,
    neighbour_mean,
    personal_matrix,
    personal_vector,
)

FORMAT_VERSION = 1


@dataclass
class RecsModel:
    """Everything needed to score items for any user, including users seen after training."""

    params: RecsSettings
    items: list[str]
    users: list[str]
    personal: sparse.csr_matrix
    personal_l2: sparse.csr_matrix
    copurchase: sparse.csr_matrix
    stats: ItemStats
    popularity: NDArray[np.float32]
    ranker: HistGradientBoostingClassifier | None
    fingerprint: str = ""

    @classmethod
    def fit(
        cls,
        baskets: Baskets,
        params: RecsSettings,
        *,
        progress: bool = False,
        fingerprint: str = "",
    ) -> RecsModel:
        """Train on ``baskets``: personal vectors, co-purchase kNN, and the learned ranker."""
        steps = tqdm(total=4, desc="Training recommender", disable=not progress, unit="step")
        n_items = baskets.n_items
        personal = personal_matrix(
            baskets.history,
            n_items,
            decay=params.decay,
            group_decay=params.group_decay,
            group=params.group_size,
        )
        steps.update()
        counts = baskets.counts()
        copurchase = (
            copurchase_similarity(counts, k=params.copurchase_neighbours)
            if counts.nnz
            else sparse.csr_matrix((n_items, n_items), dtype=np.float32)
        )
        steps.update()
        stats = ItemStats.from_history(baskets.history, n_items)
        popularity = baskets.popularity()
        model = cls(
            params=params,
            items=list(baskets.items),
            users=list(baskets.users),
            personal=personal,
            personal_l2=l2_rows(personal),
            copurchase=copurchase,
            stats=stats,
            popularity=popularity,
            ranker=None,
            fingerprint=fingerprint,
        )
        steps.update()
        if params.learned_ranker:
            model.ranker = model._train_ranker(baskets)
        steps.update()
        steps.close()
        return model

    def _train_ranker(self, baskets: Baskets) -> HistGradientBoostingClassifier | None:
        """Learn to rank from users' recent baskets, each predicted from the ones before it.

        Every user with enough history contributes up to ``ranker_targets`` examples: their
        last basket from all earlier ones, the one before that from its predecessors, ….
        """
        rows: list[NDArray[np.float32]] = []
        labels: list[NDArray[np.int8]] = []
        trained_users = 0
        for back in range(1, self.params.ranker_targets + 1):
            prior = [h[:-back] if len(h) >= back + 2 else h for h in baskets.history]
            pre = personal_matrix(
                prior,
                baskets.n_items,
                decay=self.params.decay,
                group_decay=self.params.group_decay,
                group=self.params.group_size,
            )
            pre_l2 = l2_rows(pre)
            stats = ItemStats.from_history(prior, baskets.n_items)
            for u, full in enumerate(baskets.history):
                if len(full) < back + 2:
                    continue
                trained_users += back == 1
                vec = np.asarray(pre[u].todense(), dtype=np.float32).ravel()
                nb = neighbour_mean(vec, pre, pre_l2, k=self.params.neighbours, exclude=u)
                cand, x = user_features(
                    full[:-back],
                    baskets.days[u][:-back],
                    float(baskets.days[u][-back]),
                    vec,
                    nb,
                    stats,
                    explore=self.params.explore,
                )
                rows.append(x)
                labels.append(np.isin(cand, full[-back]).astype(np.int8))
        if trained_users < self.params.min_training_users:
            return None
        y = np.concatenate(labels)
        if y.sum() < 20 or y.sum() == len(y):
            return None
        ranker = HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=50,
            l2_regularization=1.0,
            random_state=0,
        )
        ranker.fit(np.vstack(rows), y)
        return ranker

    @property
    def n_items(self) -> int:
        """Size of the item vocabulary."""
        return len(self.items)

    def user_vector(self, baskets: list[NDArray[np.int32]]) -> NDArray[np.float32]:
        """Compute the decayed personal vector of any purchase history (known user or not)."""
        return personal_vector(
            baskets,
            self.n_items,
            decay=self.params.decay,
            group_decay=self.params.group_decay,
            group=self.params.group_size,
        )

    def for_user(
        self,
        baskets: list[NDArray[np.int32]],
        days: NDArray[np.float64],
        now: float,
        *,
        exclude_user: int | None = None,
    ) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """Candidate item indices and relevance scores (higher = better) for one history.

        The history is read fresh on every call, so a new order changes the result at once.
        """
        if not baskets:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        vec = self.user_vector(baskets)
        nb = neighbour_mean(
            vec, self.personal, self.personal_l2, k=self.params.neighbours, exclude=exclude_user
        )
        cand, x = user_features(
            baskets, days, now, vec, nb, self.stats, explore=self.params.explore
        )
        if self.ranker is not None and len(cand):
            scores = self.ranker.predict_proba(x)[:, 1].astype(np.float32)
        else:
            alpha = self.params.alpha
            scores = (alpha * vec[cand] + (1 - alpha) * nb[cand]).astype(np.float32)
        return cand, scores

    def together(self, item: int) -> NDArray[np.float32]:
        """Co-purchase similarity of every item to ``item``."""
        return np.asarray(self.copurchase[item].todense(), dtype=np.float32).ravel()

    def save(self, path: Path) -> None:
        """Write the model atomically (temp file + rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            pickle.dump({"version": FORMAT_VERSION, "model": self}, fh)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> RecsModel:
        """Read a model written by :meth:`save`; a bad or old file is a ModelFileError."""
        try:
            with path.open("rb") as fh:
                blob: Any = pickle.load(fh)  # noqa: S301 - our own file in the data dir
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            raise ModelFileError(f"cannot read recommender model {path}: {exc}") from exc
        if not isinstance(blob, dict) or blob.get("version") != FORMAT_VERSION:
            raise ModelFileError(f"recommender model {path} is from another version; retrain")
        model = blob["model"]
        if not isinstance(model, cls):
            raise ModelFileError(f"{path} does not hold a recommender model")
        return model


__all__ = ["FEATURES", "RecsModel"]
