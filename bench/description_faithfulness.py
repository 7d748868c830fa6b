"""Faithfulness of AI-written product copy on the demo store, with the embedded model.

For ``--products`` demo products (seeded sample) and every kind of copy (description,
marketing, email, social), the shipped :class:`tools.writing.copywriter.CopyWriter` writes
the text; ``--lang-every N`` also writes every Nth product's description in German and
French (written in English, verified, then translated). Reports, side by side:

  first drafts    what the model wrote before the verifier (unsupported claims per text)
  shipped         what the shopper / merchant gets (target: 0 unsupported claims)

and an independent check the verifier does not use: feature or material phrases of
*other* catalog products that appear verbatim in the text but not in this product's data.
Also verifier rejections, template fallbacks, length in words, language accuracy (py3langid
on the final text) and seconds per text. Writes ``bench/results/description_faithfulness.json``.

    python bench/description_faithfulness.py --products 200
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import time
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select
from tqdm import tqdm

from assistant.bootstrap import prepare_store, start_llm
from assistant.flows.understand import detect_language
from assistant.settings import get_settings
from catalog.models import Product
from tools.writing.copywriter import CopyWriter
from tools.writing.facts import ProductFacts, catalog_claim_words, load_facts
from tools.writing.glossary import Glossary
from tools.writing.translator import Translator
from tools.writing.verifier import verify_copy

KINDS = ("description", "marketing", "email", "social")


class Recorder:
    """Wraps the LLM to keep each first draft (what the model wrote before any check)."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.drafts: list[str] = []

    async def complete(self, messages: list[dict[str, str]], **kw: Any) -> str:
        out = str(await self.llm.complete(messages, **kw))
        if messages[0]["content"].startswith("You write product copy"):
            self.drafts.append(out)
        return out


def _phrases(engine: Any) -> set[str]:
    out: set[str] = set()
    with Session(engine) as s:
        for attrs in s.exec(select(Product.attributes)):
            for f in (attrs or {}).get("features", []):
                out.add(str(f).lower())
            if (attrs or {}).get("material"):
                out.add(str(attrs["material"]).lower())
    return {p for p in out if len(p) > 3}


def _foreign(text: str, facts: ProductFacts, phrases: set[str]) -> list[str]:
    own = facts.text().lower()
    low = text.lower()
    return sorted(
        p for p in phrases if p not in own and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", low)
    )


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    settings = get_settings()
    engine = prepare_store(settings)
    llm, server = start_llm(settings, progress=True)
    recorder = Recorder(llm)
    claims = catalog_claim_words(engine)
    phrases = _phrases(engine)
    translator = Translator(recorder, Glossary(), engine=None, model_name=settings.llm.model)
    writer = CopyWriter(
        recorder, claims, translator=translator, attempts=settings.writing.copy_attempts
    )
    with Session(engine) as s:
        ids = [str(i) for i in s.exec(select(Product.id).order_by(col(Product.id)))]
    sample = random.Random(args.seed).sample(ids, min(args.products, len(ids)))
    jobs = [(pid, kind, "en") for pid in sample for kind in KINDS]
    for i, pid in enumerate(sample):
        if args.lang_every and i % args.lang_every == 0:
            jobs += [(pid, "description", lang) for lang in ("de", "fr")]
    rows: list[dict[str, Any]] = []
    try:
        for pid, kind, lang in tqdm(jobs, desc="Writing copy", unit="text"):
            facts = load_facts(engine, pid)
            before = len(recorder.drafts)
            started = time.perf_counter()
            result = await writer.write(facts, kind, tone="upbeat", lang=lang)
            seconds = time.perf_counter() - started
            drafts = recorder.drafts[before:]
            first = drafts[0] if drafts else ""
            rows.append(
                {
                    "product_id": pid,
                    "kind": kind,
                    "lang": lang,
                    "first_draft_unsupported": len(verify_copy(first, facts, claims).unsupported),
                    "first_draft_foreign_phrases": len(_foreign(first, facts, phrases)),
                    "unsupported": len(verify_copy(result.english, facts, claims).unsupported),
                    "foreign_phrases": len(_foreign(result.english, facts, phrases)),
                    "rejected_drafts": result.rejected_drafts,
                    "rejected_words": result.rejected_words,
                    "fallback": result.fallback,
                    "words": len(result.text.split()),
                    "language_ok": detect_language(result.text, default="?") == lang,
                    "seconds": round(seconds, 2),
                    "text": result.text,
                }
            )
    finally:
        if server is not None:
            server.stop()
    return {"sample": sample, "rows": rows}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {"texts": 0}
    return {
        "texts": n,
        "first_draft_unsupported_claims_per_text": round(
            sum(r["first_draft_unsupported"] for r in rows) / n, 3
        ),
        "unsupported_claims_per_text": round(sum(r["unsupported"] for r in rows) / n, 3),
        "first_draft_foreign_phrases_per_text": round(
            sum(r["first_draft_foreign_phrases"] for r in rows) / n, 3
        ),
        "foreign_phrases_per_text": round(sum(r["foreign_phrases"] for r in rows) / n, 3),
        "verifier_rejections": sum(r["rejected_drafts"] for r in rows),
        "texts_with_a_rejection": sum(1 for r in rows if r["rejected_drafts"]),
        "template_fallbacks": sum(1 for r in rows if r["fallback"]),
        "words_median": statistics.median(r["words"] for r in rows),
        "language_accuracy": round(sum(r["language_ok"] for r in rows) / n, 3),
        "seconds_per_text": round(sum(r["seconds"] for r in rows) / n, 2),
    }


def main() -> None:
    """Run the benchmark, print the figures and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--lang-every", type=int, default=5, help="0: English only.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", type=Path, default=Path("bench/results/description_faithfulness.json")
    )
    args = parser.parse_args()
    data = asyncio.run(_run(args))
    rows = data["rows"]
    overall = _summary(rows)
    by_kind = {
        k: _summary([r for r in rows if r["kind"] == k and r["lang"] == "en"]) for k in KINDS
    }
    by_lang = {g: _summary([r for r in rows if r["lang"] == g]) for g in ("en", "de", "fr")}
    for name, s in {
        "all": overall,
        **by_kind,
        **{f"lang {k}": v for k, v in by_lang.items()},
    }.items():
        if s.get("texts"):
            print(
                f"{name:<12} n={s['texts']:<4} unsupported/text first draft "
                f"{s['first_draft_unsupported_claims_per_text']} -> shipped "
                f"{s['unsupported_claims_per_text']}; foreign phrases "
                f"{s['first_draft_foreign_phrases_per_text']} -> {s['foreign_phrases_per_text']};"
                f" rejections {s['verifier_rejections']}, fallbacks {s['template_fallbacks']},"
                f" words {s['words_median']}, language {s['language_accuracy']:.0%},"
                f" {s['seconds_per_text']} s/text"
            )
    doc = {
        "benchmark": "description_faithfulness",
        "model": get_settings().llm.embedded_model,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "products": len(data["sample"]),
        **overall,
        "by_kind": by_kind,
        "by_lang": by_lang,
        "examples": [r for r in rows[:8]],
        "rows": [{k: v for k, v in r.items() if k != "text"} for r in rows],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
