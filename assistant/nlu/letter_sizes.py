"""Letter sizes the shop may not stock: "in XXXL", "taglia 3XL", "XXS pls".

The lexicon knows the sizes the catalog has; a clothing size beyond them ("XXXL" where
the shop stops at XXL) is still a size the shopper asks for, and the answer is that it
is not stocked in it, not a reading that ignores it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.plain_words import PRODUCT_TALK
from assistant.nlu.tokens import Token
from retrieval.lexicon import ShopLexicon

# two or more X before S or L, or a count of X: "XXXL", "XXS", "3XL", "4xs"
_LETTER_SIZE = re.compile(r"^(?:X{2,6}[SL]|[2-9]X[SL])$", re.IGNORECASE)


def letter_size(word: str) -> str | None:
    """Return ``word`` as a letter size ("xxxl" → "XXXL"), or None when it is none."""
    return word.upper() if _LETTER_SIZE.match(word) else None


def unstocked_letter_sizes(r: Reading, tokens: list[Token]) -> None:
    """Add the letter sizes typed outside every slot to ``r.sizes``, with their spans.

    Only in product talk; a size the catalog has is the lexicon's to read.
    """
    if r.intent not in PRODUCT_TALK:
        return
    for tok in tokens:
        size = letter_size(tok.text)
        if size is None or r.in_slot(tok.start, tok.end) or size in r.sizes:
            continue
        add_value(r.sizes, size)
        r.spans.append(SlotSpan(slot="size", value=size, start=tok.start, end=tok.end))


# the clothing sizes a word like "big" or "grande" may be read as
_CLOTHING = frozenset({"XS", "S", "M", "L", "XL", "XXL", "XXXL"})


def no_sizes_of_unsized(r: Reading, shown_types: Sequence[str], lexicon: ShopLexicon) -> None:
    """Drop a clothing size read of a message about shown kinds that come in no sizes.

    "vale, ese, en rojo y del tamaño grande, el 1:10" with RC cars on screen: "grande"
    is the big scale the message names, not a size L no car has.
    """
    if r.products or not shown_types or not r.sizes:
        return
    if any("size" in lexicon.type_options.get(t, {}) for t in shown_types):
        return
    r.drop([s for s in r.spans if s.slot == "size" and s.value in _CLOTHING])
