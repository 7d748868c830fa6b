from __future__ import annotations

from retrieval.lexical import LexicalIndex, tokenize


def test_tokenize_folds_plurals_and_drops_stopwords() -> None:
    assert tokenize("The Boots and Batteries for dresses") == ["boot", "battery", "dress"]


def test_bm25_prefers_documents_with_the_terms() -> None:
    index = LexicalIndex()
    index.build(["a", "b", "c"], ["waterproof hiking boots", "red cotton shirt", "hiking poles"])
    scores = index.scores("hiking boot")
    assert scores.argmax() == 0
    assert scores[1] == 0
    assert index.scores("zebra").sum() == 0
    assert index.scores("").sum() == 0
