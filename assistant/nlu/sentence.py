"""What the sentence classifiers read of a message.

Its words with slips mended (for the sentence vector), and its spelling with the slot runs
masked and its cue groups added (for the n-grams). Training (:mod:`assistant.nlu.train`)
and reading (:mod:`assistant.nlu.reader`) both build their input here, so the classifiers
learn from what they will be given.
"""

from __future__ import annotations

from assistant.nlu.cues import cue_words
from assistant.nlu.spelling import Speller

Run = tuple[int, int, str]


def sentence_inputs(
    text: str, runs: list[Run], cues: list[list[str]], lang: str, speller: Speller | None
) -> tuple[str, str]:
    """Return (the words for the sentence vector, the masked spelling for the n-grams).

    Slips are mended outside the slot runs (a name or a product word is never "corrected").
    """
    if speller is None:
        return text, sentence_text(text, runs, cues)
    words = speller.text(text, lang, keep=[(a, b) for a, b, _ in runs])
    return words, f"{speller.text(mask(text, runs), lang)} {cue_words(cues)}"


def sentence_text(text: str, runs: list[Run], cues: list[list[str]]) -> str:
    """Return the masked message and its cue groups (no mending)."""
    return f"{mask(text, runs)} {cue_words(cues)}"


def mask(text: str, runs: list[Run]) -> str:
    """``text`` with every slot run replaced by its slot name ("cancel <order_id>")."""
    out, pos = [], 0
    for start, end, slot in sorted(runs):
        out.append(text[pos:start])
        out.append(f" <{slot.split('=', 1)[0]}> ")
        pos = end
    out.append(text[pos:])
    return "".join(out).lower()
