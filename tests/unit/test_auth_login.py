"""Password sign-in: one answer for every failure, the same bcrypt work, throttles in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from fluxent.core import db, passwords
from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.core.errors import NotAuthenticated, RateLimited
from fluxent.models.auth import AuthThrottle
from fluxent.services.auth import sessions, sign_in, throttle
from tests.support.auth import (
    AGENT,
    IP,
    OTHER_IP,
    PASSWORD,
    Secrets,
    assert_no_secret_in_audit,
    audit_actions,
    make_user,
)

WRONG = "not the password at all 42"


@pytest.fixture
def ada(session):
    user = make_user(session, "ada@example.com", username="ada.l", name="Ada Lovelace")
    session.commit()
    return user


@pytest.fixture
def bcrypt_calls(monkeypatch):
    """Every bcrypt check made, by the hash it was checked against."""
    calls: list[bytes] = []
    real = passwords.bcrypt.checkpw

    def counting(candidate: bytes, hashed: bytes) -> bool:
        calls.append(hashed)
        return real(candidate, hashed)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", counting)
    return calls


def _login(session, login, password=PASSWORD, *, ip=IP, clock=None):
    kwargs = {"clock": clock} if clock is not None else {}
    return sign_in.login(session, login=login, password=password, ip=ip, user_agent=AGENT, **kwargs)


def test_username_or_email_signs_in_with_a_new_session_every_time(session, ada):
    first, first_key, user = _login(session, "ADA.L")
    second, second_key, _ = _login(session, "  Ada@Example.com ")
    assert user.id == ada.id and user.last_login_at is not None
    assert first.id != second.id and first_key != second_key
    assert sessions.resolve(session, first_key)[1].id == ada.id
    assert sessions.resolve(session, second_key)[1].id == ada.id
    assert first.key_hash != first_key and first_key not in first.key_hash
    assert audit_actions(session).count("auth.login_succeeded") == 2
    secrets = Secrets()
    secrets.add(PASSWORD, first_key, second_key)
    assert_no_secret_in_audit(session, secrets)


def test_every_failure_gives_the_same_answer_after_one_bcrypt_check(session, ada, bcrypt_calls):
    gone = make_user(session, "gone@example.com", username="gone")
    erased = make_user(session, "erased@example.com", username="erased")
    make_user(session, "nopass@example.com", password=None)
    gone.is_active = False
    erased.erased_at = now()
    session.add_all([gone, erased])
    session.commit()
    attempts = {
        "unknown user": ("nobody@example.com", PASSWORD),
        "unknown username": ("nobody", PASSWORD),
        "wrong password": ("ada@example.com", WRONG),
        "deactivated": ("gone", PASSWORD),
        "erased": ("erased@example.com", PASSWORD),
        "no password set": ("nopass@example.com", PASSWORD),
        "empty": ("", ""),
    }
    answers = {}
    for case, (login, password) in attempts.items():
        bcrypt_calls.clear()
        with pytest.raises(NotAuthenticated) as failed:
            _login(session, login, password)
        answers[case] = (type(failed.value), failed.value.message)
        assert len(bcrypt_calls) == 1, case
        expected = ada.password_hash.encode() if case == "wrong password" else passwords._DUMMY_HASH
        assert bcrypt_calls[0] == expected, case
    assert set(answers.values()) == {(NotAuthenticated, "Incorrect e-mail/username or password.")}
    # The dummy check costs what a real one costs.
    assert passwords._DUMMY_HASH.startswith(f"$2b${passwords.BCRYPT_ROUNDS}$".encode())
    assert audit_actions(session).count("auth.login_failed") == len(attempts)


def test_the_bcrypt_check_runs_outside_any_transaction(session, ada, monkeypatch):
    """On SQLite an open transaction holds the database-wide write lock: a quarter
    second of bcrypt inside one would serialize every sign-in and request."""
    open_during_check: list[bool] = []
    real = passwords.bcrypt.checkpw

    def watching(candidate: bytes, hashed: bytes) -> bool:
        open_during_check.append(session.in_transaction())
        return real(candidate, hashed)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", watching)
    _login(session, "ada.l")
    with pytest.raises(NotAuthenticated):
        _login(session, "ada.l", WRONG)
    assert open_during_check == [False, False]


def test_a_password_changed_during_the_check_does_not_sign_in(session, ada, monkeypatch):
    real = passwords.bcrypt.checkpw

    def changed_meanwhile(candidate: bytes, hashed: bytes) -> bool:
        with session_scope() as other:
            other.execute(
                text("UPDATE account_user SET password_hash = :h WHERE id = :id"),
                {"h": passwords.hash_password("a brand new password 77", rounds=4), "id": ada.id},
            )
        return real(candidate, hashed)

    monkeypatch.setattr(passwords.bcrypt, "checkpw", changed_meanwhile)
    with pytest.raises(NotAuthenticated):
        _login(session, "ada.l")


def test_failures_lock_the_account_with_a_growing_retry_after_across_sessions(session, ada, clock):
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            _login(session, "ada.l", WRONG, clock=clock)
    # The sixth failure is still checked and locks the login for 30 seconds.
    with pytest.raises(NotAuthenticated):
        _login(session, "ada.l", WRONG, clock=clock)

    waits = []
    for _ in range(3):
        # A fresh database session (as another worker process would have) sees the lock.
        with Session(db.get_engine(), expire_on_commit=False) as other:
            with pytest.raises(RateLimited) as limited:
                _login(other, "ada.l", PASSWORD, clock=clock)  # even the right password waits
            waits.append(limited.value.retry_after)
        clock.advance(seconds=waits[-1])
        with pytest.raises(NotAuthenticated):
            _login(session, "ada.l", WRONG, clock=clock)
    assert waits == [30, 60, 120]
    assert "Try again in" in limited.value.message
    # The e-mail names the same account: it waits too.
    with pytest.raises(RateLimited):
        _login(session, "ada@example.com", clock=clock)


def test_username_and_email_share_one_budget(session, ada, clock):
    for login in ["ada@example.com", "ada.l", " ADA@example.com", "Ada.L", "ada@example.com", "ada.l"]:
        with pytest.raises(NotAuthenticated):
            _login(session, login, WRONG, ip=f"192.0.2.{len(login)}", clock=clock)
    for login in ("ada.l", "ada@example.com"):
        with pytest.raises(RateLimited):
            _login(session, login, PASSWORD, ip=OTHER_IP, clock=clock)
    # Strings that name no account keep budgets of their own.
    with pytest.raises(NotAuthenticated):
        _login(session, "ada.lovelace", WRONG, ip=OTHER_IP, clock=clock)


def test_an_unknown_login_is_throttled_exactly_like_a_known_one(session, ada, clock, monkeypatch):
    monkeypatch.setattr(passwords.bcrypt, "checkpw", lambda candidate, hashed: False)
    observed = {}
    for login in ("ada.l", "nobody.here"):
        outcomes = []
        for _ in range(7):
            try:
                _login(session, login, WRONG, ip=f"192.0.2.{len(observed) + 1}", clock=clock)
            except RateLimited as limited:
                outcomes.append(("limited", limited.retry_after, limited.message))
            except NotAuthenticated as failed:
                outcomes.append(("failed", failed.message))
        observed[login] = outcomes
    assert observed["ada.l"] == observed["nobody.here"]
    assert observed["ada.l"][-1][0] == "limited"


def test_success_clears_the_account_counter(session, ada, clock):
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            _login(session, "ada.l", WRONG, clock=clock)
    _login(session, "ada.l", clock=clock)
    for _ in range(5):
        with pytest.raises(NotAuthenticated):
            _login(session, "ada.l", WRONG, clock=clock)
    _login(session, "ada.l", clock=clock)  # five free failures again, not a lock


def test_the_ip_address_is_throttled_across_logins(session, ada, clock, monkeypatch):
    monkeypatch.setattr(passwords.bcrypt, "checkpw", lambda candidate, hashed: False)
    for number in range(throttle.IP.free + 1):
        with pytest.raises(NotAuthenticated):
            _login(session, f"someone{number}@example.com", WRONG, clock=clock)
    with pytest.raises(RateLimited) as limited:
        _login(session, "ada.l", PASSWORD, clock=clock)
    assert limited.value.retry_after == 30
    monkeypatch.undo()
    _login(session, "ada.l", PASSWORD, ip=OTHER_IP, clock=clock)


def test_a_failure_is_recorded_even_when_the_caller_rolls_back(session, ada):
    with pytest.raises(NotAuthenticated), session_scope() as scoped:
        _login(scoped, "ada.l", WRONG)
    with Session(db.get_engine()) as fresh:
        row = fresh.get(AuthThrottle, throttle.key_for(*throttle.for_account(ada.id)))
        assert row is not None and row.failures == 1
        assert fresh.exec(text("SELECT COUNT(*) FROM audit_event WHERE action = 'auth.login_failed'")).one()[0] == 1


def test_throttle_rows_hold_no_readable_login_or_address(session, ada):
    with pytest.raises(NotAuthenticated):
        _login(session, "ada@example.com", WRONG)
    keys = session.exec(select(AuthThrottle.key)).all()
    assert len(keys) == 2
    assert not any("ada" in key or IP in key for key in keys)


def test_the_count_starts_over_after_a_quiet_window(session, clock):
    for _ in range(5):
        throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)
    clock.advance(minutes=15)
    for _ in range(5):
        throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)
    assert throttle.retry_after(session, throttle.ACCOUNT, "someone", clock=clock) is None


def test_a_lock_keeps_the_count_until_a_quiet_window_after_it(session, clock):
    for _ in range(6):
        throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)
    clock.advance(minutes=14)
    throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)  # still counting: 7th
    assert throttle.retry_after(session, throttle.ACCOUNT, "someone", clock=clock) == 60


def test_the_lock_doubles_up_to_fifteen_minutes(session, clock):
    waits = []
    for _ in range(15):
        throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)
        wait = throttle.retry_after(session, throttle.ACCOUNT, "someone", clock=clock)
        waits.append(wait)
        if wait:
            clock.advance(seconds=wait)
    assert waits[:5] == [None] * 5
    assert waits[5:11] == [30, 60, 120, 240, 480, 900]
    assert set(waits[11:]) == {900}


def test_stale_throttles_are_purged(session, clock):
    throttle.record(session, throttle.ACCOUNT, "someone", clock=clock)
    clock.advance(days=2)
    throttle.record(session, throttle.ACCOUNT, "someone else", clock=clock)
    assert throttle.purge(session, moment=clock(), limit=100) == 1
    assert len(session.exec(select(AuthThrottle)).all()) == 1
