"""Names typed in a message: a tagged name, or the words just before a zip."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.nlu.features import LookedUp
from assistant.nlu.message import Reading, SlotSpan
from assistant.nlu.tokens import Token

_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")


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
    for i in range(at - 1, -1, -1):
        tok = looked.tokens[i]
        if not words and (tok.text in ",(:-" or "identity" in looked.cues[i]):
            continue  # "daniel cohen, code postal 92127": the zip's label is no name
        if knows(looked, i) or not _NAME_WORD.match(tok.text) or len(words) == 3:
            break
        words.insert(0, tok)
    if len(words) < 2:
        # "nora lindqvist, 60614. wheres my …": the words opening the message are a name
        # though the corpus's fillers had one of them, if no shop or cue word is among them
        opening = [t for t in looked.tokens[:at] if t.text not in ",(:-"]
        if 2 <= len(opening) <= 3 and all(
            _NAME_WORD.match(t.text) and not (looked.gaz[j] or looked.cues[j])
            for j, t in enumerate(looked.tokens[:at])
            if t.text not in ",(:-"
        ):
            words = opening
    if len(words) >= 2:
        name_of(r, r.text[words[0].start : words[-1].end])
        if r.name:
            r.spans.append(
                SlotSpan(slot="name", value=r.name, start=words[0].start, end=words[-1].end)
            )
