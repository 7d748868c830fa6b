"""Strict arguments of an order action a support agent proposes from the console.

The model's tool calls are read leniently (unknown keys are dropped, values coerced); an
agent's proposal is checked strictly against the same tool's argument model instead: an
unknown action, an unexpected or missing argument, or a value of the wrong type is an
``InvalidInputError`` (422, or an error frame), never a crash in the order code.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from catalog.errors import InvalidInputError
from catalog.orders.actions import WRITE_ACTIONS
from tools.default_registry import default_registry


@cache
def _models() -> dict[str, type[BaseModel]]:
    registry = default_registry(None)
    return {action: registry.get(action).input_model for action in WRITE_ACTIONS}


def strict_action_args(action: str, args: Any) -> dict[str, Any]:
    """Return ``args`` validated (and normalized) for ``action``, or raise InvalidInputError."""
    model = _models().get(action) if isinstance(action, str) else None
    if model is None:
        raise InvalidInputError(f"unknown order action {action!r}", code="unknown_action")
    if not isinstance(args, dict):
        raise InvalidInputError("args must be a JSON object", code="bad_arguments")
    unexpected = sorted(str(k) for k in args if k not in model.model_fields)
    if unexpected:
        raise InvalidInputError(
            f"unexpected argument(s) for {action}: {', '.join(unexpected)[:200]}; "
            f"expected {', '.join(model.model_fields)}",
            code="unexpected_argument",
        )
    try:
        checked = model.model_validate(args, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "args"
        raise InvalidInputError(
            f"invalid arguments for {action}: {where}: {first['msg']}", code="bad_arguments"
        ) from exc
    return checked.model_dump()
