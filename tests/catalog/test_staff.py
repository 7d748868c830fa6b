"""Staff accounts: Argon2 hashes, one error for unknown and wrong logins, sessions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from catalog.config import DatabaseSettings
from catalog.db import create_schema, make_engine
from catalog.errors import InvalidInputError, StaffAuthError
from catalog.staff import StaffStore
from catalog.support import StaffSession, StaffUser


@pytest.fixture()
def store(tmp_path: Path) -> StaffStore:
    engine = make_engine(DatabaseSettings(url=f"sqlite:///{tmp_path}/staff.db"))
    create_schema(engine)
    return StaffStore(engine)


def test_passwords_are_hashed_and_logins_checked(store: StaffStore) -> None:
    ann = store.create("Ann.Agent@Shop.example", "a long password", role="agent")
    assert ann.email == "ann.agent@shop.example" and ann.name == "Ann Agent"
    with Session(store.engine) as s:
        row = s.exec(select(StaffUser)).one()
    assert row.password_hash.startswith("$argon2") and "a long password" not in row.password_hash
    assert store.check_password("ann.agent@shop.example", "a long password") == ann
    with pytest.raises(StaffAuthError) as wrong:
        store.check_password("ann.agent@shop.example", "not the password")
    with pytest.raises(StaffAuthError) as unknown:
        store.check_password("nobody@shop.example", "a long password")
    assert wrong.value.message == unknown.value.message  # no account enumeration


@pytest.mark.parametrize(
    ("email", "password", "role"),
    [
        ("not-an-email", "a long password", "agent"),
        ("b@shop.example", "short", "agent"),
        ("c@shop.example", "a long password", "root"),
    ],
)
def test_bad_accounts_are_refused(store: StaffStore, email: str, password: str, role: str) -> None:
    with pytest.raises(InvalidInputError):
        store.create(email, password, role=role)


def test_an_email_is_taken_once(store: StaffStore) -> None:
    store.create("a@shop.example", "a long password", role="admin")
    with pytest.raises(InvalidInputError):
        store.create("A@shop.example", "another long one", role="agent")


def test_sessions_keep_only_a_hash_expire_and_end(store: StaffStore) -> None:
    ann = store.create("a@shop.example", "a long password", role="agent")
    token, csrf = store.start_session(ann)
    assert store.session(token) == (ann, csrf)
    with Session(store.engine) as s:
        assert token not in {r.token_hash for r in s.exec(select(StaffSession))}
    assert store.session(token + "x") is None and store.session(None) is None
    store.end_session(token)
    assert store.session(token) is None
    short = StaffStore(store.engine, session_ttl=timedelta(seconds=-1))
    expired, _ = short.start_session(ann)
    assert store.session(expired) is None
