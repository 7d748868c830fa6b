"""A department asked about: "what kinda gardening stuff do you carry?".

What the shop sells, asked of one department the message names (a category), is a look
at that department: its kinds named and its cards shown (search_flow.department). "Is it
only garden stuff here?" and "what can you do?" still ask what the shop and the assistant
do as a whole.
"""

from __future__ import annotations

import re

from assistant.nlu.cues import apart_hits
from assistant.nlu.message import Reading

# "is this shop only garden stuff or …": the shop as a whole, not one department
_ONLY = re.compile(
    r"\b(?:only|just|nur|bloß|seulement|uniquement|solo|sólo|solamente|soltanto)\b",
    re.IGNORECASE,
)


def department_asked(reading: Reading | None) -> str | None:
    """Return the one department a question about what the shop sells names (else None)."""
    if reading is None or len(reading.categories) != 1 or reading.products:
        return None
    if _ONLY.search(reading.text):
        return None
    have = apart_hits(reading.text, reading.lang, "asks_have") > 0
    if "capability" in reading.cue_groups and "sell" not in reading.cue_groups and not have:
        return None  # "can you help me with garden stuff?": what the assistant can do
    return reading.categories[0]
