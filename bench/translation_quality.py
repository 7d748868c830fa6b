"""Translation quality on real product descriptions: plain prompt vs the shipped pipeline.

Data: the IKEA EN–DE / EN–FR line-aligned product descriptions (``*.val.*``). For each
direction and the first ``--limit`` lines it reports, side by side:

  copy      the English source itself (the floor: what "no translation" scores)
  plain     the embedded model with a one-line prompt ("Translate to German: …")
  shipped   tools.writing.Translator: sentence split, glossary/brand/number masking,
            few-shot prompt, restored and checked slots, retry, source kept on failure

chrF and BLEU (sacrebleu, corpus level), number preservation (share of lines whose every
source number appears in the output), glossary-term accuracy (brand-like and glossary
terms of the source kept verbatim), seconds per line. Writes
``bench/results/translation_quality.json`` (``chrf`` per direction for each system).

    python bench/translation_quality.py --data ../shared/data/translation_ikea --limit 40
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sacrebleu
from tqdm import tqdm

from assistant.bootstrap import start_llm
from assistant.settings import get_settings
from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from tools.writing.glossary import BRANDLIKE, Glossary, numbers_preserved
from tools.writing.translator import Translator


def _lines(path: Path) -> list[str]:
    if not path.exists():
        sys.exit(f"error: {path} not found")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.strip() for line in fh]


def _terms_kept(sources: list[str], outputs: list[str]) -> tuple[int, int]:
    kept = total = 0
    for src, out in zip(sources, outputs, strict=True):
        for term in set(BRANDLIKE.findall(src)):
            total += 1
            kept += term in out
    return kept, total


def _score(sources: list[str], refs: list[str], outs: list[str], seconds: float) -> dict[str, Any]:
    kept, total = _terms_kept(sources, outs)
    preserved = sum(numbers_preserved(s, o) for s, o in zip(sources, outs, strict=True))
    with_numbers = sum(any(c.isdigit() for c in s) for s in sources)
    return {
        "chrf": round(sacrebleu.corpus_chrf(outs, [refs]).score, 2),
        "bleu": round(sacrebleu.corpus_bleu(outs, [refs]).score, 2),
        "number_preservation": round(preserved / len(sources), 4),
        "lines_with_numbers": with_numbers,
        "glossary_term_accuracy": round(kept / total, 4) if total else None,
        "glossary_terms": total,
        "seconds_per_line": round(seconds / len(sources), 2),
    }


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    settings = get_settings()
    llm, server = start_llm(settings, progress=True)
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp}/tm.db"))
            create_schema(engine)
            glossary = Glossary.load(settings.writing.glossary_path)
            shipped = Translator(llm, glossary, engine=engine, model_name=settings.llm.model)
            for direction in args.directions.split(","):
                src_lang, tgt = direction.split("-")
                sources = _lines(args.data / f"{direction}.val.{src_lang}.gz")[: args.limit]
                refs = _lines(args.data / f"{direction}.val.{tgt}.gz")[: args.limit]
                row: dict[str, Any] = {"lines": len(sources)}
                row["copy"] = _score(sources, refs, sources, 0.0)
                for name in ("plain", "shipped"):
                    outs: list[str] = []
                    started = time.perf_counter()
                    for text in tqdm(sources, desc=f"{direction} {name}", unit="line"):
                        if name == "plain":
                            outs.append(await shipped.plain(text, tgt))
                        else:
                            outs.append((await shipped.translate(text, tgt)).text)
                    row[name] = _score(sources, refs, outs, time.perf_counter() - started)
                results[direction] = row
                plain, ship = row["plain"], row["shipped"]
                ratio = ship["chrf"] / max(plain["chrf"], 0.01)
                print(
                    f"{direction}: chrF copy {row['copy']['chrf']} | plain {plain['chrf']}"
                    f" | shipped {ship['chrf']} (x{ratio:.2f}); numbers plain"
                    f" {plain['number_preservation']:.0%}"
                    f" shipped {ship['number_preservation']:.0%};"
                    f" s/line plain {plain['seconds_per_line']} shipped {ship['seconds_per_line']}"
                )
    finally:
        if server is not None:
            server.stop()
    return results


def main() -> None:
    """Run the benchmark and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=40, help="Lines per direction.")
    parser.add_argument("--directions", default="en-de,en-fr")
    parser.add_argument("--out", type=Path, default=Path("bench/results/translation_quality.json"))
    args = parser.parse_args()
    results = asyncio.run(_run(args))
    doc = {
        "benchmark": "translation_quality",
        "data": str(args.data),
        "model": get_settings().llm.embedded_model,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "limit": args.limit,
        "chrf": {
            d: {s: r[s]["chrf"] for s in ("copy", "plain", "shipped")} for d, r in results.items()
        },
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
