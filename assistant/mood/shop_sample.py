"""Calm shop traffic for the frustration model, sampled from the reader's phrasing corpus.

The hand-written messages of ``evals/mood/train`` are mostly complaints and their calm
look-alikes; everyday traffic is searches, follow-ups, sign-ins and order questions in
every register (terse, typos, run-on). This draws a seeded sample of those from the train
families of ``evals/nlu/templates`` and writes ``evals/mood/train/<lang>_shop.tsv``, all
labelled calm (off-topic ones too: "tell me a joke" is not "this is a joke"). Families
about an annoyed or frustrated shopper, requests for a person, messages with shouting
marks ("??", "!!") and messages with strong frustration cue words ("ya estoy harta" about
wet feet) are left out: their label would need a person to decide.

    python -m assistant.mood.shop_sample
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from assistant.mood.cues import cues_in
from assistant.nlu.train import build_corpus

ROOT = Path(__file__).resolve().parents[2]
PER_LANGUAGE = 150
SEED = 11
_SKIP_INTENTS = ("handoff",)
_SKIP_FAMILY_WORDS = (
    "annoyed", "angry", "frustrated", "useless", "complain", "upset", "rude", "harto",
    "genervt", "marre", "stufo",
)  # fmt: skip
_STRONG_CUES = {"angry", "fed_up", "outrage", "insult", "swear", "disappointed"}


def sample(templates: Path, fillers: Path, per_language: int) -> dict[str, list[str]]:
    """Return ``per_language`` calm messages per language (seeded, sorted by language)."""
    corpus = build_corpus(templates, fillers)
    pools: dict[str, set[str]] = {}
    for utt in corpus.train:
        if utt.intent in _SKIP_INTENTS or any(w in utt.family for w in _SKIP_FAMILY_WORDS):
            continue
        text = " ".join(utt.text.split())
        if "\t" in text or "??" in text or "!!" in text or cues_in(text) & _STRONG_CUES:
            continue
        pools.setdefault(utt.lang, set()).add(text)
    rng = random.Random(SEED)
    return {
        lang: rng.sample(sorted(texts), min(per_language, len(texts)))
        for lang, texts in sorted(pools.items())
    }


def main() -> None:
    """Write the samples next to the hand-written training messages."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--templates", type=Path, default=ROOT / "evals/nlu/templates")
    ap.add_argument("--fillers", type=Path, default=ROOT / "evals/nlu/fillers.yaml")
    ap.add_argument("--out", type=Path, default=ROOT / "evals/mood/train")
    ap.add_argument("--per-language", type=int, default=PER_LANGUAGE)
    args = ap.parse_args()
    for lang, texts in sample(args.templates, args.fillers, args.per_language).items():
        path = args.out / f"{lang}_shop.tsv"
        lines = ["label\ttext", *(f"calm\t{t}" for t in texts)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(texts)} calm messages to {path}")


if __name__ == "__main__":
    main()
