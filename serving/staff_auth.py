"""Staff sessions for the console: an HttpOnly cookie, CSRF tokens, roles, login limits.

* The cookie ``shopassist_staff`` (HttpOnly, SameSite=Strict, path ``/``) holds a random
  session value; the store keeps only its SHA-256 (:mod:`catalog.staff`).
* Every state-changing console request carries the session's CSRF token in the
  ``X-CSRF-Token`` header (the console's JavaScript reads it from ``/console/api/me``);
  the login form uses a double-submit cookie, since there is no session yet.
* Shopper credentials (conversation session tokens, the shopper cookie) are never
  accepted here, and a staff cookie is never a shopper session.
* Failed sign-ins are counted per (email, client address) and per client address; an
  account is never locked for everyone, so nobody can lock an agent out by guessing.
"""

from __future__ import annotations

import contextlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from assistant.errors import RateLimitedError
from catalog.errors import StaffAuthError
from catalog.staff import Staff
from serving.errors import CsrfError, StaffForbiddenError
from serving.state import ServerState, server_state

COOKIE = "shopassist_staff"
LOGIN_CSRF_COOKIE = "shopassist_login_csrf"


@dataclass(frozen=True)
class StaffContext:
    """The signed-in staff member of a console request or socket."""

    staff: Staff
    csrf: str
    token: str


def session_of(conn: HTTPConnection) -> StaffContext | None:
    """Return the staff session of a request or websocket, or None."""
    token = conn.cookies.get(COOKIE)
    if not token:
        return None
    found = server_state(conn).services.chat.support.staff.session(token)
    if found is None:
        return None
    staff, csrf = found
    return StaffContext(staff=staff, csrf=csrf, token=token)


def require_staff(request: Request) -> StaffContext:
    """Dependency: a signed-in agent or admin; POSTs also need the CSRF header."""
    ctx = session_of(request)
    if ctx is None:
        raise StaffAuthError("sign in to the console first")
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        sent = request.headers.get("x-csrf-token", "")
        if not sent or not hmac.compare_digest(sent, ctx.csrf):
            raise CsrfError("missing or wrong CSRF token; reload the console")
    return ctx


def require_admin(ctx: Annotated[StaffContext, Depends(require_staff)]) -> StaffContext:
    """Dependency: a signed-in admin."""
    if ctx.staff.role != "admin":
        raise StaffForbiddenError("only admins may see this")
    return ctx


def staff_cookie(token: str, *, secure: bool, max_age: int) -> str:
    """Return the ``Set-Cookie`` value of a staff session."""
    flags = "; Secure" if secure else ""
    return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{flags}"


def clear_cookie() -> str:
    """Return the ``Set-Cookie`` value that ends the staff session in the browser."""
    return f"{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"


def login_csrf() -> str:
    """Return a fresh token for the login form's double-submit cookie."""
    return secrets.token_urlsafe(24)


def _login_keys(email: str, client: str) -> tuple[str, str]:
    return f"login:{email}|{client}", f"login-client:{client}"


def check_login_allowed(state: ServerState, email: str, client: str) -> None:
    """Raise RateLimitedError while ``client`` may not try ``email`` (or any email).

    Keyed by the client address, never by the account alone: another client with the
    right password signs in at once, however often strangers guessed wrong.
    """
    limit = state.services.chat.support.settings.login_attempts_per_15min
    pair, client_key = _login_keys(email, client)
    state.login_limits.check(client_key, limit * 4, "failed sign-ins")
    state.login_limits.check(pair, limit, "failed sign-ins for this account")


def count_login_failure(state: ServerState, email: str, client: str) -> None:
    """Count one failed sign-in of ``client`` for ``email`` (never raises)."""
    limit = state.services.chat.support.settings.login_attempts_per_15min
    pair, client_key = _login_keys(email, client)
    for key, cap in ((client_key, limit * 4), (pair, limit)):
        with contextlib.suppress(RateLimitedError):
            state.login_limits.hit(key, cap, "failed sign-ins")
