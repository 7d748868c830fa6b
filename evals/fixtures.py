"""Deterministic scenario fixtures: which customer a scenario plays, and its placeholders.

``customer: pending+delivered`` picks the smallest user id (string order) that has at least
one order in each named status; ``customer: <email>`` picks that customer. Placeholders
(``{email}``, ``{pending_order}``, ``{delivered_item}``, …) are filled in every string of
the scenario from that customer's data in the store the scenario runs on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.models import Order, OrderItem, PaymentTransaction, User
from evals.errors import FixtureError
from evals.scenario import Scenario

PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
ORDER_KEYS = ("order", "item_id", "item", "payment_method")
STATIC_KEYS = (
    "user_id",
    "email",
    "first_name",
    "last_name",
    "zip",
    "last_order",
    "last_order_item",
    "other_order",
)


@dataclass(frozen=True)
class StoreIndex:
    """The store's customers and orders, read once, for deterministic fixture lookup."""

    users: dict[str, User]
    orders_by_user: dict[str, list[Order]]
    first_item: dict[str, OrderItem]
    payment_method: dict[str, str]
    statuses: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, engine: Engine) -> StoreIndex:
        """Read users, their orders (oldest first), first items and paying methods."""
        with Session(engine) as session:
            users = {u.id: u for u in session.exec(select(User))}
            orders: dict[str, list[Order]] = {}
            for o in session.exec(select(Order).order_by(col(Order.created_at), col(Order.id))):
                orders.setdefault(o.user_id, []).append(o)
            first: dict[str, OrderItem] = {}
            for i in session.exec(
                select(OrderItem).order_by(col(OrderItem.order_id), col(OrderItem.position))
            ):
                first.setdefault(i.order_id, i)
            paid: dict[str, str] = {}
            for t in session.exec(
                select(PaymentTransaction).order_by(
                    col(PaymentTransaction.order_id), col(PaymentTransaction.position)
                )
            ):
                if t.transaction_type == "payment":
                    paid.setdefault(t.order_id, t.payment_method_id)
        statuses = frozenset(o.status for lst in orders.values() for o in lst)
        return cls(users, orders, first, paid, statuses)

    def pick(self, customer: str) -> User | None:
        """Return the customer a scenario's ``customer`` value names (None for ``none``)."""
        if customer == "none":
            return None
        if "@" in customer:
            for user in self.users.values():
                if user.email.lower() == customer.lower():
                    return user
            raise FixtureError(f"customer {customer!r}: no customer has that email")
        wanted = customer.split("+")
        unknown = [s for s in wanted if s not in self.statuses]
        if unknown:
            raise FixtureError(
                f"customer {customer!r}: no order in the store has status "
                f"{', '.join(unknown)} (known: {', '.join(sorted(self.statuses))})"
            )
        for uid in sorted(self.users):
            have = {o.status for o in self.orders_by_user.get(uid, [])}
            if all(s in have for s in wanted):
                return self.users[uid]
        raise FixtureError(
            f"customer {customer!r}: no customer has orders in each of {', '.join(wanted)}"
        )

    def values(self, user: User | None) -> dict[str, str]:
        """Return every placeholder value defined for ``user`` (empty for no customer)."""
        if user is None:
            return {}
        out = {
            "user_id": user.id,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "zip": user.zip,
        }
        orders = self.orders_by_user.get(user.id, [])
        for order in orders:
            prefix = order.status
            if f"{prefix}_order" in out:
                continue
            out[f"{prefix}_order"] = order.id
            item = self.first_item.get(order.id)
            if item is not None:
                out[f"{prefix}_item_id"] = item.item_id
                out[f"{prefix}_item"] = item.name
            if order.id in self.payment_method:
                out[f"{prefix}_payment_method"] = self.payment_method[order.id]
        if orders:
            last = orders[-1]
            out["last_order"] = last.id
            if last.id in self.first_item:
                out["last_order_item"] = self.first_item[last.id].name
        for uid in sorted(self.users):
            if uid > user.id and self.orders_by_user.get(uid):
                out["other_order"] = self.orders_by_user[uid][0].id
                break
        return out


def placeholders_in(value: Any) -> set[str]:
    """Return every ``{name}`` placeholder used in a nested structure of strings."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(PLACEHOLDER_RE.findall(value))
    elif isinstance(value, dict):
        for v in value.values():
            found |= placeholders_in(v)
    elif isinstance(value, list | tuple):
        for v in value:
            found |= placeholders_in(v)
    return found


def fill(value: Any, values: dict[str, str]) -> Any:
    """Replace placeholders in every string of ``value``; unknown ones raise FixtureError."""
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            if key not in values:
                raise FixtureError(f"placeholder {{{key}}} has no value for this customer")
            return values[key]

        return PLACEHOLDER_RE.sub(sub, value)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its customer picked and every placeholder filled."""

    scenario: Scenario
    user: User | None
    values: dict[str, str]


def resolve(scenario: Scenario, index: StoreIndex) -> ResolvedScenario:
    """Pick the customer and fill every placeholder; raise FixtureError if one is missing."""
    user = index.pick(scenario.customer)
    values = index.values(user)
    data = scenario.model_dump(mode="json", exclude={"id", "tags", "customer"})
    filled = fill(data, values)
    resolved = Scenario.model_validate(
        {**filled, "id": scenario.id, "tags": scenario.tags, "customer": scenario.customer}
    )
    return ResolvedScenario(resolved, user, values)
