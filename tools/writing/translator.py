"""The shipped translation pipeline: glossary masking, sentence by sentence, checked.

For each sentence: look it up in the translation memory, mask protected/fixed terms and
numbers (:mod:`tools.writing.glossary`), ask the model with a short few-shot prompt
(the same prefix every time, so the server's prompt cache holds it), restore the slots
and check them. A sentence whose slots the model dropped is retried once with the slots
named; if it still fails, the source sentence is kept and flagged, so a number or a
protected name is never lost. Whole results are cached by ``key`` and source hash.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import Engine

import prompts
from catalog.translations import check_locale, content_hash, get_translation, put_translation
from tools.writing.glossary import Glossary, mask, numbers_preserved, restore, terms_kept

_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_PREAMBLE = re.compile(
    r"^\s*(?:here is|here's|translation|übersetzung|traduction|traducción|traduzione)[^:\n]*:\s*",
    re.IGNORECASE,
)


class Completer(Protocol):
    """The one LLM call the pipeline needs."""

    async def complete(
        self,
        messages: list[dict[str, str]],
        *,
        json_schema: dict[str, Any] | None = None,
        max_tokens: int | None = None,
    ) -> str:
        """Return one whole completion."""
        ...


@dataclass
class TranslationResult:
    """A translation and what the checks found."""

    text: str
    locale: str
    cached: bool = False
    generated_by: str = ""
    sentences: int = 0
    retried: int = 0
    kept_source: int = 0
    numbers_ok: bool = True
    missing_terms: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def checks(self) -> dict[str, Any]:
        """Return the check results as stored with the cached row."""
        return {
            "sentences": self.sentences,
            "retried": self.retried,
            "kept_source": self.kept_source,
            "numbers_ok": self.numbers_ok,
            "missing_terms": self.missing_terms,
        }


def _table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(prompts.load("translate", ".json"))
    return data


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (keeps each sentence's own punctuation)."""
    return [s for s in _SENTENCE.split(text.strip()) if s.strip()]


def _clean(output: str) -> str:
    first = output.strip().split("\n\n", 1)[0]
    return _PREAMBLE.sub("", first).strip().strip('"').strip()


class Translator:
    """Translate shop text with the model, enforcing the glossary and numbers in code."""

    def __init__(
        self,
        llm: Completer,
        glossary: Glossary | None = None,
        *,
        engine: Engine | None = None,
        model_name: str = "llm",
        retries: int = 1,
    ) -> None:
        """Use ``llm``; with ``engine`` results and sentences are cached in the store."""
        self.llm = llm
        self.glossary = glossary or Glossary()
        self.engine = engine
        self.model_name = model_name
        self.retries = retries
        self._table = _table()

    def language_name(self, locale: str) -> str:
        """English name of ``locale`` ("German")."""
        return str(self._table["languages"][locale])

    def cached(self, key: str, text: str, target: str) -> str | None:
        """Return the cached translation of ``text`` under ``key``, without calling the model."""
        if self.engine is None:
            return None
        row = get_translation(self.engine, key, check_locale(target), text)
        return row.text if row else None

    async def plain(self, text: str, target: str, *, max_tokens: int = 400) -> str:
        """Translate with a one-line prompt: the baseline the benchmark compares against."""
        prompt = self._table["plain"].format(language=self.language_name(target), text=text)
        out = await self.llm.complete([{"role": "user", "content": prompt}], max_tokens=max_tokens)
        return _clean(out)

    async def term(self, term: str, target: str, *, source: str = "en") -> str:
        """Translate one catalog term ("adjustable arm"), cached in the term memory.

        Attribute values are translated once, on their own, so every product that has
        the same feature gets the same words; the glossary's fixed terms win.
        """
        target, source = check_locale(target), check_locale(source)
        fixed = self.glossary.fixed.get(term, {}).get(target)
        if fixed or target == source:
            return fixed or term
        key = f"term:{source}"
        if self.engine is not None:
            row = get_translation(self.engine, key, target, term)
            if row is not None:
                return row.text
        system = self._table["term_system"].format(language=self.language_name(target))
        messages = [{"role": "system", "content": system}]
        examples = self._table["term_examples"].get(target if source == "en" else "en", [])
        for src, dst in examples:
            messages += [{"role": "user", "content": src}, {"role": "assistant", "content": dst}]
        messages.append({"role": "user", "content": term})
        out = _clean(await self.llm.complete(messages, max_tokens=24)).split("\n")[0].strip(" .")
        if not out or len(out) > 4 * len(term) + 20 or not numbers_preserved(term, out):
            out = term  # an unusable answer: keep the catalog's own word
        if self.engine is not None:
            put_translation(self.engine, key, target, term, out, generated_by=self.model_name)
        return out

    async def translate(
        self,
        text: str,
        target: str,
        *,
        source: str = "en",
        key: str | None = None,
        protect: list[str] | None = None,
        terms: list[str] | None = None,
    ) -> TranslationResult:
        """Translate ``text`` from ``source`` into ``target``.

        ``protect`` adds terms kept verbatim; ``terms`` (a product's attribute values) are
        translated once each through :meth:`term` and then used as fixed terms.
        """
        started = time.perf_counter()
        target, source = check_locale(target), check_locale(source)
        if target == source or not text.strip():
            return TranslationResult(text=text, locale=target, generated_by="source")
        if key and self.engine is not None:
            row = get_translation(self.engine, key, target, text)
            if row is not None:
                return TranslationResult(
                    text=row.text, locale=target, cached=True, generated_by=row.generated_by
                )
        glossary = self.glossary.with_protected(protect or [])
        if terms:
            wanted = [t for t in dict.fromkeys(terms) if t and t.lower() in text.lower()]
            glossary = glossary.with_fixed(
                {t: await self.term(t, target, source=source) for t in wanted}, target
            )
        result = TranslationResult(text="", locale=target, generated_by=self.model_name)
        parts = []
        for sentence in split_sentences(text):
            parts.append(await self._sentence(sentence, source, target, glossary, result))
        result.text = " ".join(parts)
        result.numbers_ok = numbers_preserved(text, result.text)
        result.missing_terms = terms_kept(text, result.text, glossary, target)
        result.seconds = time.perf_counter() - started
        if key and self.engine is not None:
            put_translation(
                self.engine,
                key,
                target,
                text,
                result.text,
                generated_by=self.model_name,
                checks=result.checks(),
            )
        return result

    async def _sentence(
        self, sentence: str, source: str, target: str, glossary: Glossary, result: TranslationResult
    ) -> str:
        result.sentences += 1
        memory_key = f"tm:{source}"
        if self.engine is not None:
            row = get_translation(self.engine, memory_key, target, sentence)
            if row is not None and row.status != "rejected":
                return row.text
        masked = mask(sentence, glossary, target)
        if not re.search(r"[^\W\d_]", re.sub(r"<\d+>", "", masked.text)):
            return restore(masked.text, masked)[0]  # nothing but names and numbers
        messages = self._messages(masked.text, source, target)
        out, problems = restore(_clean(await self._ask(messages, masked.text)), masked)
        tries = 0
        while (problems or not numbers_preserved(sentence, out)) and tries < self.retries:
            tries += 1
            result.retried += 1
            slots = ", ".join(f"<{i}>" for i in range(1, len(masked.slots) + 1))
            system = self._table["retry"].format(language=self.language_name(target), slots=slots)
            retry = [{"role": "system", "content": system}, messages[-1]]
            out, problems = restore(_clean(await self._ask(retry, masked.text)), masked)
        if problems or not numbers_preserved(sentence, out) or not out:
            result.kept_source += 1
            return sentence
        if self.engine is not None:
            put_translation(
                self.engine, memory_key, target, sentence, out, generated_by=self.model_name
            )
        return out

    async def _ask(self, messages: list[dict[str, str]], text: str) -> str:
        budget = max(48, int(len(text) / 2.2) + 24)
        return await self.llm.complete(messages, max_tokens=budget)

    def _messages(self, text: str, source: str, target: str) -> list[dict[str, str]]:
        name = self.language_name(target)
        messages = [{"role": "system", "content": self._table["system"].format(language=name)}]
        if source == "en":
            for src, dst in self._table["examples"].get(target, []):
                messages += [
                    {"role": "user", "content": src},
                    {"role": "assistant", "content": dst},
                ]
        elif target == "en":
            for src, dst in self._table["examples"]["en"]:
                messages += [
                    {"role": "user", "content": src},
                    {"role": "assistant", "content": dst},
                ]
        messages.append({"role": "user", "content": text})
        return messages


def text_key(text: str) -> str:
    """Cache key of a free text (not a product field)."""
    return f"text:{content_hash(text)}"
