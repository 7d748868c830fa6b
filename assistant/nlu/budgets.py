"""Which bound an amount is: a ceiling, a floor, an approximate price, or a range's end.

The tagger finds the amounts; the words around them decide the bound, using the shared
cue groups, so "mindestens 75", "au moins 75" and "at least 75" are floors alike.
"""

from __future__ import annotations

import re

from assistant.nlu.message import Reading
from assistant.nlu.numbers import (
    Amount,
    currency_in,
    is_number_word,
    parse_amount,
)
from assistant.nlu.ordinals import first_count
from assistant.nlu.tagger import Tagged
from assistant.nlu.tokens import Token, norm
from assistant.nlu.units import before_time_unit
from retrieval.lexicon import Entry

_BOUND_CUES = {
    "budget_max": "budget_max",
    "budget_min": "budget_min",
    "budget_about": "budget_about",
}


def bound_roles(tagged: list[Tagged], tokens: list[Token], cues: list[list[str]]) -> list[Tagged]:
    """Give each amount the bound its nearest bound word says ("mindestens 75" is a minimum).

    The tagger finds the amounts; the cue word just before one (within four words)
    decides which bound it is, and a negation before a floor word makes it a ceiling
    ("don't want to spend more than 40"). "50-80" / "50 to 80" is a range.
    """
    index = {tok.start: i for i, tok in enumerate(tokens)}
    tagged = [half for t in tagged for half in _split_range(t)]
    budgets = [t for t in tagged if t.slot.startswith("budget_")]
    if len(budgets) == 1:
        pair = _range_partner(budgets[0], tokens, index)
        if pair is not None:
            low, high = sorted([budgets[0], pair], key=lambda t: _amount(t.text))
            rest = [t for t in tagged if t is not budgets[0]]
            return sorted(
                [*rest, Tagged("budget_min", low.start, low.end, low.text),
                 Tagged("budget_max", high.start, high.end, high.text)],
                key=lambda t: t.start,
            )  # fmt: skip
    if len(budgets) == 2 and _joined(budgets[0], budgets[1], tokens, index):
        # "35 bis 70" tagged as two amounts of one kind: the range's two ends
        low, high = sorted(budgets, key=lambda t: _amount(t.text))
        rest = [t for t in tagged if t not in budgets]
        return sorted(
            [*rest, Tagged("budget_min", low.start, low.end, low.text),
             Tagged("budget_max", high.start, high.end, high.text)],
            key=lambda t: t.start,
        )  # fmt: skip
    if len(budgets) != 1:
        return tagged
    out: list[Tagged] = []
    for t in tagged:
        first = index.get(t.start)
        if t.slot.startswith("budget_") and first is not None:
            role = None
            for j in range(first - 1, max(-1, first - 5), -1):
                found = [c for c in cues[j] if c in _BOUND_CUES]
                if found:
                    role = _BOUND_CUES[found[-1]]
                    start = j
                    while start > 0 and found[-1] in cues[start - 1]:
                        start -= 1  # the first word of the bound phrase ("more than")
                    negated = any(
                        "negation" in cues[k] or tokens[k].key in _NEGATIONS
                        for k in range(max(0, start - 5), start)
                    )
                    if role == "budget_min" and negated:
                        role = "budget_max"
                    break
            last = next((k for k, tok in enumerate(tokens) if tok.end == t.end), None)
            if role == "budget_min" and last is not None and _refused_after(cues, tokens, last):
                role = "budget_max"  # "mehr als 230 euro will ich nicht ausgeben"
            if role is None and "budget_min" in _cues_after(cues, last, 2):
                # "$250 and up", "100 or more": a floor word right after the amount
                role = "budget_min"
            about = role == "budget_about" or (role is None and t.slot == "budget_about")
            if about and "budget_max" in _cues_after(cues, last, 3):
                role = "budget_max"  # "unos 60 dólares como mucho": about, but at most
            if (role is None or about) and last is not None and _no_more_after(cues, tokens, last):
                role = "budget_max"  # "sui 40 euro, non di più": about, but not more
            if role and role != t.slot:
                t = Tagged(role, t.start, t.end, t.text)
        out.append(t)
    return out


# negations the cue words lack, as typed ("nothin over 80 bucks", "nichts über 50", "rien
# au-dessus de 40", "i really cant spend more than 45")
_NEGATIONS = frozenset(
    norm(w)
    for w in "nothin nuthin nothng nothign noting nichts nix nüscht rien niente nulla nessuno "
    "ninguno ninguna can't cant cannot couldn't couldnt won't wont don't dont doesn't doesnt "
    "shouldn't shouldnt mustn't mustnt never".split()
)


def _cues_after(cues: list[list[str]], last: int | None, n: int) -> list[str]:
    """Return the cue groups of the ``n`` tokens after token ``last`` (none without it)."""
    if last is None:
        return []
    return [c for k in range(last + 1, min(len(cues), last + 1 + n)) for c in cues[k]]


# Words after a number that make it a rating, never a price ("at least 4 stars").
_STAR_WORDS = frozenset(
    "star stars sterne sternen stern étoile étoiles etoile etoiles estrella estrellas "
    "stella stelle".split()
)
_NEAR = 3  # an amount this many words after a bound word at most ("more than a hundred")


def untagged_amount(
    text: str, tagged: list[Tagged], tokens: list[Token], cues: list[list[str]]
) -> list[Tagged]:
    """Return ``tagged`` with the amount right after a bound word the tagger left out.

    "i dont want to spend more than a hundred": the bound words are there, the amount is
    typed in words, and the tagger marked nothing. With no budget tagged at all, the number
    (digits or words) within a few words after a bound word is the amount, unless another
    slot holds it or a unit, a time or stars follow it. :func:`bound_roles` then decides
    which bound it is. Amounts followed by a star word are ratings, never budgets.
    """
    tagged = [t for t in tagged if not (t.slot.startswith("budget_") and _stars_after(text, t.end))]
    if any(t.slot.startswith("budget_") for t in tagged):
        return tagged
    taken = [(t.start, t.end) for t in tagged]
    money = any("money" in c for c in cues) or currency_in(text) is not None
    for i in range(len(tokens)):
        if not _bound(cues[i]) or (i + 1 < len(tokens) and _bound(cues[i + 1])):
            continue  # the bound phrase's last word ("more than")
        for j in range(i + 1, min(len(tokens), i + 1 + _NEAR)):
            amount = _amount_from(text, tokens, j)
            if amount is None:
                continue
            start, end, value = amount
            clear = not any(a < end and start < b for a, b in taken)
            if clear and (value >= 5 or money) and not _unit_after(text, tokens, end):
                return sorted([*tagged, Tagged("budget_max", start, end, text[start:end])],
                              key=lambda t: t.start)  # fmt: skip
            break
    return tagged


def _bound(cues: list[str]) -> bool:
    return any(c in _BOUND_CUES for c in cues)


def _amount_from(text: str, tokens: list[Token], j: int) -> tuple[int, int, float] | None:
    """Return the largest amount from token ``j`` on (five tokens at most: "a hundred and ten")."""
    best: tuple[int, int, float] | None = None
    for k in range(j, min(len(tokens), j + 5)):
        span = text[tokens[j].start : tokens[k].end]
        words = [t.text for t in tokens[j : k + 1]]
        if not all(w[:1].isdigit() or is_number_word(w) or w.lower() in _GLUE for w in words):
            break
        amount = parse_amount(span)
        if amount is not None and words[-1].lower() not in _GLUE:
            if best is None or amount.value > best[2]:
                best = (tokens[j].start, tokens[k].end, amount.value)
    return best


_GLUE = {"a", "and", "und", "et", "y", "e", "$", "€", "£"}


def _unit_after(text: str, tokens: list[Token], end: int) -> bool:
    """Return True when a word after the amount makes it a time, an age or a rating."""
    return (
        before_time_unit(text, end)
        or _stars_after(text, end)
        or bool(re.match(r"\s*(?:%|x\b|pcs\b|pieces\b|person\b|people\b)", text[end:], re.I))
    )


def _stars_after(text: str, end: int) -> bool:
    after = re.match(r"[\s-]*([^\W\d_]+)", text[end:])
    return after is not None and after.group(1).lower() in _STAR_WORDS


def _refused_after(cues: list[list[str]], tokens: list[Token], last: int) -> bool:
    """Return True when a negation and a spending word follow the amount ending at ``last``.

    "more than 230 I won't spend", "più di 50 euro non voglio spendere", "mehr als 60 euro
    geb ich dafür aber nicht aus": a floor word with the spending refused after the amount
    is a ceiling.
    """
    after = cues[last + 1 : last + 8]
    words = {t.text.lower() for t in tokens[last + 1 : last + 8]}
    negated = any("negation" in c for c in after)
    return negated and (any("money" in c for c in after) or bool(words & _SPEND_WORDS))


def _no_more_after(cues: list[list[str]], tokens: list[Token], last: int) -> bool:
    """Return True when "not more" follows the amount ending at ``last`` (five words at most).

    "about 40, not more", "ungefähr 40 euro, nicht mehr", "environ 40, pas plus", "unos
    40, no más", "sui 40 euro, non di più": the amount is a ceiling.
    """
    for k in range(last + 1, min(len(tokens), last + 6)):
        if "negation" in cues[k] or tokens[k].key in _NEGATIONS:
            return any(norm(t.text) in _MORE for t in tokens[k + 1 : k + 3])
    return False


_MORE = frozenset(norm(w) for w in "more mehr plus más mas più piu".split())


# spending verbs the money cue group lacks (forms around a negation: "geb … nicht aus")
_SPEND_WORDS = frozenset(
    "spend spending pay paying geb gebe zahl zahle zahlen bezahle dépense dépenser payer "
    "paie gasto gastar pago pagar spendo spendere pagare".split()
)


_RANGE_JOIN = {"-", "–", "to", "and", "und", "bis", "et", "à", "a", "y", "e", "al"}


def _range_partner(amount: Tagged, tokens: list[Token], index: dict[int, int]) -> Tagged | None:
    """Return the other end of "50-80" / "50 to 80" next to ``amount``, if there is one."""
    i = index.get(amount.start)
    j = next((k for k, tok in enumerate(tokens) if tok.end == amount.end), None)
    if i is None or j is None:
        return None
    for a, joiner, b in ((j + 1, j + 1, j + 2), (i - 2, i - 1, i - 2)):
        if 0 <= a < len(tokens) and 0 <= b < len(tokens) and 0 <= joiner < len(tokens):
            if tokens[joiner].text.lower() in _RANGE_JOIN and tokens[b].text[:1].isdigit():
                tok = tokens[b]
                if parse_amount(tok.text) is not None:
                    return Tagged("budget_max", tok.start, tok.end, tok.text)
    return None


def _joined(first: Tagged, second: Tagged, tokens: list[Token], index: dict[int, int]) -> bool:
    """Return True when two amounts of one kind stand as "50 - 80" / "50 bis 80".

    A range runs from low to high: "a hundred and fifty" is one amount, not 100 to 50.
    """
    j = next((k for k, tok in enumerate(tokens) if tok.end == first.end), None)
    i = index.get(second.start)
    return (
        first.slot == second.slot
        and j is not None
        and i == j + 2
        and tokens[j + 1].text.lower() in _RANGE_JOIN
        and _amount(first.text) < _amount(second.text)
    )


_IN_ONE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:-|–|to|bis|à|a|al)\s*[$€£]?\s*(\d+(?:[.,]\d+)?)")


def _split_range(t: Tagged) -> list[Tagged]:
    """Return "50-80" tagged as one amount as its two ends."""
    m = _IN_ONE.search(t.text) if t.slot.startswith("budget_") else None
    if m is None:
        return [t]
    a, b = t.start + m.start(1), t.start + m.start(2)
    return [
        Tagged("budget_min", a, t.start + m.end(1), m.group(1)),
        Tagged("budget_max", b, t.start + m.end(2), m.group(2)),
    ]


def _amount(text: str) -> float:
    amount = parse_amount(text)
    return amount.value if amount else 0.0


_MONEY = re.compile(r"[$€£]|\b(?:dollars?|bucks|euros?|eur|usd)\b", re.IGNORECASE)


def top_n_positions(r: Reading) -> None:
    """Read "the top 2" as two positions, not a budget of $2 (2 to 5, no money word)."""
    count = first_count(r.text)
    if count is None or r.currency or _MONEY.search(r.text):
        return
    for bound in ("budget_max", "budget_min", "budget_about"):
        if getattr(r, bound) == float(count):
            setattr(r, bound, None)
            r.spans = [s for s in r.spans if not s.slot.startswith("budget")]
    if not r.items:
        r.items = list(range(1, count + 1))


def amount_is_an_option(
    r: Reading, entries: tuple[Entry, ...], n_words: int, where: tuple[int, int]
) -> bool:
    """Drop a budget read from "500 piece puzzle": a number with its option's unit.

    Returns True when a budget overlapping ``where`` was dropped for the option.
    """
    if n_words < 2 or not any(e.kind in ("option", "size") for e in entries):
        return False
    start, end = where
    dropped = [s for s in r.spans if s.slot.startswith("budget_") and start <= s.start < end]
    if not dropped:
        return False
    r.spans = [s for s in r.spans if s not in dropped]
    # the budget is what the other amounts say ("60x80 … under 35": 35, never the "60"
    # that a swap of a low above the high put there)
    for slot in ("budget_min", "budget_max", "budget_about"):
        kept = [k for k in r.spans if k.slot == slot]
        setattr(r, slot, float(kept[0].value) if kept else None)
    if r.budget_min is not None and r.budget_max is not None and r.budget_min > r.budget_max:
        r.budget_min, r.budget_max = r.budget_max, r.budget_min
    return True


def wider_amount(text: str, start: int, end: int, tokens: list[Token]) -> Amount | None:
    """Return the amount a tagged run names, with the number words just before it.

    "a hundred and twenty dollars" tagged as "twenty dollars" is 120, not 20: up to four
    word tokens before the run count when they make the amount larger.
    """
    best = parse_amount(text[start:end])
    before = [t for t in tokens if t.end <= start][-4:]
    for i in range(len(before) - 1, -1, -1):
        if not before[i].text.isalpha():
            break
        wider = parse_amount(text[before[i].start : end])
        if wider is not None and (best is None or wider.value > best.value):
            best = wider
    return best
