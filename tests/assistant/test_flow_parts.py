"""The code that reads messages, grounds commands and verifies model sentences."""

from __future__ import annotations

import pytest

from assistant.flows import understand as u
from assistant.flows.command import Command, command_schema, ground, parse_command
from assistant.flows.replies import LANGUAGES, _table, money, say
from assistant.flows.verifier import verify_sentence

TOOLS = ["search_catalog", "confirm_action"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Ich suche leichte Trekkingstöcke für unter 100 Dollar", "de"),
        ("Bonjour, je cherche une lampe de bureau", "fr"),
        ("Hola, ¿tienen botas de lluvia?", "es"),
        ("Ciao! Cerco una friggitrice ad aria", "it"),
        ("I need waterproof hiking boots", "en"),
    ],
)
def test_language_is_detected_in_code(text: str, lang: str) -> None:
    assert u.detect_language(text) == lang
    assert u.detect_language("ok", default="de") == "de"  # too short: keep the last one


def test_a_short_first_message_takes_the_language_of_its_shop_words() -> None:
    """The identifier guesses on three words; the shop's French words decide."""
    assert u.detect_language("tapis de yoga 6mm", shop_words="fr") == "fr"
    assert u.detect_language("zapatillas trail", shop_words="es") == "es"
    # English catalog words are used in every language: they decide nothing
    assert u.detect_language("ok", default="de", shop_words="en") == "de"
    # a settled conversation, or a long message, goes by the identifier as before
    assert u.detect_language("gourdes", default="en", settled=True, shop_words="fr") == "en"
    long = "I need waterproof hiking boots for a trip next month"
    assert u.detect_language(long, shop_words="fr") == "en"


@pytest.mark.parametrize(
    ("text", "lang"),
    [("vendéis colchones?", "es"), ("vendete zaini?", "it"), ("verkauft ihr Zelte?", "de")],
)
def test_a_short_first_message_the_identifier_is_unsure_of_goes_by_its_cue_words(
    text: str, lang: str
) -> None:
    """ "vendéis" is a Spanish cue word only; a settled conversation keeps its language."""
    assert u.detect_language(text) == lang
    assert u.detect_language("vendéis colchones?", default="it", settled=True) == "it"


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("prendo quella arancione", "it"),  # read as Spanish alone
        ("ok nehm ich die orange", "de"),
        ("me quedo con la naranja", "es"),
    ],
)
def test_a_message_sharing_the_talks_cue_words_keeps_its_language(text: str, settled: str) -> None:
    assert u.detect_language(text, default=settled, settled=True) == settled
    # a message in another language entirely still switches
    assert (
        u.detect_language("can i get the orange one instead", default=settled, settled=True) == "en"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Can I talk to a human?",
        "Get me a manager right now!",
        "Is there a customer service agent I could chat with?",
        "je voudrais parler à un conseiller humain",
        "Let me speak to someone who can authorize that.",
    ],
)
def test_requests_for_a_person(text: str) -> None:
    assert u.wants_human(text)


def test_yes_no_and_identifiers() -> None:
    assert u.is_yes("yes") and u.is_yes("Yes please") and u.is_yes("ja") and u.is_yes("sí")
    assert not u.is_yes("yes, but don't cancel it") and not u.is_yes("maybe")
    assert u.is_no("Actually, no. Don't cancel it") and u.is_no("Leave my address as it is")
    assert u.email_in("mail: ann.lee+x@example.com.") == "ann.lee+x@example.com"
    assert u.zip_in("order #W1234567, zip 60153") == "60153"
    assert u.order_ids_in("cancel w1234567 and #W7654321") == ["#W1234567", "#W7654321"]
    a = u.address_in("ship it to 742 Evergreen Terrace, Springfield, IL 62704, USA instead?")
    assert a is not None and (a.address1, a.city, a.state, a.zip, a.country) == (
        "742 Evergreen Terrace",
        "Springfield",
        "IL",
        "62704",
        "USA",
    )
    assert u.sort_in("Which blender do your customers rate the highest?") == "rating"
    assert u.sort_in("from cheapest to most expensive") == "price_asc"
    assert u.sort_in("premium office chairs, most expensive first") == "price_desc"
    assert u.cancel_reason("I ordered it by mistake") == "ordered by mistake"


def test_command_schema_parse_and_grounding() -> None:
    schema = command_schema()
    assert schema["required"] == ["action"] and "search" in schema["properties"]["action"]["enum"]
    cmd = parse_command(
        '```json\n{"action":"authenticate","email":"eve@evil.com","zip":"60153",'
        '"max_price":"$0","order_id":"#W1111111"}\n```'
    )
    assert cmd is not None
    grounded = ground(cmd, "my zip is 60153 and order W1111111", (None, 100.0))
    assert grounded.email is None  # never typed: dropped
    assert grounded.zip == "60153" and grounded.order_id == "W1111111"
    assert grounded.max_price == 100.0  # from the message's own price phrase
    assert parse_command("not json") is None
    assert parse_command('{"action": "fly"}') is None
    assert Command().action == "smalltalk"


def test_templates_exist_in_every_language() -> None:
    for key, entry in _table().items():
        assert set(entry) == set(LANGUAGES), key
    assert money(1234.5, "en") == "$1,234.50" and money(1234.5, "de") == "1.234,50 $"
    assert "Trekkingstöcke" in say("search_found", "de", n=3, words="Trekkingstöcke", budget="")


def check(sentence: str, lang: str = "en") -> list[str]:
    return verify_sentence(
        sentence,
        lang=lang,
        facts="Here are 3 kettles. The cheapest is the Acme Boil 2 Electric Kettle at $19.70.",
        product_names=["Acme Boil 2 Electric Kettle", "Zed 9 Blender"],
        tool_names=TOOLS,
        prompt_text="You read one message of a shopper in an online store and fill a JSON form.",
    ).problems


def test_verifier_accepts_a_friendly_sentence() -> None:
    assert check("Enjoy your next cup of tea with it!") == []


@pytest.mark.parametrize(
    ("sentence", "lang", "problem"),
    [
        ("It is on sale for $9.99 today!", "en", "numbers"),
        ("You will also love the Zed 9 Blender for smoothies.", "en", "products"),
        ("Viel Spaß mit Ihrem neuen Wasserkocher beim Teetrinken!", "en", "language"),
        ("I used search_catalog to find these for you.", "en", "tool names"),
        ('Here you go {"tool": "x"} happy shopping!', "en", "JSON"),
        (
            "You read one message of a shopper in an online store and fill a JSON form.",
            "en",
            "prompt",
        ),
    ],
)
def test_verifier_rejects(sentence: str, lang: str, problem: str) -> None:
    problems = check(sentence, lang)
    assert any(problem in p for p in problems), problems
