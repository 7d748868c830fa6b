"""Checks with the real embedded Qwen model (slow; run with ``-m real_model``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.agent import ShoppingAgent
from assistant.bootstrap import start_llm
from assistant.llm.client import ChatModel
from assistant.llm.local_server import EmbeddedLlamaServer
from evals.routing import default_cases, evaluate, report
from tests.conftest import make_settings
from tools.default_registry import default_registry

pytestmark = pytest.mark.real_model
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_llm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatModel]:
    settings = make_settings(tmp_path_factory.mktemp("real"))
    settings.llm.models_dir = str(REPO / "var" / "models")
    llm, server = start_llm(settings, progress=False)
    assert isinstance(server, EmbeddedLlamaServer)
    yield llm
    server.stop()


async def test_routing_on_10_fixed_messages(real_llm: ChatModel) -> None:
    agent = ShoppingAgent(real_llm, default_registry(), store_name="Northwind Outfitters",
                          max_steps=4)
    outcomes = await evaluate(agent, default_cases())
    summary = report(outcomes)
    for o in outcomes:
        print(f"{'OK ' if o.ok else 'BAD'} {o.seconds:5.1f}s {o.message!r}: "
              f"expected {o.expect}, got {o.got} ({o.kind})")
    assert summary["correct"] >= 9, summary


async def test_real_model_answers_healthcheck(real_llm: ChatModel) -> None:
    await real_llm.ping()
