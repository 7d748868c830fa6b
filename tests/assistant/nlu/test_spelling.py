"""Typing slips mended before the sentence classifiers read a message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.nlu.corpus import Span, Utterance
from assistant.nlu.reader import Reader
from assistant.nlu.sentence import sentence_inputs
from assistant.nlu.spelling import WORDS_FILE, Speller, corpus_words


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller(["warenkorb", "thx"])


@pytest.mark.parametrize(
    ("lang", "typed", "meant"),
    [
        ("en", "avialable", "available"),  # a letter changed
        ("en", "shippde", "shipped"),  # two letters swapped
        ("de", "bestellugn", "bestellung"),
        ("de", "nochmla", "nochmal"),
        ("fr", "toujurs", "toujours"),  # a letter left out
        ("fr", "mnotre", "montre"),  # a swap beats a commoner deletion ("notre")
        ("es", "siemper", "siempre"),
        ("es", "qiuero", "quiero"),
        ("it", "consigilo", "consiglio"),
        ("it", "accessroi", "accessori"),
    ],
)
def test_a_slip_is_mended_in_every_language(
    speller: Speller, lang: str, typed: str, meant: str
) -> None:
    assert speller.word(typed, lang) == meant


@pytest.mark.parametrize(
    ("lang", "word"),
    [
        ("es", "pueda"),  # a word of the language, however near "queda"
        ("de", "dezember"),  # not an English "december" misspelt
        ("es", "confirma"),
        ("it", "sanremo"),  # a place name common enough to be a word
        ("en", "lmao"),  # four letters: too short to judge
        ("de", "warenkorp"[:4]),
        ("fr", "xkcdqzv"),  # nothing one edit away is a word: left as typed
    ],
)
def test_words_and_unfixable_strings_are_left_alone(speller: Speller, lang: str, word: str) -> None:
    assert speller.word(word, lang) == word


def test_the_corpus_words_count_as_known_and_are_the_preferred_fixes(speller: Speller) -> None:
    assert speller.word("warenkorp", "de") == "warenkorb"
    assert Speller().word("warenkorb", "de") == "warenkorb"  # a real word of the list too


def test_accents_and_case_do_not_make_a_slip(speller: Speller) -> None:
    assert speller.word("cobrame", "es") == "cobrame"  # "cóbrame" without its accent
    assert speller.word("Bestellung", "de") == "Bestellung"


def test_a_language_without_a_list_changes_nothing(speller: Speller) -> None:
    assert speller.word("avialable", "xx") == "avialable"


def test_slot_runs_are_kept_as_typed(speller: Speller) -> None:
    text = "Aisha Muellr here, the pacakge never came"
    out = speller.text(text, "en", keep=[(0, 12)])
    assert out == "Aisha Muellr here, the package never came"


def test_sentence_inputs_mend_both_the_words_and_the_masked_spelling() -> None:
    # the list alone would make them "panel" and "place": the corpus's words come first
    speller = Speller(["cancel", "please"])
    text = "canel W1234567 plase"
    words, masked = sentence_inputs(text, [(6, 14, "order_id")], [[], [], []], "en", speller)
    assert words == "cancel W1234567 please"
    assert masked.startswith("cancel  <order_id>  please")
    assert sentence_inputs(text, [(6, 14, "order_id")], [[], [], []], "en", None)[0] == text


def test_corpus_words_are_words_of_two_families_outside_slots() -> None:
    def utt(family: str, text: str, spans: list[Span]) -> Utterance:
        return Utterance(text=text, lang="en", intent="search", family=family, spans=spans)

    utts = [
        utt("a", "gimme the Zorbl", [Span(10, 15, "product", "Zorbl")]),
        utt("b", "gimme a Zorbl pls", [Span(8, 13, "product", "Zorbl")]),
        utt("b", "pls", []),
    ]
    assert corpus_words(utts) == ["gimme"]  # "pls" is one family's, "Zorbl" a slot


def test_the_speller_travels_with_the_model(tmp_path: Path) -> None:
    assert Speller.of_model(tmp_path) is None  # a model trained without one reads as before
    Speller(["gimme", "Warenkorb"]).save(tmp_path)
    assert json.loads((tmp_path / WORDS_FILE).read_text()) == ["gimme", "warenkorb"]
    loaded = Speller.of_model(tmp_path)
    assert loaded is not None and loaded.corpus == {"gimme", "warenkorb"}


def test_the_shipped_reader_mends_slips(reader: Reader) -> None:
    assert reader.speller is not None
    assert len(reader.speller.corpus) > 1000
