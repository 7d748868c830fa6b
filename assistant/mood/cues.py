"""Frustration cue words (``cues.yaml``) and the shape of a message (!!, ?!, CAPITALS)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray

from assistant.nlu.cues import cue_table
from assistant.nlu.tokens import keys
from retrieval.lexicon import ShopLexicon

CUES_FILE = Path(__file__).with_name("cues.yaml")
SHAPES = ("exclaim", "exclaim_many", "interrobang", "capitals")
_CAPS = re.compile(r"\b[^\W\d_]{3,}\b")


@lru_cache(maxsize=1)
def groups() -> tuple[str, ...]:
    """Return the cue groups in file order."""
    data = yaml.safe_load(CUES_FILE.read_text(encoding="utf-8")) or {}
    return tuple(str(k) for k in data)


def cue_lexicon() -> ShopLexicon:
    """Return every frustration cue phrase as one phrase table (entries of kind ``cue``)."""
    return cue_table(CUES_FILE)


def cues_in(text: str) -> set[str]:
    """Return the cue groups whose phrases occur in ``text``."""
    found: set[str] = set()
    for m in cue_lexicon().match(keys(text), typos=False):
        found.update(e.value for e in m.entries)
    return found


def shapes_in(text: str) -> set[str]:
    """Return the message's shouting marks: "!", "!!"/"!!!", "?!" and words in CAPITALS."""
    out = set()
    if "!" in text:
        out.add("exclaim")
    if "!!" in text:
        out.add("exclaim_many")
    if "?!" in text or "!?" in text or "??" in text:
        out.add("interrobang")
    if any(w.isupper() for w in _CAPS.findall(text)):
        out.add("capitals")
    return out


def cue_vector(texts: list[str]) -> NDArray[np.float32]:
    """Return one row per text: 1 for each cue group and shape present, else 0."""
    names = [*groups(), *SHAPES]
    out = np.zeros((len(texts), len(names)), dtype=np.float32)
    for i, text in enumerate(texts):
        present = cues_in(text) | shapes_in(text)
        for j, name in enumerate(names):
            if name in present:
                out[i, j] = 1.0
    return out
