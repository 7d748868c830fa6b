"""Words the tagger left outside every slot that the shop's lexicon names plainly.

The reader's last passes over a message: a catalog type, colour, size or feature typed
as the lexicon spells it, a verb whose "-able" form is a feature, and an option word no
shown type has that names a size of theirs.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.nlu.capabilities import able_forms
from assistant.nlu.features import LookedUp, negated
from assistant.nlu.message import Reading, SlotSpan, add_value
from assistant.nlu.tokens import keys, word_indexes
from assistant.nlu.word_order import FeatureWords
from retrieval.lexicon import ShopLexicon

PRODUCT_TALK = ("search", "refine", "ask_product", "cart")


def plain_words(
    r: Reading, looked: LookedUp, lexicon: ShopLexicon, index: FeatureWords | None = None
) -> None:
    """Add a catalog type or colour the lexicon names plainly and the tagger missed.

    No typo; a type of 4+ letters; a colour only in a product request, outside every
    slot, and "not <colour>" when a negation stands just before it.
    """
    words = word_indexes(looked.tokens)
    said = [looked.tokens[i].key for i in words]
    wants_colour = not (r.colors or r.colors_not) and r.intent in PRODUCT_TALK
    wants_type = not r.products and not r.missing
    # (a type named has its sizes read with its options; "too small" is no size asked)
    wants_size = not r.sizes and not r.products and r.intent in PRODUCT_TALK
    matches = lexicon.match(said, typos=False)
    for m in matches:
        start, end = looked.tokens[words[m.start]].start, looked.tokens[words[m.end - 1]].end
        letters = sum(map(len, said[m.start : m.end]))
        if wants_type and letters >= 4:
            for e in m.entries:
                if e.kind == "type":
                    add_value(r.products, e.value)
        kinds = {e.kind for e in m.entries}
        free = not r.in_slot(start, end)
        if r.intent in PRODUCT_TALK and kinds == {"feature"} and letters >= 6 and free:
            if not negated(looked, start):  # "lit orthopédique" the tagger left out
                value = m.entries[0].value
                add_value(r.features, value)
                r.spans.append(SlotSpan(slot="feature", value=value, start=start, end=end))
            continue
        if wants_size and "size" in kinds and kinds <= {"size", "option"} and free:
            if letters >= 4:  # "the cheapest in a large": a size word, not a bare "l"
                value = next(e.value for e in m.entries if e.kind == "size")
                add_value(r.sizes, value)
                r.spans.append(SlotSpan(slot="size", value=value, start=start, end=end))
                wants_size = False
        if wants_colour and "color" in kinds and kinds <= {"color", "option"}:
            if not (free or _in_cue_run(r, start, end)):
                continue  # ("prendo quello bianco" tagged as one cart run: still the colour)
            slot = "color_not" if negated(looked, start) else "color"
            value = next(e.value for e in m.entries if e.kind == "color")
            add_value(r.colors_not if slot == "color_not" else r.colors, value)
            r.spans.append(SlotSpan(slot=slot, value=value, start=start, end=end))
    if r.intent in PRODUCT_TALK:
        features_by_verb(r, looked, lexicon, index)
    if wants_type and not r.products:
        _type_past_possessives(r, looked, lexicon, words, said)
    if wants_type and not r.products:
        # a type behind a longer phrase that took its first word ("heavy resistance | bands")
        for i in (i for m in matches for i in range(m.start + 1, m.end)):
            hidden = lexicon.phrase_at(said, i)
            types = [e.value for e in hidden.entries if e.kind == "type"] if hidden else []
            if hidden and types and sum(map(len, said[i : hidden.end])) >= 4:
                r.products.append(types[0])
                break


_CUE_SLOTS = frozenset({"cart", "write", "order", "sort", "target_lang"})


def _in_cue_run(r: Reading, start: int, end: int) -> bool:
    """Whether characters start..end lie in a run of a closed slot (words that say an act)."""
    return any(s.slot in _CUE_SLOTS and s.start <= start and end <= s.end for s in r.spans)


def sizes_of_shown(r: Reading, shown_types: Sequence[str], lexicon: ShopLexicon) -> None:
    """Read an option word no shown type has as the size it also names.

    "which of those is cheapest in a medium?" with helmets on screen: their size M,
    not a pillow's medium firmness.
    """
    if r.products or not shown_types:
        return
    have = {k for t in shown_types for k in lexicon.type_options.get(t, {})}
    sizes = {v for t in shown_types for v in lexicon.type_options.get(t, {}).get("size", ())}
    for span in [s for s in r.spans if s.slot == "option"]:
        key = next((k for k, v in r.options.items() if v == span.value), None)
        if key is None or key in have:
            continue
        entries = [e for m in lexicon.match(keys(r.text[span.start : span.end])) for e in m.entries]
        size = next((e.value for e in entries if e.kind == "size" and e.value in sizes), None)
        if size is not None:
            del r.options[key]
            add_value(r.sizes, size)
            span.slot, span.value = "size", size


def features_by_verb(
    r: Reading, looked: LookedUp, lexicon: ShopLexicon, index: FeatureWords | None = None
) -> None:
    """Add the feature a verb asks for ("a headlamp i can recharge": rechargeable).

    ``index`` (the shop's multi-word features by their words) also finds a feature the
    form only begins ("ones that dim": "dimmable LED"), when one feature alone has it.
    """
    for token, gaz in zip(looked.tokens, looked.gaz, strict=True):
        if gaz or r.in_slot(token.start, token.end):
            continue
        for form in able_forms(token.text, r.lang):
            entries = lexicon.phrases.get((form,), set())
            feats = sorted(e.value for e in entries if e.kind == "feature")
            if len(entries) != len(feats):
                feats = []  # the form names something else too
            if not entries and index:
                within = {v for words, values in index.items() if form in words for v in values}
                feats = sorted(within) if len(within) == 1 else []
            if feats:
                add_value(r.features, feats[0])
                r.spans.append(
                    SlotSpan(slot="feature", value=feats[0], start=token.start, end=token.end)
                )
                break


# possessives inside a type's phrase ("panier pour mon chien", "cama para mi perro")
_POSSESSIVES = frozenset(
    "my mon ma mes mein meine meinen meinem meiner mi mis il la mio mia miei mie tu tus "
    "your ton ta tes dein deine".split()
)


def _type_past_possessives(
    r: Reading, looked: LookedUp, lexicon: ShopLexicon, words: list[int], said: list[str]
) -> None:
    """Read a type whose phrase has a possessive inside ("un panier pour mon chien": Dog Bed)."""
    kept = [k for k, w in enumerate(said) if w not in _POSSESSIVES]
    if len(kept) == len(said):
        return
    for m in lexicon.match([said[k] for k in kept], typos=False):
        types = [e.value for e in m.entries if e.kind == "type"]
        if not types or m.end - m.start < 2:
            continue
        first, last = words[kept[m.start]], words[kept[m.end - 1]]
        start, end = looked.tokens[first].start, looked.tokens[last].end
        if r.in_slot(start, end):
            continue
        add_value(r.products, types[0])
        r.product_words.append(r.text[start:end])
        r.spans.append(SlotSpan(slot="product", value=types[0], start=start, end=end))
        return
