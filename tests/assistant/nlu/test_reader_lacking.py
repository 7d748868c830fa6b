"""A thing the shop lacks and a second request in one message (written for these tests)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "wanted"),
    [
        ("¿vendéis patinetes eléctricos? y si no, una mochila de 65 litros", "es", "Hiking Backpack"),
        ("vous vendez des trottinettes électriques ? sinon un sac à dos", "fr", "Hiking Backpack"),
        ("verkauft ihr Elektroroller? falls nicht, dann eine Stirnlampe", "de", "Headlamp"),
        ("vendete monopattini elettrici? se no, una borraccia termica", "it", "Water Bottle"),
        ("do you sell electric scooters? if not, a headlamp", "en", "Headlamp"),
    ],
)  # fmt: skip
def test_a_type_named_after_a_thing_lacking_is_asked_for_too(
    reader: Reader, text: str, lang: str, wanted: str
) -> None:
    r = reader.read(text, lang)
    assert r.missing, r
    assert wanted in r.products, r
    span = next(s for s in r.spans if s.slot == "product")
    assert span.start > max(s.end for s in r.spans if s.slot == "missing")


def test_a_thing_lacking_alone_names_no_product(reader: Reader) -> None:
    r = reader.read("¿vendéis patinetes eléctricos?", "es")
    assert r.missing and not r.products, r


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("puh, viel zu teuer 😅 gibts sowas auch bis 120 Euro?", "de"),
        ("ugh way too pricey, do you have something like that under 100?", "en"),
        ("bof, trop cher. vous avez ça à moins de 80 euros ?", "fr"),
    ],
)
def test_a_word_before_the_sell_question_is_no_thing_lacking(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang, ["Smartwatch"])
    assert not r.missing, r
    assert r.budget_max is not None, r
