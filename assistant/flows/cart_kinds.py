"""One pick per kind on screen in one message ("die billigste Schere und das günstigere Beet").

"von den Scheren die billigste und vom Hochbeet das günstigere": with two kinds shown at
once (two requests in one search), a message may pick one of each. It is cut into parts,
each naming one of the kinds shown and how to pick among them (a price or rating order,
or a position); each part is an add of its own, run in order.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.flows.cart_both import clauses, part_of
from assistant.flows.cart_line_talk import PICK_GROUPS
from assistant.nlu.cues import dialogue_hits
from assistant.nlu.message import Reading
from assistant.nlu.ordinals import word_positions


def picks_per_kind(
    reading: Reading | None, kinds: set[str], type_category: Mapping[str, str] | None = None
) -> list[Reading]:
    """Return one add part per kind shown that the message picks from ([]: not so).

    Each clause naming a shown kind starts a part; a clause naming none belongs to the
    part before. Two or more parts, each of another kind and each with a pick. A category
    word names the one kind shown of its category ("of the games the cheapest one" with
    board games and yoga mats shown), by ``type_category`` (each type's category).
    """
    if reading is None or len(kinds) < 2:
        return []
    named_at = _kinds_named(reading, kinds, type_category or {})
    if len({kind for _at, kind in named_at}) < 2:
        return []
    starts: list[tuple[int, str]] = []
    ends: list[int] = []  # where each part's last clause with its kind or pick ends
    for start, end in clauses(reading.text, reading):
        named = {kind for at, kind in named_at if start <= at < end}
        if len(named) > 1:
            return []  # two kinds in one clause: no cut says which pick is whose
        if named and (not starts or starts[-1][1] not in named):
            starts.append((start, named.pop()))
            ends.append(end)
        elif starts and _ordered(part_of(reading, start, end, "add")):
            ends[-1] = end  # "…, the cheaper one": still this kind's pick
    if len(starts) < 2 or len({kind for _, kind in starts}) != len(starts):
        return []
    # (a closing clause with neither, "beides bitte in den Warenkorb", is left out)
    parts = []
    for (at, kind), end in zip(starts, ends, strict=True):
        part = part_of(reading, at, end, "add")
        part.products = part.products or [kind]  # ("of the games …": the kind it names)
        parts.append(part)
    return parts if all(_picks(part) for part in parts) else []


def _kinds_named(
    reading: Reading, kinds: set[str], type_category: Mapping[str, str]
) -> list[tuple[int, str]]:
    """Return where the message names a shown kind, by its own word or its category's."""
    of_category: dict[str, list[str]] = {}
    for kind in sorted(kinds):
        of_category.setdefault(type_category.get(kind, ""), []).append(kind)
    out: list[tuple[int, str]] = []
    for span in reading.spans:
        if span.slot == "product" and span.value in kinds:
            out.append((span.start, span.value))
        elif span.slot == "category" and len(of_category.get(span.value, [])) == 1:
            out.append((span.start, of_category[span.value][0]))
    return out


def _picks(part: Reading) -> bool:
    """Whether a part says how to pick: a price or rating order, or a position."""
    return _ordered(part) or bool(word_positions(part.text))


def _ordered(part: Reading) -> bool:
    """Whether a part picks by price or rating ("die billigste", "the better rated one").

    ("beides", "both" name positions of the whole list, not of one kind's.)
    """
    groups = {h.group for h in dialogue_hits(part.text, part.lang)}
    return bool(part.sort or groups & PICK_GROUPS)
