"""HMAC-signed tokens: conversation session tokens and customer identity tokens.

Two kinds, both ``v1.<payload>.<signature>`` with a URL-safe base64 HMAC-SHA256:

* **session tokens** prove the holder created the conversation (the widget keeps it in an
  HttpOnly cookie or, for cross-site embeds, in its own storage). Payload: the id.
* **customer tokens** are signed by the *shop's own backend* for a signed-in customer and
  passed to the widget (``data-customer-token``). Payload: ``{"sub": user_id, "exp": …}``.

A shop's backend (any language) signs a customer token like this::

    payload = base64url(json({"sub": "<user id>", "exp": <unix seconds>}))
    token = "v1." + payload + "." + base64url(hmac_sha256(secret, "customer." + payload))

(base64url without ``=`` padding). :func:`sign_customer_token` does exactly that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from pathlib import Path

from catalog.errors import AuthenticationError


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), f"{purpose}.{payload}".encode(), hashlib.sha256).digest())


def sign_session(secret: str, conversation_id: str) -> str:
    """Return the session token that grants access to ``conversation_id``."""
    return f"v1.{conversation_id}.{_mac(secret, 'session', conversation_id)}"


def session_conversation(secret: str, token: str | None) -> str | None:
    """Return the conversation id a valid session token grants, else None (never raises)."""
    if not token or len(token) > 200:
        return None
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "v1" or not parts[1]:
        return None
    expected = _mac(secret, "session", parts[1])
    return parts[1] if hmac.compare_digest(expected, parts[2]) else None


def sign_customer_token(secret: str, user_id: str, *, ttl_s: int = 3600) -> str:
    """Sign a customer token for ``user_id``, valid for ``ttl_s`` seconds (the shop's helper)."""
    payload = _b64(
        json.dumps(
            {"sub": user_id, "exp": int(time.time()) + ttl_s}, separators=(",", ":")
        ).encode()
    )
    return f"v1.{payload}.{_mac(secret, 'customer', payload)}"


def verify_customer_token(secret: str, token: str) -> str:
    """Return the customer id of a valid, unexpired token; else AuthenticationError."""
    failure = AuthenticationError(
        "the sign-in token is not valid or has expired; sign in again", code="identity_not_verified"
    )
    parts = (token or "").strip().split(".")
    if len(parts) != 3 or parts[0] != "v1" or len(token) > 2000:
        raise failure
    if not hmac.compare_digest(_mac(secret, "customer", parts[1]), parts[2]):
        raise failure
    try:
        data = json.loads(_unb64(parts[1]))
        user_id, expires = str(data["sub"]), int(data["exp"])
    except (ValueError, KeyError, TypeError) as exc:
        raise failure from exc
    if expires < time.time() or not user_id:
        raise failure
    return user_id


def stored_secret(path: Path) -> tuple[str, bool]:
    """Return the secret kept in ``path`` and whether it was generated just now.

    A missing file gets a fresh random secret, written once with mode 0600 (a second
    process racing to create it reads the first one's).
    """
    if path.is_file():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip(), False
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key, True
