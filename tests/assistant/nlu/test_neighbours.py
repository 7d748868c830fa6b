"""The nearest templates' vote on the intent."""

from __future__ import annotations

import numpy as np

from assistant.nlu.neighbours import Neighbours


def test_templates_vote_by_meaning_and_the_vote_is_mixed_in() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=16).astype(np.float32), rng.normal(size=16).astype(np.float32)
    # two templates of each intent, three filled utterances each (small noise)
    vectors = np.stack([c + 0.05 * rng.normal(size=16) for c in (a, a, a, a, a, a, b, b, b)])
    labels = ["cart"] * 6 + ["search"] * 3
    groups = ["c1"] * 3 + ["c2"] * 3 + ["s1"] * 3
    near = Neighbours.of(vectors.astype(np.float32), labels, groups, ["cart", "search"])
    assert near.vectors.dtype == np.int8 and len(near.vectors) == 3
    vote = near.vote(np.stack([a, b]).astype(np.float32), 2)
    assert vote[0].argmax() == 0 and vote[1].argmax() == 1
    assert np.allclose(vote.sum(axis=1), 1.0)
    unsure = np.array([[0.4, 0.6]], dtype=np.float32)  # the classifier leans to search
    mixed = near.mixed(unsure, a[None, :].astype(np.float32))
    assert mixed[0].argmax() == 0 and np.isclose(mixed.sum(), 1.0)


def test_a_vote_that_agrees_never_makes_the_reader_less_sure() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=8).astype(np.float32), rng.normal(size=8).astype(np.float32)
    vectors = np.stack([a, a, b]).astype(np.float32)
    near = Neighbours.of(vectors, ["cart", "cart", "search"], ["c", "c", "s"], ["cart", "search"])
    sure = np.array([[0.95, 0.05]], dtype=np.float32)
    halfway = ((a + b) / 2)[None, :].astype(np.float32)  # near both templates
    mixed = near.mixed(sure, halfway)
    assert mixed[0].argmax() == 0 and mixed[0, 0] >= 0.95
