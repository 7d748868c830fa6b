"""Grounded product copy: the model writes from structured facts, code verifies every word.

Each draft goes through :func:`~tools.writing.verifier.verify_copy`. A rejected draft is
regenerated with the rejected words named (``attempts`` drafts in all); if none passes,
a template fills in the same facts, so the result never carries an unsupported claim.
Copy in another language is written in English, verified, then translated by the
checked pipeline (numbers and names kept).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import prompts
from tools.writing.facts import ProductFacts
from tools.writing.links import REMOVED
from tools.writing.translator import Completer, Translator
from tools.writing.verifier import foreign_links, verify_copy


@dataclass
class CopyResult:
    """A finished piece of copy and how it was made."""

    text: str
    english: str
    kind: str
    tone: str
    lang: str
    fallback: bool = False
    rejected_drafts: int = 0
    rejected_words: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(prompts.load("copy", ".json"))
    return data


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clean(text: str) -> str:
    text = text.strip().strip('"').strip()
    return re.sub(r"\n{3,}", "\n\n", text)


class CopyWriter:
    """Write description, marketing, email or social copy for one product."""

    def __init__(
        self,
        llm: Completer,
        claim_words: set[str],
        *,
        translator: Translator | None = None,
        attempts: int = 2,
        model_name: str = "llm",
    ) -> None:
        """Use ``llm`` for drafts, ``claim_words`` (the catalog's) for the verifier."""
        self.llm = llm
        self.claim_words = claim_words
        self.translator = translator
        self.attempts = attempts
        self.model_name = model_name
        self._table = _table()

    def template(self, facts: ProductFacts, kind: str) -> str:
        """Write ``kind`` copy from the facts alone (the fallback; always supported)."""
        tags = " ".join(
            "#" + re.sub(r"[^A-Za-z0-9]", "", t.title()) for t in (facts.brand, facts.type) if t
        )
        material = self._table["material"].format(material=facts.material) if facts.material else ""
        return str(self._table["templates"][kind]).format(
            name=facts.name,
            brand=facts.brand or "us",
            type=(facts.type or "product").lower(),
            use=facts.use or "every day",
            features=_join(facts.features[:3]) or "what you need",
            material=material,
            tags=tags,
        )

    def _messages(
        self, facts: ProductFacts, kind: str, tone: str, avoid: list[str]
    ) -> list[dict[str, str]]:
        ask = f"{self._table['kinds'][kind]} {self._table['tone'].format(tone=tone)}"
        if avoid:
            ask += " " + self._table["avoid"].format(words=", ".join(avoid))
        facts_block = "\n".join(facts.lines())
        return [
            {"role": "system", "content": self._table["system"]},
            {"role": "user", "content": f"Facts:\n{facts_block}\n\n{ask}"},
        ]

    async def write(
        self, facts: ProductFacts, kind: str, *, tone: str = "friendly", lang: str = "en"
    ) -> CopyResult:
        """Write verified ``kind`` copy for ``facts`` in ``lang``."""
        started = time.perf_counter()
        result = CopyResult(text="", english="", kind=kind, tone=tone, lang=lang)
        avoid: list[str] = []
        for _ in range(self.attempts):
            draft = _clean(
                await self.llm.complete(
                    self._messages(facts, kind, tone, avoid),
                    max_tokens=int(self._table["max_tokens"][kind]),
                )
            )
            verdict = verify_copy(draft, facts, self.claim_words)
            if draft and verdict.ok:
                result.english = draft
                break
            result.rejected_drafts += 1
            result.rejected_words += [w for w in verdict.unsupported if w not in avoid]
            avoid = sorted(set(avoid) | set(verdict.unsupported))
        if not result.english:
            result.english, result.fallback = self.template(facts, kind), True
        result.text = result.english
        if lang != "en" and self.translator is not None:
            translated = await self.translator.translate(
                result.english, lang, protect=[facts.name, facts.brand]
            )
            result.text = translated.text
            # the translating model is no more trusted than the writing one: no new links
            for found in foreign_links(result.text, facts.text()):
                result.text = result.text.replace(found, REMOVED)
        result.seconds = time.perf_counter() - started
        return result
