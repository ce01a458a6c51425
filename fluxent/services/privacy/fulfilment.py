"""What the privacy desk does for a request, through the same services as self-service.

* Access: the export document of ``export.export_user_data``, delivered by an e-mailed
  link (a one-time token kept as a keyed hash) that works for 72 hours.
* Deletion: ``erasure.erase_user``.
* Correction: ``accounts.profile.update_profile`` for an account; the same fields of
  the person's leads otherwise.
* Restriction: ``restriction.restrict`` (and ``restriction.lift``); objection to marketing: ``newsletter.withdraw``.

A person with no account (a lead, a subscriber, or someone we hold nothing about) is
exported and erased as a stand-in account with id 0, which no row points at: every
section that finds rows by e-mail address finds theirs, the others find nothing.

Administrators only; the subject's identity must be confirmed first
(``requests.released_to_subject``), and each step is audited against the request.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from fluxent.core.clock import Clock, now
from fluxent.core.db import write_soon
from fluxent.core.email import send_after_commit
from fluxent.core.errors import Conflict, NotFound, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.auth import TokenPurpose
from fluxent.models.marketing import Lead
from fluxent.models.privacy import PrivacyRequest, RequestKind, RequestStatus
from fluxent.services.accounts import authz, profile, users
from fluxent.services.audit import trail
from fluxent.services.auth import one_time
from fluxent.services.marketing import leads, newsletter
from fluxent.services.privacy import request_emails, restriction
from fluxent.services.privacy.erasure import ErasureReport, erase_user
from fluxent.services.privacy.export import export_user_data
from fluxent.services.privacy.requests import audit_target, released_to_subject

CORRECTABLE = ("name", "phone", "company", "country")
LINK_GONE = "This download link is not valid or has expired. Ask us for a new one."


def subject_person(session: Session, request: PrivacyRequest) -> User:
    """The subject's account, or a stand-in (id 0, never stored) for a person without one."""
    account = users.user_by_email(session, request.subject_email)
    if account is not None and account.erased_at is None:
        return account
    return User(
        id=0,
        username="",
        email=request.subject_email,
        name=request.subject_name,
        created_at=request.received_at,
        updated_at=request.received_at,
    )


def send_export(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> PrivacyRequest:
    """E-mail the subject a link to their data export (the document is built when it is downloaded)."""
    request = _actionable(session, actor, request_id, RequestKind.ACCESS)
    _, token = one_time.issue_link(
        session,
        purpose=TokenPurpose.PRIVACY_EXPORT,
        email=request.subject_email,
        payload={"request": request.id, "actor": actor.id},
        clock=clock,
    )
    hours = int(one_time.TIME_TO_LIVE[TokenPurpose.PRIVACY_EXPORT].total_seconds() // 3600)
    trail.record(session, "privacy.export_link_sent", actor=actor, target=audit_target(request), clock=clock)
    send_after_commit(session, request_emails.export_link(request.subject_email, request, token, hours=hours))
    return request


def download_export(session: Session, *, token: str, clock: Clock = now) -> dict[str, Any]:
    """The export document behind an e-mailed link, built now; the link works until it expires."""
    row = one_time.find_link(session, purpose=TokenPurpose.PRIVACY_EXPORT, token=token, lock=False, clock=clock)
    payload = one_time.payload_of(row) if row is not None else {}
    request = session.get(PrivacyRequest, payload.get("request", 0))
    admin = session.get(User, payload.get("actor", 0))
    if row is None or request is None or not authz.is_admin(admin):
        raise NotFound(LINK_GONE)
    document = export_user_data(session, user=subject_person(session, request), actor=admin, clock=clock)
    # A GET is a read: the event is appended in a brief write once the read has committed.
    target = audit_target(request)
    write_soon(session, lambda writer: trail.record(writer, "privacy.export_downloaded", target=target, clock=clock))
    return document


def erase(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> ErasureReport:
    request = _actionable(session, actor, request_id, RequestKind.DELETION)
    report = erase_user(session, user=subject_person(session, request), actor=actor, clock=clock)
    trail.record(session, "privacy.request_erased", actor=actor, target=audit_target(request), clock=clock)
    return report


def correct(
    session: Session, *, actor: User | None, request_id: int, changes: dict[str, str], clock: Clock = now
) -> tuple[str, ...]:
    """Apply the corrections the subject asked for; returns the fields that changed."""
    request = _actionable(session, actor, request_id, RequestKind.CORRECTION)
    refused = {
        name: "Only name, phone, company and country are corrected here." for name in changes if name not in CORRECTABLE
    }
    if refused or not changes:
        raise ValidationFailed("Name the fields to correct.", fields=refused or {"changes": "Nothing to correct."})
    person = subject_person(session, request)
    if person.id:
        changed = profile.update_profile(
            session, user=person, changes=changes, current_password=None, clock=clock
        ).changed
    else:
        changed = _correct_leads(session, request.subject_email, changes, clock=clock)
    trail.record(
        session,
        "privacy.request_corrected",
        actor=actor,
        target=audit_target(request),
        meta={"fields": list(changed)},
        clock=clock,
    )
    return tuple(changed)


def _correct_leads(session: Session, email: str, changes: dict[str, str], *, clock: Clock) -> tuple[str, ...]:
    errors = {name: error for name, value in changes.items() if (error := leads.field_error(name, value))}
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", fields=errors)
    rows = session.exec(select(Lead).where(Lead.email == email)).all()
    if not rows:
        raise Conflict("We hold no contact-form messages from this address to correct.")
    changed: set[str] = set()
    for lead in rows:
        for name, value in changes.items():
            if getattr(lead, name) != value.strip():
                setattr(lead, name, value.strip())
                changed.add(name)
        session.add(lead)
    session.flush()
    return tuple(sorted(changed))


def restrict(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> PrivacyRequest:
    request = _actionable(session, actor, request_id, RequestKind.RESTRICTION)
    restriction.restrict(session, email=request.subject_email, request_id=request.id, clock=clock)
    trail.record(session, "privacy.request_restricted", actor=actor, target=audit_target(request), clock=clock)
    return request


def lift_restriction(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> PrivacyRequest:
    """End the restriction the request put in place (the dispute is settled, or the person asks)."""
    request = _actionable(session, actor, request_id, RequestKind.RESTRICTION)
    if restriction.lift(session, email=request.subject_email, clock=clock) is None:
        raise Conflict("This address is not restricted.")
    trail.record(session, "privacy.restriction_lifted", actor=actor, target=audit_target(request), clock=clock)
    return request


def object_to_marketing(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> PrivacyRequest:
    """Unsubscribe the subject and keep their address (as a keyed hash) on the suppression list."""
    request = _actionable(session, actor, request_id, RequestKind.OBJECTION)
    newsletter.withdraw(session, email=request.subject_email, clock=clock)
    trail.record(session, "privacy.request_objected", actor=actor, target=audit_target(request), clock=clock)
    return request


def _actionable(session: Session, actor: User | None, request_id: int, kind: RequestKind) -> PrivacyRequest:
    """The open request, if it (or the decision it appeals) asks for ``kind`` and the subject is confirmed."""
    authz.require_admin(actor)
    request = session.get(PrivacyRequest, request_id)
    if request is None:
        raise NotFound("No such privacy request.")
    if request.status != RequestStatus.OPEN:
        raise Conflict("Only an open request can be acted on.")
    asked = request.kind
    if asked == RequestKind.APPEAL and request.appeal_of_id is not None:
        original = session.get(PrivacyRequest, request.appeal_of_id)
        asked = original.kind if original is not None else asked
    if asked != kind:
        raise Conflict(f"This request does not ask for {kind.value}.")
    if not released_to_subject(request):
        raise Conflict("The subject has not confirmed their identity yet.")
    return request
