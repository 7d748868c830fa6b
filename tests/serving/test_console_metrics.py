"""The console's bot resolution rate is defined from outcomes (#23): a chat counts as
resolved by the bot only without a handoff, a thumbs-down or a repeated request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from catalog.conversations import Conversation, Message, MessageFeedback
from catalog.support import HandoffEvent
from evals.stores import EvalStore
from tests.console_kit import ADMIN, LiveApp, console_app, login


@pytest.fixture()
def app(eval_store: EvalStore, tmp_path: Path) -> Iterator[LiveApp]:
    yield from console_app(eval_store, tmp_path)


CHATS: dict[str, list[str]] = {
    "fine": ["waterproof hiking boots under 150", "yes", "yes", "thanks, that's all"],
    "handed": ["I need help with a damaged parcel"],
    "thumbs": ["show me a tent for two people"],
    "repeat": ["Where is my order #W1234567?", "where is my order W1234567"],
    "refined": ["waterproof boots under 150", "waterproof boots under 100", "the second one"],
    "near": ["show me red hiking boots", "show me red hiking boots please"],
}


def _seed(app: LiveApp) -> None:
    with Session(app.services.engine) as s:
        for conv, texts in [*CHATS.items(), ("silent", [])]:
            s.add(Conversation(id=conv))
            s.flush()
            for i, text in enumerate(texts):
                s.add(
                    Message(
                        message_id=f"{conv}-u{i}", conversation_id=conv, role="user", content=text
                    )
                )
                s.add(
                    Message(
                        message_id=f"{conv}-a{i}",
                        conversation_id=conv,
                        role="assistant",
                        content="Here you go.",
                    )
                )
        s.add(
            HandoffEvent(
                conversation_id="handed",
                from_state="bot",
                to_state="waiting_for_agent",
                actor="shopper",
                reason="asked",
            )
        )
        s.add(MessageFeedback(message_id="fine-a0", conversation_id="fine", rating="up"))
        s.add(MessageFeedback(message_id="thumbs-a0", conversation_id="thumbs", rating="down"))
        s.commit()


def test_bot_resolution_counts_only_chats_without_handoff_thumbs_down_or_repeat(
    app: LiveApp,
) -> None:
    _seed(app)
    m = login(app.url, ADMIN).get("/console/api/metrics").json()
    assert m["conversations"] == 6  # "silent" never wrote
    assert m["escalated"] == 1 and m["escalation_rate"] == round(1 / 6, 4)
    # resolved by the bot: "fine" and "refined" (a refinement and short answers repeat
    # nothing); "handed" went to a person, "thumbs" got a thumbs-down, "repeat" and
    # "near" asked the same thing again
    assert m["bot_resolution_rate"] == round(2 / 6, 4)
    assert m["bot_resolved"] == 2
    assert m["bot_unresolved"] == {"escalated": 1, "thumbs_down": 1, "repeated_request": 2}
    today = m["per_day"][-1]
    assert today["conversations"] == 6 and today["bot_resolved"] == 2


def test_repeated_request_is_the_same_or_nearly_the_same_message_again() -> None:
    from assistant.support_metrics import repeated_request

    assert repeated_request(["Where is my order?", "where is my ORDER??"])
    assert repeated_request(["track order W123 please", "please track order W123"])
    assert repeated_request(["show me red hiking boots", "hi", "show me red hiking boots please"])
    assert not repeated_request(["yes", "yes", "no thanks", "no thanks"])
    assert not repeated_request(["boots under 150", "boots under 100"])
    assert not repeated_request(["red hiking boots", "a tent for two"])
    assert not repeated_request([])
