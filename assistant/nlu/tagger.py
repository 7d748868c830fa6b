"""The slot tagger: a linear-chain CRF (CRFsuite) over tokens, trained on the corpus.

Labels are BIO tags of slot names; closed slots carry their value in the label
("B-write=return", "B-sort=price_asc"), so the tagger learns which words mean which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from assistant.nlu.corpus import Span, Utterance
from assistant.nlu.features import LookedUp, look_up, token_features
from assistant.nlu.tokens import Token, tokenize
from retrieval.lexicon import ShopLexicon

CLOSED = ("write", "sort", "order", "target_lang", "cart", "currency")


def label_of(span: Span) -> str:
    """Return the tag name of a span: the slot, with its value for closed slots."""
    return f"{span.slot}={span.value}" if span.slot in CLOSED else span.slot


def bio(tokens: list[Token], spans: list[Span]) -> list[str]:
    """BIO tags of ``tokens`` for the labelled ``spans``."""
    tags = ["O"] * len(tokens)
    for span in spans:
        inside = [i for i, t in enumerate(tokens) if t.start < span.end and span.start < t.end]
        for n, i in enumerate(inside):
            tags[i] = f"{'B' if n == 0 else 'I'}-{label_of(span)}"
    return tags


@dataclass(frozen=True)
class Tagged:
    """A run of tokens tagged as one slot (``label`` may carry a value: "write=cancel")."""

    label: str
    start: int  # character offsets in the message
    end: int
    text: str

    @property
    def slot(self) -> str:
        """The slot name without a closed value."""
        return self.label.split("=", 1)[0]

    @property
    def value(self) -> str | None:
        """The closed value in the label, if any."""
        return self.label.split("=", 1)[1] if "=" in self.label else None


def spans_of(text: str, tokens: list[Token], tags: list[str]) -> list[Tagged]:
    """Merge BIO tags into slot runs."""
    out: list[Tagged] = []
    cur: list[int] = []
    label = ""
    for i, tag in enumerate([*tags, "O"]):
        if cur and (tag == "O" or tag.startswith("B-") or tag[2:] != label):
            a, b = tokens[cur[0]].start, tokens[cur[-1]].end
            out.append(Tagged(label, a, b, text[a:b]))
            cur = []
        if tag != "O" and i < len(tokens):
            if not cur:
                label = tag[2:]
            cur.append(i)
    return out


class SlotTagger:
    """Wraps a trained CRFsuite model file."""

    def __init__(self, model_path: Path) -> None:
        """Open the CRF model at ``model_path`` (and the phrasing words saved beside it)."""
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(model_path))
        words = model_path.with_name("words.json")
        self.known = frozenset(json.loads(words.read_text())) if words.exists() else frozenset()
        # the phrasing words that many families use: "des", "anything", never "vélos"
        counts = model_path.with_name("word_families.json")
        common = json.loads(counts.read_text()) if counts.exists() else {}
        self.common = frozenset(k for k, n in common.items() if n >= COMMON_FAMILIES)
        # the words that glue phrasings together ("that", "for", "to"): never a product
        self.frequent = frozenset(k for k, n in common.items() if n >= FREQUENT_FAMILIES)

    def tag(self, text: str, looked: LookedUp) -> list[Tagged]:
        """Return the slot runs of one message."""
        if not looked.tokens:
            return []
        tags = self.tagger.tag(token_features(looked, self.known))
        return spans_of(text, looked.tokens, list(tags))


def train_tagger(
    utterances: Iterable[Utterance],
    lexicon: ShopLexicon,
    out: Path,
    *,
    iterations: int = 120,
    c1: float = 0.05,
    c2: float = 0.01,
) -> None:
    """Train the CRF on ``utterances`` and write it to ``out``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    items = [(tokenize(u.text), u) for u in utterances]
    counts = family_counts(items)
    known = phrasing_words(counts, len({utt.family for _, utt in items}))
    for tokens, utt in items:
        if tokens:
            trainer.append(token_features(look_up(tokens, lexicon), known), bio(tokens, utt.spans))
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    out.with_name("words.json").write_text(json.dumps(sorted(known)), encoding="utf-8")
    kept = {k: counts[k] for k in sorted(known)}
    out.with_name("word_families.json").write_text(json.dumps(kept), encoding="utf-8")


# a corpus of this many families per word of it that counts as known (see phrasing_words)
FAMILIES_PER_WORD = 1000
# a word this many families use is common: what a "sell" question asks about is never one
# ("vous vendez des vélos ?": two families mention a bike in passing)
COMMON_FAMILIES = 5
# a word this many families use is a function word: "what do you have that would help …"
# is a need described after "have", not a thing named there
FREQUENT_FAMILIES = 25


def family_counts(items: list[tuple[list[Token], Utterance]]) -> dict[str, int]:
    """Return, per word key the templates use outside slots, how many families use it."""
    families: dict[str, set[str]] = {}
    for tokens, utt in items:
        for t in tokens:
            if not any(s.start < t.end and t.start < s.end for s in utt.spans):
                families.setdefault(t.key, set()).add(utt.family)
    return {k: len(fams) for k, fams in families.items()}


def phrasing_words(
    counts: dict[str, int], n_families: int, per_family: int = FAMILIES_PER_WORD
) -> frozenset[str]:
    """Keys of the words the templates use outside slots, in enough families to be known.

    A word only a few families use is those phrasings' own content ("mon mari se met au
    vélo"), not the shop's way of asking. Enough is 2 families, and one more for each
    further ``per_family`` families in the corpus (a larger corpus says more in passing).
    """
    least = max(2, round(n_families / per_family))
    return frozenset(k for k, n in counts.items() if n >= least)
