"""The signer's side: the e-mailed link, the e-mailed code, ESIGN consent, filling one's
own fields, adopting a signature, signing with intent, or declining.

The link alone shows nothing: it names a signer, and the page then asks for a
six-digit code e-mailed to that signer's address (one-time, hashed, ten minutes),
unless the browser is signed in to the portal as that address. Proving either
yields an :class:`Access`, which the door keeps on the server side and passes to
every later step; each step finds the signer again from the link, so a link that
was replaced, used up or ended stops working at once. Finding it is one query, made
once per transaction: the steps of one event reuse it, checked again each time. A
signer only ever sees and fills their own fields: any other field id is NotFound.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Organization, User
from fluxent.models.auth import TokenPurpose
from fluxent.models.esign import (
    Envelope,
    EnvelopeField,
    EnvelopeSigner,
    EnvelopeStatus,
    FieldKind,
    SignerStatus,
)
from fluxent.services.accounts.users import normalize_email
from fluxent.services.audit import trail
from fluxent.services.audit.trail import Personal
from fluxent.services.auth import one_time, throttle
from fluxent.services.esign import emails, envelopes, pdf
from fluxent.services.portal.engagements import clean_line

CONSENT_VERSION = "2026-12"
# The ESIGN Act consumer disclosure (15 U.S.C. 7001(c)), shown before the document.
DISCLOSURE: tuple[tuple[str, str], ...] = (
    (
        "Electronic records and signatures",
        "You agree to receive this document, the notices about it and the signed copy electronically, and "
        "to sign it electronically. Your electronic signature has the same effect as a handwritten one.",
    ),
    (
        "Your right to paper",
        "You may ask for a paper copy of the document and of anything we sent you electronically about it, "
        "free of charge: write to support@fluxent.tech with the document's title.",
    ),
    (
        "Withdrawing consent",
        "You may withdraw your consent to do business electronically at any time before you sign, by "
        "declining on this page or by writing to support@fluxent.tech. Withdrawing does not undo "
        "anything already signed; we then arrange a paper signature.",
    ),
    (
        "What you need",
        "A current web browser with JavaScript and cookies enabled, an e-mail address you can read, and a "
        "way to open or print PDF files. We will tell you if these needs change.",
    ),
)
VERIFIED_BY_CODE = "email_code"
VERIFIED_BY_SESSION = "portal_session"
METHOD_LABELS = {VERIFIED_BY_CODE: "Code e-mailed to the signer", VERIFIED_BY_SESSION: "Signed-in portal account"}
MAX_TEXT = 200
MAX_INITIALS = 8
MAX_TYPED_SIGNATURE = 100
MAX_REASON = 2000
# ``session.info`` key: the signers this transaction found by link (see ``_turn``).
_FOUND_BY_LINK = "esign.found_by_link"
# Built once, like the session lookup (``auth.sessions``): building it costs more than running it.
_BY_LINK = (
    select(EnvelopeSigner, Envelope)
    .join(Envelope, Envelope.id == EnvelopeSigner.envelope_id)
    .where(EnvelopeSigner.link_hash == bindparam("key"))
)


@dataclass(frozen=True)
class Requester:
    """The browser taking a step: evidence kept on the signer's row and in the audit log."""

    ip: str
    user_agent: str


@dataclass(frozen=True)
class Access:
    """Proof that the holder of a link also read the code (or is signed in as the signer)."""

    token: str
    method: str


@dataclass(frozen=True)
class FieldView:
    id: int
    kind: str
    page: int
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    required: bool


@dataclass(frozen=True)
class SigningView:
    envelope_id: int
    title: str
    organization: str
    message: str
    page_count: int
    signer_name: str
    signer_email: str
    consented: bool
    signature_kind: str
    signature_text: str
    signature_image: str
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class Finished:
    envelope_id: int
    everyone_signed: bool


# The link and the code -------------------------------------------------------------


def open_link(session: Session, *, token: str, clock: Clock = now) -> EnvelopeSigner:
    """The signer the link names, while their turn is open; NotFound for anything else."""
    return _turn(session, token, clock)[0]


def check_turn(signer: EnvelopeSigner | None, envelope: Envelope | None, *, clock: Clock = now) -> None:
    """NotFound unless it is ``signer``'s turn on ``envelope`` (Conflict once it has expired)."""
    if signer is None or envelope is None or signer.status != SignerStatus.INVITED:
        raise NotFound("This signing link is not valid (it may have been replaced by a newer one).")
    if envelope.status != EnvelopeStatus.SENT or signer.envelope_id != envelope.id:
        raise NotFound("This signing link is not valid any more.")
    if envelope.expires_at <= clock():
        raise Conflict("This signature request has expired. Ask Fluxent to send it again.")


def consented_signer(session: Session, *, access: Access, clock: Clock = now) -> tuple[EnvelopeSigner, Envelope]:
    """The signer behind ``access`` and their envelope, once the ESIGN disclosure is accepted."""
    signer, envelope = _signer_for(session, access, clock)
    if signer.consented_at is None:
        raise Conflict("Accept the disclosure on electronic records and signatures first.")
    return signer, envelope


def request_code(session: Session, *, token: str, requester: Requester, clock: Clock = now) -> int:
    """E-mail a code to the link's signer; returns the minutes it lasts."""
    signer = open_link(session, token=token, clock=clock)
    envelope = session.get(Envelope, signer.envelope_id)
    checks = ((throttle.MAIL_ADDRESS, signer.email), (throttle.MAIL_IP, requester.ip))
    throttle.check(session, *checks, clock=clock)
    for policy, value in checks:
        throttle.record(session, policy, value, clock=clock)
    issued = one_time.issue_code(
        session,
        email=signer.email,
        user_id=signer.user_id,
        purpose=TokenPurpose.ESIGN_CODE,
        payload={"signer": signer.id},
        clock=clock,
    )
    if issued.code is None:
        wait = max(1, int(((issued.blocked_until or clock()) - clock()).total_seconds()))
        raise RateLimited("Too many wrong codes. Ask for a new one in a few minutes.", retry_after=wait)
    minutes = int(one_time.TIME_TO_LIVE[TokenPurpose.ESIGN_CODE].total_seconds() // 60)
    emails.code(session, signer.email, issued.code, title=envelope.title, minutes=minutes)
    trail.record(
        session,
        "esign.code_sent",
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id},
        pii=_pii(requester, signer),
        clock=clock,
    )
    return minutes


def verify_code(session: Session, *, token: str, code: str, requester: Requester, clock: Clock = now) -> Access:
    """The code from the e-mail opens the document to this browser. Five wrong codes use it up."""
    signer = open_link(session, token=token, clock=clock)
    throttle.check(session, (throttle.IP, requester.ip), clock=clock)
    row = one_time.redeem_code(session, email=signer.email, code=code, purpose=TokenPurpose.ESIGN_CODE, clock=clock)
    if row is None or one_time.payload_of(row).get("signer") != signer.id:
        throttle.record(session, throttle.IP, requester.ip, clock=clock)
        message = "That code is not right, or it has expired. Ask for a new one."
        raise ValidationFailed(message, fields={"code": message})
    _viewed(session, signer, VERIFIED_BY_CODE, requester, clock)
    return Access(token=token, method=VERIFIED_BY_CODE)


def verify_session(
    session: Session, *, token: str, user: User | None, requester: Requester, clock: Clock = now
) -> Access:
    """A browser signed in to the portal as the signer's address needs no code."""
    signer = open_link(session, token=token, clock=clock)
    if user is None or not user.is_active or normalize_email(user.email) != signer.email:
        raise PermissionDenied("Enter the code we e-mail you to open this document.")
    _viewed(session, signer, VERIFIED_BY_SESSION, requester, clock)
    return Access(token=token, method=VERIFIED_BY_SESSION)


# What the signer sees and does ------------------------------------------------------


def view(session: Session, *, access: Access, clock: Clock = now) -> SigningView:
    """The document's details and the signer's own fields (never anyone else's)."""
    signer, envelope = _signer_for(session, access, clock)
    organization = session.get(Organization, envelope.organization_id)
    return SigningView(
        envelope_id=envelope.id,
        title=envelope.title,
        organization=organization.name if organization else "",
        message=envelope.message,
        page_count=envelope.page_count,
        signer_name=signer.name,
        signer_email=signer.email,
        consented=signer.consented_at is not None,
        signature_kind=signer.signature_kind,
        signature_text=signer.signature_text,
        signature_image=signer.signature_image,
        fields=tuple(_field_view(field) for field in envelopes.fields_of(session, envelope.id, signer_id=signer.id)),
    )


def consent(session: Session, *, access: Access, requester: Requester, clock: Clock = now) -> None:
    """Record acceptance of the ESIGN disclosure: its version, the time, IP address and user agent."""
    signer, envelope = _signer_for(session, access, clock)
    moment = clock()
    signer.consent_version, signer.consented_at = CONSENT_VERSION, moment
    signer.consent_ip, signer.consent_user_agent = requester.ip[:45], requester.user_agent[:300]
    signer.verified_by = access.method
    session.add(signer)
    session.flush()
    trail.record(
        session,
        "esign.consented",
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id, "version": CONSENT_VERSION},
        pii=_pii(requester, signer),
        clock=clock,
    )


def fill_field(
    session: Session, *, access: Access, field_id: int, value: str, requester: Requester, clock: Clock = now
) -> FieldView:
    """Fill one of the signer's own text, initials or checkbox fields."""
    signer, envelope = consented_signer(session, access=access, clock=clock)
    field = session.get(EnvelopeField, field_id)
    if field is None or field.signer_id != signer.id:
        raise NotFound("No such field.")
    field.value = _checked_value(field, value)
    field.filled_at = clock() if field.value else None
    session.add(field)
    session.flush()
    _audit_field(session, envelope, signer, field, requester, clock)
    return _field_view(field)


def adopt_signature(
    session: Session,
    *,
    access: Access,
    kind: str,
    requester: Requester,
    image: str = "",
    text: str = "",
    clock: Clock = now,
) -> None:
    """The signer's signature, drawn (a PNG data URL) or typed (shown in the script font)."""
    signer, envelope = consented_signer(session, access=access, clock=clock)
    if kind == "drawn" and not image:
        message = "Draw your signature in the box, or choose Type to sign with the keyboard."
        raise ValidationFailed(message, fields={"signature": message})
    if kind == "drawn":
        pdf.png_from_data_url(image)
        signer.signature_kind, signer.signature_image, signer.signature_text = "drawn", image, ""
    elif kind == "typed":
        typed = clean_line(text)
        if not typed or len(typed) > MAX_TYPED_SIGNATURE:
            message = f"Type your name to sign (up to {MAX_TYPED_SIGNATURE} characters)."
            raise ValidationFailed(message, fields={"signature": message})
        signer.signature_kind, signer.signature_text, signer.signature_image = "typed", typed, ""
    else:
        raise ValidationFailed("Draw or type your signature.", fields={"signature": "Draw or type it."})
    session.add(signer)
    moment = clock()
    for field in envelopes.fields_of(session, envelope.id, signer_id=signer.id):
        if field.kind == FieldKind.SIGNATURE:
            field.value, field.filled_at = kind, moment
            session.add(field)
            session.flush()
            _audit_field(session, envelope, signer, field, requester, clock)


def finish(session: Session, *, access: Access, intent: bool, requester: Requester, clock: Clock = now) -> Finished:
    """Sign: the intent statement ticked, a signature adopted, required fields filled.

    Date fields take the signing date. Returns whether everyone has now signed (the
    caller then completes the envelope, outside this transaction); otherwise the next
    signer in order is invited.
    """
    signer, envelope = consented_signer(session, access=access, clock=clock)
    if not intent:
        message = "Tick the statement that you intend to sign."
        raise ValidationFailed(message, fields={"intent": message})
    if not signer.signature_kind:
        raise ValidationFailed("Draw or type your signature first.", fields={"signature": "Draw or type it."})
    fields = envelopes.fields_of(session, envelope.id, signer_id=signer.id)
    empty = [f for f in fields if f.required and f.kind in (FieldKind.TEXT, FieldKind.INITIALS) and not f.value]
    if empty:
        message = f"Fill in every required field ({len(empty)} left)."
        raise ValidationFailed(message, fields={"fields": message})
    moment = clock()
    for field in fields:
        if field.kind == FieldKind.DATE:
            field.value, field.filled_at = f"{moment:%Y-%m-%d}", moment
            session.add(field)
    signer.status, signer.signed_at = SignerStatus.SIGNED, moment
    signer.signed_ip, signer.signed_user_agent = requester.ip[:45], requester.user_agent[:300]
    signer.link_hash = None
    session.add(signer)
    session.flush()
    trail.record(
        session,
        "esign.signed",
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id, "method": access.method, "kind": signer.signature_kind},
        pii=_pii(requester, signer),
        clock=clock,
    )
    everyone = all(s.status == SignerStatus.SIGNED for s in envelopes.signers_of(session, envelope.id))
    if not everyone:
        envelopes.invite_next(session, envelope, clock=clock)
    return Finished(envelope_id=envelope.id, everyone_signed=everyone)


def decline(session: Session, *, access: Access, reason: str, requester: Requester, clock: Clock = now) -> None:
    """Decline with a reason: the envelope ends, and Fluxent and the other signers are told."""
    signer, envelope = _signer_for(session, access, clock)
    reason = (reason or "").strip()
    problem = text_problem(reason, multiline=True)
    if not reason or problem or len(reason) > MAX_REASON:
        message = problem or f"Tell us why you decline (up to {MAX_REASON} characters)."
        raise ValidationFailed(message, fields={"reason": message})
    moment = clock()
    signer.status, signer.declined_at, signer.decline_reason = SignerStatus.DECLINED, moment, reason
    session.add(signer)
    envelopes.end(session, envelope, EnvelopeStatus.DECLINED, clock=clock)
    trail.record(
        session,
        "esign.declined",
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id},
        pii=_pii(requester, signer),
        clock=clock,
    )
    told = {signer.email}
    creator = session.get(User, envelope.created_by_id) if envelope.created_by_id else None
    others = [s.email for s in envelopes.signers_of(session, envelope.id) if s.status != SignerStatus.WAITING]
    for address in [*([creator.email] if creator and creator.is_active else []), *others]:
        if address not in told:
            told.add(address)
            emails.declined(session, address, envelope, who=signer.name, reason=reason)


# Internals ---------------------------------------------------------------------------


def _turn(session: Session, token: str, clock: Clock) -> tuple[EnvelopeSigner, Envelope]:
    """The link's signer and envelope, found with one query once per transaction and checked
    every time (finishing clears the link in the same transaction: it stops working at once)."""
    if not token or len(token) > 128:
        raise NotFound("This signing link is not valid (it may have been replaced by a newer one).")
    key = envelopes.link_hash(token)
    seen = session.info.get(_FOUND_BY_LINK)
    transaction = session.get_transaction()
    found = seen[1].get(key) if seen is not None and transaction is not None and seen[0] is transaction else None
    if found is None:
        row = session.execute(_BY_LINK, {"key": key}).first()
        if row is None:
            check_turn(None, None, clock=clock)
        found = (row[0], row[1])
        transaction = session.get_transaction()
        if seen is None or seen[0] is not transaction:
            seen = session.info[_FOUND_BY_LINK] = (transaction, {})
        seen[1][key] = found
    signer, envelope = found
    check_turn(signer if signer.link_hash == key else None, envelope, clock=clock)
    return signer, envelope


def _signer_for(session: Session, access: Access, clock: Clock) -> tuple[EnvelopeSigner, Envelope]:
    if access.method not in METHOD_LABELS:
        raise PermissionDenied("Open the document with the code we e-mail you.")
    return _turn(session, access.token, clock)


def _viewed(session: Session, signer: EnvelopeSigner, method: str, requester: Requester, clock: Clock) -> None:
    envelope = session.get(Envelope, signer.envelope_id)
    signer.viewed_at = signer.viewed_at or clock()
    signer.verified_by = method
    session.add(signer)
    session.flush()
    trail.record(
        session,
        "esign.viewed",
        actor=signer.user_id,
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id, "method": method},
        pii=_pii(requester, signer),
        clock=clock,
    )


def _checked_value(field: EnvelopeField, value: str) -> str:
    value = clean_line(value or "")
    if field.kind == FieldKind.CHECKBOX:
        if value not in ("true", ""):
            raise ValidationFailed("A checkbox is ticked or not.", fields={"value": "Use true or an empty value."})
        return value
    if field.kind == FieldKind.TEXT and len(value) <= MAX_TEXT:
        return value
    if field.kind == FieldKind.INITIALS and len(value) <= MAX_INITIALS:
        return value
    if field.kind in (FieldKind.SIGNATURE, FieldKind.DATE):
        raise ValidationFailed(
            "Signature and date fields fill themselves when you sign.", fields={"value": "Filled when you sign."}
        )
    message = f"Too long: at most {MAX_TEXT if field.kind == FieldKind.TEXT else MAX_INITIALS} characters."
    raise ValidationFailed(message, fields={"value": message})


def _audit_field(
    session: Session,
    envelope: Envelope,
    signer: EnvelopeSigner,
    field: EnvelopeField,
    requester: Requester,
    clock: Clock,
) -> None:
    trail.record(
        session,
        "esign.field_filled",
        target=envelope,
        organization=envelope.organization_id,
        meta={"signer": signer.id, "field": field.id, "kind": str(field.kind), "filled": bool(field.value)},
        pii=_pii(requester, signer),
        clock=clock,
    )


def _field_view(field: EnvelopeField) -> FieldView:
    return FieldView(
        id=field.id,
        kind=str(field.kind),
        page=field.page,
        x=field.x,
        y=field.y,
        width=field.width,
        height=field.height,
        label=field.label,
        value=field.value,
        required=field.required,
    )


def _pii(requester: Requester, signer: EnvelopeSigner) -> Personal:
    return Personal(ip=requester.ip or None, user_agent=requester.user_agent or None, email=signer.email)
