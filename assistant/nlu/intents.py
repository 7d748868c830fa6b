"""Sentence classifiers: the intent, and the closed slots a whole message expresses.

Multinomial logistic regression over the message's meaning (multilingual USE v3 vector)
and its spelling (hashed character and word n-grams, with slot values replaced by their
slot names and the message's cue groups added: "cancel <order_id> <cue_cancel>"). One head
per question: ``intent``, ``sort``, ``write``, ``order``, ``target_lang``, ``cart`` ("none"
when the message does not say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.nlu.neighbours import Neighbours

Encoder = Callable[[list[str]], NDArray[np.float32]]
HEADS = ("intent", "sort", "write", "order", "target_lang", "cart")
_CHARS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 4), n_features=2**15, alternate_sign=False, norm="l2"
)
_WORDS = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), n_features=2**14, alternate_sign=False, norm="l2",
    token_pattern=r"(?u)<\w+>|\b\w+\b",
)  # fmt: skip
DIMENSIONS = 512
# The sentence vector's weight next to the n-grams (chosen on the development split of the
# train families: 1.0 → 0.968, 2.0 → 0.972, 3.0 → 0.965 intent accuracy with gold masks).
USE_WEIGHT = 2.0
_NEAR = "neighbours"  # the templates' vectors in the saved file


def features(
    texts: Sequence[str], delex: Sequence[str], vectors: NDArray[np.float32] | None
) -> csr_matrix:
    """Return the classifiers' input rows: [USE vector | char n-grams | word n-grams]."""
    parts = [_CHARS.transform(list(delex)), _WORDS.transform(list(delex))]
    if vectors is not None:
        parts.insert(0, csr_matrix(vectors * USE_WEIGHT))
    else:
        parts.insert(0, csr_matrix((len(texts), DIMENSIONS), dtype=np.float32))
    return hstack(parts, format="csr")


class Head:
    """One trained classifier: its classes and weights."""

    def __init__(self, classes: list[str], coef: NDArray[np.float32], bias: NDArray[np.float32]):
        """Hold the weights of one classifier."""
        self.classes = classes
        self.coef = coef
        self.bias = bias

    def probs(self, x: csr_matrix) -> NDArray[np.float32]:
        """Class probabilities per row."""
        logits = np.asarray(x @ self.coef.T) + self.bias
        if len(self.classes) == 2 and logits.shape[1] == 1:  # binary: one weight row
            logits = np.hstack([np.zeros_like(logits), logits])
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: NDArray[np.float32] = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
        return out


class SentenceModel:
    """The heads, sharing one feature row per message, and the nearest templates' vote."""

    def __init__(self, heads: dict[str, Head], neighbours: Neighbours | None = None) -> None:
        """Hold trained heads by name (and the templates voting on the intent, if any)."""
        self.heads = heads
        self.neighbours = neighbours

    @property
    def classes(self) -> list[str]:
        """The intents."""
        return self.heads["intent"].classes

    @classmethod
    def train(
        cls,
        texts: list[str],
        delex: list[str],
        labels: dict[str, list[str]],
        encode: Encoder | None,
        c: float = 8.0,
        groups: Sequence[str] | None = None,
    ) -> SentenceModel:
        """Fit one head per entry of ``labels``.

        ``groups`` names each text's template: with sentence vectors, the templates' mean
        vectors vote on the intent (:mod:`assistant.nlu.neighbours`).
        """
        vectors = encode(list(texts)) if encode is not None else None
        x = features(texts, delex, vectors)
        heads = {}
        for name, ys in labels.items():
            clf = LogisticRegression(C=c, max_iter=3000)
            clf.fit(x, ys)
            heads[name] = Head(
                [str(k) for k in clf.classes_],
                clf.coef_.astype(np.float32),
                clf.intercept_.astype(np.float32),
            )
        near = None
        if vectors is not None and groups is not None:
            near = Neighbours.of(vectors, labels["intent"], groups, heads["intent"].classes)
        return cls(heads, near)

    def predict(
        self, texts: list[str], delex: list[str], encode: Encoder | None
    ) -> dict[str, NDArray[np.float32]]:
        """Probabilities of every head, one row per text."""
        vectors = encode(list(texts)) if encode is not None else None
        x = features(texts, delex, vectors)
        out = {name: head.probs(x) for name, head in self.heads.items()}
        if self.neighbours is not None and vectors is not None:
            out["intent"] = self.neighbours.mixed(out["intent"], vectors)
        return out

    def save(self, path: Path) -> None:
        """Write every head's weights (float16, compressed) and the templates' vectors."""
        arrays = head_arrays(self.heads)
        if self.neighbours is not None:
            arrays[f"{_NEAR}.vectors"] = self.neighbours.vectors
            arrays[f"{_NEAR}.labels"] = self.neighbours.labels
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> SentenceModel:
        """Read heads written by :meth:`save`."""
        data = np.load(path)
        names = sorted({k.split(".", 1)[0] for k in data.files} - {_NEAR})
        near = None
        if f"{_NEAR}.vectors" in data.files:
            near = Neighbours(data[f"{_NEAR}.vectors"], data[f"{_NEAR}.labels"])
        return cls(read_heads(data, names), near)


def head_arrays(heads: dict[str, Head]) -> dict[str, NDArray[np.generic]]:
    """Return heads as named arrays for ``np.savez`` (weights as float16)."""
    arrays: dict[str, NDArray[np.generic]] = {}
    for name, head in heads.items():
        arrays[f"{name}.classes"] = np.array(head.classes)
        arrays[f"{name}.coef"] = head.coef.astype(np.float16)
        arrays[f"{name}.bias"] = head.bias
    return arrays


def read_heads(data: Any, names: Iterable[str]) -> dict[str, Head]:
    """Return the heads ``names`` from arrays written with :func:`head_arrays`."""
    return {
        n: Head(
            [str(c) for c in data[f"{n}.classes"]],
            data[f"{n}.coef"].astype(np.float32),
            data[f"{n}.bias"],
        )
        for n in names
    }
