"""The conversation state machine: allowed steps only, one winner per race, an audit row
for every step, CSAT only after close — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from catalog.config import DatabaseSettings
from catalog.conversations import Conversation
from catalog.db import create_schema, drop_schema, make_engine
from catalog.errors import HandoffConflictError, InvalidInputError
from catalog.handoffs import Handoffs


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path}/handoffs.db"
    eng = make_engine(DatabaseSettings(url=url))
    drop_schema(eng)
    create_schema(eng)
    yield eng  # type: ignore[misc]
    eng.dispose()


def _conversation(engine: Engine, cid: str = "c1") -> str:
    with Session(engine) as s:
        s.add(Conversation(id=cid))
        s.commit()
    return cid


def test_the_whole_life_of_a_conversation_is_audited(engine: Engine) -> None:
    h = Handoffs(engine)
    cid = _conversation(engine)
    assert h.state(cid).status == "bot"
    h.escalate(cid, "shopper_asked")
    conv = h.state(cid)
    assert conv.status == "waiting_for_agent" and conv.handoff_reason == "shopper_asked"
    assert conv.waiting_since is not None
    h.take(cid, 7)
    assert h.state(cid).agent_id == 7
    h.hand_back(cid, 7, "told them the return window")
    assert h.state(cid).status == "bot" and h.state(cid).agent_id is None
    h.take(cid, 8)  # the agent decides to take a bot conversation
    h.close(cid, 8, "resolved")
    assert h.state(cid).status == "closed" and h.state(cid).resolution == "resolved"
    h.rate(cid, 4, "quick and kind")
    assert h.csat(cid).rating == 4  # type: ignore[union-attr]
    h.reopen(cid)
    steps = [(e.from_state, e.to_state, e.actor, e.reason) for e in h.events(cid)]
    assert steps == [
        ("bot", "waiting_for_agent", "bot", "shopper_asked"),
        ("waiting_for_agent", "with_agent", "staff:7", ""),
        ("with_agent", "bot", "staff:7", ""),
        ("bot", "with_agent", "staff:8", "agent_decided"),
        ("with_agent", "closed", "staff:8", "resolved"),
        ("closed", "bot", "shopper", "new_message"),
    ]
    assert h.events(cid)[2].note == "told them the return window"


def test_steps_that_the_state_does_not_allow_are_refused(engine: Engine) -> None:
    h = Handoffs(engine)
    cid = _conversation(engine)
    with pytest.raises(HandoffConflictError):
        h.hand_back(cid, 1)  # nobody holds it
    with pytest.raises(HandoffConflictError):
        h.close(cid, 1, "resolved")  # the bot has it
    with pytest.raises(InvalidInputError):
        h.escalate(cid, "because")
    with pytest.raises(HandoffConflictError):
        h.rate(cid, 5)  # not closed
    h.escalate(cid, "upset")
    with pytest.raises(HandoffConflictError):
        h.escalate(cid, "upset")  # already waiting
    h.take(cid, 1)
    with pytest.raises(HandoffConflictError):
        h.hand_back(cid, 2)  # another agent may not hand it back
    with pytest.raises(HandoffConflictError):
        h.close(cid, 2, "resolved")
    with pytest.raises(InvalidInputError):
        h.close(cid, 1, "whatever")
    h.close(cid, 1, "resolved")
    for bad in (0, 6, True, "4"):
        with pytest.raises(InvalidInputError):
            h.rate(cid, bad)  # type: ignore[arg-type]
    assert [e.to_state for e in h.events(cid)] == ["waiting_for_agent", "with_agent", "closed"]


def test_two_agents_taking_at_once_exactly_one_wins(engine: Engine) -> None:
    cid = _conversation(engine)
    Handoffs(engine).escalate(cid, "shopper_asked")
    barrier = threading.Barrier(8)
    won: list[int] = []
    lost: list[int] = []

    def grab(agent: int) -> None:
        barrier.wait()
        try:
            Handoffs(engine).take(cid, agent)
            won.append(agent)
        except HandoffConflictError:
            lost.append(agent)

    threads = [threading.Thread(target=grab, args=(a,)) for a in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1 and len(lost) == 7
    h = Handoffs(engine)
    assert h.state(cid).agent_id == won[0]
    assert [e.to_state for e in h.events(cid)].count("with_agent") == 1
