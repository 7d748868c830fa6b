"""The mood of a shopper message: VADER's compound score, overruled by frustration.

VADER reads English only: "ich bin echt genervt" scores 0, and "second time the sole came
off, really annoyed" barely moves it. The frustration model reads all five languages; a
message it finds frustrated scores at most minus its probability (negative wins), a calm
one at least that (see :class:`MoodReading`). ~3 ms per message with the USE vector (the
encoder is the one the search already loaded).
"""

from __future__ import annotations

from typing import Any

from assistant.mood.model import FrustrationModel
from assistant.mood.reading import MoodReading
from assistant.nlu.intents import Encoder
from retrieval.errors import EmbeddingModelMissingError

MAX_CHARS = 2000


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
        """Return P(frustrated) of ``text``; the lexical head if the encoder is missing."""
        text = text[:MAX_CHARS]
        if self.encode is not None:
            try:
                return self.model.probabilities([text], self.encode)[0]
            except EmbeddingModelMissingError:
                self.encode = None
        return self.model.probabilities([text], None)[0]

    def read(self, text: str) -> MoodReading:
        """Return the mood of one message (its score depends on its language)."""
        return self.read_many([text])[0]

    def read_many(self, texts: list[str]) -> list[MoodReading]:
        """Return the mood of each message; one encoder call for all (~10× cheaper each)."""
        texts = [t[:MAX_CHARS] for t in texts]
        if self.encode is not None:
            try:
                probs = self.model.probabilities(texts, self.encode)
            except EmbeddingModelMissingError:
                self.encode = None
        if self.encode is None:
            probs = self.model.probabilities(texts, None)
        return [
            MoodReading(round(self.vader(t), 3), round(p, 3), p >= self.model.threshold)
            for t, p in zip(texts, probs, strict=True)
        ]
