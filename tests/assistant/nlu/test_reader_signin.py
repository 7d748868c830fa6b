"""Sign-in typed as bare words and digits: "camille martin 75011"."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "name", "zip_code"),
    [
        ("camille martin 75011, je veux annuler la commande W1234567", "fr", "Camille Martin", "75011"),
        ("jonas weber 10115, bitte bestellung W1234567 stornieren", "de", "Jonas Weber", "10115"),
        ("bin der klaus müller (80331)", "de", "Klaus Müller", "80331"),
        ("tom baker 02139 where is my stuff", "en", "Tom Baker", "02139"),
        ("lucia garcia 28001, quiero cancelar el pedido W1234567", "es", "Lucia Garcia", "28001"),
        ("giulia rossi 00184 dov'è il mio ordine", "it", "Giulia Rossi", "00184"),
    ],
)  # fmt: skip
def test_lower_case_words_before_a_zip_are_the_name(
    reader: Reader, text: str, lang: str, name: str, zip_code: str
) -> None:
    r = reader.read(text, lang)
    assert (r.name, r.zip) == (name, zip_code), r


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("where is my order 12345", "en"),
        ("hi there 10001", "en"),
        ("wo bleibt meine bestellung 12345", "de"),
    ],
)
def test_known_words_before_a_number_are_no_name(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang).name is None
