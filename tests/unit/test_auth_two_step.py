"""Two-step sign-in: enrolment, the login ticket between the steps, replay, throttles,
recovery codes, removal (by the person and by an administrator) and the sealed secret."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import text
from sqlmodel import select

from fluxent.core.errors import Conflict, NotAuthenticated, PermissionDenied, RateLimited, ValidationFailed
from fluxent.core.sealing import Unreadable, unseal
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import Role
from fluxent.models.auth import AuthSession
from fluxent.models.two_step import RecoveryCode, TwoStepMethod
from fluxent.services.auth import sessions, sign_in, two_step
from tests.support.auth import (
    AGENT,
    IP,
    PASSWORD,
    Secrets,
    assert_no_secret_in_audit,
    audit_actions,
    make_user,
)


@pytest.fixture
def ada(session):
    user = make_user(session, "ada@example.com", username="ada.l", name="Ada Lovelace")
    session.commit()
    return user


def _enrol(session, user, clock) -> tuple[pyotp.TOTP, list[str]]:
    enrolment = two_step.begin_enrolment(session, user=user, clock=clock)
    app = pyotp.TOTP(enrolment.secret)
    codes = two_step.confirm_enrolment(session, user=user, code=app.at(clock()), clock=clock)
    session.commit()
    return app, codes


def _login(session, clock, login="ada.l"):
    return sign_in.login(session, login=login, password=PASSWORD, ip=IP, user_agent=AGENT, clock=clock)


def _second(session, ticket, code, clock):
    return sign_in.complete_second_step(session, ticket=ticket, code=code, ip=IP, user_agent=AGENT, clock=clock)


def _wrong(app: pyotp.TOTP, clock) -> str:
    """Six digits that are not the app's code for any step near now."""
    near = {app.at(clock(), counter_offset=offset) for offset in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in near)


def _session_count(session) -> int:
    return len(session.exec(select(AuthSession)).all())


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_matching_code(session, ada, clock, outbox):
    enrolment = two_step.begin_enrolment(session, user=ada, clock=clock)
    assert enrolment.uri.startswith("otpauth://totp/Fluxent:ada%40example.com?secret=" + enrolment.secret)
    assert enrolment.qr_svg.lstrip().startswith("<?xml") and "<svg" in enrolment.qr_svg
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml;base64,")
    assert not two_step.status(session, user=ada).enabled

    wrong = "111111" if pyotp.TOTP(enrolment.secret).at(clock()) == "000000" else "000000"
    with pytest.raises(ValidationFailed):
        two_step.confirm_enrolment(session, user=ada, code=wrong, clock=clock)
    assert not two_step.status(session, user=ada).enabled

    codes = two_step.confirm_enrolment(session, user=ada, code=pyotp.TOTP(enrolment.secret).at(clock()), clock=clock)
    session.commit()
    assert len(codes) == two_step.RECOVERY_CODES == len(set(codes))
    state = two_step.status(session, user=ada)
    assert state.enabled and state.recovery_codes_left == 10
    assert "auth.two_step_enrolled" in audit_actions(session)
    assert "switched on" in outbox.last("ada@example.com")["Subject"]
    with pytest.raises(Conflict):
        two_step.begin_enrolment(session, user=ada, clock=clock)


def test_the_secret_is_sealed_at_rest_and_bound_to_its_person(session, ada, clock):
    enrolment = two_step.begin_enrolment(session, user=ada, clock=clock)
    session.commit()
    stored = session.execute(text("SELECT sealed_secret FROM auth_two_step_method")).scalar_one()
    assert enrolment.secret not in stored
    assert unseal(stored, purpose="two_step.totp", bound_to=f"account_user:{ada.id}") == enrolment.secret
    with pytest.raises(Unreadable):  # moved to another person's row
        unseal(stored, purpose="two_step.totp", bound_to="account_user:999")
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(Unreadable):
        unseal(flipped, purpose="two_step.totp", bound_to=f"account_user:{ada.id}")


def test_no_session_before_the_second_step_then_one_after(session, ada, clock):
    app, _ = _enrol(session, ada, clock)
    before = _session_count(session)
    due = _login(session, clock)
    assert isinstance(due, sign_in.SecondStepDue) and not due.enrol
    session.commit()
    assert _session_count(session) == before
    stored = session.execute(text("SELECT token_hash, purpose FROM auth_one_time_token")).all()
    assert all(due.ticket not in row[0] for row in stored) and ("login_ticket" in {row[1] for row in stored})

    clock.advance(seconds=30)
    auth_session, raw, user = _second(session, due.ticket, app.at(clock()), clock)
    assert user.id == ada.id and sessions.resolve(session, raw)[0].id == auth_session.id
    actions = audit_actions(session)
    assert (
        actions.index("auth.second_step_due")
        < actions.index("auth.two_step_used")
        < actions.index("auth.login_succeeded")
    )
    # The ticket is single use.
    with pytest.raises(NotAuthenticated):
        _second(session, due.ticket, app.at(clock()), clock)


def test_email_code_and_magic_link_first_steps_also_stop_at_the_second(session, ada, clock, outbox):
    _enrol(session, ada, clock)
    sign_in.request_email_code(session, email="ada@example.com", ip=IP, user_agent=AGENT, clock=clock)
    code = outbox.code("ada@example.com")
    due = sign_in.verify_email_code(session, email="ada@example.com", code=code, ip=IP, user_agent=AGENT, clock=clock)
    assert isinstance(due, sign_in.SecondStepDue)
    sign_in.request_magic_link(session, email="ada@example.com", ip=IP, user_agent=AGENT, clock=clock)
    token = outbox.link_token("ada@example.com", "/auth/magic/")
    due = sign_in.consume_magic_link(session, token=token, ip=IP, user_agent=AGENT, clock=clock)
    assert isinstance(due, sign_in.SecondStepDue)


def test_a_code_is_good_once_even_within_its_window(session, ada, clock):
    app, _ = _enrol(session, ada, clock)
    clock.advance(seconds=30)
    code = app.at(clock())
    _second(session, _login(session, clock).ticket, code, clock)
    session.commit()
    replay = _login(session, clock).ticket
    with pytest.raises(NotAuthenticated):
        _second(session, replay, code, clock)
    # An older code (the previous window) is refused too, the next one works.
    with pytest.raises(NotAuthenticated):
        _second(session, replay, app.at(clock(), counter_offset=-1), clock)
    clock.advance(seconds=30)
    _second(session, replay, app.at(clock()), clock)


def test_wrong_codes_end_the_ticket_and_count_against_the_account(session, ada, clock):
    app, _ = _enrol(session, ada, clock)
    ticket = _login(session, clock).ticket
    for _ in range(two_step.TICKET_MAX_ATTEMPTS):
        with pytest.raises(NotAuthenticated):
            _second(session, ticket, "123 45x", clock)
    clock.advance(seconds=30)
    with pytest.raises(NotAuthenticated):  # the ticket is dead, even with the right code
        _second(session, ticket, app.at(clock()), clock)
    assert audit_actions(session).count("auth.two_step_failed") == two_step.TICKET_MAX_ATTEMPTS


def test_the_account_throttle_covers_the_second_step(session, ada, clock):
    app, _ = _enrol(session, ada, clock)
    ticket = _login(session, clock).ticket
    for _ in range(two_step.TICKET_MAX_ATTEMPTS):
        with pytest.raises(NotAuthenticated):
            _second(session, ticket, _wrong(app, clock), clock)
    # A new password step does not wipe the count: the sixth wrong code locks the account for a while.
    ticket = _login(session, clock).ticket
    with pytest.raises(NotAuthenticated):
        _second(session, ticket, _wrong(app, clock), clock)
    clock.advance(seconds=1)
    with pytest.raises(RateLimited):
        _second(session, ticket, app.at(clock()), clock)
    with pytest.raises(RateLimited):
        _login(session, clock)
    clock.advance(minutes=1)
    _second(session, ticket, app.at(clock()), clock)


def test_an_expired_ticket_is_refused(session, ada, clock):
    app, _ = _enrol(session, ada, clock)
    ticket = _login(session, clock).ticket
    clock.advance(minutes=5, seconds=1)
    with pytest.raises(NotAuthenticated):
        _second(session, ticket, app.at(clock()), clock)
    assert _session_count(session) == 0


def test_a_recovery_code_signs_in_once(session, ada, clock):
    _, codes = _enrol(session, ada, clock)
    _second(session, _login(session, clock).ticket, codes[0].upper().replace("-", " "), clock)
    session.commit()
    with pytest.raises(NotAuthenticated):
        _second(session, _login(session, clock).ticket, codes[0], clock)
    assert two_step.status(session, user=ada).recovery_codes_left == 9
    stored = {row.code_hash for row in session.exec(select(RecoveryCode)).all()}
    assert not any(code in stored for code in codes)


def test_removing_needs_a_current_or_recovery_code(session, ada, clock, outbox):
    app, codes = _enrol(session, ada, clock)
    with pytest.raises(ValidationFailed):
        two_step.remove(session, user=ada, code="nonsense", clock=clock)
    assert two_step.status(session, user=ada).enabled
    two_step.remove(session, user=ada, code=codes[3], clock=clock)
    session.commit()
    assert not two_step.status(session, user=ada).enabled
    assert session.exec(select(TwoStepMethod)).all() == [] and session.exec(select(RecoveryCode)).all() == []
    assert "switched off" in outbox.last("ada@example.com")["Subject"]
    assert "auth.two_step_removed" in audit_actions(session)
    # Without a second step, the password alone signs in again.
    assert not isinstance(_login(session, clock), sign_in.SecondStepDue)


def test_new_recovery_codes_replace_the_old_and_need_the_app(session, ada, clock):
    app, old = _enrol(session, ada, clock)
    with pytest.raises(ValidationFailed):  # a recovery code is not enough here
        two_step.replace_recovery_codes(session, user=ada, code=old[0], clock=clock)
    clock.advance(seconds=30)
    new = two_step.replace_recovery_codes(session, user=ada, code=app.at(clock()), clock=clock)
    session.commit()
    assert not set(new) & set(old)
    with pytest.raises(NotAuthenticated):
        _second(session, _login(session, clock).ticket, old[1], clock)


def test_staff_must_enrol_at_sign_in_when_required(session, clock, monkeypatch):
    priya = make_user(session, "priya@example.com", role=Role.STAFF, name="Priya")
    client = make_user(session, "carl@example.com", name="Carl")
    session.commit()
    monkeypatch.setenv("FLUXENT_STAFF_TWO_STEP_REQUIRED", "true")
    reset_settings()
    assert not isinstance(_login(session, clock, "carl@example.com"), sign_in.SecondStepDue)
    due = _login(session, clock, "priya@example.com")
    assert isinstance(due, sign_in.SecondStepDue) and due.enrol
    enrolment = two_step.begin_enrolment_with_ticket(session, token=due.ticket, clock=clock)
    with pytest.raises(NotAuthenticated):
        two_step.begin_enrolment_with_ticket(session, token="not-a-ticket", clock=clock)
    _, _, user = _second(session, due.ticket, pyotp.TOTP(enrolment.secret).at(clock()), clock)
    assert user.id == priya.id and two_step.status(session, user=priya).enabled
    assert client.id != priya.id


def test_an_administrator_removes_a_second_step_after_an_identity_check(session, ada, clock, outbox):
    _enrol(session, ada, clock)
    admin = make_user(session, "admin@example.com", role=Role.ADMIN, name="Alex")
    staff = make_user(session, "staff@example.com", role=Role.STAFF, name="Sam")
    with pytest.raises(PermissionDenied):
        two_step.remove_for_person(session, actor=staff, user_id=ada.id, identity_check="video call, ID matched")
    with pytest.raises(ValidationFailed):
        two_step.remove_for_person(session, actor=admin, user_id=ada.id, identity_check="  ")
    two_step.remove_for_person(session, actor=admin, user_id=ada.id, identity_check="Video call, passport matched")
    session.commit()
    assert not two_step.status(session, user=ada).enabled
    assert "removed your two-step" in outbox.last("ada@example.com")["Subject"]
    meta = session.execute(
        text("SELECT meta FROM audit_event WHERE action = 'auth.two_step_removed' ORDER BY seq DESC")
    ).scalar_one()
    assert "passport matched" in meta and '"staff"' in meta
    with pytest.raises(Conflict):
        two_step.remove_for_person(session, actor=admin, user_id=ada.id, identity_check="Video call again")


def test_no_secret_or_code_reaches_the_audit_log(session, ada, clock):
    enrolment = two_step.begin_enrolment(session, user=ada, clock=clock)
    app = pyotp.TOTP(enrolment.secret)
    codes = two_step.confirm_enrolment(session, user=ada, code=app.at(clock()), clock=clock)
    due = _login(session, clock)
    _second(session, due.ticket, codes[0], clock)
    session.commit()
    secrets = Secrets()
    secrets.add(enrolment.secret, due.ticket, *codes)
    assert assert_no_secret_in_audit(session, secrets)


def test_the_export_lists_the_methods_never_secrets_and_erasure_removes_them(session, ada, clock):
    from fluxent.services.privacy.erasure import erase_user
    from fluxent.services.privacy.export import export_user_data

    enrolment = two_step.begin_enrolment(session, user=ada, clock=clock)
    codes = two_step.confirm_enrolment(session, user=ada, code=pyotp.TOTP(enrolment.secret).at(clock()), clock=clock)
    _second(session, _login(session, clock).ticket, codes[0], clock)
    session.commit()
    document = export_user_data(session, user=ada)
    [method] = document["two_step_methods"]
    assert method["method"] == "totp" and method["recovery_codes_left"] == 9 and method["last_used_at"] is None
    dumped = str(document)
    assert enrolment.secret not in dumped and not any(code in dumped for code in codes)

    erase_user(session, user=ada, actor=ada)
    session.commit()
    assert session.exec(select(TwoStepMethod)).all() == [] and session.exec(select(RecoveryCode)).all() == []
