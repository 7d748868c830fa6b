"""The merchant's glossary, enforced in code: masking before the model, restoring after.

Protected terms (brand and product-line names, sizes, units) and every number with its
unit are replaced by ``<1>``, ``<2>`` … before the model sees the text and put back
verbatim afterwards; fixed terms are replaced by their fixed translation the same way.
:func:`restore` reports a slot the model dropped, so the pipeline can retry or keep the
source sentence: a number is never lost or changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from tools.errors import TerminalToolError

_UNIT = (
    r"%|°\s?[CF]|°|\"|''|inch(?:es)?|in\b|cm|mm|km|m\b|kg|g\b|lbs?|oz|qt|ml|L\b|l\b|W\b|"
    r"watts?|V\b|mAh|Hz|GB|TB|mph|hours?|hrs?|h\b|minutes?|min\b|pieces?|piece|person|"
    r"players|gsm|fill|days?|K\b|WD\b"
)
NUMBER = re.compile(
    rf"(?<![\w<])\d+(?:[.,]\d+)*(?:\s?[x×]\s?\d+(?:[.,]\d+)*)*(?:[\s-]?(?:{_UNIT}))?(?!\d)",
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SLOT = re.compile(r"<\s*(\d+)\s*>")
# Brand-like tokens: "AIRism", "MALM", "iPhone" (all caps, or a capital inside a word).
BRANDLIKE = re.compile(
    r"(?<![\w-])(?:[A-Z]{3,}[a-z]*|[A-Z]+[a-z]+[A-Z]\w*|[a-z]+[A-Z]\w*)(?![\w-])"
)


class Glossary(BaseModel):
    """What is never translated, and what has one fixed translation per locale."""

    protected: list[str] = Field(default_factory=list)
    fixed: dict[str, dict[str, str]] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None, *, protected: list[str] | None = None) -> Glossary:
        """Read a JSON/YAML glossary file (or none) and add ``protected`` terms."""
        base = cls()
        if path:
            p = Path(path)
            if not p.is_file():
                raise TerminalToolError(
                    f"glossary file {p} does not exist", code="glossary_missing"
                )
            raw = p.read_text(encoding="utf-8")
            try:
                data = yaml.safe_load(raw) if p.suffix in (".yaml", ".yml") else json.loads(raw)
                base = cls.model_validate(data or {})
            except (ValueError, yaml.YAMLError, ValidationError) as exc:
                raise TerminalToolError(
                    f"glossary file {p} is malformed: {exc}", code="glossary_invalid"
                ) from exc
        return base.with_protected(protected or [])

    def with_fixed(self, terms: dict[str, str], locale: str) -> Glossary:
        """Return a copy with ``terms`` as fixed translations into ``locale``.

        The glossary's own fixed terms win over these.
        """
        fixed = {k: dict(v) for k, v in self.fixed.items()}
        for term, text in terms.items():
            if locale not in fixed.get(term, {}):
                fixed.setdefault(term, {})[locale] = text
        return Glossary(protected=list(self.protected), fixed=fixed)

    def with_protected(self, terms: list[str]) -> Glossary:
        """Return a copy that also protects ``terms`` (duplicates and blanks dropped)."""
        merged = sorted({t.strip() for t in [*self.protected, *terms] if t.strip()})
        return Glossary(protected=merged, fixed=dict(self.fixed))


@dataclass(frozen=True)
class Slot:
    """One masked span: what the source said and what goes back in its place."""

    kind: str  # "number" | "protected" | "fixed"
    source: str
    target: str


@dataclass
class Masked:
    """A sentence with its protected spans replaced by numbered slots."""

    text: str
    slots: list[Slot] = field(default_factory=list)


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)


def mask(text: str, glossary: Glossary, locale: str) -> Masked:
    """Replace fixed and protected terms, brand-like tokens and numbers with ``<n>`` slots.

    Longer terms win over shorter ones; a span is masked once.
    """
    spans: list[tuple[int, int, Slot]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in spans)

    terms = [(t, "fixed") for t, by in glossary.fixed.items() if locale in by]
    terms += [(t, "protected") for t in glossary.protected]
    for term, kind in sorted(terms, key=lambda tk: -len(tk[0])):
        for m in _term_pattern(term).finditer(text):
            if free(m.start(), m.end()):
                target = glossary.fixed[term][locale] if kind == "fixed" else m.group(0)
                spans.append((m.start(), m.end(), Slot(kind, m.group(0), target)))
    for m in BRANDLIKE.finditer(text):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), Slot("protected", m.group(0), m.group(0))))
    for m in NUMBER.finditer(text):
        if free(m.start(), m.end()):
            spans.append((m.start(), m.end(), Slot("number", m.group(0), m.group(0))))
    spans.sort(key=lambda s: s[0])
    out, last, slots = [], 0, []
    for start, end, slot in spans:
        slots.append(slot)
        out.append(text[last:start])
        out.append(f"<{len(slots)}>")
        last = end
    out.append(text[last:])
    return Masked("".join(out), slots)


def restore(text: str, masked: Masked) -> tuple[str, list[str]]:
    """Put each slot's target back; return the text and the problems (missing slots).

    A slot the model repeated is kept once; a slot number it invented is dropped.
    """
    seen: set[int] = set()

    def put(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n < 1 or n > len(masked.slots) or n in seen:
            return ""
        seen.add(n)
        return masked.slots[n - 1].target

    restored = _SLOT.sub(put, text)
    restored = re.sub(r"\s{2,}", " ", restored).strip()
    problems = [
        f"missing {masked.slots[n - 1].kind} {masked.slots[n - 1].source!r}"
        for n in range(1, len(masked.slots) + 1)
        if n not in seen
    ]
    return restored, problems


def numbers_in(text: str) -> list[str]:
    """Every number in ``text`` (digits with their separators), in order."""
    return _DIGITS.findall(text)


def numbers_preserved(source: str, output: str) -> bool:
    """Return True when every number of ``source`` appears in ``output`` as often."""
    have = numbers_in(output)
    for number in numbers_in(source):
        if number not in have:
            return False
        have.remove(number)
    return True


def terms_kept(source: str, output: str, glossary: Glossary, locale: str) -> list[str]:
    """Glossary terms of ``source`` missing from ``output`` (protected verbatim, fixed as fixed)."""
    missing = []
    for term in glossary.protected:
        if _term_pattern(term).search(source) and term.lower() not in output.lower():
            missing.append(term)
    for term, by in glossary.fixed.items():
        if locale in by and _term_pattern(term).search(source):
            if by[locale].lower() not in output.lower():
                missing.append(term)
    return missing
