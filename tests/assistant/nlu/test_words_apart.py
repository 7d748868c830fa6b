"""A type named by its synonym's words with other words among them ("zapatillas … correr").

The phrasings are written for these tests; none is a synonym as written.
"""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("lang", "text", "ptype"),
    [
        ("es", "busco zapatillas para salir a correr, talla 9", "Running Shoes"),
        ("es", "botas impermeables de montaña talla 42", "Hiking Boots"),
        ("it", "stivali neri da pioggia per mio figlio", "Rain Boots"),
        ("it", "cerco scarpe leggere da corsa", "Running Shoes"),
        ("fr", "je cherche des chaussures bien légères de course", "Running Shoes"),
    ],
)
def test_a_synonym_written_apart_names_its_one_type(
    reader: Reader, lang: str, text: str, ptype: str
) -> None:
    r = reader.read(text, lang)
    assert r.products == [ptype], r
    assert not r.missing and not r.categories, r
    assert r.intent == "search", r


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "zapatillas blancas talla 40"),  # no type's other words
        ("es", "zapatillas que uso para ir al gimnasio y a veces correr"),  # too far apart
    ],
)
def test_an_umbrella_without_a_spread_synonym_stays_the_umbrella(
    reader: Reader, lang: str, text: str
) -> None:
    r = reader.read(text, lang)
    assert "Running Shoes" not in r.products, r
    assert r.categories == ["Footwear"], r


def test_two_types_named_whole_stay_two(reader: Reader) -> None:
    r = reader.read("my running shoes are worn out, need hiking boots now", "en")
    assert set(r.products) == {"Running Shoes", "Hiking Boots"}, r
