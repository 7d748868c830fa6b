"""Errors of the store layer, and the project-wide root exception.

Tree (every package's ``errors.py`` hangs its own errors off this root)::

    ShopError                      root of every error this project raises on purpose
    ├── catalog.errors.NotFoundError        a product, variant, user or order id is unknown
    ├── catalog.errors.InvalidInputError    a caller passed a value that can never be valid
    ├── catalog.errors.DataImportError      an import file is missing or malformed
    ├── catalog.errors.PolicyError          the store's policy forbids the requested action
    ├── catalog.errors.AuthenticationError  no customer matches the given identity
    ├── catalog.errors.AuthorizationError   the order/profile belongs to someone else
    ├── catalog.errors.ConfirmationError    a confirmation token is unknown, foreign, expired
    ├── catalog.errors.HandoffConflictError the conversation's state forbids this handoff step
    ├── catalog.errors.StaffAuthError       no staff session, a wrong password, or a role lacks
    │   └── catalog.apikeys.ApiKeyError     an API key is unknown, revoked or lacks a scope
    ├── catalog.errors.UnavailableError     the variant asked for is out of stock or gone
    ├── retrieval.errors.RetrievalError     (see retrieval/errors.py)
    ├── tools.errors.ToolError              (see tools/errors.py)
    └── assistant.errors.AssistantError     (see assistant/errors.py)

Each error has a stable machine-readable ``code`` and a human ``message``; ``serving``
maps them to ``{"error": {"type", "message", "code"}}``.
"""

from __future__ import annotations


class ShopError(Exception):
    """Root of every error this project raises on purpose."""

    code: str = "shop_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    @property
    def type(self) -> str:
        """The error's class name, used as ``error.type`` on the wire."""
        return type(self).__name__


class NotFoundError(ShopError):
    """A product, variant, user, order or conversation id is unknown."""

    code = "not_found"


class InvalidInputError(ShopError):
    """A caller passed a value that can never be valid (bad range, empty query, …)."""

    code = "invalid_input"


class DataImportError(ShopError):
    """An import file is missing, unreadable or not in the expected format."""

    code = "import_failed"


class PolicyError(ShopError):
    """The store's policy forbids the requested action (status, reason, balance, …)."""

    code = "policy_violation"


class AuthenticationError(ShopError):
    """No customer matches the identity given, or none was established yet."""

    code = "not_authenticated"


class AuthorizationError(ShopError):
    """The order or profile belongs to another customer than the authenticated one."""

    code = "forbidden"


class ConfirmationError(ShopError):
    """A confirmation token is unknown, belongs elsewhere, expired or was not confirmed."""

    code = "confirmation_invalid"


class HandoffConflictError(ShopError):
    """The conversation is not in a state that allows this step (someone else was first)."""

    code = "handoff_conflict"


class StaffAuthError(ShopError):
    """No valid staff session, a wrong email or password, or a role that may not do this."""

    code = "staff_not_authenticated"


class UnavailableError(ShopError):
    """The variant asked for is out of stock or no longer sold (a cart refuses it)."""

    code = "unavailable"
