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


@pytest.mark.parametrize(
    ("text", "lang", "name", "zip_code"),
    [
        ("nora lindqvist, 60614. wheres my sleeping bag?? been ages", "en", "Nora Lindqvist", "60614"),
        ("pablo ortiz 41001 mi tienda de campaña aún no llega", "es", "Pablo Ortiz", "41001"),
    ],
)  # fmt: skip
def test_a_name_and_zip_first_sign_in_whatever_the_request_after(
    reader: Reader, text: str, lang: str, name: str, zip_code: str
) -> None:
    # the request names a product (a search, to the intent head): the sign-in is still read
    r = reader.read(text, lang)
    assert (r.name, r.zip) == (name, zip_code), r


@pytest.mark.parametrize(
    ("text", "lang"),
    [("tent 10001 please", "en"), ("any jigsaw puzzles with 10001 pieces", "en")],
)
def test_five_digits_in_a_product_request_are_no_zip(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang).zip is None


@pytest.mark.parametrize(
    ("text", "lang", "name", "zip_code"),
    [
        ("Weber, Jonas – PLZ 10115, Bestellung W1234567 bitte stornieren", "de", "Jonas Weber", "10115"),
        ("baker, tom (02139) where is my stuff", "en", "Tom Baker", "02139"),
        ("Martin, Camille — 75011, où en est ma commande ?", "fr", "Camille Martin", "75011"),
        ("García, Lucía, cp 28001, quiero devolver algo", "es", "Lucía García", "28001"),
        ("Rossi, Giulia - CAP 00184 dov'è il mio ordine", "it", "Giulia Rossi", "00184"),
    ],
)  # fmt: skip
def test_a_surname_a_comma_and_a_name_before_the_zip_is_the_name_in_order(
    reader: Reader, text: str, lang: str, name: str, zip_code: str
) -> None:
    """A name typed as on a form ("Weber, Jonas"), and a dash before the zip."""
    r = reader.read(text, lang)
    assert (r.name, r.zip) == (name, zip_code), r


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        ("wo bleibt meine bestellung?? chen brown, plz 19810", "de", "Chen Brown"),
        ("emma rose 10001 where is my order", "en", "Emma Rose"),
        ("a brown backpack, zip 10001", "en", None),  # a shop word first: no name
    ],
)
def test_a_surname_the_shop_also_knows_before_a_zip(
    reader: Reader, text: str, lang: str, name: str | None
) -> None:
    r = reader.read(text, lang)
    assert r.name == name
    if name is not None:
        assert not r.colors  # the surname is no colour asked for
