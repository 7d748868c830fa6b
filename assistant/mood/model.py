"""The frustration classifier: logistic regression over meaning, spelling and cue words.

A message's row is [USE v3 vector of the lower-cased message | cue groups and shouting
marks | hashed character and word n-grams]. Two heads are trained on the same messages:
``vectors`` (with the USE vector, used whenever the multilingual encoder is installed) and
``lexical`` (without it, for a process that has no encoder). Weights ship as float16 in
``model/frustration.npz``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.mood.cues import cue_vector
from assistant.nlu.intents import Encoder, Head, head_arrays, read_heads

MODEL_DIR = Path(__file__).with_name("model")
MODEL_FILE = MODEL_DIR / "frustration.npz"
HEADS = ("vectors", "lexical")
_CHARS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(2, 4), n_features=2**14, alternate_sign=False,
    norm="l2", strip_accents="unicode",
)  # fmt: skip
_WORDS = HashingVectorizer(
    analyzer="word", ngram_range=(1, 2), n_features=2**14, alternate_sign=False,
    norm="l2", strip_accents="unicode",
)  # fmt: skip
# Block weights next to the n-grams (each block's rows have about unit length).
USE_WEIGHT = 2.0
CUE_WEIGHT = 1.0


def encoder_text(text: str) -> str:
    """Return what the USE encoder reads of a message: the message in lower case.

    The encoder tells "Mach drei Stück daraus." (0.91 frustrated) from "mach drei stück
    daraus" (0.03): most calm training messages are lower-case chat, most frustrated ones
    full sentences, and a phone keyboard capitalises calm messages too. Shouting in
    CAPITALS still counts, as the ``capitals`` mark (``cues.shapes_in``); the n-grams and
    cue words are case-folded already.
    """
    return text.lower()


def features(texts: list[str], encode: Encoder | None) -> csr_matrix:
    """Return the rows of ``texts``: [USE vector, when ``encode`` | cues | n-grams].

    ``encode`` is given each text as :func:`encoder_text`.
    """
    parts = [
        csr_matrix(cue_vector(texts) * CUE_WEIGHT),
        _CHARS.transform(texts),
        _WORDS.transform(texts),
    ]
    if encode is not None:
        parts.insert(0, csr_matrix(encode([encoder_text(t) for t in texts]) * USE_WEIGHT))
    return hstack(parts, format="csr")


def fit_head(x: csr_matrix, labels: list[bool], c: float) -> Head:
    """Fit one binary head (classes ``calm``, ``frustrated``)."""
    clf = LogisticRegression(
        C=c, max_iter=5000, class_weight="balanced", solver="liblinear", random_state=0
    )
    clf.fit(x, ["frustrated" if y else "calm" for y in labels])
    return Head(
        [str(k) for k in clf.classes_],
        clf.coef_.astype(np.float32),
        clf.intercept_.astype(np.float32),
    )


class FrustrationModel:
    """The trained heads and the probability at which a message counts as frustrated."""

    def __init__(self, heads: dict[str, Head], threshold: float) -> None:
        """Hold the heads by name (``vectors``, ``lexical``)."""
        self.heads = heads
        self.threshold = threshold

    def probabilities(self, texts: list[str], encode: Encoder | None) -> list[float]:
        """Return P(frustrated) per text (the ``vectors`` head when ``encode`` is given)."""
        if not texts:
            return []
        head = self.heads["vectors" if encode is not None else "lexical"]
        probs = head.probs(features(texts, encode))
        col = head.classes.index("frustrated")
        return [float(p) for p in probs[:, col]]

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write both heads (float16 weights, compressed) and the threshold."""
        arrays = {"threshold": np.array(self.threshold), **head_arrays(self.heads)}
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> FrustrationModel:
        """Read a model written by :meth:`save`."""
        with np.load(path) as data:
            heads = read_heads(data, HEADS)
            return cls(heads, float(data["threshold"]))
