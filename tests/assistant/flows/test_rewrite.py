"""A product text written again in the tone the next message asks for ("make it funnier")."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from assistant.flows.state import FlowState
from assistant.flows.writing_flow import Rewrite, rewrite_asked
from catalog.models import Product
from tests.assistant.test_flows import Flow


def _lamp(flow: Flow) -> Product:
    vocab = flow.chat.deps.searcher.vocabulary
    with Session(flow.engine) as s:
        rows = [p for p in s.exec(select(Product)) if vocab.type_of.get(p.id) == "Desk Lamp"]
    return max(rows, key=lambda p: vocab.rating_of.get(p.id, 0.0))


async def test_the_text_just_written_is_written_again_in_the_tone_asked(flow: Flow) -> None:
    lamp = _lamp(flow)
    feature = lamp.attributes["features"][0]
    flow.llm.enqueue(f"The {lamp.name} brings {feature} to your desk.")
    first = await flow.say("write a product description of your best rated desk lamp")
    assert "write_product_description" in first.tools_used, first.reply
    flow.llm.enqueue(f"Say hello to the {lamp.name}: {feature}, and your desk will grin.")
    r = await flow.say("haha can you make it a bit funnier")
    assert r.tools_used == ["write_product_description"], r.reply
    assert "your desk will grin" in r.reply
    asked = flow.llm.calls[-1][-1]["content"]
    assert "playful" in asked and lamp.name in asked


async def test_a_tone_word_long_after_the_text_is_no_rewrite(flow: Flow) -> None:
    lamp = _lamp(flow)
    flow.llm.enqueue(f"The {lamp.name} brings {lamp.attributes['features'][0]} to your desk.")
    await flow.say("write a product description of your best rated desk lamp")
    await flow.say("show me hiking boots")
    r = await flow.say("anything shorter?")
    assert "write_product_description" not in r.tools_used


@pytest.mark.parametrize(
    ("text", "lang", "tone"),
    [
        ("jaja ponla un poco más divertida", "es", "playful"),
        ("kannst du das kürzer machen", "de", "brief"),
        ("tu peux la faire plus formelle ?", "fr", "formal"),
        ("più dettagliata per favore, e più allegra", "it", "detailed, warm"),
        ("make it sound more professional", "en", "formal"),
    ],
)
def test_the_tone_asked_of_the_last_text(text: str, lang: str, tone: str) -> None:
    state = FlowState(turn=5, wrote={"product_id": "1", "name": "x", "kind": "description",
                                     "lang": lang}, wrote_turn=4)  # fmt: skip
    assert rewrite_asked(state, text, lang) == Rewrite(tone=tone, lang=lang)
    assert rewrite_asked(FlowState(turn=5), text, lang) is None  # nothing written before
    state.wrote_turn = 2
    assert rewrite_asked(state, text, lang) is None  # written turns ago


def test_the_last_text_again_in_another_language() -> None:
    state = FlowState(turn=3, wrote={"product_id": "1", "name": "x", "kind": "social",
                                     "lang": "de", "tone": "playful"}, wrote_turn=2)  # fmt: skip
    asked = rewrite_asked(state, "und das ganze nochmal auf englisch pls", "de")
    assert asked == Rewrite(tone="playful", lang="en")
    # a product named, or a long message, is no rewrite: "english breakfast tea"
    assert rewrite_asked(state, "habt ihr english breakfast tee", "de", ["tee"]) is None
    assert rewrite_asked(state, "ok and now please " + "very " * 10 + "english", "en") is None
    # the language's clause counts: a product word in the reason after it is no product
    said = "love it. now the same thing in spanish please, half my readers are in mexico"
    assert rewrite_asked(state, said, "en", ["readers"]) == Rewrite(tone="playful", lang="es")
