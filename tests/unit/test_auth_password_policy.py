"""The password policy: long, not guessable, not built from the person; no composition rules."""

from __future__ import annotations

import time
import unicodedata

import pytest

from fluxent.core.errors import NotAuthenticated, ValidationFailed
from fluxent.core.passwords import BCRYPT_ROUNDS
from fluxent.models.accounts import Role
from fluxent.services.accounts import users
from fluxent.services.auth import sign_in
from fluxent.services.auth.password_policy import MAX_LENGTH, MIN_LENGTH, PERSONAL_REASON, check_password
from tests.support.auth import AGENT, IP


def _reason(password: str, **person: str) -> str:
    with pytest.raises(ValidationFailed) as refused:
        check_password(password, **person)
    assert set(refused.value.fields) == {"password"}
    assert refused.value.fields["password"] == refused.value.message
    return refused.value.message


def test_fifteen_characters_is_the_minimum():
    assert "at least 15 characters" in _reason("otter-violet-m")  # 14
    check_password("otter-violet-ma")  # 15


def test_length_counts_characters_after_nfkc():
    # Fourteen full-width letters are fourteen characters, however many bytes they take.
    assert "at least 15" in _reason("ｏｔｔｅｒｖｉｏｌｅｔｍａｐ")


def test_256_characters_is_the_maximum_and_long_input_stays_fast():
    words = "granite sparrow lullaby orchard velvet comet "
    longest = (words * 10)[:MAX_LENGTH]
    started = time.perf_counter()
    check_password(longest)
    assert "at most 256 characters" in _reason(longest + "x")
    worst = ("1" * MAX_LENGTH, "ab1!" * (MAX_LENGTH // 4), "password" * (MAX_LENGTH // 8))
    for password in worst:
        _reason(password)
    assert time.perf_counter() - started < 2.0, "zxcvbn must only see a bounded prefix"


def test_no_composition_rules():
    check_password("granite sparrow lullaby")  # lower-case letters and spaces only
    check_password("7319 4820 5561 0937")  # digits only, not a pattern


@pytest.mark.parametrize(
    "password",
    ["password12345678", "iloveyou12345678", "P@ssw0rd12345678", "qwertyuiopasdfghjkl", "1234567890123456"],
)
def test_common_and_breached_passwords_are_refused_with_a_reason(password):
    reason = _reason(password)
    assert "easy to guess" in reason or "common" in reason or "Sequences" in reason or "Straight rows" in reason


def test_repeats_are_refused_with_their_reason():
    assert "Repeats" in _reason("aaaaaaaaaaaaaaaa")
    assert "Repeats" in _reason("trustno1trustno1")


@pytest.mark.parametrize(
    ("password", "person"),
    [
        ("margarethe-walks-the-dog", {"name": "Margarethe Quill"}),
        ("MY QUILL IS MIGHTIER 99", {"name": "Margarethe Quill"}),
        ("ｑｕｉｌｌ sparrow lullaby", {"name": "Margarethe Quill"}),
        ("hello-mq.writer-2026", {"email": "mq.writer@example.com"}),
        ("writer granite comet 7", {"email": "mq.writer@example.com"}),
        ("northwind rocks forever", {"company": "Northwind Robotics"}),
        ("best robotics team in town", {"company": "Northwind Robotics"}),
    ],
)
def test_passwords_built_from_the_persons_details_are_refused(password, person):
    assert _reason(password, **person) == PERSONAL_REASON


def test_short_name_parts_are_not_refused():
    check_password("al and wu walk the granite comet", name="Al Wu", email="al@example.com", company="Wu Co")


def test_create_user_refuses_a_password_with_the_persons_company(session):
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(
            session,
            email="ines@example.com",
            password="analytical engines forever",
            role=Role.CLIENT,
            name="Ines Varga",
            company="Analytical Engines Ltd",
        )
    assert refused.value.fields["password"] == PERSONAL_REASON


def test_a_long_unicode_password_round_trips_at_full_cost(session):
    password = ("Grüße aus Köln — 東京の夜景 😀 ẞtraße ") * 8
    password = password[:200]
    assert len(password) == 200 and len(password.encode()) > 300
    user = users.create_user(session, email="wen@example.com", password=password, role=Role.CLIENT)
    assert user.password_hash.startswith(f"$2b${BCRYPT_ROUNDS}$")
    # The same password typed in another Unicode form signs in; one changed last character does not.
    decomposed = unicodedata.normalize("NFD", password)
    assert decomposed != password
    _, _, signed_in = sign_in.login(session, login="wen@example.com", password=decomposed, ip=IP, user_agent=AGENT)
    assert signed_in.id == user.id
    with pytest.raises(NotAuthenticated):
        sign_in.login(session, login="wen@example.com", password=password[:-1] + "x", ip=IP, user_agent=AGENT)


def test_a_300_byte_password_is_not_truncated(session):
    prefix = "Žluťoučký kůň úpěl ďábelské ódy, příliš žluťoučký kůň úpěl ďábelské ódy — 東京の夜景と京都の朝"
    prefix = prefix + " 🦉🦊🦋 大阪城の石垣と桜 " + prefix[::-1]  # far beyond bcrypt's 72 bytes
    assert len(prefix.encode()) > 300
    user = users.create_user(session, email="lee@example.com", password=prefix + " comet", role=Role.CLIENT)
    assert user.id
    with pytest.raises(NotAuthenticated):
        sign_in.login(session, login="lee@example.com", password=prefix + " comets", ip=IP, user_agent=AGENT)


def test_limits_match_nist():
    assert (MIN_LENGTH, MAX_LENGTH) == (15, 256)
