"""The trained reader on the demo catalog's lexicon (models shipped in assistant/nlu/model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nlu.corpus import CatalogFillers
from assistant.nlu.reader import Reader
from assistant.nlu.train import demo_lexicon
from retrieval.multilingual import MultilingualEmbedder

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "evals" / "nlu" / "templates"
FILLERS = ROOT / "evals" / "nlu" / "fillers.yaml"
NATURAL = ROOT / "evals" / "nlu" / "natural"
FRESH = ROOT / "evals" / "nlu" / "natural_fresh"


@pytest.fixture(scope="session")
def reader() -> Reader:
    cat = CatalogFillers.demo(FILLERS)
    return Reader(demo_lexicon(cat), encode=MultilingualEmbedder(threads=2).encode)
