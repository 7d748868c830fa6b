"""Errors of the assistant layer.

Tree::

    ShopError (catalog.errors)
    └── AssistantError               a chat turn could not be completed
        ├── MessageRejectedError     the shopper's message is empty, too long or malformed
        ├── ConversationNotFoundError  no conversation with that id
        ├── LLMUnavailableError      the LLM server timed out, refused or crashed
        ├── LLMBadResponseError      the LLM server sent a malformed stream or answer
        ├── BusyError                this conversation already has a turn in flight
        ├── RateLimitedError         too many messages or connections; retry later
        ├── StoreProcessError        the store process ended or could not run a hop
        └── ModelFileError           the embedded model is missing or fails its SHA-256 check
"""

from __future__ import annotations

from catalog.errors import ShopError


class AssistantError(ShopError):
    """A chat turn could not be completed."""

    code = "assistant_error"


class MessageRejectedError(AssistantError):
    """The shopper's message is empty, too long or otherwise unusable."""

    code = "message_rejected"


class ConversationNotFoundError(AssistantError):
    """No conversation has the given id."""

    code = "conversation_not_found"


class LLMUnavailableError(AssistantError):
    """The LLM server timed out, refused the connection or returned an error."""

    code = "llm_unavailable"


class ModelFileError(AssistantError):
    """The embedded model's parts are missing or the assembled file fails verification."""

    code = "model_file_invalid"


class LLMBadResponseError(AssistantError):
    """The LLM server answered, but not in the OpenAI stream format (malformed SSE/JSON)."""

    code = "llm_bad_response"


class BusyError(AssistantError):
    """The conversation already has a turn in flight; the new message was not run."""

    code = "busy"


class RateLimitedError(AssistantError):
    """Too many messages or connections from this conversation or client address."""

    code = "rate_limited"


class StoreProcessError(AssistantError):
    """The store process ended (or failed) before it answered; nothing half-written stays."""

    code = "store_unavailable"
