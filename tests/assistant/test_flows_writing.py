"""Translate, describe and reviews in the flows assistant, and replies in the shopper's words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from catalog.models import Product
from catalog.translations import Translation
from evals.stores import EvalStore
from tests.assistant.test_flows import Flow, cmd, flow_on_copy, types_of
from tests.fakes import FakeLLM

_WORDS = {
    "The": "Der",
    "from": "von",
    "is built for": "ist gemacht für",
    "Made of": "Aus",
    "Headlamp": "Stirnlampe",
}


def _germanish(messages: list[dict[str, str]]) -> str:
    text = messages[-1]["content"]
    for en, de in _WORDS.items():
        text = text.replace(en, de)
    return text


def _translating(messages: list[dict[str, str]]) -> str:
    if messages[0]["content"].startswith("Translate the English shop term"):
        return "T-" + messages[-1]["content"]  # a term, translated once and reused
    return _germanish(messages)


@pytest.fixture()
def flow(eval_store: EvalStore, tmp_path: Path) -> Iterator[Flow]:
    made = flow_on_copy(eval_store, tmp_path)
    llm = FakeLLM(translate=_translating)
    made.llm = llm
    made.agent.llm = llm
    made.chat.deps.llm = llm
    yield made
    made.engine.dispose()


def _best_rated(flow: Flow, ptype: str) -> Product:
    vocab = flow.chat.deps.searcher.vocabulary
    with Session(flow.engine) as s:
        rows = [p for p in s.exec(select(Product)) if vocab.type_of.get(p.id) == ptype]
    return max(rows, key=lambda p: vocab.rating_of.get(p.id, 0.0))


async def test_translate_the_best_rated_products_description(flow: Flow) -> None:
    r = await flow.say(
        "Please translate the product description of your best-rated desk lamp into German."
    )
    assert r.tools_used == ["search_catalog", "translate_text"]
    lamp = _best_rated(flow, "Desk Lamp")
    assert r.cards[0]["id"] == lamp.id and types_of(flow, r) == {"Desk Lamp"}
    assert r.reply.startswith("Hier ist die Beschreibung des Produkts")
    assert "maschinelle Übersetzung" in r.reply
    assert f"Der {lamp.name} von {lamp.brand} ist gemacht für" in r.reply  # names kept
    with Session(flow.engine) as s:
        row = s.exec(
            select(Translation).where(Translation.key == f"product:{lamp.id}:description")
        ).one()
    assert row.locale == "de" and row.generated_by and row.status == "machine"
    calls = flow.llm.translations
    again = await flow.say(
        "translate the description of the first one into German please",
        cmd(action="translate", item=1),
    )
    assert again.tools_used == ["get_product", "translate_text"]
    assert flow.llm.translations == calls  # served from the cache


async def test_translate_asks_for_the_language_and_the_product(flow: Flow) -> None:
    r = await flow.say("Can you translate something for me?", cmd(action="translate"))
    assert "Into which language" in r.reply and not r.tools_used
    r = await flow.say("Please translate it into French", cmd(action="translate"))
    assert "Which product" in r.reply


async def test_translate_a_quoted_text(flow: Flow) -> None:
    r = await flow.say('How do I say "The lamp from the shop" in German? Translate it please.')
    assert r.tools_used == ["translate_text"]
    assert "Der lamp von the shop" in r.reply


async def test_describe_writes_verified_copy_as_asked(flow: Flow) -> None:
    fryer = _best_rated(flow, "Air Fryer")
    features = fryer.attributes["features"]
    flow.llm.enqueue(
        f"Meet the {fryer.name}: {features[0]} for you, and it is waterproof!",
        f"The {fryer.name} brings {features[0]} to your kitchen.",
    )
    r = await flow.say(
        "Our newsletter needs copy: draft a short, upbeat product description of the top-rated air fryer you carry."
    )
    assert r.tools_used == ["search_catalog", "write_product_description"]
    assert r.cards[0]["id"] == fryer.id
    assert "waterproof" not in r.reply  # the first draft was rejected by the verifier
    assert f"brings {features[0]}" in r.reply and "AI-written" in r.reply
    assert "newsletter" in r.reply  # kind: email
    assert len(flow.llm.calls) == 2 and "waterproof" in flow.llm.calls[1][-1]["content"]


async def test_reviews_summary_quotes_real_sentences(flow: Flow) -> None:
    from catalog.reviews import reviews_for

    r = await flow.say("What do reviews say about your best rated desk lamp?")
    assert r.tools_used == ["search_catalog", "summarize_reviews"]
    lamp = _best_rated(flow, "Desk Lamp")
    reviews = reviews_for(flow.engine, lamp.id)
    if not reviews:
        assert "no reviews yet" in r.reply
        return
    assert f"{len(reviews)} reviews" in r.reply
    sentences = {s.strip() for rv in reviews for s in re.split(r"(?<=[.!?])\s+", rv.text)}
    quotes = re.findall(r"“([^”]+)”", r.reply)
    assert quotes and all(q in sentences for q in quotes)


async def test_italian_refinement_uses_the_shoppers_own_feature_words(flow: Flow) -> None:
    r = await flow.say(
        "Ciao! Cerco una friggitrice ad aria che costi meno di 300 dollari.",
        cmd(action="search", product="air fryer", max_price=300),
    )
    assert types_of(flow, r) == {"Air Fryer"} and "friggitrice" in r.reply
    r = await flow.say(
        "Quale di queste ha il cestello lavabile in lavastoviglie?",
        cmd(action="refine", features=["dishwasher-safe basket"]),
    )
    assert "cestello lavabile in lavastoviglie" in r.reply and "dishwasher" not in r.reply


async def test_german_search_without_model_words_uses_the_typed_word(flow: Flow) -> None:
    r = await flow.say(
        "Ich suche leichte Trekkingstöcke für unter 100 Dollar.",
        cmd(action="search", product="trekking poles", words="trekking poles"),
    )
    assert types_of(flow, r) == {"Trekking Poles"}
    assert "Trekkingstöcke" in r.reply and "trekking poles" not in r.reply


async def test_own_language_words_correct_a_head_noun_misreading(flow: Flow) -> None:
    # the small model read "Trekkingstöcke" as "trekking shoes" (head noun: shoes)
    r = await flow.say(
        "Ich suche leichte Trekkingstöcke für unter 100 Dollar.",
        cmd(action="search", product="trekking shoes", features=["lightweight"]),
    )
    assert types_of(flow, r) == {"Trekking Poles"}
    # an exact English type name from the model is kept as it is
    r = await flow.say("Hast du auch Laufschuhe?", cmd(action="search", product="running shoes"))
    assert types_of(flow, r) == {"Running Shoes"}


async def test_a_feature_named_only_in_italian_filters_the_cards(flow: Flow) -> None:
    await flow.say("Cerco una friggitrice ad aria.", cmd(action="search", product="air fryer"))
    r = await flow.say(
        "Quale di queste ha il cestello lavabile in lavastoviglie?", cmd(action="refine")
    )
    assert r.cards and all("dishwasher-safe basket" in c["features"] for c in r.cards)
    assert "cestello lavabile in lavastoviglie" in r.reply
    first = await flow.say("E quale costa meno?", cmd(action="refine", sort="price_asc"))
    assert first.cards  # a message naming no feature adds none


async def test_cards_get_cached_names_and_misses_are_filled_in_the_background(
    flow: Flow,
) -> None:
    ask = ("Ich suche eine Stirnlampe.", cmd(action="search", product="headlamp"))
    r = await flow.say(*ask)
    assert r.cards and not any(c.get("localized_name") for c in r.cards)  # no wait for it
    await flow.chat.localizer.drain()
    assert flow.chat.localizer.filled == len(r.cards)
    again = await flow.say(*ask)
    for card in again.cards:
        assert card["locale"] == "de"
        # brand and model are kept, the type is what the model translated
        assert card["localized_name"] == card["name"].replace("Headlamp", "Stirnlampe")
    english = await flow.say("show me headlamps")
    assert not any(c.get("localized_name") for c in english.cards)
