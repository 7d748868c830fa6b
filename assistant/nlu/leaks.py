"""Keep test phrasings out of training: train families that nearly repeat a test family.

Families are split into train and test by id, but two families can still phrase a request
almost the same way ("checkout pls" in one, "chckout plz" in another). Such a train family
would let the test score measure a phrasing already seen, so it is left out of training.

Two templates are near duplicates when, in the same language and for the same intent, they
label the same slots (placeholders and literal ``slot=value`` pairs alike) and their normal
forms (lower case, no punctuation, every placeholder ``x``, literal slots as their words
plus ``slot=value``) have a :class:`difflib.SequenceMatcher` ratio of ``THRESHOLD`` or
more. Templates with fewer than ``MIN_LETTERS`` letters besides placeholders and literal
labels ("{product} {size}") are too short to say anything and never count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from difflib import SequenceMatcher

from assistant.nlu.corpus import Family

THRESHOLD = 0.8
MIN_LETTERS = 8
_LITERAL = re.compile(r"\[([^\]]*)\]\((\w+)=([^)]+)\)")
_PLACEHOLDER = re.compile(r"\{\w+\}")


def normal_form(template: str) -> str:
    """Return what near duplicates are compared on ("[2nd](item=2) pls" → "2nd item=2 pls")."""
    text = _LITERAL.sub(lambda m: f"{m.group(1)} {m.group(2)}={m.group(3)}", template)
    text = _PLACEHOLDER.sub(" x ", text).lower()
    text = re.sub(r"[^\w\s=]", " ", text)
    return " ".join(text.split())


def labels(template: str) -> tuple[str, ...]:
    """Return the slots a template labels: placeholder names and literal ``slot=value`` pairs."""
    found = [m.group(0)[1:-1] for m in _PLACEHOLDER.finditer(template)]
    found += [f"{m.group(2)}={m.group(3)}" for m in _LITERAL.finditer(template)]
    return tuple(sorted(found))


def _letters(form: str) -> int:
    return sum(
        ch.isalpha() for word in form.split() if word != "x" and "=" not in word for ch in word
    )


def near_duplicates(
    families: Iterable[Family], train: set[str], test: set[str], threshold: float = THRESHOLD
) -> dict[str, str]:
    """Return ``{train family id: the test family id it nearly repeats}``."""
    tests: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    fams = list(families)
    for fam in fams:
        if fam.id in test:
            for t in fam.templates:
                if _letters(normal_form(t)) >= MIN_LETTERS:
                    tests[(fam.lang, fam.intent, *labels(t))].append((fam.id, normal_form(t)))
    found: dict[str, str] = {}
    for fam in fams:
        if fam.id not in train:
            continue
        for template in fam.templates:
            against = tests.get((fam.lang, fam.intent, *labels(template)), [])
            form = normal_form(template)
            if _letters(form) < MIN_LETTERS:
                continue
            matcher = SequenceMatcher(None, autojunk=False)
            matcher.set_seq2(form)
            hit = next((tid for tid, other in against if _similar(matcher, other, threshold)), None)
            if hit is not None:
                found[fam.id] = hit
                break
    return found


def _similar(matcher: SequenceMatcher[str], other: str, threshold: float) -> bool:
    matcher.set_seq1(other)
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )
