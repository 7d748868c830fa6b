"""A measure in another unit names the catalog's value (phrasings written for these tests)."""

from __future__ import annotations

import pytest

from assistant.flows.measures import measured_choice
from assistant.flows.option_words import named_values

BLADES = ["6 inch", "8 inch", "10 inch"]


@pytest.mark.parametrize(
    ("text", "choices", "expected"),
    [
        ("kochmesser mit so 20 cm klinge", BLADES, "8 inch"),
        ("the tall one, like 6 feet", ["36 inch", "72 inch"], "72 inch"),
        ("quello da 30 cm per la cucina", ["12 inch", "16 inch"], "12 inch"),
        ("le tuyau de 15 mètres", ["25 ft", "50 ft", "100 ft"], "50 ft"),
        ("una botella de 75 cl", ["500ml", "750ml", "1000ml"], "750ml"),
        ("the 8 inch one", BLADES, None),  # its own unit: its words, read elsewhere
        ("under 20 bucks", BLADES, None),  # a price is no measure
        ("the 20 in black", ["20 inch", "50 cm"], None),  # "in" as a preposition
        ("about 2 l", ["32 oz", "64 oz"], None),  # 67.6 oz: too far from 64
        ("15 cm or 25 cm", BLADES, None),  # two measures naming two values: neither
    ],
)
def test_a_measure_in_another_unit(text: str, choices: list[str], expected: str | None) -> None:
    assert measured_choice(text, choices) == expected


def test_options_named_by_a_converted_measure() -> None:
    options = {"blade length": BLADES, "material": ["ceramic", "steel"]}
    assert named_values("ein keramik messer, 25 cm", options) == {"blade length": "10 inch"}
