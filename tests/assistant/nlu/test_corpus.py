"""The phrasing corpus: its loader, the family split and the generated spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.nlu.corpus import (
    INTENTS,
    LANGS,
    CatalogFillers,
    CorpusError,
    Generator,
    load_families,
    load_natural,
    normalize_value,
    split_families,
)
from assistant.nlu.reader import MODEL_DIR
from assistant.nlu.train import build_corpus, fingerprint
from tests.assistant.nlu.conftest import FILLERS, FRESH, NATURAL, TEMPLATES


def test_the_corpus_is_large_and_covers_five_languages() -> None:
    families = load_families(TEMPLATES)
    assert {f.lang for f in families} == set(LANGS)
    assert sum(len(f.templates) for f in families) >= 400
    assert {f.intent for f in families} == set(INTENTS)
    corpus = build_corpus(TEMPLATES, FILLERS)
    assert len(corpus.train) + len(corpus.test) >= 5000


def test_no_family_is_on_both_sides_of_the_split() -> None:
    families = load_families(TEMPLATES)
    train, test = split_families(families)
    assert train and test and not train & test
    assert train | test == {f.id for f in families}
    corpus = build_corpus(TEMPLATES, FILLERS)
    assert not {u.family for u in corpus.train} & {u.family for u in corpus.test}
    # every language has test families of several intents
    for lang in LANGS:
        assert len({u.intent for u in corpus.test if u.lang == lang}) >= 8


def test_the_dev_split_never_touches_test_families() -> None:
    test_ids = {u.family for u in build_corpus(TEMPLATES, FILLERS).test}
    dev = build_corpus(TEMPLATES, FILLERS, dev=True)
    assert not ({u.family for u in dev.train} | {u.family for u in dev.test}) & test_ids


def test_every_span_covers_its_text() -> None:
    gen = Generator(CatalogFillers.demo(FILLERS), seed=3)
    for utt in gen.corpus(load_families(TEMPLATES)[:120], per_template=2):
        for span in utt.spans:
            assert 0 <= span.start < span.end <= len(utt.text)
            assert utt.text[span.start : span.end].strip(), (utt.text, span)
        for slot, value in utt.slots:
            if slot.startswith("budget_"):
                assert float(value) > 0


def test_bad_template_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text(
        '- {family: x, intent: search, templates: ["need {prodcut}"]}\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match="unknown placeholder"):
        load_families(tmp_path)
    (tmp_path / "en.yaml").write_text(
        '- {family: x, intent: shopping, templates: ["hi"]}\n', encoding="utf-8"
    )
    with pytest.raises(CorpusError, match="unknown intent"):
        load_families(tmp_path)
    (tmp_path / "en.yaml").write_text(
        '- {family: x, intent: search, templates: ["a"]}\n'
        '- {family: x, intent: search, templates: ["b"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match="twice"):
        load_families(tmp_path)


@pytest.mark.parametrize("folder", [NATURAL, FRESH], ids=["natural", "fresh"])
def test_the_natural_sets_are_large_labelled_and_apart(folder: Path) -> None:
    natural = load_natural(folder)
    for lang in LANGS:
        assert sum(1 for u in natural if u.lang == lang) >= 50
    assert {u.intent for u in natural} <= set(INTENTS)
    corpus = build_corpus(TEMPLATES, FILLERS)
    # written apart: only a few short stock phrases ("tell me a joke") coincide
    same = {u.text for u in natural} & {u.text for u in corpus.train}
    assert len(same) <= 0.05 * len(natural)
    assert all(len(text.split()) <= 8 for text in same)


def test_values_compare_in_normal_form() -> None:
    assert normalize_value("budget_max", "30.0") == normalize_value("budget_max", 30) == "30"
    assert normalize_value("order_id", "w1234567") == "#W1234567"
    assert normalize_value("name", "chloé kim") == "Chloe Kim"


def test_the_shipped_reader_was_trained_on_this_corpus() -> None:
    """Editing templates, fillers or synonyms means retraining: `shopassist nlu train`."""
    meta = json.loads((MODEL_DIR / "meta.json").read_text())
    assert meta["fingerprint"] == fingerprint(TEMPLATES, FILLERS, None)
    assert meta["split"] == "train/test"


def test_a_brand_is_plain_words_of_the_message_with_no_slot() -> None:
    from dataclasses import replace

    from catalog.demo_data import BRANDS

    cat = CatalogFillers.demo(FILLERS)
    gen = Generator(cat, seed=5)
    family = replace(
        load_families(TEMPLATES)[0], templates=["is the {brand} one any good in {color}?"]
    )
    brands = {b.lower() for b in [*BRANDS, *cat.fillers["brands"]]}
    seen: list[str] = []
    for _ in range(30):
        utt = gen.fill(family, family.templates[0])
        assert [s.slot for s in utt.spans] == ["color"], utt
        seen.append(utt.text.lower()[len("is the ") : utt.text.lower().index(" one ")])
    makers = [n for n in seen if any(n == b or n.startswith(f"{b} ") for b in brands)]
    assert len(makers) >= 20, seen  # (the rest carry a typo of the typing noise)
    assert len({n.split()[0] for n in makers}) > 5  # many makers: none leans to an intent
