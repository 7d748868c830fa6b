"""Frustration detection per language on the held-out messages of ``evals/mood/test``.

Three readers of the same messages, side by side:

  shipped   the frustration model's vector head (USE v3 + cue words + n-grams): what the
            chat service uses (at the model's threshold; "strict" at 0.7, for comparison)
  lexical   its lexical head (no USE vector): what runs where no encoder is installed
  vader     VADER compound <= -0.05 (the English-only mood the console used before)

Prints precision, recall and F1 of "frustrated" per language and overall, lists the
shipped model's mistakes, and writes ``bench/results/frustration.json``.

Everyday traffic is mostly calm, so the share of calm messages flagged matters as much:
``evals/nlu/natural`` (the reader's hand-written held-out set, never used to train or
tune this model) is read too; its requests for a person (intent ``handoff``, often
upset) are counted apart. So is ``evals/mood/cart_neutral``: calm messages about the cart
and checkout (removals, quantities, changes of mind: "ach nein, nimm das wieder raus"),
held out like ``test/``; the share of them flagged is the false-positive rate the chat's
cart sees. The three cart messages that were reported flagged are read too.

    python bench/frustration.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from assistant.mood.model import MODEL_FILE, FrustrationModel
from assistant.mood.mood import Mood
from assistant.mood.train import Labelled, load_messages
from retrieval.multilingual import MultilingualEmbedder

VADER_NEGATIVE = -0.05
STRICT = 0.7
LANGS = ("en", "de", "fr", "es", "it")
# Calm cart messages the chat flagged as frustrated (and apologised for) when the cart came.
REPORTED_CART = (
    "Ach nein, nimm die Sneaker wieder raus.",
    "Mach drei Stück daraus, für die ganze Familie.",
    "Super, ich möchte zur Kasse.",
)


def scores(truth: list[bool], predicted: list[bool]) -> dict[str, float | int]:
    """Precision, recall and F1 of the frustrated class, with the counts."""
    pairs = list(zip(truth, predicted, strict=True))
    tp = sum(t and p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "messages": len(pairs),
        "frustrated": sum(truth),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(msgs: list[Labelled], predict: Callable[[str], bool]) -> dict[str, object]:
    """Scores per language and overall, and the time per message."""
    started = time.perf_counter()
    predicted = [predict(m.text) for m in msgs]
    ms = (time.perf_counter() - started) * 1000 / len(msgs)
    out: dict[str, object] = {}
    for lang in LANGS:
        rows = [(m.frustrated, p) for m, p in zip(msgs, predicted, strict=True) if m.lang == lang]
        out[lang] = scores([t for t, _ in rows], [p for _, p in rows])
    out["all"] = scores([m.frustrated for m in msgs], predicted)
    out["ms_per_message"] = round(ms, 2)
    out["errors"] = [
        {"lang": m.lang, "label": "frustrated" if m.frustrated else "calm", "text": m.text}
        for m, p in zip(msgs, predicted, strict=True)
        if p != m.frustrated
    ]
    return out


def natural_traffic(folder: Path, flagged: Callable[[str], bool]) -> dict[str, object]:
    """Share of the reader's natural messages flagged, per language (handoffs apart)."""
    out: dict[str, object] = {}
    flagged_calm: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        calm = [i["text"] for i in items if i.get("intent") != "handoff"]
        person = [i["text"] for i in items if i.get("intent") == "handoff"]
        hits = [t for t in calm if flagged(t)]
        flagged_calm += [f"[{path.stem}] {t}" for t in hits]
        out[path.stem] = {
            "messages": len(calm),
            "flagged": len(hits),
            "flagged_share": round(len(hits) / len(calm), 3) if calm else 0.0,
            "handoff_requests": len(person),
            "handoff_flagged": sum(flagged(t) for t in person),
        }
    shares = [v["flagged_share"] for v in out.values() if isinstance(v, dict)]
    out["mean_flagged_share"] = round(statistics.mean(shares), 3) if shares else 0.0
    out["flagged_messages"] = flagged_calm
    return out


def cart_neutral(
    msgs: list[Labelled], readers: dict[str, Callable[[str], bool]]
) -> dict[str, object]:
    """Share of the calm cart messages each reader flags (false positives).

    Per language, overall, and by how the message starts: ``capitalised`` ("Ach nein, nimm
    die Sneaker raus.", what a phone keyboard writes) or ``lower`` ("nee, das andere").
    """
    groups: dict[str, list[Labelled]] = {
        lang: [m for m in msgs if m.lang == lang] for lang in LANGS
    }
    groups["capitalised"] = [m for m in msgs if m.text[:1].isupper()]
    groups["lower"] = [m for m in msgs if not m.text[:1].isupper()]
    groups["all"] = msgs
    out: dict[str, object] = {}
    for name, flagged in readers.items():
        hits = [m for m in msgs if flagged(m.text)]
        per: dict[str, object] = {}
        for group, mine in groups.items():
            fp = sum(m in hits for m in mine)
            rate = round(fp / len(mine), 3) if mine else 0.0
            per[group] = {"messages": len(mine), "fp": fp, "fp_rate": rate}
        per["flagged_messages"] = [f"[{m.lang}] {m.text}" for m in hits]
        out[name] = per
    return out


def main() -> None:
    """Run the three readers on the test messages and write the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("evals/mood/test"))
    ap.add_argument("--natural", type=Path, default=Path("evals/nlu/natural"))
    ap.add_argument("--cart", type=Path, default=Path("evals/mood/cart_neutral"))
    ap.add_argument("--model", type=Path, default=MODEL_FILE, help="a frustration.npz")
    ap.add_argument("--out", type=Path, default=Path("bench/results/frustration.json"))
    args = ap.parse_args()
    msgs = load_messages(args.data)
    embedder = MultilingualEmbedder(threads=2)
    embedder.encode(["warm up"])
    shipped = Mood(encode=embedder.encode, model=FrustrationModel.load(args.model))
    lexical = Mood(encode=None, model=shipped.model)
    threshold = shipped.model.threshold
    readers: dict[str, Callable[[str], bool]] = {
        "shipped": lambda t: shipped.frustration(t) >= threshold,
        "strict": lambda t: shipped.frustration(t) >= STRICT,
        "lexical": lambda t: lexical.frustration(t) >= threshold,
        "vader": lambda t: shipped.vader(t) <= VADER_NEGATIVE,
    }
    results = {name: evaluate(msgs, fn) for name, fn in readers.items()}
    natural = natural_traffic(args.natural, readers["shipped"])
    cart_msgs = load_messages(args.cart)
    if any(m.frustrated for m in cart_msgs):
        raise ValueError(f"{args.cart}: every message there is calm")
    cart = cart_neutral(cart_msgs, {k: readers[k] for k in ("shipped", "lexical")})
    reported = {t: round(shipped.frustration(t), 3) for t in REPORTED_CART}
    for name in ("strict", "lexical", "vader"):  # only the shipped reader's mistakes are kept
        results[name].pop("errors")
    meta = json.loads((args.model.parent / "meta.json").read_text(encoding="utf-8"))
    print(f"{len(msgs)} held-out messages ({args.data}); model threshold {threshold}")
    print(f"{'reader':<9} {'lang':<4} {'P':>6} {'R':>6} {'F1':>6}  tp fp fn")
    for name, res in results.items():
        for lang in (*LANGS, "all"):
            s = res[lang]
            assert isinstance(s, dict)
            print(
                f"{name:<9} {lang:<4} {s['precision']:>6.3f} {s['recall']:>6.3f} "
                f"{s['f1']:>6.3f}  {s['tp']:>2} {s['fp']:>2} {s['fn']:>2}"
            )
        print(f"{name:<9} {res['ms_per_message']} ms per message")
    print("shipped model's mistakes:")
    for err in results["shipped"]["errors"]:  # type: ignore[attr-defined]
        print(f"  [{err['lang']}] should be {err['label']}: {err['text']}")
    print(f"natural shopper messages ({args.natural}), shipped model, share flagged:")
    for lang in LANGS:
        n = natural[lang]
        assert isinstance(n, dict)
        print(
            f"  {lang}: {n['flagged']}/{n['messages']} = {n['flagged_share']:.3f}"
            f"   (requests for a person: {n['handoff_flagged']}/{n['handoff_requests']})"
        )
    for text in natural["flagged_messages"]:  # type: ignore[attr-defined]
        print(f"  flagged: {text}")
    print(f"calm cart messages ({args.cart}), share flagged (false positives):")
    for name, res in cart.items():
        assert isinstance(res, dict)
        rates = "  ".join(
            f"{lang} {res[lang]['fp']}/{res[lang]['messages']}"
            for lang in (*LANGS, "capitalised", "lower", "all")
        )
        print(f"  {name:<8} {rates}  = {res['all']['fp_rate']:.3f}")
    for text in cart["shipped"]["flagged_messages"]:  # type: ignore[index]
        print(f"  flagged: {text}")
    print("reported cart messages, shipped model, P(frustrated):")
    for text, p in reported.items():
        print(f"  {p:.3f}  {text}")
    out = {
        "benchmark": "frustration",
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "model": {"fingerprint": meta["fingerprint"], "threshold": threshold},
        "vader_negative_at": VADER_NEGATIVE,
        "results": results,
        "natural_traffic": natural,
        "cart_neutral": {"data": str(args.cart), **cart},
        "reported_cart_messages": reported,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
