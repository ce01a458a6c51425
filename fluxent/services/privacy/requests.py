"""Privacy rights requests (policy sections 6, 7 and 11): intake, identity, the clock, closing, appeals.

* The public form (``submit``) stores an *unconfirmed* request and e-mails a six-digit
  code to the requester; ``confirm_code`` with it opens the request. When an authorized
  agent asks, the subject then gets a code of their own: nothing about them is released
  or changed until they confirm it too (``subject_verified_at``). A parent reporting a
  child's data confirms their own address only; the request is a deletion.
* Staff log requests that arrive by e-mail (``log_request``) and may send the subject a
  code (``send_subject_code``).
* The clock: due 45 days after receipt (an appeal: 60), one extension of 45 days while
  the first period runs, with a notice to the requester (``extend``).
* Closing records the outcome and answers the requester (``close``). An appeal is
  decided by an administrator other than the one who decided the original.

What the desk does to the subject's data lives in ``fulfilment``; every step is audited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from fluxent.core.clock import Clock, now
from fluxent.core.email import send_after_commit
from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import TokenPurpose
from fluxent.models.privacy import PrivacyRequest, RequestKind, RequestOutcome, RequestStatus
from fluxent.services.accounts import authz, users
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import one_time, throttle
from fluxent.services.marketing import spam
from fluxent.services.marketing.leads import normalize_email, validate_email
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate, search_needle
from fluxent.services.privacy import request_emails

ANSWER_WITHIN = timedelta(days=45)
APPEAL_ANSWER_WITHIN = timedelta(days=60)
EXTENSION = timedelta(days=45)
DUE_SOON = timedelta(days=7)
# Requests sent from one IP address: a person needs one or two.
REQUEST_IP = throttle.Policy(
    "privacy-ip",
    free=5,
    window=timedelta(hours=1),
    first_lock=timedelta(minutes=5),
    max_lock=timedelta(hours=1),
)
KIND_LABELS = {
    RequestKind.ACCESS: "Get a copy of my data",
    RequestKind.DELETION: "Delete my data",
    RequestKind.CORRECTION: "Correct my data",
    RequestKind.RESTRICTION: "Restrict how my data is used",
    RequestKind.OBJECTION: "Object to marketing (opt out)",
    RequestKind.APPEAL: "Appeal a decision",
}
LIMITS = {"name": 200, "details": 5000, "agent_authority": 5000, "reason": 1000, "note": 5000}
BAD_CODE = "That code is incorrect or has expired. Ask for a new one."
NOT_FOUND = "No such privacy request."


@dataclass
class RequestForm:
    """What the public form (or staff logging a request) says, before validation.

    ``appeal_of`` is the reference of the decision appealed ("PR-12" or "12").
    """

    kind: str = ""
    email: str = ""
    name: str = ""
    details: str = ""
    child: bool = False
    agent: bool = False
    agent_name: str = ""
    agent_email: str = ""
    agent_authority: str = ""
    appeal_of: str = ""
    honeypot: str = ""
    stamp: str = ""


# Intake ---------------------------------------------------------------------------


def submit(session: Session, form: RequestForm, *, ip: str, clock: Clock = now) -> PrivacyRequest | None:
    """Store an unconfirmed request and e-mail the requester a code; None (nothing stored) for a robot.

    Refused forms store nothing and do not count against the IP address; accepted ones and robots do.
    """
    spam.refuse_if_locked(session, REQUEST_IP, ip, clock=clock)
    if spam.is_bot(form.honeypot):
        spam.count(session, REQUEST_IP, ip, clock=clock)
        return None
    spam.check_stamp(form.stamp, clock=clock)
    request = _validated(session, form, clock=clock)
    requester = requester_email(request)
    spam.refuse_if_locked(session, throttle.MAIL_ADDRESS, requester, clock=clock)
    spam.count(session, REQUEST_IP, ip, clock=clock)
    spam.count(session, throttle.MAIL_ADDRESS, requester, clock=clock)
    request.status = RequestStatus.UNCONFIRMED
    session.add(request)
    session.flush()
    trail.record(
        session,
        "privacy.request_received",
        target=audit_target(request),
        meta={"kind": str(request.kind), "agent": bool(request.agent_email), "child": request.child},
        pii=Personal(ip=ip or None, email=requester),
        clock=clock,
    )
    _send_code(session, request, requester, for_subject=False, clock=clock)
    session.commit()
    return request


def log_request(session: Session, form: RequestForm, *, actor: User | None, clock: Clock = now) -> PrivacyRequest:
    """Staff enter a request that arrived by e-mail or post: open at once, its clock running from now.
    The subject's identity is still to be confirmed (``send_subject_code``)."""
    authz.require_staff(actor)
    request = _validated(session, form, clock=clock)
    request.created_by_id = actor.id
    request.requester_verified_at = clock()
    session.add(request)
    session.flush()
    trail.record(
        session,
        "privacy.request_logged",
        actor=actor,
        target=audit_target(request),
        meta={"kind": str(request.kind), "agent": bool(request.agent_email), "child": request.child},
        clock=clock,
    )
    return request


def _validated(session: Session, form: RequestForm, *, clock: Clock) -> PrivacyRequest:
    errors: dict[str, str] = {}
    try:
        kind = RequestKind(form.kind)
    except ValueError:
        kind = None
        errors["kind"] = "Choose what you would like us to do."
    if email_error := validate_email(form.email):
        errors["email"] = email_error
    for name, value, multiline in (
        ("name", form.name, False),
        ("details", form.details, True),
        ("agent_name", form.agent_name, False),
        ("agent_authority", form.agent_authority, True),
    ):
        if problem := text_problem(value or "", multiline=multiline):
            errors[name] = problem
        elif len((value or "").strip()) > LIMITS.get(name, LIMITS["name"]):
            errors[name] = f"Keep this under {LIMITS.get(name, LIMITS['name'])} characters."
    if kind == RequestKind.CORRECTION and not (form.details or "").strip():
        errors["details"] = "Tell us what is wrong and what it should say."
    if form.child and kind not in (None, RequestKind.DELETION):
        errors["child"] = "A child's data can only be deleted: choose “Delete my data”."
    if form.agent or form.child:
        who = "your (the parent's or guardian's)" if form.child else "your (the agent's)"
        if not (form.agent_name or "").strip() and "agent_name" not in errors:
            errors["agent_name"] = f"Enter {who} name."
        if agent_error := validate_email(form.agent_email):
            errors["agent_email"] = agent_error
        if form.agent and not form.child and not (form.agent_authority or "").strip():
            errors.setdefault("agent_authority", "Describe your authority to act (e.g. a signed permission).")
    original = None
    if kind == RequestKind.APPEAL:
        original = _appealable(session, form.appeal_of, form.email, errors)
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", fields=errors)
    subject = normalize_email(form.email)
    account = users.user_by_email(session, subject)
    received = clock()
    acting = form.agent or form.child
    return PrivacyRequest(
        kind=kind,
        status=RequestStatus.OPEN,
        subject_email=subject,
        subject_name=(form.name or "").strip(),
        user_id=account.id if account is not None and account.erased_at is None else None,
        details=(form.details or "").strip(),
        child=form.child,
        agent_name=(form.agent_name or "").strip() if acting else "",
        agent_email=normalize_email(form.agent_email) if acting else "",
        agent_authority=(form.agent_authority or "").strip() if acting else "",
        received_at=received,
        due_at=received + (APPEAL_ANSWER_WITHIN if original is not None else ANSWER_WITHIN),
        appeal_of_id=original.id if original is not None else None,
    )


def _appealable(session: Session, reference: str, email: str, errors: dict[str, str]) -> PrivacyRequest | None:
    """The closed request (of the same address) an appeal names; an error in ``errors`` otherwise."""
    digits = (reference or "").strip().upper().removeprefix("PR-")
    original = session.get(PrivacyRequest, int(digits)) if digits.isdigit() and len(digits) < 10 else None
    if original is None or original.subject_email != normalize_email(email) or original.kind == RequestKind.APPEAL:
        errors["appeal_of"] = "Enter the reference of our answer (PR-…) sent to this address."
        return None
    if original.status != RequestStatus.CLOSED:
        errors["appeal_of"] = "That request is still open: you can appeal once we have answered it."
        return None
    return original


def audit_target(request: PrivacyRequest) -> tuple[str, object]:
    return ("privacy_request", request.id)


def requester_email(request: PrivacyRequest) -> str:
    """Who asked: the agent or parent when there is one, otherwise the subject."""
    return request.agent_email or request.subject_email


# Identity --------------------------------------------------------------------------


def confirm_code(
    session: Session, *, request_id: int, email: str, code: str, ip: str = "", clock: Clock = now
) -> PrivacyRequest:
    """Confirm the requester's or the subject's address with the code e-mailed to it.

    A wrong code counts against the code (five burn it) and raises ValidationFailed.
    """
    if ip:
        throttle.check(session, (throttle.IP, ip), clock=clock)
    request = session.get(PrivacyRequest, request_id)
    address = normalize_email(email)
    # The code proves control of an address; it confirms only what that address is part of.
    involved = request is not None and address in (requester_email(request), request.subject_email)
    row = (
        one_time.redeem_code(session, email=address, code=code, purpose=TokenPurpose.PRIVACY_CODE, clock=clock)
        if involved
        else None
    )
    if row is None or request is None:
        if ip:
            throttle.record(session, throttle.IP, ip, clock=clock)
        session.commit()
        raise ValidationFailed(BAD_CODE, fields={"code": BAD_CODE})
    moment = clock()
    pii = Personal(ip=ip or None, email=address)
    if request.status == RequestStatus.UNCONFIRMED and address == requester_email(request):
        request.status = RequestStatus.OPEN
        request.requester_verified_at = moment
        if not request.agent_email:
            request.subject_verified_at = moment
        trail.record(session, "privacy.request_confirmed", target=audit_target(request), pii=pii, clock=clock)
        if request.agent_email and not request.child:
            _send_code(session, request, request.subject_email, for_subject=True, clock=clock)
    elif address == request.subject_email and request.subject_verified_at is None:
        request.subject_verified_at = moment
        trail.record(session, "privacy.subject_verified", target=audit_target(request), pii=pii, clock=clock)
    session.add(request)
    session.commit()
    return request


def send_subject_code(session: Session, *, actor: User | None, request_id: int, clock: Clock = now) -> PrivacyRequest:
    """Staff ask the subject to confirm their identity: a code to the subject's address."""
    request = request_for_staff(session, actor=actor, request_id=request_id)
    _refuse_closed(request)
    if request.subject_verified_at is not None:
        raise Conflict("The subject's identity is already confirmed.")
    spam.count(session, throttle.MAIL_ADDRESS, request.subject_email, clock=clock)
    _send_code(session, request, request.subject_email, for_subject=True, clock=clock)
    trail.record(session, "privacy.subject_code_sent", actor=actor, target=audit_target(request), clock=clock)
    return request


def _send_code(session: Session, request: PrivacyRequest, to: str, *, for_subject: bool, clock: Clock) -> None:
    issued = one_time.issue_code(
        session,
        email=to,
        user_id=None,
        purpose=TokenPurpose.PRIVACY_CODE,
        payload={"request": request.id},
        clock=clock,
    )
    if issued.code is None:
        raise ValidationFailed("Too many wrong codes for this address. Try again later.")
    minutes = int(one_time.TIME_TO_LIVE[TokenPurpose.PRIVACY_CODE].total_seconds() // 60)
    send_after_commit(
        session,
        request_emails.confirmation_code(to, request, issued.code, minutes=minutes, for_subject=for_subject),
    )


def released_to_subject(request: PrivacyRequest) -> bool:
    """May the subject's data be released or changed? Their own confirmed code says so; a parent's
    report of a child's data needs the parent's confirmed address only (it can only delete)."""
    if request.child:
        return request.requester_verified_at is not None
    return request.subject_verified_at is not None


def verification_status(request: PrivacyRequest) -> str:
    if request.status == RequestStatus.UNCONFIRMED:
        return "waiting for the requester's code"
    if released_to_subject(request):
        return "identity confirmed"
    return "waiting for the subject's code"


# The clock -------------------------------------------------------------------------


def clock_state(request: PrivacyRequest, *, clock: Clock = now) -> str:
    """``closed``, ``overdue``, ``due_soon`` (under 7 days left) or ``on_time``."""
    if request.status == RequestStatus.CLOSED:
        return "closed"
    left = request.due_at - clock()
    if left < timedelta(0):
        return "overdue"
    return "due_soon" if left < DUE_SOON else "on_time"


def days_left(request: PrivacyRequest, *, clock: Clock = now) -> int:
    """Whole days until the due date, a part day counting as one (negative: days overdue)."""
    return math.ceil((request.due_at - clock()).total_seconds() / 86400)


def extend(session: Session, *, actor: User | None, request_id: int, reason: str, clock: Clock = now) -> PrivacyRequest:
    """The one 45-day extension, taken while the first period runs; the requester is told why."""
    request = request_for_staff(session, actor=actor, request_id=request_id)
    _refuse_closed(request)
    cleaned = _note(reason, "reason", required="Say why more time is needed (the requester is told).")
    if request.extended_at is not None:
        raise Conflict("This request has already been extended once; the law allows one extension.")
    if request.due_at < clock():
        raise Conflict("The answer is already overdue: an extension must be taken before the due date.")
    request.due_at += EXTENSION
    request.extended_at = clock()
    request.extension_reason = cleaned
    session.add(request)
    session.flush()
    trail.record(
        session,
        "privacy.request_extended",
        actor=actor,
        target=audit_target(request),
        meta={"due": request.due_at.date().isoformat()},
        clock=clock,
    )
    send_after_commit(session, request_emails.extension_notice(requester_email(request), request))
    return request


# Staff -----------------------------------------------------------------------------


def request_for_staff(session: Session, *, actor: User | None, request_id: int) -> PrivacyRequest:
    authz.require_staff(actor)
    request = session.get(PrivacyRequest, request_id)
    if request is None:
        raise NotFound(NOT_FOUND)
    return request


# Retention: a request whose requester never typed the code goes a day after it was sent
# (the code itself lasts minutes).
UNCONFIRMED_KEPT = timedelta(days=1)


def _unconfirmed_before(moment: datetime):
    return (
        PrivacyRequest.status == RequestStatus.UNCONFIRMED,
        col(PrivacyRequest.received_at) < moment - UNCONFIRMED_KEPT,
    )


def count_unconfirmed(session: Session, *, moment: datetime) -> int:
    return session.exec(select(func.count()).select_from(PrivacyRequest).where(*_unconfirmed_before(moment))).one()


def purge_unconfirmed(session: Session, *, moment: datetime, limit: int) -> int:
    """Delete up to ``limit`` requests never confirmed within a day; how many."""
    batch = select(PrivacyRequest.id).where(*_unconfirmed_before(moment)).limit(limit)
    return session.execute(delete(PrivacyRequest).where(col(PrivacyRequest.id).in_(batch))).rowcount or 0


def requests_of(session: Session, *, user: User) -> list[PrivacyRequest]:
    """The confirmed requests about ``user`` (by account or by their address), newest first: what
    the privacy centre lists with their status."""
    statement = (
        select(PrivacyRequest)
        .where(
            (PrivacyRequest.user_id == user.id) | (PrivacyRequest.subject_email == normalize_email(user.email)),
            PrivacyRequest.status != RequestStatus.UNCONFIRMED,
        )
        .order_by(col(PrivacyRequest.received_at).desc(), col(PrivacyRequest.id).desc())
    )
    return list(session.exec(statement))


def queue(
    session: Session,
    *,
    actor: User | None,
    status: RequestStatus | str | None = None,
    query: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[PrivacyRequest]:
    """Requests, soonest due first (closed ones: most recently closed first). Unconfirmed ones
    show only when asked for: until the requester confirms, nobody is waiting for an answer.
    ``query``: found in the subject's e-mail address or name (``%`` and ``_`` as plain text)."""
    authz.require_staff(actor)
    try:
        wanted = RequestStatus(status) if status else None
    except ValueError:
        raise ValidationFailed("Unknown status.", fields={"status": "open, closed or unconfirmed"}) from None
    statement = select(PrivacyRequest)
    if wanted is None:
        statement = statement.where(PrivacyRequest.status != RequestStatus.UNCONFIRMED)
    else:
        statement = statement.where(PrivacyRequest.status == wanted)
    if needle := search_needle(query):
        statement = statement.where(
            func.lower(PrivacyRequest.subject_email).contains(needle, autoescape=True)
            | func.lower(PrivacyRequest.subject_name).contains(needle, autoescape=True)
        )
    statement = statement.order_by(
        (PrivacyRequest.status == RequestStatus.CLOSED).asc(),
        col(PrivacyRequest.due_at).asc(),
        col(PrivacyRequest.id).asc(),
    )
    return paginate(session, statement, page=page, page_size=page_size)


def update(
    session: Session, *, actor: User | None, request_id: int, changes: dict[str, str], clock: Clock = now
) -> PrivacyRequest:
    """Staff change the subject's name, the request's details or the staff note; nothing once closed."""
    request = request_for_staff(session, actor=actor, request_id=request_id)
    _refuse_closed(request)
    allowed = {"subject_name": ("name", False), "details": ("details", True), "staff_note": ("note", True)}
    refused = {name: "This field can't be changed." for name in changes if name not in allowed}
    if refused:
        raise ValidationFailed("Some fields can't be changed.", fields=refused)
    cleaned = {}
    for name, value in changes.items():
        limit_key, multiline = allowed[name]
        cleaned[name] = _note(value, limit_key, multiline=multiline, field=name)
    changed = [name for name, value in cleaned.items() if getattr(request, name) != value]
    for name in changed:
        setattr(request, name, cleaned[name])
    if changed:
        session.add(request)
        session.flush()
        trail.record(
            session,
            "privacy.request_updated",
            actor=actor,
            target=audit_target(request),
            meta={"fields": changed},
            clock=clock,
        )
    return request


def close(
    session: Session, *, actor: User | None, request_id: int, outcome: str, note: str = "", clock: Clock = now
) -> PrivacyRequest:
    """Record the outcome and answer the requester. Administrators only; an appeal by another
    administrator than the one who decided the original. A denial needs a reason."""
    authz.require_admin(actor)
    request = request_for_staff(session, actor=actor, request_id=request_id)
    _refuse_closed(request)
    if request.status == RequestStatus.UNCONFIRMED:
        raise Conflict("The requester has not confirmed this request yet.")
    try:
        result = RequestOutcome(outcome)
    except ValueError:
        raise ValidationFailed("Choose an outcome.", fields={"outcome": "Choose an outcome."}) from None
    needs_reason = "Say why (the requester is told)." if result != RequestOutcome.FULFILLED else None
    cleaned = _note(note, "note", multiline=True, required=needs_reason, field="note")
    if request.appeal_of_id is not None:
        original = session.get(PrivacyRequest, request.appeal_of_id)
        if original is not None and original.decided_by_id == actor.id:
            raise PermissionDenied(
                "An appeal is decided by an administrator other than the one who decided the request."
            )
    request.status = RequestStatus.CLOSED
    request.outcome = result
    request.outcome_note = cleaned
    request.closed_at = clock()
    request.decided_by_id = actor.id
    session.add(request)
    session.flush()
    trail.record(
        session,
        "privacy.request_closed",
        actor=actor,
        target=audit_target(request),
        meta={"outcome": str(result), "late": request.closed_at > request.due_at},
        clock=clock,
    )
    send_after_commit(session, request_emails.closing_answer(requester_email(request), request))
    return request


@dataclass(frozen=True)
class Step:
    """One audited step of a request, for the desk."""

    at: datetime
    action: str
    actor: str


def steps_of(session: Session, *, actor: User | None, request_id: int) -> list[Step]:
    """The request's audit trail, oldest first."""
    request = request_for_staff(session, actor=actor, request_id=request_id)
    rows = session.execute(
        select(AuditEvent.created_at, AuditEvent.action, User.name, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.target_type == "privacy_request", AuditEvent.target_id == str(request.id))
        .order_by(col(AuditEvent.seq).asc())
    ).all()
    return [Step(at, action, name or email or "requester") for at, action, name, email in rows]


def _refuse_closed(request: PrivacyRequest) -> None:
    if request.status == RequestStatus.CLOSED:
        raise Conflict("This request is closed.")


def _note(
    value: str, limit_key: str, *, multiline: bool = False, required: str | None = None, field: str | None = None
) -> str:
    name = field or limit_key
    text = (value or "").strip()
    if problem := text_problem(text, multiline=multiline):
        raise ValidationFailed(problem, fields={name: problem})
    if len(text) > LIMITS[limit_key]:
        message = f"Keep this under {LIMITS[limit_key]} characters."
        raise ValidationFailed(message, fields={name: message})
    if required and not text:
        raise ValidationFailed(required, fields={name: required})
    return text
