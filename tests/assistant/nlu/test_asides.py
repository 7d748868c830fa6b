"""A story told before the request names no thing asked for (phrasings written for this)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "asked", "told"),
    [
        ("my toddler spilled juice all over the keyboard 🙈 anyway do you have backpacks?", "en",
         "Hiking Backpack", "Mechanical Keyboard"),
        ("I got a tent from you guys last summer, btw do you sell sleeping bags?", "en",
         "Sleeping Bag", "Backpacking Tent"),
        ("mein Hund hat die Tastatur angeknabbert 😂 übrigens, habt ihr Hundebetten?", "de",
         "Dog Bed", "Mechanical Keyboard"),
        ("mon fils a renversé du café sur le clavier lol. au fait vous vendez des sacs à dos ?",
         "fr", "Hiking Backpack", "Mechanical Keyboard"),
        ("perdona, mi perro mordió el teclado jaja. por cierto, ¿tenéis camas para perro?",
         "es", "Dog Bed", "Mechanical Keyboard"),
        ("scusate, il gatto ha camminato sulla tastiera. comunque avete zaini?", "it",
         "Hiking Backpack", "Mechanical Keyboard"),
    ],
)  # fmt: skip
def test_a_thing_of_a_story_before_a_turn_is_not_asked_for(
    reader: Reader, text: str, lang: str, asked: str, told: str
) -> None:
    r = reader.read(text, lang)
    assert asked in r.products and told not in r.products, r
    assert any(s.value == told for s in r.told), r.told


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("sorry my dog just sat on the keyboard 😂 btw who won the game last night", "en"),
        ("meine Katze lief über die Tastatur 😅 übrigens, wie wird das Wetter morgen?", "de"),
    ],
)
def test_a_story_then_something_off_topic_searches_nothing(
    reader: Reader, text: str, lang: str
) -> None:
    r = reader.read(text, lang)
    assert not r.products and r.intent in ("out_of_scope", "smalltalk"), r


@pytest.mark.parametrize(
    ("text", "lang", "both"),
    [
        ("I need a tent for two, btw do you also sell sleeping bags?", "en",
         {"Backpacking Tent", "Sleeping Bag"}),
        ("ich suche ein Zelt für zwei, übrigens habt ihr auch Schlafsäcke?", "de",
         {"Backpacking Tent", "Sleeping Bag"}),
        ("busco una tienda de campaña para dos, por cierto ¿tenéis sacos de dormir?", "es",
         {"Backpacking Tent", "Sleeping Bag"}),
        ("a tent under 200 pls, anyway sleeping bags too?", "en",
         {"Backpacking Tent", "Sleeping Bag"}),
    ],
)  # fmt: skip
def test_a_request_before_a_turn_is_still_asked_for(
    reader: Reader, text: str, lang: str, both: set[str]
) -> None:
    r = reader.read(text, lang)
    assert both <= set(r.products) and not r.told, r


@pytest.mark.parametrize(
    ("text", "lang", "asked", "told"),
    [
        ("my dog chewed up the sofa cushion lol. do you have dog beds?", "en", "Dog Bed",
         "cushioned"),
        ("I bought a tent here last year. looking for a sleeping bag now", "en", "Sleeping Bag",
         "Backpacking Tent"),
        ("j'ai cassé ma bouilloire ce matin. vous avez des cafetières ?", "fr", "Coffee Maker",
         "Electric Kettle"),
    ],
)  # fmt: skip
def test_a_first_sentence_of_ones_own_story_names_no_request(
    reader: Reader, text: str, lang: str, asked: str, told: str
) -> None:
    r = reader.read(text, lang)
    assert asked in r.products, r
    assert told not in r.products and told not in r.features, r


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        # the story is the kind asked for ("a 2 person one"): nothing else is named after it
        ("My old tent ripped last weekend. Do you have a 2 person one?", "en", "Backpacking Tent"),
        # a value asked for is no story
        ("Red rain jacket in size M please. also do you have boots?", "en", "Rain Jacket"),
        # one like the thing told of is asked for
        (
            "my old kettle finally died this morning 💀 need a new one, silver, under 40 so it "
            "fits the rest of my kitchen",
            "en",
            "Electric Kettle",
        ),
        (
            "mein alter Mixer ist gestern kaputtgegangen 😩 egal, habt ihr einen neuen für mich?",
            "de",
            "Blender",
        ),
    ],
)
def test_a_first_sentence_that_is_the_request_stays(
    reader: Reader, text: str, lang: str, kept: str
) -> None:
    assert kept in reader.read(text, lang).products


@pytest.mark.parametrize(
    ("text", "lang", "shown", "dropped"),
    [
        ("ok forget the kettle, what i really want is a blender", "en", ["Electric Kettle"],
         "Electric Kettle"),
        ("vergiss den Wasserkocher, ich brauche eher einen Mixer", "de", ["Electric Kettle"],
         "Electric Kettle"),
        ("laisse tomber la bouilloire, je cherche plutôt un blender", "fr", ["Electric Kettle"],
         "Electric Kettle"),
        ("olvida el hervidor, lo que necesito es una batidora", "es", ["Electric Kettle"],
         "Electric Kettle"),
        ("lascia perdere il bollitore, mi serve un frullatore", "it", ["Electric Kettle"],
         "Electric Kettle"),
    ],
)  # fmt: skip
def test_a_kind_set_aside_for_another_is_not_asked_for(
    reader: Reader, text: str, lang: str, shown: list[str], dropped: str
) -> None:
    r = reader.read(text, lang, shown)
    assert dropped not in r.products and "Blender" in r.products, r
    assert any(t.value == dropped for t in r.told)


def test_a_kind_set_aside_alone_is_still_the_kind_talked_about(reader: Reader) -> None:
    # nothing else asked for: the clock is what "scrap" is about (the flows read the no)
    assert "Wall Clock" in reader.read("scrap the clock", "en", ["Wall Clock"]).products


@pytest.mark.parametrize(
    ("text", "lang", "asked", "kept_in"),
    [
        ("need a headlamp thats not black, i can never find stuff in my backpack", "en",
         "Headlamp", "Hiking Backpack"),
        ("eine Trinkflasche, die in meinen Rucksack passt", "de", "Water Bottle",
         "Hiking Backpack"),
        ("un sac de couchage qui rentre dans mon sac à dos", "fr", "Sleeping Bag",
         "Hiking Backpack"),
        ("vorrei una borraccia che entri nel mio zaino da trekking", "it", "Water Bottle",
         "Hiking Backpack"),
    ],
)  # fmt: skip
def test_a_thing_named_as_where_another_is_kept_is_not_asked_for(
    reader: Reader, text: str, lang: str, asked: str, kept_in: str
) -> None:
    r = reader.read(text, lang)
    assert r.products == [asked], r
    assert any(t.value == kept_in for t in r.told)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("i need a backpack and a headlamp", "en"), ("ne Gartenschere und ein Hochbeet", "de")],
)
def test_two_things_asked_for_side_by_side_are_both_kept(
    reader: Reader, text: str, lang: str
) -> None:
    assert len(reader.read(text, lang).products) == 2


@pytest.mark.parametrize(
    ("text", "lang", "asked", "not_read"),
    [
        # German "Tee" is tea, the English word for a T-shirt only in English
        ("suche einen Wasserkocher mit Temperaturwahl (für grünen Tee), so 1,5 Liter",
         "de", ["Electric Kettle"], "T-Shirt"),
        # German "Hose" is a pair of trousers, not a garden hose
        ("ich brauche eine Regenjacke und passend dazu eine Hose", "de", ["Rain Jacket"],
         "Garden Hose"),
        # Italian "camera" is a room
        ("una lampada da scrivania per la camera di mio figlio", "it", ["Desk Lamp"],
         "Action Camera"),
    ],
)  # fmt: skip
def test_a_common_word_of_the_language_is_no_shop_word_of_another(
    reader: Reader, text: str, lang: str, asked: list[str], not_read: str
) -> None:
    r = reader.read(text, lang)
    assert r.products == asked, r
    assert not r.colors, r  # "grünen Tee": the tea's colour, not the kettle's


@pytest.mark.parametrize(
    ("text", "lang", "product"),
    [("a red tee in M", "en", "T-Shirt"), ("einen schwarzen Hoodie in M", "de", "Hoodie")],
)
def test_a_shop_word_of_the_language_or_a_borrowed_one_stays(
    reader: Reader, text: str, lang: str, product: str
) -> None:
    assert product in reader.read(text, lang).products


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("does it have a hammock thing? she wanted one the cat can nap in", "en", ["Cat Tree"]),
        ("is it big enough that my dog can sleep on it", "en", ["Dog Bed"]),
    ],
)
def test_a_word_of_grammar_is_no_product(
    reader: Reader, text: str, lang: str, shown: list[str]
) -> None:
    assert "Over-Ear Headphones" not in reader.read(text, lang, shown).products


def test_a_product_word_with_a_determiner_stays(reader: Reader) -> None:
    assert reader.read("any good cans under 100?", "en").products == ["Over-Ear Headphones"]
