"""The recommender's learning core on hand-made baskets (no store, no catalog text)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from recommend.baskets import Baskets, Purchase
from recommend.config import RecsSettings
from recommend.errors import ModelFileError
from recommend.model import RecsModel
from recommend.rerank import diversify, intra_list_diversity
from recommend.scoring import personal_vector


def _baskets(n_users: int = 60, seed: int = 1) -> Baskets:
    """Users with a steady staple (their own), plus co-bought pairs shared by a group."""
    rng = random.Random(seed)
    purchases = []
    for u in range(n_users):
        group = u % 3
        for b in range(8):
            items = {f"staple-{u}", f"g{group}-a"}
            if rng.random() < 0.7:
                items.add(f"g{group}-b")
            items.add(f"noise-{rng.randint(0, 200)}")
            purchases += [Purchase(f"u{u}", f"u{u}-b{b}", b, it, b * 7.0) for it in items]
    return Baskets.from_purchases(purchases, item_groups={"g0-a": "x", "g1-a": "y"})


def test_recent_baskets_weigh_more_and_the_vector_sums_to_one() -> None:
    old, new = np.array([0], np.int32), np.array([1], np.int32)
    vec = personal_vector([old, new], 3, decay=0.8, group_decay=0.8, group=1)
    assert vec[1] > vec[0] > 0 and vec[2] == 0
    assert vec.sum() == pytest.approx(1.0)


def test_habits_rank_first_and_the_learned_ranker_trains() -> None:
    baskets = _baskets()
    model = RecsModel.fit(baskets, RecsSettings())
    assert model.ranker is not None
    u = baskets.user_index["u4"]
    cand, scores = model.for_user(baskets.history[u], baskets.days[u], 60.0, exclude_user=u)
    top = {baskets.items[i] for i in cand[np.argsort(-scores)][:2]}
    assert top == {"staple-4", "g1-a"}


def test_too_few_repeat_customers_fall_back_to_the_blend() -> None:
    model = RecsModel.fit(_baskets(n_users=6), RecsSettings(min_training_users=30))
    assert model.ranker is None
    baskets = _baskets(n_users=6)
    cand, scores = model.for_user(baskets.history[0], baskets.days[0], 60.0)
    assert len(cand) and scores.max() > 0


def test_a_new_history_is_scored_without_retraining() -> None:
    baskets = _baskets()
    model = RecsModel.fit(baskets, RecsSettings())
    g2 = baskets.item_index["g2-a"]
    cand, scores = model.for_user([np.array([g2], np.int32)], np.array([0.0]), 7.0)
    # someone who bought a group-2 item gets the item group 2 buys with it
    assert baskets.item_index["g2-b"] in set(cand[np.argsort(-scores)][:3].tolist())


def test_save_and_load_round_trip_and_bad_files_are_typed(tmp_path: Path) -> None:
    model = RecsModel.fit(_baskets(), RecsSettings(), fingerprint="7|x")
    path = tmp_path / "recs" / "model.pkl"
    model.save(path)
    again = RecsModel.load(path)
    assert again.fingerprint == "7|x" and again.items == model.items
    path.write_bytes(b"not a pickle")
    with pytest.raises(ModelFileError):
        RecsModel.load(path)


def test_diversity_weight_spreads_a_list_over_categories() -> None:
    cand = np.arange(6, dtype=np.int64)
    scores = np.array([1.0, 0.99, 0.98, 0.97, 0.5, 0.4], np.float32)
    groups = np.array([0, 0, 0, 0, 1, 2], np.int32)
    plain = diversify(cand, scores, groups, 4, weight=0.0)
    mixed = diversify(cand, scores, groups, 4, weight=0.6)
    assert plain.tolist() == [0, 1, 2, 3]
    assert intra_list_diversity(mixed, groups) > intra_list_diversity(plain, groups)
    assert mixed[0] == 0  # relevance still leads
