"""A frustrated shopper, in five languages: sorry, what they asked, and the offer of a person.

Issue #23 item 12: "second time the sole came off, really annoyed" got product cards, no
offer of a person, and a positive mood in the console. The flows assistant on a store copy
with a scripted model (which misreads the complaint as a search, as a model did).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.bootstrap import AppServices
from assistant.flows.replies import say
from assistant.support_views import queue
from catalog.handoffs import Handoffs
from evals.fixtures import StoreIndex
from evals.stores import EvalStore
from tests.console_kit import flows_services

COMPLAINTS = {
    "en": ("second time the sole came off, really annoyed", "yes"),
    "de": ("Zum zweiten Mal löst sich bei meinen Schuhen die Sohle, ich bin echt genervt", "ja"),
    "fr": ("C'est la deuxième fois que la semelle se décolle, j'en ai vraiment marre", "oui"),
    "es": ("Es la segunda vez que se me despega la suela, estoy harto", "sí"),
    "it": ("È la seconda volta che si stacca la suola, sono davvero stufo", "sì"),
}


def cmd(**fields: Any) -> str:
    """What the model returns under schema-constrained decoding."""
    return json.dumps(fields)


@pytest.fixture()
def shop(eval_store: EvalStore, tmp_path: Path) -> Iterator[AppServices]:
    services = flows_services(eval_store, tmp_path)
    yield services
    services.engine.dispose()


def console_mood(shop: AppServices, conversation_id: str) -> float | None:
    """The mood the console's queue shows for the conversation."""
    data = queue(shop.engine, {})
    item = next(
        i for i in data["recent"] + data["waiting"] if i["conversation_id"] == conversation_id
    )
    mood: float | None = item["sentiment"]
    return mood


@pytest.mark.parametrize("lang", list(COMPLAINTS))
async def test_a_frustrated_complaint_gets_sorry_and_a_person_not_cards(
    shop: AppServices, lang: str
) -> None:
    complaint, yes = COMPLAINTS[lang]
    shop.llm.enqueue(cmd(action="search", product="shoes"))  # the misreading of the issue
    r = await shop.chat.run_turn(None, complaint)
    assert r.lang == lang and not r.cards and "search_catalog" not in r.tools_used
    assert r.reply == f"{say('frustration_sorry', lang)} {say('frustration_offer', lang)}"
    assert r.handoff is None  # offered, not forced
    cid = r.conversation_id
    mood = console_mood(shop, cid)
    assert mood is not None and mood <= -0.5
    r = await shop.chat.run_turn(cid, yes)  # takes the offer (no model call)
    assert r.handoff == "waiting_for_agent" and r.reply == say("handoff", lang)
    assert r.tools_used == ["transfer_to_human_agents"]
    assert Handoffs(shop.engine).state(cid).status == "waiting_for_agent"
    assert shop.llm.pending == 0


async def test_a_neutral_defect_question_gets_products_and_no_offer(shop: AppServices) -> None:
    offer = say("frustration_offer", "en")
    r = await shop.chat.run_turn(None, "My old headlamp broke after 5 years. Any waterproof ones?")
    assert r.cards and offer not in r.reply and "sorry" not in r.reply.lower()
    mood = console_mood(shop, r.conversation_id)
    assert mood is not None and mood > -0.4
    shop.llm.enqueue(cmd(action="search", product="headlamp"))
    r = await shop.chat.run_turn(
        None,
        "Meine alte Stirnlampe ist nach fünf Jahren kaputtgegangen, habt ihr eine wasserdichte?",
    )
    assert r.lang == "de" and r.cards and say("frustration_offer", "de") not in r.reply
    assert console_mood(shop, r.conversation_id) == 0.0  # VADER's "die" no longer counts


async def test_a_frustrated_order_question_is_answered_and_a_person_offered(
    shop: AppServices,
) -> None:
    c = StoreIndex.load(shop.engine).values(StoreIndex.load(shop.engine).pick("pending"))
    shop.llm.enqueue(cmd(action="authenticate", email=c["email"]))
    first = await shop.chat.run_turn(None, f"my email is {c['email']}")
    order = c["pending_order"]
    shop.llm.enqueue(cmd(action="order_status", order_id=order))
    r = await shop.chat.run_turn(
        first.conversation_id, f"Third time I'm asking: where is order {order}?! I'm fed up."
    )
    assert "get_order_details" in r.tools_used and order in r.reply
    assert r.reply.startswith(say("frustration_sorry", "en"))
    assert r.reply.endswith(say("frustration_offer", "en"))


async def test_with_a_proposal_waiting_yes_confirms_it_and_a_person_is_asked_for(
    shop: AppServices,
) -> None:
    c = StoreIndex.load(shop.engine).values(StoreIndex.load(shop.engine).pick("pending"))
    shop.llm.enqueue(cmd(action="authenticate", email=c["email"]))
    first = await shop.chat.run_turn(None, f"my email is {c['email']}")
    shop.llm.enqueue(cmd(action="start_write", write="cancel"))
    r = await shop.chat.run_turn(
        first.conversation_id,
        f"Third time an order of mine is late. Cancel order {c['pending_order']}, I'm fed up.",
    )
    assert r.proposal is not None
    assert r.reply.endswith(say("frustration_offer_pending", "en"))
    r = await shop.chat.run_turn(first.conversation_id, "yes")
    assert r.handoff is None and "transfer_to_human_agents" not in r.tools_used
