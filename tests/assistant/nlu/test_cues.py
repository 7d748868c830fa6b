"""Cue words: inflected forms of one-word cues count, short words and other words do not."""

from __future__ import annotations

import pytest

from assistant.nlu.cues import token_cues
from assistant.nlu.tokens import tokenize


def groups(text: str) -> set[str]:
    """Every cue group a message's words carry."""
    return {g for per_token in token_cues(tokenize(text)) for g in per_token}


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("zeig mir eure teuersten", "price_desc"),  # teuerste + n
        ("die billigsten zuerst", "price_asc"),  # billigste + n
        ("any cheaper ones", "price_asc"),  # cheap + er
        ("prodotti economici", "price_asc"),  # economico, plural
        ("le più costose", "price_desc"),  # costoso, feminine plural
        ("i cancelled it", "cancel"),  # cancel + led
    ],
)
def test_inflected_forms_of_one_word_cues_count(text: str, group: str) -> None:
    assert group in groups(text)


@pytest.mark.parametrize(
    "text",
    [
        "je cherche une tente",  # "cher" is too short to carry endings
        "show me the rest",
        "caramel coloured socks",  # "caro" is too short too
    ],
)
def test_other_words_carry_no_price_cue(text: str) -> None:
    assert not groups(text) & {"price_asc", "price_desc"}


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("does it come as a 2 person?", False),
        ("une tente 3 personnes", False),
        ("can i talk to a real person", True),
        ("una persona vera per favore", True),
    ],
)
def test_a_count_of_people_is_a_size_not_a_person_asked_for(text: str, human: bool) -> None:
    assert ("human" in groups(text)) is human
