"""Conversation sessions: only the server creates ids, and every access needs the secret.

A conversation's secret is its signed session token (:mod:`catalog.signing`). Same-site
pages keep it in an HttpOnly, SameSite=Lax cookie; cross-site embeds keep the token the
``session`` frame returns and send it as ``Authorization: Bearer …`` (REST) or in a
``resume`` frame (websocket). Unknown and forbidden conversations get the same error.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers

from assistant.conversations import ConversationStore, new_id
from assistant.errors import ConversationNotFoundError
from catalog import signing

COOKIE = "shopassist_session"
NOT_FOUND = "no such conversation, or this session may not access it"


def load_secret(configured: str | None, data_dir: str) -> str:
    """Return the configured secret, or one generated once and kept in ``<data_dir>/secret_key``."""
    if configured:
        return configured
    return signing.stored_secret(Path(data_dir) / "secret_key")[0]


class Sessions:
    """Issues and checks session tokens for conversations."""

    def __init__(
        self, secret: str, conversations: ConversationStore, *, cookie_secure: bool = False
    ) -> None:
        """Sign with ``secret``; look conversations up in ``conversations``."""
        self.secret = secret
        self.conversations = conversations
        self.cookie_secure = cookie_secure

    def new(self) -> tuple[str, str]:
        """Return a fresh server-made conversation id and its token (stored on first use)."""
        conversation_id = new_id()
        return conversation_id, signing.sign_session(self.secret, conversation_id)

    def token_for(self, conversation_id: str) -> str:
        """Return the token of ``conversation_id``."""
        return signing.sign_session(self.secret, conversation_id)

    def resume(self, token: str | None) -> str:
        """Return the conversation a token grants, if it exists; else the one error."""
        conversation_id = signing.session_conversation(self.secret, token)
        if conversation_id is None or not self.conversations.exists(conversation_id):
            raise ConversationNotFoundError(NOT_FOUND)
        return conversation_id

    def require(self, conversation_id: str, token: str | None) -> None:
        """Refuse unless ``token`` grants ``conversation_id`` and it exists (one error)."""
        if signing.session_conversation(self.secret, token) != conversation_id:
            raise ConversationNotFoundError(NOT_FOUND)
        if not self.conversations.exists(conversation_id):
            raise ConversationNotFoundError(NOT_FOUND)

    def cookie(self, token: str) -> str:
        """Return the ``Set-Cookie`` value that keeps ``token`` for same-site pages."""
        secure = "; Secure" if self.cookie_secure else ""
        return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000{secure}"


def token_from(headers: Headers, cookies: dict[str, str]) -> str | None:
    """Return the session token of a request: ``Authorization: Bearer`` first, then the cookie."""
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return cookies.get(COOKIE) or None


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """Return True for no Origin (not a browser), the server's own origin, or a listed one."""
    if origin is None:
        return True
    if "*" in allowed or origin in allowed:
        return True
    netloc = urlsplit(origin).netloc
    return bool(host) and netloc.lower() == (host or "").lower()
