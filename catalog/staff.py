"""Staff accounts (support agents and admins) and their console sessions.

Passwords are hashed with Argon2 (``pwdlib``); a wrong password and an unknown email give
the same error after the same work. A session is a random cookie value of which only the
SHA-256 is stored, with its own CSRF token; sessions expire and can be ended (logout).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pwdlib import PasswordHash
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from catalog.db import write_lock
from catalog.errors import InvalidInputError, StaffAuthError
from catalog.support import StaffSession, StaffUser

Role = Literal["agent", "admin"]
ROLES: tuple[Role, ...] = ("agent", "admin")
MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HASHER = PasswordHash.recommended()
# Verified against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-" + secrets.token_hex(8))
LOGIN_FAILED = "wrong email or password"


@dataclass(frozen=True)
class Staff:
    """A staff member as the console and the services see them (no hash)."""

    id: int
    email: str
    name: str
    role: Role

    @property
    def actor(self) -> str:
        """How audit rows name this person."""
        return f"staff:{self.id}"


def _public(row: StaffUser) -> Staff:
    assert row.id is not None
    role: Role = "admin" if row.role == "admin" else "agent"
    return Staff(id=row.id, email=row.email, name=row.name, role=role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


class StaffStore:
    """Create staff, check passwords, and keep console sessions."""

    def __init__(self, engine: Engine, *, session_ttl: timedelta = timedelta(hours=12)) -> None:
        """Use ``engine``; sessions last ``session_ttl``."""
        self.engine = engine
        self.session_ttl = session_ttl

    def create(self, email: str, password: str, *, role: str, name: str = "") -> Staff:
        """Add a staff member; InvalidInputError for a bad email, role, weak or taken login."""
        email = email.strip().lower()
        if not _EMAIL.match(email):
            raise InvalidInputError(f"{email!r} is not an email address")
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if len(password) < MIN_PASSWORD:
            raise InvalidInputError(f"the password needs at least {MIN_PASSWORD} characters")
        with write_lock(self.engine), Session(self.engine) as session:
            taken = session.exec(select(StaffUser).where(col(StaffUser.email) == email)).first()
            if taken is not None:
                raise InvalidInputError(f"a staff member with the email {email} exists already")
            row = StaffUser(
                email=email,
                name=name.strip() or email.split("@")[0].replace(".", " ").title(),
                role=role,
                password_hash=_HASHER.hash(password),
            )
            session.add(row)
            session.commit()
            session.refresh(row)
            return _public(row)

    def get(self, staff_id: int) -> Staff | None:
        """Return an active staff member by id."""
        with Session(self.engine) as session:
            row = session.get(StaffUser, staff_id)
            return _public(row) if row is not None and row.active else None

    def names(self) -> dict[int, str]:
        """Return every staff member's display name by id."""
        with Session(self.engine) as session:
            return {int(r.id): r.name for r in session.exec(select(StaffUser)) if r.id}

    def check_password(self, email: str, password: str) -> Staff:
        """Return the staff member for a correct login, else StaffAuthError (one message)."""
        with Session(self.engine) as session:
            row = session.exec(
                select(StaffUser).where(col(StaffUser.email) == email.strip().lower())
            ).first()
        if row is None or not row.active:
            _HASHER.verify(password, _DUMMY_HASH)
            raise StaffAuthError(LOGIN_FAILED, code="login_failed")
        if not _HASHER.verify(password, row.password_hash):
            raise StaffAuthError(LOGIN_FAILED, code="login_failed")
        return _public(row)

    def start_session(self, staff: Staff) -> tuple[str, str]:
        """Open a session; returns (cookie value, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        with write_lock(self.engine), Session(self.engine) as session:
            session.add(
                StaffSession(
                    token_hash=_digest(token),
                    staff_id=staff.id,
                    csrf=csrf,
                    created_at=_now(),
                    expires_at=_now() + self.session_ttl,
                )
            )
            session.commit()
        return token, csrf

    def session(self, token: str | None) -> tuple[Staff, str] | None:
        """Return (staff, CSRF token) of a live session cookie, or None."""
        if not token or len(token) > 200:
            return None
        with Session(self.engine) as session:
            row = session.get(StaffSession, _digest(token))
            if row is None or _aware(row.expires_at) < _now():
                return None
            user = session.get(StaffUser, row.staff_id)
            if user is None or not user.active:
                return None
            return _public(user), row.csrf

    def end_session(self, token: str | None) -> None:
        """Log out: the cookie value stops working at once."""
        if not token:
            return
        with write_lock(self.engine), self.engine.begin() as conn:
            conn.execute(delete(StaffSession).where(col(StaffSession.token_hash) == _digest(token)))
