"""Names typed in a message: a tagged name, or the words just before a zip."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.tokens import Token

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
# between a name and its zip: "daniel cohen, 92127", "(92127)", "Lee, Daniel – PLZ 80318"
_SEPARATORS = frozenset(",(:-–—")


def name_of(r: Reading, words: str) -> str | None:
    """Keep 2-4 words typed as a name (capitalised) as ``r.name``; return it."""
    parts = [w for w in words.replace(",", " ").split() if _NAME_WORD.match(w)]
    if len(parts) < 2 or len(parts) > 4:
        return None
    r.name = " ".join(p[:1].upper() + p[1:] for p in parts)
    return r.name


def name_before_zip(r: Reading, looked: LookedUp, knows: Callable[[LookedUp, int], bool]) -> None:
    """Sign-in typed as "camille martin 75011": the words just before a zip are a name.

    Two or three words, none of them a word the corpus's phrasings, the shop's lexicon
    or the cue groups know, right before the zip (a comma, a bracket or the zip's label
    between is fine). A zip kept only for standing first in another request goes without one.
    """
    if r.name or not r.zip:
        return
    _name_before(r, looked, knows)
    if not r.name and r.intent not in ("authenticate", "order_status", "start_write"):
        r.zip = None  # five digits first in a product request, and no name: no sign-in


def _name_before(r: Reading, looked: LookedUp, knows: Callable[[LookedUp, int], bool]) -> None:
    at = next((i for i, t in enumerate(looked.tokens) if t.text == r.zip), None)
    if at is None:
        return
    words: list[Token] = []
    surname_first = False
    for i in range(at - 1, -1, -1):
        tok = looked.tokens[i]
        if not words and (tok.text in _SEPARATORS or "identity" in looked.cues[i]):
            continue  # "daniel cohen, code postal 92127": the zip's label is no name
        if tok.text == "," and len(words) == 1 and not surname_first:
            surname_first = True  # "Lee, Daniel – PLZ 80318": the surname, a comma, the name
            continue
        # (a surname before its comma may be a shop word: "Rossi, Giulia", "Brown, Emma")
        surname = surname_first and tok.text[:1].isupper()
        known = knows(looked, i) and not surname
        if known and not words and i > 0 and _NAME_WORD.match(looked.tokens[i - 1].text):
            # "chen brown, plz 19810": a surname the shop also knows (a colour), after a
            # first name it does not know
            known = knows(looked, i - 1)
        if known or not _NAME_WORD.match(tok.text) or len(words) == 3:
            break
        words.insert(0, tok)
        if surname:
            break
    if surname_first and len(words) == 2:
        name_of(r, f"{words[1].text} {words[0].text}")
        if r.name:
            _unslot(r, words[0].start, words[-1].end)
            r.spans.append(
                SlotSpan(slot="name", value=r.name, start=words[0].start, end=words[-1].end)
            )
        return
    words = words[-1:] if surname_first else words
    if len(words) < 2:
        # "nora lindqvist, 60614. wheres my …": the words opening the message are a name
        # though the corpus's fillers had one of them, if no shop or cue word is among them
        opening = [t for t in looked.tokens[:at] if t.text not in _SEPARATORS]
        if 2 <= len(opening) <= 3 and all(
            _NAME_WORD.match(t.text) and not (looked.gaz[j] or looked.cues[j])
            for j, t in enumerate(looked.tokens[:at])
            if t.text not in _SEPARATORS
        ):
            words = opening
    if len(words) >= 2:
        name_of(r, r.text[words[0].start : words[-1].end])
        if r.name:
            _unslot(r, words[0].start, words[-1].end)  # "chen brown": no colour there
            r.spans.append(
                SlotSpan(slot="name", value=r.name, start=words[0].start, end=words[-1].end)
            )


def _unslot(r: Reading, start: int, end: int) -> None:
    """Drop the colour or product slots read inside a name ("Rossi" is no colour there)."""
    inside = [sp for sp in r.spans if sp.start < end and start < sp.end]
    for sp in inside:
        for values in (r.colors, r.products, r.features):
            if sp.value in values:
                values.remove(sp.value)
    r.spans = [sp for sp in r.spans if sp not in inside]
