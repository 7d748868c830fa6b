"""Train the reader from the phrasing corpus: ``shopassist nlu train``.

Generates the corpus from the template families (seeded, so it is the same every time),
keeps the test families out (and train families that nearly repeat one, see
:mod:`assistant.nlu.leaks`), trains the slot tagger and the intent classifier, and writes
them with a ``meta.json`` that records the corpus's fingerprint and the split.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.nlu.corpus import (
    CatalogFillers,
    Generator,
    Utterance,
    load_families,
    split_families,
)
from assistant.nlu.cues import CUES_FILE
from assistant.nlu.features import look_up
from assistant.nlu.intents import HEADS, Encoder, SentenceModel
from assistant.nlu.leaks import near_duplicates
from assistant.nlu.reader import MODEL_DIR
from assistant.nlu.sentence import sentence_inputs
from assistant.nlu.spelling import Speller, corpus_words
from assistant.nlu.tagger import SlotTagger, train_tagger
from assistant.nlu.tokens import tokenize
from retrieval.lexicon import DEFAULT_SYNONYMS, ShopLexicon

PER_TEMPLATE = 4
SEED = 7


@dataclass
class Corpus:
    """The generated corpus, split by family."""

    train: list[Utterance]
    test: list[Utterance]
    fingerprint: str
    families: int
    templates: int
    left_out: dict[str, str] = field(default_factory=dict)  # train family → test family it repeats


def fingerprint(templates: Path, fillers: Path, synonyms: Path | None) -> str:
    """Return the SHA-256 over what the models are made of: templates, fillers, synonyms, cues."""
    h = hashlib.sha256()
    for path in [
        *sorted(templates.glob("*.yaml")),
        fillers,
        synonyms or DEFAULT_SYNONYMS,
        CUES_FILE,
    ]:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def build_corpus(
    templates: Path, fillers: Path, synonyms: Path | None = None, *, dev: bool = False
) -> Corpus:
    """Generate the whole corpus and split it into train and test families.

    With ``dev``, the test families are left out altogether and the "test" half is a
    development split of the train families (for error analysis without touching test).
    """
    families = load_families(templates)
    train_ids, test_ids = split_families(families)
    if dev:
        families = [f for f in families if f.id in train_ids]
        train_ids, test_ids = split_families(families, offset=4)
    left_out = near_duplicates(families, train_ids, test_ids)
    gen = Generator(CatalogFillers.demo(fillers, synonyms), seed=SEED)
    train: list[Utterance] = []
    test: list[Utterance] = []
    for utt in gen.corpus(families, PER_TEMPLATE):
        if utt.family in test_ids:
            test.append(utt)
        elif utt.family not in left_out:
            train.append(utt)
    return Corpus(
        train,
        test,
        fingerprint(templates, fillers, synonyms),
        len(families),
        sum(len(f.templates) for f in families),
        left_out,
    )


def demo_lexicon(fillers: CatalogFillers) -> ShopLexicon:
    """Return the demo catalog's lexicon (what the tagger's lexicon features are trained on)."""
    return ShopLexicon.build(fillers.types, fillers.synonyms)


def encode_all(encode: Encoder, texts: list[str], batch: int = 128) -> np.ndarray:
    """USE vectors of ``texts``, with a progress bar."""
    parts = [
        encode(texts[i : i + batch])
        for i in tqdm(range(0, len(texts), batch), desc="embedding corpus", unit="batch")
    ]
    return np.vstack(parts)


def tagger_masks(
    utts: list[Utterance], lexicon: ShopLexicon, speller: Speller | None = None
) -> list[tuple[str, str]]:
    """Return what the sentence heads read for ``utts`` (words, masked spelling).

    Each utterance's slots are masked by a tagger that never saw its family, as the
    shipped tagger reads unseen phrasings.

    Training the heads on gold masks would teach them masks cleaner than they get.
    """
    folds = [u for u in utts if _fold_of(u) == 0], [u for u in utts if _fold_of(u) == 1]
    masked: dict[int, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in (0, 1):
            path = Path(tmp) / f"fold{k}" / "slots.crfsuite"
            train_tagger(folds[1 - k], lexicon, path)
            tagger = SlotTagger(path)
            for u in folds[k]:
                looked = look_up(tokenize(u.text), lexicon)
                runs = [(t.start, t.end, t.slot) for t in tagger.tag(u.text, looked)]
                masked[id(u)] = sentence_inputs(u.text, runs, looked.cues, u.lang, speller)
    return [masked[id(u)] for u in utts]


def template_groups(utts: list[Utterance]) -> list[str]:
    """Name each utterance's template: the generator fills each one PER_TEMPLATE times in a row."""
    seen: dict[str, int] = {}
    out = []
    for u in utts:
        n = seen.get(u.family, 0)
        seen[u.family] = n + 1
        out.append(f"{u.family}/{n // PER_TEMPLATE}")
    return out


def _fold_of(utt: Utterance) -> int:
    return int(hashlib.sha256(utt.family.encode()).hexdigest(), 16) % 2


def train(
    templates: Path,
    fillers: Path,
    *,
    synonyms: Path | None = None,
    out: Path = MODEL_DIR,
    encode: Encoder | None = None,
    log: Callable[[str], None] = print,
    dev: bool = False,
) -> dict[str, object]:
    """Train both models on the train families; returns what ``meta.json`` records."""
    corpus = build_corpus(templates, fillers, synonyms, dev=dev)
    cat = CatalogFillers.demo(fillers, synonyms)
    lexicon = demo_lexicon(cat)
    log(f"corpus: {corpus.families} families, {corpus.templates} templates, "
        f"{len(corpus.train)} train / {len(corpus.test)} test utterances")  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    log("training the slot tagger (CRF) …")
    train_tagger(corpus.train, lexicon, out / "slots.crfsuite")
    speller = Speller(corpus_words(corpus.train))
    speller.save(out)
    log("masking slots as the tagger will see them (two-fold, by family), mending slips …")
    inputs = tagger_masks(corpus.train, lexicon, speller)
    texts = [words for words, _ in inputs]
    delex = [masked for _, masked in inputs]
    vectors = encode_all(encode, texts) if encode is not None else None
    row = {t: i for i, t in enumerate(texts)}
    log("training the sentence classifiers (intent, sort, write, order, target language, cart) …")
    labels = {"intent": [u.intent for u in corpus.train]}
    for head in HEADS[1:]:
        labels[head] = [
            next((s.value for s in u.spans if s.slot == head), "none") for u in corpus.train
        ]
    model = SentenceModel.train(
        texts,
        delex,
        labels,
        (lambda batch: vectors[[row[t] for t in batch]]) if vectors is not None else None,
        groups=template_groups(corpus.train),
    )
    model.save(out / "sentences.npz")
    meta: dict[str, object] = {
        "fingerprint": corpus.fingerprint,
        "families": corpus.families,
        "templates": corpus.templates,
        "train_utterances": len(corpus.train),
        "test_utterances": len(corpus.test),
        "uses_sentence_vectors": encode is not None,
        "split": "development" if dev else "train/test",
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta
