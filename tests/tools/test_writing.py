"""Glossary masking, the checked translation pipeline and its cache, the copy verifier."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from catalog.translations import Translation, get_translation, review_translation
from evals.stores import EvalStore
from tests.fakes import FakeLLM
from tools.errors import TerminalToolError
from tools.writing.copywriter import CopyWriter
from tools.writing.facts import ProductFacts, catalog_claim_words, load_facts
from tools.writing.glossary import Glossary, mask, numbers_preserved, restore, terms_kept
from tools.writing.translator import Translator, split_sentences
from tools.writing.verifier import verify_copy

GLOSSARY = Glossary(
    protected=["Quillmark", "AIRism"],
    fixed={"dishwasher safe": {"de": "spülmaschinenfest", "fr": "lavable au lave-vaisselle"}},
)
WORDS = {
    "The": "Die",
    "is": "ist",
    "and": "und",
    "holds": "fasst",
    "up to": "bis zu",
    "lamp": "Lampe",
}


def german(messages: list[dict[str, str]]) -> str:
    """A fake model that "translates" word by word and copies the slots it was given."""
    text = messages[-1]["content"]
    for en, de in WORDS.items():
        text = text.replace(en, de)
    return text


def dropping(messages: list[dict[str, str]]) -> str:
    """A fake model that loses every slot (what small models sometimes do)."""
    import re

    return re.sub(r"<\d+>", "", german(messages))


# ---------------------------------------------------------------- glossary


def test_mask_replaces_protected_fixed_and_numbers() -> None:
    m = mask("The Quillmark lamp is dishwasher safe and holds 6 qt at 480°F.", GLOSSARY, "de")
    assert "Quillmark" not in m.text and "6 qt" not in m.text and "480" not in m.text
    assert "dishwasher" not in m.text
    kinds = {s.kind for s in m.slots}
    assert kinds == {"protected", "fixed", "number"}
    restored, problems = restore(m.text, m)
    assert problems == []
    assert "Quillmark" in restored and "6 qt" in restored and "480°F" in restored
    # a fixed term comes back as its fixed translation, not as the English
    assert "spülmaschinenfest" in restored and "dishwasher" not in restored


def test_restore_reports_missing_drops_invented_and_repeated_slots() -> None:
    m = mask("Holds 6 qt from Quillmark.", GLOSSARY, "de")
    restored, problems = restore("Fasst <1> <1> <7> von.", m)
    assert restored.count("6 qt") == 1 and "<7>" not in restored
    assert problems == ["missing protected 'Quillmark'"]


def test_brand_like_tokens_are_protected_without_a_glossary() -> None:
    m = mask("The smooth comfort of AIRism and MALM.", Glossary(), "de")
    assert [s.source for s in m.slots] == ["AIRism", "MALM"]


@pytest.mark.parametrize(
    ("source", "output", "ok"),
    [
        ("up to 480°F and 6 qt", "bis 480 °F, 6 qt", True),
        ("2 x 60 W bulbs", "2 x 60 W Glühbirnen", True),
        ("up to 480°F", "bis 250 °C", False),
        ("1.5L kettle, 2 pieces", "1,5L Wasserkocher, 2 Stück", False),
        ("3 and 3 more", "3 und mehr", False),
    ],
)
def test_numbers_preserved(source: str, output: str, ok: bool) -> None:
    assert numbers_preserved(source, output) is ok


def test_terms_kept_checks_protected_and_fixed() -> None:
    src = "Quillmark lamp, dishwasher safe."
    assert terms_kept(src, "Quillmark Lampe, spülmaschinenfest.", GLOSSARY, "de") == []
    assert terms_kept(src, "Lampe, spülmaschinenfest.", GLOSSARY, "de") == ["Quillmark"]
    assert terms_kept(src, "Quillmark Lampe, waschbar.", GLOSSARY, "de") == ["dishwasher safe"]


def test_glossary_file_json_yaml_and_errors(tmp_path: Path) -> None:
    j = tmp_path / "g.json"
    j.write_text(json.dumps({"protected": ["Acme"], "fixed": {"tee": {"de": "T-Shirt"}}}))
    y = tmp_path / "g.yaml"
    y.write_text("protected: [Acme]\nfixed:\n  tee: {de: T-Shirt}\n")
    for path in (j, y):
        g = Glossary.load(path, protected=["Zed"])
        assert g.protected == ["Acme", "Zed"] and g.fixed["tee"]["de"] == "T-Shirt"
    bad = tmp_path / "bad.json"
    bad.write_text('{"protected": 5}')
    with pytest.raises(TerminalToolError, match="malformed"):
        Glossary.load(bad)
    with pytest.raises(TerminalToolError, match="does not exist"):
        Glossary.load(tmp_path / "missing.json")


def test_split_sentences_keeps_punctuation() -> None:
    assert split_sentences("Soft . Warm! Do not iron.") == ["Soft .", "Warm!", "Do not iron."]


# ---------------------------------------------------------------- translator


@pytest.fixture()
def engine(eval_store: EvalStore, request: pytest.FixtureRequest) -> Engine:
    return eval_store.fresh(f"writing-{request.node.name}")


def _translator(llm: FakeLLM, engine: Engine | None = None) -> Translator:
    return Translator(llm, GLOSSARY, engine=engine, model_name="fake-model", retries=1)


async def test_protected_terms_never_reach_the_model() -> None:
    llm = FakeLLM().enqueue(german, german)
    result = await _translator(llm).translate(
        "The Quillmark Aurora 3 lamp holds 6 qt. It is dishwasher safe.",
        "de",
        protect=["Quillmark Aurora 3"],
    )
    sent = " ".join(call[-1]["content"] for call in llm.calls)
    assert "Quillmark" not in sent and "6 qt" not in sent and "dishwasher" not in sent
    assert result.text.startswith("Die Quillmark Aurora 3 Lampe fasst 6 qt.")
    assert "spülmaschinenfest" in result.text
    assert result.numbers_ok and result.missing_terms == [] and result.kept_source == 0


async def test_a_sentence_that_loses_a_number_is_retried_then_kept_in_english() -> None:
    llm = FakeLLM().enqueue(dropping, dropping, german)
    result = await _translator(llm).translate("The lamp holds 6 qt. The lamp is good.", "de")
    # sentence 1: dropped twice (first try + 1 retry) -> kept as source; sentence 2 translated
    assert result.text == "The lamp holds 6 qt. Die Lampe ist good."
    assert result.retried == 1 and result.kept_source == 1 and result.numbers_ok
    assert "<1>" in llm.calls[1][0]["content"]  # the retry names the slots it must keep


async def test_only_names_and_numbers_need_no_model_call() -> None:
    llm = FakeLLM()
    result = await _translator(llm).translate("Quillmark 6 qt.", "de")
    assert result.text == "Quillmark 6 qt." and llm.calls == []


async def test_cache_hits_skip_the_model_and_a_changed_source_misses(engine: Engine) -> None:
    llm = FakeLLM().enqueue(german)
    first = await _translator(llm, engine).translate("The lamp is good.", "de", key="product:x")
    assert not first.cached and len(llm.calls) == 1
    again = await _translator(llm, engine).translate("The lamp is good.", "de", key="product:x")
    assert again.cached and again.text == first.text and len(llm.calls) == 1
    row = get_translation(engine, "product:x", "de", "The lamp is good.")
    assert row is not None and row.generated_by == "fake-model" and row.status == "machine"
    assert row.checks["numbers_ok"] is True
    # an edited source must not reuse the old translation; its first sentence is in memory
    llm.enqueue(german)
    edited = await _translator(llm, engine).translate(
        "The lamp is good. The lamp is bright.", "de", key="product:x"
    )
    assert not edited.cached and len(llm.calls) == 2  # only the new sentence was asked
    with Session(engine) as s:
        keys = {(t.key, t.source_text) for t in s.exec(select(Translation))}
    assert ("product:x", "The lamp is good. The lamp is bright.") in keys


async def test_a_reviewed_translation_is_never_overwritten(engine: Engine) -> None:
    llm = FakeLLM().enqueue(german)
    await _translator(llm, engine).translate("The lamp is good.", "de", key="k")
    row = get_translation(engine, "k", "de", "The lamp is good.")
    assert row is not None and row.pk is not None
    review_translation(engine, row.pk, reviewer="staff:1", approve=True, text="Gute Lampe.")
    from catalog.translations import put_translation

    kept = put_translation(engine, "k", "de", "The lamp is good.", "X", generated_by="m")
    assert kept.text == "Gute Lampe." and kept.status == "reviewed"
    again = await _translator(FakeLLM(), engine).translate("The lamp is good.", "de", key="k")
    assert again.text == "Gute Lampe." and again.cached


# ---------------------------------------------------------------- verifier and copy

FACTS = ProductFacts(
    product_id="p1",
    name="Quillmark Aurora 3 Desk Lamp",
    brand="Quillmark",
    category="Home",
    type="Desk Lamp",
    features=["dimmable LED", "USB charging port"],
    material="aluminum",
    use="reading",
    rating=4.6,
    options={"color": ["black", "white"]},
    min_price=39.5,
    max_price=42.0,
)
CLAIMS = {
    "waterproof",
    "steel",
    "bluetooth",
    "dimmable led",
    "usb charging port",
    "aluminum",
    "cotton",
    "wireless",
    "dishwasher-safe basket",
    "active noise cancellation",
    "led level indicator",
    "keep warm",
    "7-day battery",
}


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("The Quillmark Aurora 3 Desk Lamp has a dimmable LED and a USB charging port.", []),
        ("A dimmable LED lamp in black or white, for reading, from $39.50.", []),
        ("The Quillmark lamp is waterproof.", ["waterproof"]),
        ("Made of sturdy steel.", ["steel"]),
        ("With 3 brightness levels.", ["3"]),
        ("Now with Bluetooth speakers!", ["bluetooth"]),
        ("Award-winning and clinically proven.", ["clinically proven", "award-winning"]),
        ("Take it to the next level, warm and dry, all day.", []),
        ("A dishwasher safe basket.", ["dishwasher-safe basket"]),
        ("With active noise cancellation.", ["active noise cancellation"]),
        ("It has noise cancellation.", ["noise cancellation"]),
        ("The Quillmark Aurora 3 is here.", []),
        ("Lasts 50000 hours.", ["50000"]),
    ],
)
def test_verifier_rejects_invented_facts(text: str, bad: list[str]) -> None:
    assert verify_copy(text, FACTS, CLAIMS).unsupported == bad


def _copy_llm(*drafts: str | Callable[[list[dict[str, str]]], str]) -> FakeLLM:
    return FakeLLM().enqueue(*drafts)


async def test_rejected_draft_is_regenerated_with_the_words_named() -> None:
    llm = _copy_llm(
        "The Quillmark Aurora 3 Desk Lamp is waterproof and wireless.",
        "The Quillmark Aurora 3 Desk Lamp: a dimmable LED and a USB charging port for reading.",
    )
    result = await CopyWriter(llm, CLAIMS, attempts=2).write(FACTS, "marketing", tone="upbeat")
    assert result.rejected_drafts == 1 and not result.fallback
    assert result.rejected_words == ["waterproof", "wireless"]
    assert "waterproof" in llm.calls[1][-1]["content"]  # "Do not use these words: …"
    assert "upbeat" in llm.calls[0][-1]["content"] and "dimmable LED" in llm.calls[0][-1]["content"]
    assert result.text.startswith("The Quillmark Aurora 3 Desk Lamp: a dimmable LED")


@pytest.mark.parametrize("kind", ["description", "marketing", "email", "social"])
async def test_template_fallback_when_every_draft_fails(kind: str) -> None:
    llm = _copy_llm("Made of titanium steel, 12 modes.", "Waterproof to 30 m.")
    result = await CopyWriter(llm, CLAIMS | {"titanium"}, attempts=2).write(FACTS, kind)
    assert result.fallback and result.rejected_drafts == 2
    assert verify_copy(result.text, FACTS, CLAIMS).ok
    assert FACTS.name in result.text and "dimmable LED" in result.text


async def test_copy_in_another_language_is_verified_in_english_then_translated() -> None:
    llm = _copy_llm("The lamp is a Quillmark Aurora 3 Desk Lamp with a dimmable LED.", german)
    translator = Translator(llm, Glossary())
    result = await CopyWriter(llm, CLAIMS, translator=translator).write(
        FACTS, "description", lang="de"
    )
    assert result.english.startswith("The lamp") and result.text.startswith("Die Lampe ist")
    assert "Quillmark Aurora 3 Desk Lamp" in result.text


def test_facts_and_claim_words_come_from_the_store(engine: Engine) -> None:
    from sqlmodel import select as sel

    from catalog.models import Product

    with Session(engine) as s:
        pid = s.exec(sel(Product.id)).first()
    assert pid is not None
    facts = load_facts(engine, pid)
    claims = catalog_claim_words(engine)
    assert facts.features and facts.min_price is not None
    assert {f.lower() for f in facts.features} <= claims  # every product's features
    assert verify_copy(", ".join(facts.features), facts, claims).ok
    others = sorted(
        c
        for c in claims
        if c.replace(" ", "").replace("-", "").isalpha() and c not in facts.text().lower()
    )
    assert verify_copy(f"Now with {others[0]}.", facts, claims).unsupported == [others[0]]


async def test_attribute_terms_are_translated_once_and_reused(engine: Engine) -> None:
    def term_or_sentence(messages: list[dict[str, str]]) -> str:
        if messages[0]["content"].startswith("Translate the English shop term"):
            return {"adjustable arm": "verstellbarer Arm"}[messages[-1]["content"]]
        return german(messages)

    llm = FakeLLM().enqueue(term_or_sentence, term_or_sentence)
    t = _translator(llm, engine)
    first = await t.translate(
        "The lamp has an adjustable arm.", "de", terms=["adjustable arm", "zip"]
    )
    assert first.text == "Die Lampe has an verstellbarer Arm." and len(llm.calls) == 2
    assert "adjustable" not in llm.calls[1][-1]["content"]  # the sentence saw a slot
    llm.enqueue(german)
    other = await t.translate("The Arm: adjustable arm.", "de", terms=["adjustable arm"])
    assert "verstellbarer Arm" in other.text and len(llm.calls) == 3  # the term came from memory
    fixed = Translator(llm, GLOSSARY, engine=engine)
    assert await fixed.term("dishwasher safe", "de") == "spülmaschinenfest"  # glossary wins
    assert len(llm.calls) == 3
