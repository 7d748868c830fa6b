"""Whole turns of the flows assistant with the trained reader, on a fresh store copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.stores import EvalStore
from tests.assistant.test_flows import Flow, flow_on_copy


@pytest.fixture()
def flow(eval_store: EvalStore, tmp_path: Path) -> Iterator[Flow]:
    """The flows assistant reading with the shipped reader (no model call unless unsure)."""
    made = flow_on_copy(eval_store, tmp_path, use_reader=True)
    yield made
    made.engine.dispose()
