"""Several products added in one message, each with its own options.

"put the blue kestrel in my cart, and also a sparrow vista 3 in black": two clauses, each
naming one product (by a word of a shown product's name, its model, or its position) and
the options wanted for it. Each clause is read on its own: its slots are the message's
slots that lie inside it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.flows.kit import TurnKit
from assistant.flows.references import named_position, shown_details
from assistant.flows.state import FlowState
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions

# where a second product may begin: "and", "also", "plus", a comma, a semicolon
_JOIN = re.compile(
    r"\s*[,;]\s*|\s+(?:and also|and|also|plus|as well as|und auch|und|sowie|et aussi|et|"
    r"ainsi que|y también|y|e anche|e|oltre a)\s+",
    re.IGNORECASE,
)


async def several_targets(
    kit: TurnKit, state: FlowState
) -> list[tuple[dict[str, Any], Reading]] | None:
    """Return each product a message adds with the part of the reading about it.

    None unless two or more clauses each name one product, all different.
    """
    reading = kit.reading
    if reading is None or not state.shown:
        return None
    picked: list[tuple[str, Reading]] = []
    for start, end in _clauses(reading.text):
        pid = _product_of(kit, state, reading, start, end)
        if pid is not None and all(pid != p for p, _ in picked):
            picked.append((pid, _part(reading, start, end)))
        elif pid is not None:
            return None  # the same product twice: no list of several
    if len(picked) < 2:
        return None
    out: list[tuple[dict[str, Any], Reading]] = []
    for pid, part in picked:
        records = await shown_details(kit, state, [state.shown.index(pid)])
        if not records:
            return None
        out.append((records[0], part))
    return out


def _clauses(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each clause of ``text``."""
    bounds, pos = [], 0
    for m in _JOIN.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _product_of(
    kit: TurnKit, state: FlowState, reading: Reading, start: int, end: int
) -> str | None:
    """Return the id of the one product a clause names (None: none, or several)."""
    clause = reading.text[start:end]
    searcher = kit.ctx.deps.searcher
    models = searcher.models.named(clause)
    if len(models) == 1:
        if models[0] not in state.shown:
            state.shown.append(models[0])
        return models[0]
    if models:
        return None
    items = [int(s.value) for s in reading.spans if s.slot == "item" and start <= s.start < end]
    items = items or word_positions(clause)
    if len(items) == 1:
        n = len(state.shown)
        index = n - 1 if items[0] == -1 else items[0] - 1
        return state.shown[index] if 0 <= index < n else None
    if items:
        return None
    named = named_position(kit, state, clause)
    return state.shown[named] if named is not None else None


def _part(reading: Reading, start: int, end: int) -> Reading:
    """Return the reading of one clause: the slots read inside it, its own text."""
    spans = [s for s in reading.spans if start <= s.start < end]
    shifted = [s.model_copy(update={"start": s.start - start, "end": s.end - start}) for s in spans]
    values = {s.value for s in spans}
    return reading.model_copy(
        update={
            "text": reading.text[start:end],
            "spans": shifted,
            "colors": [c for c in reading.colors if c in values],
            "sizes": [z for z in reading.sizes if z in values],
            "options": {k: v for k, v in reading.options.items() if v in values},
            "items": [],
        }
    )
