"""Features described in the shopper's own words: how often the reader names the right one.

Each labelled message names a product type and describes one of its features in everyday
words, not by the catalog's name ("a kettle where I can pick how hot the water gets"), or
(``feature: null``) describes none ("a tent for my trip with my brother"). Both sets were
written by helpers from ``evals/nlu/CATALOG.md`` alone; ``dev.yaml`` was used to choose
how the reader scores descriptions, ``holdout.yaml`` only to measure it.

    python bench/feature_words.py                 # both sets -> bench/results/feature_words.json
    python bench/feature_words.py --sets evals/nlu/feature_words/holdout.yaml

Per set: ``recall`` (positives read as exactly their feature), ``wrong`` (positives read as
another feature), ``false_positive_rate`` (negatives given any feature), ``precision`` (of
all features the reader added, the share that were right), per language.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.nlu.corpus import CatalogFillers  # noqa: E402
from assistant.nlu.reader import Reader  # noqa: E402
from assistant.nlu.train import demo_lexicon  # noqa: E402
from retrieval.multilingual import MultilingualEmbedder  # noqa: E402

SETS = [ROOT / "evals/nlu/feature_words/dev.yaml", ROOT / "evals/nlu/feature_words/holdout.yaml"]


def load(path: Path) -> list[dict[str, str | None]]:
    """Return the labelled messages of one set (clear errors for a malformed entry)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise SystemExit(f"{path}: expected a list of entries")
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or not {"lang", "type", "feature", "text"} <= set(entry):
            raise SystemExit(f"{path}: entry {i} needs lang, type, feature and text")
    return data


def score(reader: Reader, entries: list[dict[str, str | None]]) -> dict[str, object]:
    """Recall, wrong feature, false positives and precision, overall and per language."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors: list[dict[str, object]] = []
    for e in entries:
        reading = reader.read(str(e["text"]), str(e["lang"]))
        got = list(reading.features)
        gold = e["feature"]
        for key in ("all", str(e["lang"])):
            c = counts[key]
            if gold is None:
                c["neg"] += 1
                c["fp"] += bool(got)
                c["added"] += len(got)
            else:
                c["pos"] += 1
                c["hit"] += got == [gold] or (gold in got and len(got) == 1)
                c["wrong"] += bool(got) and gold not in got
                c["added"] += len(got)
                c["right_added"] += gold in got
        if (gold is None and got) or (gold is not None and gold not in got):
            errors.append({"lang": e["lang"], "text": e["text"], "gold": gold, "got": got,
                           "types": reading.products})  # fmt: skip
    out: dict[str, object] = {}
    for key, c in counts.items():
        out[key] = {
            "positives": c["pos"],
            "negatives": c["neg"],
            "recall": round(c["hit"] / c["pos"], 3) if c["pos"] else None,
            "wrong": round(c["wrong"] / c["pos"], 3) if c["pos"] else None,
            "false_positive_rate": round(c["fp"] / c["neg"], 3) if c["neg"] else None,
            "precision": round(c["right_added"] / c["added"], 3) if c["added"] else None,
        }
    out["errors"] = errors
    return out


def main() -> None:
    """Score each set and write the JSON result."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="*", type=Path, default=SETS)
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/feature_words.json")
    ap.add_argument("--errors", action="store_true", help="print every miss")
    args = ap.parse_args()
    cat = CatalogFillers.demo(ROOT / "evals/nlu/fillers.yaml")
    reader = Reader(demo_lexicon(cat), encode=MultilingualEmbedder(threads=2).encode)
    result: dict[str, object] = {"machine": platform.machine(), "sets": {}}
    for path in args.sets:
        scored = score(reader, load(path))
        errors = scored.pop("errors")
        result["sets"][path.stem] = scored  # type: ignore[index]
        overall = scored["all"]
        print(f"{path.stem}: {json.dumps(overall)}")
        for lang in ("en", "de", "fr", "es", "it"):
            if lang in scored:
                print(f"   {lang}: {json.dumps(scored[lang])}")
        if args.errors:
            for e in errors:  # type: ignore[attr-defined]
                print("   MISS", e)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
