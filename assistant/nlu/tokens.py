"""Tokens with their character offsets, and the normal form used to match them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.lexicon import fold
from retrieval.vocabulary import join_thousands, stem

# where a clause ends: "take the mugs out, my sister gave me one" is two
CLAUSE_BREAK = re.compile(r"[,.;!?]+")
_TOKEN = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an email address
    r"|#?[A-Za-z]?\d+(?:[.,:]\d+)*(?:[a-zA-Z]{1,4}\b)?"  # 50, 9.5, W1234567, 2k, 1st, 20L, 10000mAh
    r"|(?i:[cdjlmnst]|qu|dell|all|nell|sull|dall|un)['’](?=[^\W\d_])"  # l', d', dell'
    r"|[^\W\d_]+(?:['’-][^\W\d_]+)*"  # words, with inner hyphens and apostrophes
    r"|[€$£%]"
    r"|[^\w\s]",
)


@dataclass(frozen=True)
class Token:
    """One token of a message: its text and where it stands."""

    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """The matching form: lower case, no accents, no inner hyphens/apostrophes, stemmed."""
        return norm(self.text)


def norm(word: str) -> str:
    """Return the matching key of one word ("20.000" and "20,000" are "20000")."""
    return stem(re.sub(r"['-]", "", fold(join_thousands(word))))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens, keeping emails, order ids, numbers and words whole."""
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def is_word(token: Token) -> bool:
    """Whether a token is a word or a number (not punctuation)."""
    return any(c.isalnum() for c in token.text)


def word_tokens(text: str) -> list[Token]:
    """Return the tokens of ``text`` that are words or numbers (no punctuation)."""
    return [t for t in tokenize(text) if is_word(t)]


def word_indexes(tokens: list[Token]) -> list[int]:
    """Return the positions of the tokens that are words or numbers (no punctuation)."""
    return [i for i, t in enumerate(tokens) if is_word(t)]


# "of it" after a French imperative's hyphen: "mettez-m'en deux" is "mettez-en deux"
_OF_IT = frozenset("en m'en t'en nous-en vous-en".split())


def verb_key(token: Token) -> str:
    """Return a word's key, "mettez-m'en" written as "mettez-en" (one key, one word)."""
    head, _, tail = token.text.replace("’", "'").partition("-")
    return norm(f"{head}en") if tail.lower() in _OF_IT else token.key


def keys(text: str) -> list[str]:
    """Return the matching keys of every word token of ``text``."""
    return [t.key for t in word_tokens(text)]
