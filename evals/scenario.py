"""The dialogue-scenario file format QA writes (see ``evals/scenarios/FORMAT.md``).

Every model forbids unknown keys, so a typo (``mentions_anny``) is an error with its
file, scenario and key, never a check that silently passes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evals.errors import ScenarioFileError

CUSTOMER_RE = re.compile(r"^(none|[a-z]+(\+[a-z]+)*|[^@\s]+@[^@\s]+)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _as_list(value: object) -> object:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


class CardsExpect(_Strict):
    """Constraints on the product cards shown in one turn."""

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    max_price: float | None = None
    min_price: float | None = None
    type: list[str] | None = None
    category: list[str] | None = None
    feature: list[str] | None = None
    options: dict[str, str] | None = None
    sorted: Literal["price_asc", "price_desc"] | None = None
    cheapest: bool = False
    best_rated: bool = False
    not_purchased: bool = False

    _lists = field_validator("type", "category", "feature", mode="before")(_as_list)

    @field_validator("options", mode="before")
    @classmethod
    def _options_as_strings(cls, value: object) -> object:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value

    @property
    def min_count(self) -> int:
        """At least this many cards: ``min``, else 1 (0 when ``max`` is 0)."""
        if self.min is not None:
            return self.min
        return 0 if self.max == 0 else 1


class ReplyExpect(_Strict):
    """Constraints on the assistant's reply text in one turn."""

    language: str | None = Field(default=None, min_length=2, max_length=2)
    mentions_any: list[str] = Field(default_factory=list)
    mentions_all: list[str] = Field(default_factory=list)
    not_mentions: list[str] = Field(default_factory=list)
    grounded_prices: bool = False
    grounded_products: bool = False

    _lists = field_validator("mentions_any", "mentions_all", "not_mentions", mode="before")(
        _as_list
    )


class CartExpect(_Strict):
    """The conversation's cart after the turn (the conversational cart)."""

    lines: int | None = Field(default=None, ge=0, description="Distinct lines (0: empty).")
    quantity: int | None = Field(default=None, ge=0, description="Total quantity, all lines.")
    types: list[str] = Field(default_factory=list, description="Each type is in the cart.")
    options: dict[str, str] = Field(
        default_factory=dict, description="Some line's variant has these option values."
    )
    max_total: float | None = Field(default=None, ge=0, description="The cart total is <= this.")

    _lists = field_validator("types", mode="before")(_as_list)


class TurnExpect(_Strict):
    """Everything that may be expected of one turn; every key is optional."""

    tools: list[str] = Field(default_factory=list)
    no_tools: list[str] = Field(default_factory=list)
    cards: CardsExpect | None = None
    reply: ReplyExpect | None = None
    escalated: bool | None = None
    authenticated: bool | None = None
    writes: int | None = Field(default=None, ge=0)
    cart: CartExpect | None = None

    _lists = field_validator("tools", "no_tools", mode="before")(_as_list)


class Turn(_Strict):
    """One shopper message and what must hold after the assistant's answer."""

    user: str = Field(min_length=1)
    expect: TurnExpect = Field(default_factory=TurnExpect)


class ExpectedAction(_Strict):
    """One write that must have been executed (replayed on a fresh store for grading)."""

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class FinalExpect(_Strict):
    """What must hold after the last turn."""

    writes: int | None = Field(default=None, ge=0)
    actions: list[ExpectedAction] | None = None


class Scenario(_Strict):
    """One multi-turn dialogue with per-turn expectations."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")
    tags: list[str] = Field(default_factory=list)
    customer: str = "none"
    identity: Literal["tau2", "verified"] = "tau2"
    signed_in: bool = False
    turns: list[Turn] = Field(min_length=1)
    final: FinalExpect | None = None

    @field_validator("customer")
    @classmethod
    def _customer_form(cls, value: str) -> str:
        if not CUSTOMER_RE.match(value):
            raise ValueError("customer is none, statuses joined by '+', or an email")
        return value


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)


def parse_scenarios(data: object, source: str) -> list[Scenario]:
    """Validate already-loaded YAML/JSON data; errors name file, scenario and key."""
    if not isinstance(data, list):
        raise ScenarioFileError(f"{source}: a scenario file is a list of scenarios")
    out: list[Scenario] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(data):
        sid = raw.get("id") if isinstance(raw, dict) else None
        label = f"{source}: scenario {sid or f'#{index + 1}'}"
        try:
            scenario = Scenario.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                key = _location(err["loc"]) or "(scenario)"
                what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
                problems.append(f"{label}: {key}: {what}")
            continue
        if scenario.id in seen:
            problems.append(f"{label}: id: duplicate id {scenario.id!r}")
        seen.add(scenario.id)
        out.append(scenario)
    if problems:
        raise ScenarioFileError("\n".join(problems), problems=problems)
    return out


def load_file(path: str | Path) -> list[Scenario]:
    """Read a YAML or JSON scenario file; raise ScenarioFileError listing every problem."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioFileError(f"{p}: no such scenario file")
    text = p.read_text("utf-8")
    try:
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ScenarioFileError(f"{p}: not valid {p.suffix.lstrip('.') or 'YAML'}: {exc}") from exc
    return parse_scenarios(data or [], str(p))


def load_files(
    paths: list[str] | list[Path], *, tags: list[str] | None = None, ids: list[str] | None = None
) -> list[tuple[str, Scenario]]:
    """Load several files; keep scenarios having any of ``tags`` / one of ``ids``."""
    out: list[tuple[str, Scenario]] = []
    for path in paths:
        for scenario in load_file(path):
            if tags and not set(tags) & set(scenario.tags):
                continue
            if ids and scenario.id not in ids:
                continue
            out.append((str(path), scenario))
    return out
