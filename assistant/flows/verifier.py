"""Checks a sentence the model wrote before a shopper sees it; on failure code's words stand.

A model sentence may only be friendly: it must not state a number or a product name that
this turn's data does not contain, must be in the shopper's language, and must not carry
tool names, JSON or text of the prompts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.flows.understand import detect_language

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class Verdict:
    """Whether the sentence may be shown, and why not."""

    ok: bool
    problems: list[str] = field(default_factory=list)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".").rstrip(".0") or "0" for n in _NUMBER.findall(text)}


def verify_sentence(
    sentence: str,
    *,
    lang: str,
    facts: str,
    product_names: list[str],
    tool_names: list[str],
    prompt_text: str,
) -> Verdict:
    """Check ``sentence`` against this turn's data (``facts``: the reply and tool results)."""
    problems: list[str] = []
    text = sentence.strip()
    if not text:
        return Verdict(False, ["empty"])
    invented = sorted(_numbers(text) - _numbers(facts))
    if invented:
        problems.append(f"numbers not in this turn's data: {invented}")
    low, known = text.lower(), facts.lower()
    unknown = [n for n in product_names if n.lower() in low and n.lower() not in known]
    if unknown:
        problems.append(f"products not in this turn's data: {unknown}")
    named = [t for t in tool_names if t in text]
    if named:
        problems.append(f"tool names: {named}")
    if "{" in text or "}" in text:
        problems.append("JSON or template braces")
    for line in prompt_text.splitlines():
        line = line.strip().lower()
        if len(line.split()) >= 6 and line[:40] in low:
            problems.append("text of the prompt")
            break
    found = detect_language(text, default=lang)
    if found != lang:
        problems.append(f"language {found}, expected {lang}")
    return Verdict(not problems, problems)
