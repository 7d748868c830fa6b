"""Map every error to one wire shape: ``{"error": {"type", "message", "code"}}``.

Tree (errors that originate here)::

    ShopError (catalog.errors)
    ├── ProtocolError          a websocket frame is not JSON text, too large, or of no known type
    ├── OriginNotAllowedError  a browser on an origin that is neither ours nor listed
    ├── StoreUnavailableError  readiness: the database does not answer
    ├── CsrfError              a console write without the session's CSRF token
    └── StaffForbiddenError    a signed-in staff member whose role may not do this

The same body is used for HTTP responses and websocket ``error`` frames.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.errors import (
    BusyError,
    ConversationNotFoundError,
    LLMBadResponseError,
    LLMUnavailableError,
    MessageRejectedError,
    ModelFileError,
    RateLimitedError,
    StoreProcessError,
)
from catalog.errors import (
    AuthenticationError,
    AuthorizationError,
    ConfirmationError,
    HandoffConflictError,
    InvalidInputError,
    NotFoundError,
    PolicyError,
    ShopError,
    StaffAuthError,
)
from recommend.errors import RecommendError, UnknownProductError
from retrieval.errors import EmbeddingModelMissingError
from tools.errors import RetryableToolError, TerminalToolError

LLM_DOWN = (
    'Our assistant can\'t answer right now. Type "human" to reach a person from our team, '
    "or try again in a moment."
)


class ProtocolError(ShopError):
    """A websocket frame is not JSON or has an unknown ``type``."""

    code = "bad_frame"


class OriginNotAllowedError(ShopError):
    """A browser request from an origin that is neither the server's nor listed."""

    code = "origin_not_allowed"


class StoreUnavailableError(ShopError):
    """Readiness: the database does not answer."""

    code = "store_unavailable"


class CsrfError(ShopError):
    """A state-changing console request without the session's CSRF token."""

    code = "csrf_failed"


class StaffForbiddenError(ShopError):
    """A signed-in staff member whose role may not do this (admins only)."""

    code = "staff_forbidden"


_STATUS: list[tuple[type[ShopError], int]] = [
    (CsrfError, 403),
    (StaffForbiddenError, 403),
    (OriginNotAllowedError, 403),
    (StaffAuthError, 401),
    (HandoffConflictError, 409),
    (StoreUnavailableError, 503),
    (StoreProcessError, 503),
    (ConversationNotFoundError, 404),
    (NotFoundError, 404),
    (MessageRejectedError, 422),
    (InvalidInputError, 422),
    (ProtocolError, 400),
    (AuthenticationError, 401),
    (AuthorizationError, 403),
    (ConfirmationError, 409),
    (PolicyError, 409),
    (RetryableToolError, 422),
    (TerminalToolError, 409),
    (BusyError, 409),
    (RateLimitedError, 429),
    (LLMUnavailableError, 503),
    (LLMBadResponseError, 502),
    (ModelFileError, 503),
    (EmbeddingModelMissingError, 503),
    (UnknownProductError, 404),
    (RecommendError, 503),
]


def error_body(exc: BaseException) -> dict[str, Any]:
    """Return the wire body for ``exc``; unexpected errors never leak internals."""
    if isinstance(exc, LLMUnavailableError | LLMBadResponseError):
        # The shopper sees what to do next, never the upstream's words.
        return {"error": {"type": exc.type, "message": LLM_DOWN, "code": exc.code}}
    if isinstance(exc, ShopError):
        return {"error": {"type": exc.type, "message": exc.message, "code": exc.code}}
    return {
        "error": {
            "type": "InternalError",
            "message": "something went wrong on our side; please try again",
            "code": "internal_error",
        }
    }


def status_for(exc: BaseException) -> int:
    """HTTP status for ``exc``."""
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 400 if isinstance(exc, ShopError) else 500


def error_response(exc: BaseException) -> JSONResponse:
    """Return the HTTP response for ``exc``: its status and the one error body."""
    return JSONResponse(error_body(exc), status_code=status_for(exc))


def install_handlers(app: FastAPI) -> None:
    """Register exception handlers so every HTTP error uses the one shape."""

    async def shop_error(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc)

    async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        body = {
            "error": {
                "type": "RequestValidationError",
                "message": problems,
                "code": "invalid_request",
            }
        }
        return JSONResponse(body, status_code=422)

    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body(exc), status_code=500)

    app.add_exception_handler(ShopError, shop_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)
