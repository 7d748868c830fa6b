"""The mood batcher: the same readings as one by one, fewer encoder calls under load."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from assistant.mood.batcher import MoodBatcher
from assistant.mood.mood import Mood
from retrieval.multilingual import MultilingualEmbedder

MESSAGES = [
    "this is the third time my parcel went missing, I am done with you",
    "do you have the blue one in a medium?",
    "ich bin echt genervt, schon wieder kaputt",
    "thanks, that's perfect!",
    "où est ma commande ??? ça fait deux semaines",
    "hola, busco una mochila",
]


@pytest.fixture(scope="module")
def embedder() -> MultilingualEmbedder:
    return MultilingualEmbedder()


async def test_batched_readings_equal_single_ones(embedder: MultilingualEmbedder) -> None:
    calls: list[int] = []
    lock = threading.Lock()

    def encode(texts: list[str]) -> np.ndarray:
        with lock:
            calls.append(len(texts))
        return np.asarray(embedder.encode(texts))

    mood = Mood(encode=encode)
    alone = [mood.read(m) for m in MESSAGES]
    calls.clear()
    batcher = MoodBatcher(mood)
    together = await asyncio.gather(*(batcher.read(m) for m in MESSAGES * 5))
    for got, want in zip(together, alone * 5, strict=True):
        assert got.vader == want.vader and got.frustrated == want.frustrated
        assert got.frustration == pytest.approx(want.frustration, abs=2e-3)
    # the first alone, then the rest together (calm ones never reach the encoder)
    assert 0 < sum(calls) <= len(MESSAGES) * 5 and len(calls) <= 3


async def test_an_idle_batcher_reads_at_once_and_errors_reach_every_waiter() -> None:
    class Broken(Mood):
        def read_many(self, texts: list[str]) -> list:  # type: ignore[override]
            raise RuntimeError("encoder crashed")

    batcher = MoodBatcher(Broken())
    results = await asyncio.gather(batcher.read("a"), batcher.read("b"), return_exceptions=True)
    assert all(isinstance(r, RuntimeError) for r in results)
    ok = MoodBatcher(Mood())
    assert (await ok.read("I love it")).vader > 0 and ok.batches == 1
