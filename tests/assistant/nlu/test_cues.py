"""Cue words: inflected forms of one-word cues count, short words and other words do not."""

from __future__ import annotations

import pytest

from assistant.nlu.cues import dialogue_hits, token_cues
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
        ("unos auriculares baratitos", "price_asc"),  # barato, diminutive
        ("la opción más baratita", "price_asc"),
        ("una lampada economicina", "price_asc"),  # economico, Italian diminutive
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
        "algo bonito para mi hermana",  # a word ending like a diminutive
        "un vestito leggero",
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


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "mets-m'en trois, le moins cher"),  # "of it" joined to the verb
        ("fr", "ajoutez-m'en deux du plus léger"),
        ("fr", "prends-en un de chaque couleur"),
        ("es", "añádeme el más barato de esos"),
        ("it", "aggiungimi quello più economico"),
    ],
)
def test_an_imperative_with_its_pronouns_joined_asks_for_the_cart(lang: str, text: str) -> None:
    assert "cart" in {h.group for h in dialogue_hits(text, lang)}


def test_a_pronoun_joined_to_another_verb_is_no_cart_request() -> None:
    assert "cart" not in {h.group for h in dialogue_hits("dis-m'en plus sur la première", "fr")}
