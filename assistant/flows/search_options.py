"""The variant options a search asks for: colour, size, capacity in the shopper's words."""

from __future__ import annotations

import re

from assistant.flows.command import Command
from assistant.flows.kit import TurnKit

# "size 9.5" keeps its decimals; "in size 7." (the sentence's full stop) is size 7
_SIZE = re.compile(
    r"\b(?:size|gr[öo]ße|taille|talla|taglia)\s+([A-Za-z0-9]+(?:\.[0-9]+)?)", re.IGNORECASE
)
_PEOPLE = re.compile(r"\b(\d|one|two|three|four|six)[\s-]*(?:person|people|persons|p)\b", re.I)
_SIZE_VALUE = re.compile(r"^[A-Za-z0-9.]{1,4}$")  # "10", "9.5", "M", "XXL"; not "under $300"
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "six": "6"}
# a size after "size" is a number or a letter size: "the tallest size there is" has none
_A_SIZE = re.compile(r"^(?:\d.*|X{0,4}[SML]|\d?X{1,4}[SL]|XXL|XXXL|OS)$", re.IGNORECASE)


def _catalog_sizes(kit: TurnKit) -> set[str]:
    """Return the sizes the catalog has for the product types the reader found."""
    by_type = kit.ctx.deps.searcher.vocabulary.options_by_type
    types = kit.reading.products if kit.reading else []
    return {v for t in types for v in by_type.get(t, {}).get("size", ())}


def options_in(kit: TurnKit, cmd: Command, text: str) -> dict[str, str]:
    """Return the variant options (colour, size, capacity) the shopper asked for."""
    vocab = kit.ctx.deps.searcher.option_words
    out: dict[str, str] = dict(kit.reading.options) if kit.reading else {}
    if cmd.color and cmd.color.lower() in vocab:
        name, value = vocab[cmd.color.lower()]
        out[name] = value
    elif cmd.color and kit.reading is not None and cmd.color in kit.reading.colors:
        # a colour the reader checked, that some other option also uses ("white" as a
        # colour and as a finish): the colour slot means the colour option
        out.setdefault("color", cmd.color)
    size = _SIZE.search(text)
    sized = _catalog_sizes(kit)
    if kit.reading is not None and kit.reading.products and not sized:
        pass  # "una mochila grande": a backpack comes in no sizes, "grande" is no L
    elif size and (
        _A_SIZE.match(size.group(1)) or size.group(1).lower() in {z.lower() for z in sized}
    ):
        out["size"] = size.group(1)
    elif cmd.size and _SIZE_VALUE.match(cmd.size) and cmd.size.lower() in text.lower():
        out["size"] = cmd.size
    elif cmd.size and cmd.size in sized:
        out["size"] = cmd.size  # "27 Zoll" the reader resolved to the type's "27 inch"
    people = _PEOPLE.search(f"{text} {cmd.product or ''}")
    if people:
        n = _NUMBERS.get(people.group(1).lower(), people.group(1))
        out["capacity"] = f"{n}-person"
    return out


def options_of_types(
    by_type: dict[str, dict[str, set[str]]], types: list[str], options: dict[str, str]
) -> dict[str, str]:
    """Return the ``options`` some product of ``types`` comes in (by name and value).

    "eine Gartenschere mit Bypass-Schnitt und ein Hochbeet in 4x8 ft": of one message's
    values, the shears' search keeps the blade type, the garden bed's the size.
    """

    def has(name: str, value: str) -> bool:
        return any(
            value.casefold() in {v.casefold() for v in by_type.get(t, {}).get(name, ())}
            for t in types
        )

    return {name: value for name, value in options.items() if has(name, value)}
