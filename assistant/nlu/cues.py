"""Cue words (``cues.yaml``): what words like "at least", "au moins", "stornieren" signal.

They are features for the trained models, shared by all five languages, so a cue learnt
from German examples also counts in Spanish; no cue decides anything by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.nlu.tokens import Token, tokenize, verb_key, word_indexes, word_tokens
from retrieval.lexicon import Entry, ShopLexicon

CUES_FILE = Path(__file__).with_name("cues.yaml")


@lru_cache(maxsize=4)
def cue_table(path: Path) -> ShopLexicon:
    """Return a cue file's groups (``group: [phrases]``) as one phrase table (kind ``cue``)."""
    lex = ShopLexicon()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for name, phrases in data.items():
        for phrase in phrases or []:
            lex.add(str(phrase), Entry("cue", str(name)))
    return lex


def cue_lexicon() -> ShopLexicon:
    """Return the reader's cue groups as one phrase table (entries of kind ``cue``)."""
    return cue_table(CUES_FILE)


def token_cues(tokens: list[Token]) -> list[list[str]]:
    """Per token, the cue groups of the cue phrase it is part of.

    A word no cue phrase covers still counts as an inflected form of a one-word cue
    ("teuersten" of "teuerste", "cheaper" of "cheap", "economici" of "economico").
    """
    out: list[list[str]] = [[] for _ in tokens]
    words = word_indexes(tokens)
    for m in cue_lexicon().match([tokens[i].key for i in words], typos=False):
        for j in range(m.start, m.end):
            out[words[j]].extend(e.value for e in m.entries)
    singles = _single_cues(CUES_FILE)
    for i in words:
        if not out[i]:
            out[i].extend(inflected(tokens[i].key, singles))
    for k in range(1, len(words)):
        if "human" in out[words[k]] and tokens[words[k - 1]].text.isdigit():
            # "is it there as a 3 person?": a count of people is a size, asks for no one
            out[words[k]] = [c for c in out[words[k]] if c != "human"]
    return out


@lru_cache(maxsize=4)
def _single_cues(path: Path) -> dict[str, list[str]]:
    """One-word cue phrases of 5+ letters, by key, with their groups."""
    out: dict[str, list[str]] = {}
    for key, entries in cue_table(path).phrases.items():
        if len(key) == 1 and len(key[0]) >= 5:
            out[key[0]] = sorted(e.value for e in entries)
    return out


def inflected(key: str, singles: dict[str, list[str]]) -> list[str]:
    """Return the groups of the one-word cue ``key`` inflects.

    An inflection is a cue plus an ending of 1–4 letters, or a cue with another final vowel
    (Romance gender and number).
    """
    if len(key) < 6 or not key.isalpha():
        return []
    for cut in range(1, 5):
        if len(key) - cut >= 5 and key[:-cut] in singles:
            return singles[key[:-cut]]
    if key[-1] in "aeio":
        for vowel in "aeio":
            if vowel != key[-1] and key[:-1] + vowel in singles:
                return singles[key[:-1] + vowel]
    if key[-3:] in _DIMINUTIVES and len(key) >= 8:
        # a Spanish or Italian diminutive of a cue: "baratito", "baratitas", "economicino"
        for vowel in "aeio":
            if key[:-3] + vowel in singles:
                return singles[key[:-3] + vowel]
    return []


_DIMINUTIVES = frozenset({"ito", "ita", "ino", "ina"})


def cue_words(cues: list[list[str]]) -> str:
    """Return a message's cue groups (per token) as pseudo-words for the sentence heads."""
    seen = sorted({c for group in cues for c in group})
    return " ".join(f"<cue_{c}>" for c in seen)


def asks_which_of(text: str) -> bool:
    """Return True when the message asks which of a set ("which of these", "welche davon")."""
    return any("which_of" in c for c in token_cues(tokenize(text)))


DIALOGUE_FILE = Path(__file__).with_name("dialogue_cues.yaml")


@dataclass(frozen=True)
class CueHit:
    """A cue phrase of group ``group`` over message words ``start``..``end`` (exclusive)."""

    group: str
    start: int
    end: int
    keys: tuple[str, ...] = ()  # the matched words' keys


def dialogue_lexicon(lang: str) -> ShopLexicon:
    """Return the dialogue cue groups of one language (``dialogue_cues.yaml``).

    The groups of ``APART_GROUPS`` are left out: they are matched on their own.
    """
    return _groups_lexicon(lang, None)


# groups matched on their own, so their phrases never take words from the others'
# ("noch einen in" would hide "noch einen", one more)
APART_GROUPS = frozenset(
    {
        "one_each", "variant_noun", "asks_have", "rate_best", "topic_shift", "wants",
        "discard", "swap_for", "same_again", "back_to", "the_other", "one_with",
        "kept_in", "dislike",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def _dialogue_groups() -> dict[str, Any]:
    """Return the dialogue cue file, read once (every group's table is built from it)."""
    data: dict[str, Any] = yaml.safe_load(DIALOGUE_FILE.read_text(encoding="utf-8")) or {}
    return data


@lru_cache(maxsize=256)  # five languages, each table and every group apart
def _groups_lexicon(lang: str, only: str | None) -> ShopLexicon:
    """Return one phrase table of the dialogue cue groups (``only``: that group alone)."""
    lex = ShopLexicon()
    for name, by_lang in _dialogue_groups().items():
        skip = name != only if only is not None else name in APART_GROUPS
        if skip:
            continue
        for phrase in (by_lang or {}).get(lang) or (by_lang or {}).get("en") or []:
            lex.add(str(phrase), Entry("cue", str(name)))
    return lex


def apart_hits(text: str, lang: str, group: str) -> int:
    """Return how many times a group of ``APART_GROUPS`` is said in ``text``."""
    return len(apart_spans(text, lang, group))


def apart_spans(text: str, lang: str, group: str) -> list[tuple[int, int]]:
    """Return the (start, end) characters of each saying of a group of ``APART_GROUPS``."""
    tokens = word_tokens(text)
    found = _groups_lexicon(_lang(lang), group).match(_cue_words(text), typos=False)
    return [(tokens[m.start].start, tokens[m.end - 1].end) for m in found]


_LANGS = ("en", "de", "fr", "es", "it")  # the languages of the cue files


def _lang(lang: str) -> str:
    """Return ``lang`` when the cue file has it, else English."""
    return lang if lang in _LANGS else "en"


def _cue_words(text: str) -> list[str]:
    """Return the keys the dialogue cues are matched on (French "-m'en" joined)."""
    return [verb_key(t) for t in word_tokens(text)]


def dialogue_hits(text: str, lang: str) -> list[CueHit]:
    """Return the dialogue cues of ``text`` in ``lang``, each with its word positions.

    A turn's flows ask this of the same message many times; it is matched once.
    """
    return list(_dialogue_hits(text, _lang(lang)))


@lru_cache(maxsize=256)
def _dialogue_hits(text: str, lang: str) -> tuple[CueHit, ...]:
    words = _cue_words(text)
    hits: list[CueHit] = []
    for m in dialogue_lexicon(lang).match(words, typos=False):
        covered = tuple(words[m.start : m.end])
        hits.extend(CueHit(e.value, m.start, m.end, covered) for e in m.entries)
    return tuple(hits)


def cue_language(text: str) -> str | None:
    """Return the one language whose dialogue cue words cover most of ``text`` (None: a tie).

    "vendéis colchones?" is too short for a language identifier, but "vendéis" is a
    Spanish cue word and no other language's.
    """
    words = _cue_words(text)
    covered: dict[str, int] = {}
    for lang in _LANGS:
        spans = [(h.start, h.end) for h in _dialogue_hits(text, lang)]
        for group in APART_GROUPS:
            table = _groups_lexicon(lang, group)
            spans += [(m.start, m.end) for m in table.match(words, typos=False)]
        covered[lang] = len({i for a, b in spans for i in range(a, b)})
    best = max(covered.values())
    top = [lang for lang, n in covered.items() if n == best]
    return top[0] if best and len(top) == 1 else None


def affirmed_groups(
    text: str, lang: str, *, reach: int = 3, only: frozenset[str] | None = None
) -> set[str]:
    """Return the dialogue cue groups of ``text`` not said after a negation in their clause.

    "rimborso sulla carta, non sulla gift card" names the card, not the gift card: a cue
    up to ``reach`` words after "non" / "not" / "nicht" … is left out. ``only``: the
    groups a negation can take out (the others are always kept).
    """
    tokens = tokenize(text)
    words = word_indexes(tokens)
    cues = token_cues(tokens)
    return {
        hit.group
        for hit in dialogue_hits(text, lang)
        if (only is not None and hit.group not in only)
        or not negated_before(
            tokens, cues, words[hit.start] if hit.start < len(words) else len(tokens), reach
        )
    }


def negated_before(tokens: list[Token], cues: list[list[str]], at: int, reach: int) -> bool:
    """Whether a negation cue is among the ``reach`` tokens before token ``at`` in its clause.

    ``cues`` are :func:`token_cues` of ``tokens``; a token with no letter or digit (",",
    ".", "(" …) ends the clause.
    """
    for j in range(at - 1, max(-1, at - 1 - reach), -1):
        if not any(c.isalnum() for c in tokens[j].text):
            return False
        if "negation" in cues[j]:
            return True
    return False
