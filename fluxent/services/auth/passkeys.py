"""Passkeys (WebAuthn) as the second step of a sign-in, beside the authenticator app.

A passkey is added in two moves on the security page: ``registration_options`` makes
a challenge for the browser, ``add`` checks what the person's device signed and keeps
its public key. Signing in, ``sign_in_options`` makes a challenge bound to the login
ticket and ``pass_second_step`` checks the device's answer.

Each challenge is a one-time token (``auth_one_time_token``: a keyed hash only, a few
minutes to live, used up by the first answer, right or wrong): the challenge bytes the
browser signs are the raw token, so the server keeps nothing it could be replayed with.
A sign-in challenge names its ticket and person; a device counter that did not grow
(a cloned key) is refused. The relying party is ``FLUXENT_WEBAUTHN_RP_ID`` (by default
the host of ``FLUXENT_BASE_URL``) and the expected origin the base URL's.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from sqlmodel import Session, col, select
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url, parse_client_data_json
from webauthn.helpers.exceptions import InvalidJSONStructure, WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotAuthenticated, NotFound, ValidationFailed
from fluxent.core.settings import get_settings
from fluxent.core.tokens import token_hash
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.models.two_step import Passkey
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import one_time, step_up, throttle, two_step
from fluxent.services.auth.two_step import Ticket

RP_NAME = "Fluxent"
MAX_PASSKEYS = 10
NAME_LENGTH = 60
ENTER_NAME = "Name this passkey (for example: work laptop), so you can tell it apart later."
NOT_ACCEPTED = "Your device's answer was not accepted. Try adding the passkey again."
TOO_MANY = f"You have {MAX_PASSKEYS} passkeys already. Remove one first."
NO_SUCH = "No such passkey."
BAD_PASSKEY = "That passkey was not accepted. Try again, or use a code from your authenticator app."

_TRANSPORTS = {transport.value for transport in AuthenticatorTransport}
# Long enough for any credential the browser sends; longer is refused unread.
_MAX_RESPONSE = 16_000


def rp_id() -> str:
    return get_settings().resolved_webauthn_rp_id


def expected_origin() -> str:
    return get_settings().origin


# What a person has -------------------------------------------------------------


def list_for(session: Session, *, user_id: int | None) -> list[Passkey]:
    return list(session.exec(select(Passkey).where(Passkey.user_id == user_id).order_by(col(Passkey.created_at))).all())


def has_passkey(session: Session, user_id: int | None) -> bool:
    return session.exec(select(Passkey.id).where(Passkey.user_id == user_id)).first() is not None


# Adding and removing -----------------------------------------------------------


def registration_options(session: Session, *, user: User, clock: Clock = now) -> dict[str, Any]:
    """What the browser's ``startRegistration`` needs (JSON-ready); its challenge lives a few minutes."""
    existing = list_for(session, user_id=user.id)
    if len(existing) >= MAX_PASSKEYS:
        raise ValidationFailed(TOO_MANY)
    _row, raw = one_time.issue_link(
        session, purpose=TokenPurpose.PASSKEY_REGISTRATION, email=user.email, user_id=user.id, clock=clock
    )
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_name=user.email,
        user_id=_user_handle(user),
        user_display_name=user.name or user.email,
        challenge=raw.encode(),
        exclude_credentials=[_descriptor(passkey) for passkey in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return json.loads(options_to_json(options))


def add(
    session: Session,
    *,
    user: User,
    name: str,
    response: str | dict[str, Any],
    ip: str = "",
    user_agent: str = "",
    clock: Clock = now,
) -> Passkey:
    """Keep the passkey the person's device just made, when it signed this person's live challenge.

    A refused answer counts against the account's sign-in throttle and is audited.
    """
    cleaned = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if not cleaned or len(cleaned) > NAME_LENGTH or any(unicodedata.category(c) == "Cc" for c in cleaned):
        raise ValidationFailed(ENTER_NAME, fields={"name": ENTER_NAME})
    budget = throttle.for_account(user.id)
    throttle.check(session, budget, clock=clock)
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    credential = _credential(response)
    challenge = _challenge_of(credential, TokenPurpose.PASSKEY_REGISTRATION, session, clock)
    verified = None
    if challenge is not None and challenge.user_id == user.id:
        try:
            verified = verify_registration_response(
                credential=credential,
                expected_challenge=_raw_challenge(credential),
                expected_rp_id=rp_id(),
                expected_origin=expected_origin(),
            )
        except (WebAuthnException, InvalidJSONStructure, ValueError, KeyError, TypeError):
            verified = None
    if verified is None:
        throttle.record(session, *budget, clock=clock)
        trail.record(session, "auth.passkey_failed", actor=user, target=user, meta={"step": "registration"}, pii=pii)
        session.commit()
        raise ValidationFailed(NOT_ACCEPTED)
    credential_id = bytes_to_base64url(verified.credential_id)
    if session.exec(select(Passkey.id).where(Passkey.credential_id == credential_id)).first() is not None:
        raise ValidationFailed("This passkey is already added.")
    transports = (credential.get("response") or {}).get("transports") or []
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=bytes_to_base64url(verified.credential_public_key),
        sign_count=verified.sign_count,
        transports=",".join(t for t in transports if t in _TRANSPORTS)[:100],
        name=cleaned,
        created_at=clock(),
    )
    session.add(passkey)
    session.flush()
    trail.record(session, "auth.passkey_added", actor=user, target=user, meta={"passkey_id": passkey.id}, pii=pii)
    return passkey


def remove(
    session: Session,
    *,
    user: User,
    passkey_id: int,
    auth_session: AuthSession,
    password: str | None = None,
    ip: str = "",
    user_agent: str = "",
    clock: Clock = now,
) -> None:
    """Remove one of the person's passkeys; needs a recent step-up (or the password now)."""
    pii = Personal(ip=ip, user_agent=user_agent, email=user.email)
    passkey = session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        raise NotFound(NO_SUCH)
    if not step_up.is_recent(auth_session, clock=clock):
        if not password:
            step_up.require_recent(auth_session, clock=clock)
        step_up.reauthenticate(
            session, user=user, auth_session=auth_session, password=password, code=None, pii=pii, clock=clock
        )
        passkey = session.get(Passkey, passkey_id)
        if passkey is None:
            raise NotFound(NO_SUCH)
    session.delete(passkey)
    session.flush()
    trail.record(session, "auth.passkey_removed", actor=user, target=user, meta={"passkey_id": passkey_id}, pii=pii)


# The second step of a sign-in --------------------------------------------------


def sign_in_options(session: Session, *, ticket: Ticket, clock: Clock = now) -> dict[str, Any]:
    """What the browser's ``startAuthentication`` needs for this login ticket's person (JSON-ready)."""
    user = ticket.user
    passkeys = list_for(session, user_id=user.id)
    if not passkeys or ticket.enrol:
        raise NotFound("There is no passkey to use for this sign-in.")
    _row, raw = one_time.issue_link(
        session,
        purpose=TokenPurpose.PASSKEY_SIGN_IN,
        email=user.email,
        user_id=user.id,
        payload={"ticket_id": ticket.row.id},
        clock=clock,
    )
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=raw.encode(),
        allow_credentials=[_descriptor(passkey) for passkey in passkeys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return json.loads(options_to_json(options))


def sign_in_options_for(session: Session, *, token: str, clock: Clock = now) -> dict[str, Any]:
    """``sign_in_options`` for the raw login ticket ``token``; NotAuthenticated when it is not live."""
    ticket = two_step.open_ticket(session, token, clock=clock)
    if ticket is None:
        raise NotAuthenticated("This sign-in has expired or was already finished. Sign in again.")
    return sign_in_options(session, ticket=ticket, clock=clock)


def pass_second_step(
    session: Session, ticket: Ticket, response: str | dict[str, Any], *, clock: Clock = now
) -> Passkey | None:
    """The person's passkey that answered this ticket's live challenge, or None (a miss counts against the ticket)."""
    passkey = _check_assertion(session, ticket, response, clock)
    one_time.settle_answer(session, ticket.row, passed=passkey is not None, clock=clock)
    if passkey is not None:
        trail.record(
            session, "auth.passkey_used", actor=ticket.user, target=ticket.user, meta={"passkey_id": passkey.id}
        )
    session.flush()
    return passkey


# Internals ---------------------------------------------------------------------


def _check_assertion(session: Session, ticket: Ticket, response: str | dict[str, Any], clock: Clock) -> Passkey | None:
    user = ticket.user
    credential = _credential(response)
    challenge = _challenge_of(credential, TokenPurpose.PASSKEY_SIGN_IN, session, clock)
    if challenge is None or challenge.user_id != user.id:
        return None
    if one_time.payload_of(challenge).get("ticket_id") != ticket.row.id:
        return None
    credential_id = str(credential.get("rawId") or credential.get("id") or "")
    passkey = session.exec(
        select(Passkey).where(Passkey.credential_id == credential_id, Passkey.user_id == user.id)
    ).first()
    if passkey is None:
        return None
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=_raw_challenge(credential),
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            credential_public_key=base64url_to_bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, InvalidJSONStructure, ValueError, KeyError, TypeError):
        return None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = clock()
    session.add(passkey)
    return passkey


def _credential(response: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(response, str):
        if len(response) > _MAX_RESPONSE:
            return {}
        try:
            response = json.loads(response)
        except ValueError:
            return {}
    return response if isinstance(response, dict) else {}


def _raw_challenge(credential: dict[str, Any]) -> bytes:
    client_data = base64url_to_bytes(str((credential.get("response") or {}).get("clientDataJSON", "")))
    return parse_client_data_json(client_data).challenge


def _challenge_of(
    credential: dict[str, Any], purpose: TokenPurpose, session: Session, clock: Clock
) -> OneTimeToken | None:
    """The live challenge the answer signed, used up now (a second answer to it is refused)."""
    try:
        token = _raw_challenge(credential).decode("ascii")
    except (WebAuthnException, InvalidJSONStructure, ValueError, KeyError, TypeError, AttributeError):
        return None
    row = one_time.find_link(session, purpose=purpose, token=token, clock=clock)
    if row is not None:
        one_time.mark_used(session, row, clock=clock)
    return row


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in passkey.transports.split(",") if t in _TRANSPORTS]
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(passkey.credential_id), transports=transports or None)


def _user_handle(user: User) -> bytes:
    """An opaque, stable handle for the person (WebAuthn asks for no personal data here)."""
    return token_hash(str(user.id), purpose="passkey.user_handle")[:32].encode()
