"""Amounts the tagger left out, read from the bound words around them (no model needed)."""

from __future__ import annotations

import pytest

from assistant.nlu.budgets import bound_roles, untagged_amount
from assistant.nlu.features import look_up
from assistant.nlu.tagger import Tagged
from assistant.nlu.tokens import tokenize


def _budgets(text: str, tagged: list[Tagged] | None = None) -> list[tuple[str, str]]:
    looked = look_up(tokenize(text), None)
    runs = untagged_amount(text, tagged or [], looked.tokens, looked.cues)
    return [(t.slot, t.text) for t in bound_roles(runs, looked.tokens, looked.cues)]


@pytest.mark.parametrize(
    ("text", "slot", "amount"),
    [
        ("i dont want to spend more than a hundred", "budget_max", "a hundred"),
        ("keep it below seventy", "budget_max", "seventy"),
        ("ich will nicht mehr als fünfzig ausgeben", "budget_max", "fünfzig"),
        ("au moins quarante euros", "budget_min", "quarante"),
        ("algo de unos 30", "budget_about", "30"),
        ("qualcosa sotto i 60 euro", "budget_max", "60"),
        ("ne yogamatte, maximal nen fuffi", "budget_max", "fuffi"),
        ("kopfhörer bis nen hunni", "budget_max", "hunni"),
        # a negation typed without its apostrophe makes "more than" a ceiling
        ("i really cant spend more than forty five bucks", "budget_max", "forty five"),
        ("we cannot go more than 60 on a lamp", "budget_max", "60"),
    ],
)
def test_an_amount_after_a_bound_word_is_read_when_the_tagger_missed_it(
    text: str, slot: str, amount: str
) -> None:
    assert _budgets(text) == [(slot, amount)]


@pytest.mark.parametrize(
    "text",
    [
        "at least 4 stars",  # a rating
        "mindestens 4 sterne",
        "toys for under 3 years",  # an age
        "more than 2 people",  # a capacity
        "under 2",  # a small number with no money word: a quantity as likely as a price
    ],
)
def test_numbers_that_are_no_price_are_not_read_as_budgets(text: str) -> None:
    assert _budgets(text) == []


def test_a_budget_the_tagger_found_is_kept_and_a_rating_it_tagged_is_dropped() -> None:
    text = "over 4 stars and under 80"
    tagged = [Tagged("budget_min", 5, 6, "4"), Tagged("budget_max", 23, 25, "80")]
    assert _budgets(text, tagged) == [("budget_max", "80")]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("need sneakers, nothin over 80 bucks", "80"),
        ("turnschuhe bitte, nix über 60 euro", "60"),
        ("des chaussures, rien à plus de 40 euros", "40"),
    ],
)
def test_a_floor_word_after_a_negation_as_typed_is_a_ceiling(text: str, amount: str) -> None:
    start = text.index(amount)
    tagged = [Tagged("budget_min", start, start + len(amount), amount)]
    assert ("budget_max", amount) in _budgets(text, tagged)
