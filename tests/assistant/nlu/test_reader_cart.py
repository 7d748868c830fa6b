"""The trained reader on cart requests (intent ``cart``, slot ``cart``) and their look-alikes.

The messages are written for these tests; none is a template of the corpus.
"""

from __future__ import annotations

import pytest

from assistant.nlu.budgets import bound_roles
from assistant.nlu.corpus import _PIECE, load_families
from assistant.nlu.reader import Reader
from assistant.nlu.tagger import Tagged
from assistant.nlu.tokens import tokenize
from tests.assistant.nlu.conftest import TEMPLATES


@pytest.mark.parametrize(
    ("text", "lang", "op"),
    [
        ("chuck the 2nd one in my basket, size 10 please", "en", "add"),
        ("could you remove the headlamp from my cart?", "en", "remove"),
        ("what have i got in my cart right now", "en", "view"),
        ("i'm done, take me to checkout", "en", "checkout"),
        ("leg bitte die dritte in größe M in meinen warenkorb", "de", "add"),
        ("ich würde dann gern bezahlen", "de", "checkout"),
        ("ajoute la deuxième au panier en taille M stp", "fr", "add"),
        ("enlève la lampe frontale de mon panier", "fr", "remove"),
        ("quita la esterilla del carrito por favor", "es", "remove"),
        ("cambia la cantidad de los calcetines a tres", "es", "update"),
        ("mi metti nel carrello il terzo in nero?", "it", "add"),
        ("quanto costa in tutto il mio carrello?", "it", "view"),
    ],
)
def test_cart_requests_name_their_operation(reader: Reader, text: str, lang: str, op: str) -> None:
    r = reader.read(text, lang)
    assert r.intent == "cart", (r.intent, r.alternatives)
    assert r.cart == op


def test_a_cart_request_keeps_its_shown_product_and_variant(reader: Reader) -> None:
    r = reader.read("chuck the 2nd one in my basket, size 10 please", "en")
    assert r.items == [2] and r.sizes == ["10"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("i checked out last week and my package still hasn't come", "en"),
        ("i'd like to check out some rain jackets", "en"),
        ("kann ich aus meiner bestellung W1234567 einen artikel entfernen?", "de"),
        ("¿cuánto cuesta el segundo?", "es"),
        ("ho pagato ieri, quando arriva il mio ordine?", "it"),
    ],
)
def test_cart_words_in_other_requests_are_not_cart(reader: Reader, text: str, lang: str) -> None:
    r = reader.read(text, lang)
    assert r.intent != "cart"
    assert r.cart is None


def test_every_cart_template_marks_its_operation() -> None:
    """The cart head learns from the marked words: a cart template without one teaches none."""
    families = [f for f in load_families(TEMPLATES) if f.intent == "cart"]
    assert {f.lang for f in families} == {"en", "de", "fr", "es", "it"}
    for fam in families:
        for template in fam.templates:
            ops = [m.group(4) for m in _PIECE.finditer(template) if m.group(3) == "cart"]
            assert ops, (fam.id, template)
            assert set(ops) <= {"add", "remove", "update", "view", "checkout"}


def test_two_amounts_of_one_kind_joined_as_a_range_are_its_ends() -> None:
    text = "kaffeemaschine 35 bis 70 dollar"
    tokens = tokenize(text)
    tagged = [Tagged("budget_max", 15, 17, "35"), Tagged("budget_max", 22, 31, "70 dollar")]
    roles = bound_roles(tagged, tokens, [[] for _ in tokens])
    assert [(t.slot, t.text) for t in roles] == [("budget_min", "35"), ("budget_max", "70 dollar")]


def test_a_compound_number_is_no_range() -> None:
    text = "boots under a hundred and fifty"
    tokens = tokenize(text)
    tagged = [Tagged("budget_max", 12, 21, "a hundred"), Tagged("budget_max", 26, 31, "fifty")]
    roles = bound_roles(tagged, tokens, [[] for _ in tokens])
    assert all(t.slot == "budget_max" for t in roles)


@pytest.mark.parametrize(
    ("text", "lang", "colour"),
    [
        ("ok prendo quello bianco da 32 oz", "it", "white"),
        ("vale, me llevo el negro de 1.7L", "es", "black"),
        ("nehm ich den schwarzen in L", "de", "black"),
        ("ok ill take the blue one in 2L", "en", "blue"),
    ],
)
def test_a_colour_inside_the_words_of_a_choice_is_still_read(
    reader: Reader, text: str, lang: str, colour: str
) -> None:
    # the tagger may run the choice words over the colour ("prendo quello bianco")
    assert colour in reader.read(text, lang).colors
