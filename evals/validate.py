"""``shopassist eval check``: validate scenario files against the format and the demo store.

Reports, each with file, scenario and key:
- errors: unknown keys and malformed values; customers or placeholders that cannot be
  resolved; card constraints that no product in the store can satisfy; expected actions
  that are not write actions;
- warnings: tool names that the registry does not have (yet).
"""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from catalog.orders.actions import WRITE_ACTIONS
from evals.checks import matching_set
from evals.errors import FixtureError, ScenarioFileError
from evals.facts import StoreFacts, purchased_products
from evals.fixtures import StoreIndex, placeholders_in
from evals.scenario import Scenario, load_file
from evals.stores import EvalStore
from tools.default_registry import default_registry


def validate_scenario(
    source: str,
    scenario: Scenario,
    index: StoreIndex,
    facts: StoreFacts,
    tools: set[str],
    store: EvalStore,
) -> list[str]:
    """Problems of one parsed scenario (``error: …`` / ``warning: …`` lines)."""
    label = f"{source}: scenario {scenario.id}"
    out: list[str] = []
    try:
        user = index.pick(scenario.customer)
    except FixtureError as exc:
        return [f"error: {label}: customer: {exc.message}"]
    values = index.values(user)
    for t, turn in enumerate(scenario.turns):
        for key, value in turn.model_dump(mode="json").items():
            for name in sorted(placeholders_in(value) - set(values)):
                out.append(
                    f"error: {label}: turns.{t}.{key}: placeholder {{{name}}} cannot be "
                    f"resolved for customer {scenario.customer!r}"
                )
        for key in ("tools", "no_tools"):
            for name in getattr(turn.expect, key):
                if name not in tools:
                    out.append(
                        f"warning: {label}: turns.{t}.expect.{key}: no tool {name!r} "
                        "is registered (yet)"
                    )
        cards = turn.expect.cards
        if cards is not None and cards.min_count > 0:
            bought = purchased_products(store.searcher.engine, user.id if user else None)
            if not matching_set(cards, facts, bought):
                out.append(
                    f"error: {label}: turns.{t}.expect.cards: no product in the store "
                    "satisfies these constraints together"
                )
            if cards.type:
                known = {p.type.lower() for p in facts.products.values()}
                for ptype in cards.type:
                    if ptype.lower() not in known:
                        out.append(
                            f"error: {label}: turns.{t}.expect.cards.type: no product "
                            f"has type {ptype!r}"
                        )
    if scenario.final and scenario.final.actions:
        for a, action in enumerate(scenario.final.actions):
            if action.name not in WRITE_ACTIONS:
                out.append(
                    f"error: {label}: final.actions.{a}.name: {action.name!r} is not a "
                    f"write action ({', '.join(sorted(WRITE_ACTIONS))})"
                )
            for name in sorted(placeholders_in(action.arguments) - set(values)):
                out.append(
                    f"error: {label}: final.actions.{a}.arguments: placeholder "
                    f"{{{name}}} cannot be resolved"
                )
        if user is None:
            out.append(f"error: {label}: final.actions: expected writes need a customer")
    return out


def validate_files(
    settings: Settings, files: list[Path], *, store_dir: str | None = None
) -> list[str]:
    """Validate every file; returns ``error: …`` and ``warning: …`` lines."""
    store = EvalStore.prepare(
        settings, Path(store_dir or Path(settings.data_dir) / "eval"), progress=False
    )
    index = StoreIndex.load(store.searcher.engine)
    facts = StoreFacts.load(store.searcher.engine)
    tools = set(default_registry().names())
    out: list[str] = []
    for path in files:
        try:
            scenarios = load_file(path)
        except ScenarioFileError as exc:
            out += [f"error: {p}" for p in exc.problems]
            continue
        for scenario in scenarios:
            out += validate_scenario(str(path), scenario, index, facts, tools, store)
    return out
