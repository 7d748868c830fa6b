"""Errors of the evaluation harness.

Tree::

    ShopError (catalog.errors)
    └── EvalError                    an evaluation could not be set up or read
        ├── ScenarioFileError        a scenario file is missing, malformed or has unknown keys
        ├── FixtureError             a customer or placeholder cannot be resolved in the store
        └── ReportError              a report file is missing or not of the documented schema
"""

from __future__ import annotations

from catalog.errors import ShopError


class EvalError(ShopError):
    """An evaluation could not be set up or read."""

    code = "eval_error"


class ScenarioFileError(EvalError):
    """A scenario file is missing, malformed, or uses keys the format does not define."""

    code = "scenario_file_invalid"

    def __init__(self, message: str, *, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class FixtureError(EvalError):
    """A scenario's customer or a placeholder cannot be resolved in the store."""

    code = "fixture_unresolvable"


class ReportError(EvalError):
    """A report file is missing or does not follow the documented schema."""

    code = "report_invalid"
