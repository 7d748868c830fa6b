"""Positions of shown products in words: "the second one", "den letzten", "les deux premiers"."""

from __future__ import annotations

import re

from assistant.nlu.cues import token_cues
from assistant.nlu.numbers import number_in
from assistant.nlu.tokens import tokenize, word_indexes
from retrieval.lexicon import fold

# Word stems (accents folded) → position; -1 is "the last".
_STEMS: list[tuple[str, int]] = [
    ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("last", -1),
    ("erst", 1), ("zweit", 2), ("dritt", 3), ("viert", 4), ("funft", 5), ("letzt", -1),
    ("premier", 1), ("premiere", 1), ("deuxieme", 2), ("second", 2), ("troisieme", 3),
    ("quatrieme", 4), ("cinquieme", 5), ("dernier", -1), ("derniere", -1),
    ("primer", 1), ("segund", 2), ("tercer", 3), ("cuart", 4), ("quint", 5), ("ultim", -1),
    ("prim", 1), ("second", 2), ("terz", 3), ("quart", 4),
]  # fmt: skip
_BOTH = re.compile(
    r"\b(both|beide\w*|les deux|tous les deux|ambos|ambas|los dos|las dos|entrambi|tutti e due)\b"
)
_FIRST_WORDS = r"(?:first|top|ersten|premiers|premieres|primeros|primeras|primi|prime)"
_FIRST_THEN_N = re.compile(rf"\b{_FIRST_WORDS}\s+(\w+)")
_N_THEN_FIRST = re.compile(
    r"\b(\w+)\s+(?:first|premiers|premieres|primeros|primeras|primi|prime|ersten)\b"
)
# "the top one", "den obersten", "el de arriba": the first shown ("top 3" is a count, and
# "top rated" a sort, so "top" counts only before a word for one product).
_TOP = re.compile(
    r"\btop (?:one|1|result|pick|choice|item|option)\b|\boberste[nrs]?\b"
    r"|\b(?:el|la|lo) de arriba\b|\bcelui du haut\b|\bcelle du haut\b|\bquell[oa] in alto\b"
)
# Ordinal words in set phrases of time or order, never a shown product's position ("for the
# first time", "zum ersten Mal", "la dernière fois", "prima di tutto"), nor "one" of a count
# given away ("uno es para mi primo"); accents folded.
_IDIOMS = re.compile(
    r"\b(?:(?:for )?the first time|first time|at first|first of all|first off|"
    r"(?:the )?last (?:time|week|month|year|night|minute)|at last|"
    r"(?:zum |beim |das )?erste[ns]? mal|erstmal|erst mal|zuerst|"
    r"(?:beim )?letzte[ns]? (?:mal|woche|monat|jahr)|zum letzten mal|"
    r"(?:pour )?la premiere fois|la derniere fois|tout d'abord|d'abord|en premier|"
    r"(?:la semaine|le mois) dernier|l'annee derniere|l'an dernier|"
    r"(?:por )?(?:la )?primera vez|(?:la )?ultima vez|primero que nada|"
    r"(?:la semana|el mes|el ano) pasad[oa]|"
    r"(?:per )?la prima volta|l'ultima volta|prima di|prima che|di prima|"
    r"(?:la settimana|il mese|l'anno) scors[oa]|"
    # "one is for my cousin", "uno es para mi primo": one of the count, given away
    r"one(?:'s| is| will be)? for|(?:uno|una) (?:es|sera|va) para|"
    r"(?:eins|einer|eine|eines) (?:ist |wird )?fur|(?:l'un|l'une|un|une) (?:est|sera) pour|"
    r"(?:uno|una) (?:e|sara|va) per|"
    # Spanish "mi primo": my cousin, not the Italian "primo" (first)
    r"(?:mi|tu|su|mis|tus|sus) prim[oa]s?)\b"
)
# Endings that make a digit an ordinal ("1st", "la 1ère", "le 2ème", "3°").
_ENDINGS = "st|nd|rd|th|er|ere|re|e|eme|ème|º|°"
# A digit with an ordinal ending is a position, never a count.
_SUFFIXED = re.compile(rf"(?<![\w.])(\d{{1,2}})(?:{_ENDINGS})(?!\w)")
# A digit that may be a position: with an ordinal ending, "1o"/"2a", "2.", or bare; never
# one that starts another word ("3xl" is a size, "2x" a count).
_DIGIT_ORD = re.compile(rf"(?<![\w.])#?(\d{{1,2}})(?:{_ENDINGS}|o|a|\.)?(?!\w)")


def in_idiom(text: str, start: int, end: int) -> bool:
    """Return True when ``text[start:end]`` lies in a set phrase ("for the first time")."""
    return any(m.start() <= start and end <= m.end() for m in _IDIOMS.finditer(fold(text)))


def word_positions(text: str) -> list[int]:
    """Return the positions ordinal words name ("la segunda", "la 1ère"); no bare numbers."""
    low = _IDIOMS.sub(" ", fold(text))
    if _BOTH.search(low):
        return [1, 2]
    first_n = first_count(low)
    if first_n:
        return list(range(1, first_n + 1))
    out: list[int] = [1] if _TOP.search(low) else []
    for digits in _SUFFIXED.findall(low):
        if 1 <= int(digits) <= 20 and int(digits) not in out:
            out.append(int(digits))
    for m in re.finditer(r"[a-z]+", low):
        word = m.group(0)
        if re.search(r"\d\s*$", low[: m.start()]):
            continue  # a number's unit, not an ordinal ("6 cuartos" are quarts)
        for stem_, pos in _STEMS:
            if word.startswith(stem_) and pos not in out:
                out.append(pos)
                break
    return out


def first_count(text: str) -> int | None:
    """Return N of "the first N" / "top N" / "die ersten zwei" (2 to 5), else None."""
    low = fold(text)
    for pattern in (_FIRST_THEN_N, _N_THEN_FIRST):  # "tra i primi due": "i primi" is no count
        for m in pattern.finditer(low):
            count = number_in(m.group(1))
            if count is not None and 2 <= count <= 5:
                return int(count)
    return None


def positions(text: str) -> list[int]:
    """Return the 1-based positions a phrase names (-1 for the last); empty if none."""
    low = _IDIOMS.sub(" ", fold(text))
    if _BOTH.search(low):
        return [1, 2]
    out = word_positions(low)
    if len(out) > 1:
        return out
    for d in _DIGIT_ORD.findall(low):
        if 1 <= int(d) <= 20 and int(d) not in out:
            out.append(int(d))
    if not out:  # a number word; a digit that starts a word ("3xl", "2x") is none
        value = number_in(re.sub(r"\d+[^\W\d_]\w*", " ", low))
        if value is not None and 1 <= value <= 20:
            out.append(int(value))
    return out


_SORT_CUES = {"price_asc", "price_desc", "rating"}


def count_of_best(text: str) -> int | None:
    """Return N of "the two cheapest", "die zwei günstigsten", "los dos más baratos" (2 to 5).

    A count right before (up to two words) a word that sorts the shown products: the N
    first of them in that order, not the N-th one shown.
    """
    tokens = tokenize(text)
    cues = token_cues(tokens)
    words = word_indexes(tokens)
    for k, i in enumerate(words):
        if not _SORT_CUES & set(cues[i]):
            continue
        for j in reversed(words[max(0, k - 2) : k]):
            if _SORT_CUES & set(cues[j]):
                continue
            count = number_in(tokens[j].text)
            if count is not None and count in (2, 3, 4, 5):
                return int(count)
    return None
