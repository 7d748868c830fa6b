"""The calm cascade: skipping the encoder for plainly calm messages changes no reading.

Over the held-out messages (never used to train the model) every message's "frustrated"
flag with the cascade equals the flag of the full model, and the encoder is skipped for
at least 40% of them (what makes the mood cheap under load).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from assistant.mood.mood import Mood
from assistant.mood.train import load_messages
from retrieval.multilingual import MultilingualEmbedder

ROOT = Path(__file__).resolve().parents[3]


def _held_out() -> list[str]:
    texts = [m.text for m in load_messages(ROOT / "evals" / "mood" / "test")]
    texts += [m.text for m in load_messages(ROOT / "evals" / "mood" / "cart_neutral")]
    for path in sorted((ROOT / "evals" / "nlu" / "natural").glob("*.yaml")):
        texts += [i["text"] for i in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return texts


def test_the_cascade_flags_what_the_full_model_flags() -> None:
    embedder = MultilingualEmbedder()
    encoded: list[int] = []

    def encode(batch: list[str]) -> np.ndarray:
        encoded.append(len(batch))
        return np.asarray(embedder.encode(batch))

    texts = _held_out()
    assert len(texts) > 500
    mood = Mood(encode=encode)
    full = mood.model.probabilities(texts, embedder.encode)
    cascaded = mood.read_many(texts)
    flags = [r.frustrated for r in cascaded]
    assert flags == [p >= mood.model.threshold for p in full]
    assert sum(flags) > 50  # the sets hold frustrated messages to get wrong
    assert sum(encoded) <= 0.6 * len(texts)  # the encoder ran for the unsure ones only
