"""Option values and sizes in the shopper's words and language (the synonym file's options)."""

from __future__ import annotations

import pytest

from assistant.nlu.reader import Reader


@pytest.mark.parametrize(
    ("text", "lang", "options", "sizes"),
    [
        ("need a queen size pillow, soft one please", "en", {"firmness": "soft"}, ["queen"]),
        ("widerstandsbänder mit mittlerer stärke", "de", {"level": "medium"}, []),
        ("un sac de couchage trois saisons", "fr", {"temperature": "20F"}, []),
        ("tienda de campaña para cuatro personas", "es", {"capacity": "4-person"}, []),
        ("tastiera meccanica con switch lineari", "it", {"switch type": "linear"}, []),
        ("fleece jacket in extra large", "en", {}, ["XL"]),
        ("fleecejacke in klein", "de", {}, ["S"]),
        ("une gourde de 75 cl", "fr", {"capacity": "750ml"}, []),
        ("cuaderno de hojas rayadas", "es", {"ruling": "lined"}, []),
        ("pantaloni da trekking taglia media", "it", {}, ["M"]),
    ],
)
def test_an_option_named_in_the_shoppers_words(
    reader: Reader, text: str, lang: str, options: dict[str, str], sizes: list[str]
) -> None:
    got = reader.read(text, lang)
    assert got.options == options
    assert got.sizes == sizes


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("draft a social media caption for trekking pants", "en"),  # "media" is not "medium"
        ("fleece jacket, what sizes do you have?", "en"),
    ],
)
def test_words_of_another_language_name_no_option(reader: Reader, text: str, lang: str) -> None:
    got = reader.read(text, lang)
    assert got.sizes == [] and got.options == {}


def test_an_inflected_option_word_counts(reader: Reader) -> None:
    """German endings the synonym file does not list ("dicker" of "dick")."""
    got = reader.read("wandersocken mit dicker polsterung", "de")
    assert got.options == {"cushion": "heavy"}


@pytest.mark.parametrize(
    ("lang", "text", "colors", "colors_not"),
    [
        ("en", "looking at robot vacuums, a white one ideally", ["white"], []),
        ("en", "robot vacuums but not white", [], ["white"]),
        ("de", "saugroboter, aber bloß nicht in weiß", [], ["white"]),
        ("it", "cerco un aspirapolvere robot bianco", ["white"], []),
    ],
)
def test_a_colour_the_lexicon_names_plainly_is_kept(
    reader: Reader, lang: str, text: str, colors: list[str], colors_not: list[str]
) -> None:
    r = reader.read(text, lang)
    assert r.products == ["Robot Vacuum"]
    assert (r.colors, r.colors_not) == (colors, colors_not)
    assert not r.options


@pytest.mark.parametrize(
    ("text", "lang"),
    [("also want some heavy resistance bands", "en"), ("heavy resistance bands pls", "en")],
)
def test_a_type_behind_an_option_phrase_that_took_its_first_word(
    reader: Reader, text: str, lang: str
) -> None:
    """ "heavy resistance" is a level's phrase; "resistance bands" is still the type."""
    r = reader.read(text, lang)
    assert r.products == ["Resistance Bands"]
    assert r.options.get("level") == "heavy"


@pytest.mark.parametrize(
    ("text", "lang", "products"),
    [
        ("busco auriculares baratos", "es", {"Wireless Earbuds", "Over-Ear Headphones"}),
        ("kopfhörer unter 50", "de", {"Wireless Earbuds", "Over-Ear Headphones"}),
        ("auriculares de diadema", "es", {"Over-Ear Headphones"}),
        ("bluetooth earbuds under 50", "en", {"Wireless Earbuds"}),
    ],
)
def test_an_umbrella_word_names_each_of_its_types(
    reader: Reader, text: str, lang: str, products: set[str]
) -> None:
    assert set(reader.read(text, lang).products) == products


def test_a_negation_in_another_clause_negates_no_colour(reader: Reader) -> None:
    r = reader.read("un tappetino da yoga che non scivoli, viola, sotto i 30 euro", "it")
    assert r.colors == ["purple"] and r.colors_not == []
    assert reader.read("a kettle, not black pls", "en").colors_not == ["black"]


def test_a_dimension_is_a_size_not_positions_or_a_budget(reader: Reader) -> None:
    r = reader.read("area rug 5x8 in blue", "en")
    assert r.sizes == ["5x8 ft"] and r.items == []
    r = reader.read("a 60x80 throw blanket under 60", "en")
    assert r.sizes == ["60x80 in"] and r.budget_max == 60
    r = reader.read("a 60x80 throw blanket", "en")
    assert r.sizes == ["60x80 in"] and r.budget_max is None


def test_a_number_with_its_unit_is_an_option_not_a_position(reader: Reader) -> None:
    r = reader.read("vale, añade la primera al carrito, la de 6 cuartos", "es")
    assert r.options == {"capacity": "6 qt"}


def test_a_hyphenated_thing_the_shop_lacks_is_missing(reader: Reader) -> None:
    r = reader.read("bonjour, vous vendez des micro-ondes ?", "fr")
    assert r.missing == ["micro-ondes"] and r.products == []


def test_another_amount_keeps_the_budget_when_a_dimension_is_dropped(reader: Reader) -> None:
    r = reader.read("alors un plaid grand format 60x80 pour le canapé, moins de 35 dollars", "fr")
    assert r.sizes == ["60x80 in"] and r.budget_max == 35 and r.budget_min is None


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("montre-moi des écouteurs sans fil noirs", "fr"),
        ("cuffie senza fili nere", "it"),
        ("auriculares sin cable negros", "es"),
    ],
)
def test_without_in_a_product_name_negates_no_colour(reader: Reader, text: str, lang: str) -> None:
    r = reader.read(text, lang)
    assert r.colors == ["black"] and r.colors_not == []


@pytest.mark.parametrize(
    ("text", "lang", "option"),
    [
        ("ok add the cheaper one, the 2 person, gray is fine", "en", "2-person"),
        ("das 4 personen zelt bitte", "de", "4-person"),
    ],
)
def test_a_count_with_its_unit_is_the_types_option(
    reader: Reader, text: str, lang: str, option: str
) -> None:
    got = reader.read(text, lang)
    assert got.items == [] and got.options.get("capacity") == option


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mio figlio compie 8 anni e vuole una macchinina telecomandata", "it"),
        ("rain boots for my 9 year old", "en"),
        ("cadeau pour ma fille de 10 ans, un jeu de société", "fr"),
    ],
)
def test_an_age_is_no_size(reader: Reader, text: str, lang: str) -> None:
    assert reader.read(text, lang).sizes == []


@pytest.mark.parametrize(
    ("text", "lang", "feature"),
    [
        ("do you have coffee makers with the grinder built in?", "en", "built-in grinder"),
        ("un lit pour chien orthopédique svp", "fr", "orthopedic"),
        ("cerco una cuccia ortopedica", "it", "orthopedic"),
        ("eine stirnlampe die man aufladen kann", "de", "rechargeable"),
        ("une lampe frontale qu'on peut recharger", "fr", "rechargeable"),
        ("a head torch i'm able to recharge on the go", "en", "rechargeable"),
        # the verb's form begins a two-word feature, one feature alone ("dimmable LED")
        ("desk lamps that dim please", "en", "dimmable LED"),
    ],
)
def test_a_feature_in_another_word_order_or_left_untagged_is_read(
    reader: Reader, text: str, lang: str, feature: str
) -> None:
    r = reader.read(text, lang)
    assert feature in r.features, r
    assert not r.missing


@pytest.mark.parametrize(
    ("text", "lang", "shown", "size"),
    [
        ("which of them is the cheapest in a large?", "en", "Bike Helmet", "L"),
        ("welcher davon ist in medium am günstigsten", "de", "Hoodie", "M"),
        ("and which one of those is best rated in medium", "en", "Bike Helmet", "M"),
    ],
)
def test_a_size_word_with_no_type_named_is_the_shown_ones_size(
    reader: Reader, text: str, lang: str, shown: str, size: str
) -> None:
    r = reader.read(text, lang, [shown])
    assert r.sizes == [size], r
    assert not r.options


@pytest.mark.parametrize(
    ("word", "lang", "form"),
    [
        ("recharge", "en", "rechargeable"),
        ("waschen", "de", "waschbar"),
        ("laver", "fr", "lavable"),
        ("recargar", "es", "recargable"),
        ("ricaricare", "it", "ricaricabile"),
        ("dim", "en", "dimmable"),  # a short verb's consonant doubles
    ],
)
def test_a_verb_makes_its_able_adjective(word: str, lang: str, form: str) -> None:
    from assistant.nlu.capabilities import able_forms

    assert form in able_forms(word, lang)
    assert able_forms("go", lang) == []  # too short to be a verb's stem


@pytest.mark.parametrize(
    ("text", "lang", "shown", "option"),
    [
        ("die bypass-Variante bitte, nur eine", "de", "Pruning Shears", ("type", "bypass")),
        ("the squeeze-type one pls", "en", "Water Filter", ("type", "squeeze")),
        # a value spelt with its hyphen stays whole
        ("the multi-fuel one", "en", "Camping Stove", ("fuel type", "multi-fuel")),
    ],
)
def test_a_value_in_a_hyphenated_compound_is_read(
    reader: Reader, text: str, lang: str, shown: str, option: tuple[str, str]
) -> None:
    r = reader.read(text, lang, [shown])
    assert r.options.get(option[0]) == option[1], r
