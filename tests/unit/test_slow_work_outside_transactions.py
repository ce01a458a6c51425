"""bcrypt (a quarter of a second) never runs inside a transaction: on SQLite an open
writing transaction holds the database-wide write lock, so every other write would wait."""

from __future__ import annotations

import pytest

from fluxent.core import passwords
from fluxent.services.accounts import profile
from fluxent.services.auth import sign_in
from fluxent.services.privacy import self_erasure
from tests.support.auth import PASSWORD, make_user

NEW_PASSWORD = "a fresh passphrase for tests 2026"


@pytest.fixture
def transaction_open_during_bcrypt(session, monkeypatch) -> list[bool]:
    """For every bcrypt check or hash made: was ``session`` inside a transaction?"""
    seen: list[bool] = []
    real_check, real_hash = passwords.bcrypt.checkpw, passwords.bcrypt.hashpw

    def check(candidate: bytes, hashed: bytes) -> bool:
        seen.append(session.in_transaction())
        return real_check(candidate, hashed)

    def hash_(password: bytes, salt: bytes) -> bytes:
        seen.append(session.in_transaction())
        return real_hash(password, salt)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", check)
    monkeypatch.setattr(passwords.bcrypt, "hashpw", hash_)
    return seen


FLOWS = {
    "password change": lambda session, user: sign_in.change_password(
        session, user=user, current_password=PASSWORD, new_password=NEW_PASSWORD, keep_session=None
    ),
    "e-mail change": lambda session, user: profile.update_profile(
        session, user=user, changes={"email": "ada.new@example.com"}, current_password=PASSWORD
    ),
    "account erasure": lambda session, user: self_erasure.erase_self(
        session, user=user, password=PASSWORD, code=None, ip="192.0.2.1", user_agent="test"
    ),
}


@pytest.mark.parametrize("flow", FLOWS)
def test_bcrypt_runs_outside_any_transaction(session, transaction_open_during_bcrypt, flow):
    user = make_user(session, "ada@example.com", name="Ada Lovelace")
    session.commit()
    transaction_open_during_bcrypt.clear()
    FLOWS[flow](session, user)
    session.commit()
    assert transaction_open_during_bcrypt and not any(transaction_open_during_bcrypt)
