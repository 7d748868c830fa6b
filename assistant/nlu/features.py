"""Token features for the slot tagger: the word, its shape, its context and the shop's lexicon.

Lexicon features (the token starts or continues a catalog type, category, feature, colour,
size or option phrase) let a tagger trained on one catalog read another shop's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.nlu.cues import token_cues
from assistant.nlu.numbers import currency_in, is_number_word
from assistant.nlu.tokens import Token, word_indexes
from retrieval.lexicon import ShopLexicon

_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_ORDER = re.compile(r"^#?[Ww]\d{5,}$")
_ORDINAL = re.compile(r"^\d{1,2}(?:st|nd|rd|th|er|e|eme|ème|º|°|o|a|º)$", re.I)


def shape(text: str) -> str:
    """Collapsed character classes: "W1234567" → "Xd", "Maria" → "Xx", "$" → "$"."""
    out: list[str] = []
    for c in text:
        k = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:6]


def _digit_kind(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if not digits or not text[-1].isdigit():
        return ""
    return {1: "d1", 2: "d2", 3: "d3", 4: "d4", 5: "d5"}.get(len(digits), "d6+")


def gazetteer(tokens: list[Token], lexicon: ShopLexicon | None) -> list[list[str]]:
    """Per token, the lexicon tags of the phrase it is part of ("B-type", "I-color", …)."""
    tags: list[list[str]] = [[] for _ in tokens]
    if lexicon is None:
        return tags
    words = word_indexes(tokens)
    for m in lexicon.match([tokens[i].key for i in words], inflected=True, base_min=5):
        kinds = sorted({e.kind for e in m.entries})
        for j in range(m.start, m.end):
            prefix = "B" if j == m.start else "I"
            tags[words[j]].extend(f"{prefix}-{k}" for k in kinds)
    return tags


@dataclass(frozen=True)
class LookedUp:
    """A message's tokens with their lexicon tags and cue groups, looked up once."""

    tokens: list[Token]
    gaz: list[list[str]]
    cues: list[list[str]]

    def knows(self, i: int, words: frozenset[str]) -> bool:
        """Return True when the lexicon or a cue group tags token ``i``, or ``words`` hold it."""
        return bool(self.gaz[i] or self.cues[i]) or self.tokens[i].key in words


def look_up(tokens: list[Token], lexicon: ShopLexicon | None) -> LookedUp:
    """Tag ``tokens`` against the shop's lexicon and the cue groups (once per message)."""
    return LookedUp(tokens, gazetteer(tokens, lexicon), token_cues(tokens))


def token_features(looked: LookedUp, known: frozenset[str] = frozenset()) -> list[list[str]]:
    """CRF features of every token of one message.

    ``known`` holds the words the corpus's phrasings use around slots; a word that is
    neither one of them nor the shop's is flagged ``oov`` (a name, or a thing not sold).
    """
    tokens, gaz, cues = looked.tokens, looked.gaz, looked.cues
    base: list[list[str]] = []
    for tok, g, cue in zip(tokens, gaz, cues, strict=True):
        low = tok.text.lower()
        f = [
            f"w={tok.key}",
            f"suf3={low[-3:]}",
            f"pre3={low[:3]}",
            f"shape={shape(tok.text)}",
        ]
        if (kind := _digit_kind(tok.text)) != "":
            f.append(f"num={kind}")
        if is_number_word(low):
            f.append("numword")
        if currency_in(tok.text) and len(tok.text) <= 8:
            f.append("currency")
        if _EMAIL.match(tok.text):
            f.append("email")
        if _ORDER.match(tok.text):
            f.append("orderid")
        if _ORDINAL.match(tok.text):
            f.append("ordinal")
        if tok.text[:1].isupper():
            f.append("cap")
        f.extend(f"gaz={t}" for t in g)
        f.extend(f"cue={c}" for c in cue)
        if known and not g and not cue and tok.text.isalpha() and len(tok.text) >= 3:
            if tok.key not in known:
                f.append("oov")
        base.append(f)
    feats: list[list[str]] = []
    n = len(tokens)
    for i in range(n):
        f = list(base[i])
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for off in (-3, -2, -1, 1, 2, 3):
            j = i + off
            if 0 <= j < n:
                f.append(f"{off}:w={tokens[j].key}")
                if abs(off) == 1:
                    f.extend(
                        f"{off}:{x}"
                        for x in base[j]
                        if x.startswith(("gaz=", "num", "shape=", "cap", "currency", "oov", "cue="))
                    )
        if i > 0:
            f.append(f"bigram={tokens[i - 1].key}|{tokens[i].key}")
        for j in range(max(0, i - 4), i):
            f.extend(f"prevcue={c}" for c in cues[j])
        for j in range(i + 1, min(n, i + 3)):
            f.extend(f"nextcue={c}" for c in cues[j])
        feats.append(f)
    return feats


def negated(looked: LookedUp, start: int) -> bool:
    """Return True when a negation stands before ``start`` in its own clause.

    A negation word inside a shop phrase ("écouteurs sans fil") negates nothing, and
    "without" followed by another word negates that word ("auriculares sin cable negros"
    are black).
    """
    for i in range(len(looked.tokens) - 1, -1, -1):
        token = looked.tokens[i]
        if token.end > start:
            continue
        if token.text in _CLAUSE_ENDS:
            return False
        if "negation" not in looked.cues[i] or looked.gaz[i]:
            continue
        after = next((t for t in looked.tokens[i + 1 :] if t.start >= token.end), None)
        if (
            token.text.lower() in _WITHOUT
            and after is not None
            and after.start < start
            and after.text.isalpha()
            and not any(g.endswith("color") for g in looked.gaz[looked.tokens.index(after)])
        ):
            continue
        return True
    return False


_CLAUSE_ENDS = frozenset({",", ";", ".", "!", "?", "(", ")"})
_WITHOUT = frozenset({"without", "ohne", "sans", "sin", "senza"})
