"""Fields of a draft envelope: placing (by a click on a page image, or from the keyboard in
the middle of a chosen page, at the default size of the field's kind), moving (to a click,
or step by step with the arrow keys) and deleting them. Every change refuses an envelope that was
sent (Conflict, 409).
"""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.esign import Envelope, EnvelopeField, EnvelopeSigner, FieldKind
from fluxent.services.esign import envelopes
from fluxent.services.esign.envelopes import FieldInput


def add_field(
    session: Session, *, actor: User, envelope_id: int, signer_id: int, field: FieldInput, clock: Clock = now
) -> EnvelopeField:
    """Place one more field (drafts only)."""
    envelope = envelopes.draft(session, actor, envelope_id)
    signer = session.get(EnvelopeSigner, signer_id)
    if signer is None or signer.envelope_id != envelope.id:
        raise NotFound("No such signer on this envelope.")
    row = envelopes.field_row(envelope, signer.id, field, 0)
    session.add(row)
    touch(session, envelope, clock)
    return row


# Width and height of a new field of each kind, as fractions of the page.
FIELD_SIZES = {
    FieldKind.SIGNATURE: (0.25, 0.06),
    FieldKind.INITIALS: (0.08, 0.04),
    FieldKind.DATE: (0.16, 0.03),
    FieldKind.TEXT: (0.25, 0.03),
    FieldKind.CHECKBOX: (0.025, 0.018),
}


def centred_at(kind: FieldKind, center_x: float, center_y: float, size: tuple[float, float] | None = None):
    """The top-left corner of a field of ``kind`` centred on a click, kept inside the page."""
    width, height = size or FIELD_SIZES[FieldKind(kind)]
    return (
        min(max(center_x - width / 2, 0.0), 1.0 - width),
        min(max(center_y - height / 2, 0.0), 1.0 - height),
    )


def place_field(
    session: Session,
    *,
    actor: User,
    envelope_id: int,
    signer_id: int,
    kind: FieldKind,
    page: int,
    center_x: float,
    center_y: float,
    clock: Clock = now,
) -> EnvelopeField:
    """A field of the default size for its kind, centred where staff clicked on the page."""
    try:
        kind = FieldKind(kind)
    except ValueError:
        raise ValidationFailed("Unknown field kind.", fields={"fields": "Unknown field kind."}) from None
    width, height = FIELD_SIZES[kind]
    x, y = centred_at(kind, center_x, center_y)
    field = FieldInput(0, kind, page, x, y, width, height)
    return add_field(session, actor=actor, envelope_id=envelope_id, signer_id=signer_id, field=field, clock=clock)


def move_field(
    session: Session,
    *,
    actor: User,
    envelope_id: int,
    field_id: int,
    page: int,
    x: float,
    y: float,
    centred: bool = False,
    clock: Clock = now,
) -> EnvelopeField:
    """Move a placed field (drafts only); its size stays. ``centred``: (x, y) is where its
    centre goes (a click), kept inside the page; otherwise its top-left corner."""
    envelope = envelopes.draft(session, actor, envelope_id)
    row = field_of(session, envelope, field_id)
    x, y = centred_at(row.kind, x, y, (row.width, row.height)) if centred else (x, y)
    moved = FieldInput(0, row.kind, page, x, y, row.width, row.height)
    envelopes.check_field(envelope, moved, 0)
    row.page, row.x, row.y = page, x, y
    session.add(row)
    touch(session, envelope, clock)
    return row


def nudge_field(
    session: Session,
    *,
    actor: User,
    envelope_id: int,
    field_id: int,
    dx: float,
    dy: float,
    clock: Clock = now,
) -> EnvelopeField:
    """Move a placed field by (dx, dy), fractions of the page (the arrow keys), stopping at the page's edges."""
    if not (abs(dx) <= 1 and abs(dy) <= 1):
        raise ValidationFailed("Move a field by at most a page.", fields={"fields": "Too far."})
    row = field_of(session, envelopes.draft(session, actor, envelope_id), field_id)
    x = min(max(row.x + dx, 0.0), 1.0 - row.width)
    y = min(max(row.y + dy, 0.0), 1.0 - row.height)
    return move_field(
        session, actor=actor, envelope_id=envelope_id, field_id=field_id, page=row.page, x=x, y=y, clock=clock
    )


def delete_field(session: Session, *, actor: User, envelope_id: int, field_id: int, clock: Clock = now) -> None:
    envelope = envelopes.draft(session, actor, envelope_id)
    session.delete(field_of(session, envelope, field_id))
    touch(session, envelope, clock)


def field_of(session: Session, envelope: Envelope, field_id: int) -> EnvelopeField:
    row = session.get(EnvelopeField, field_id)
    if row is None or row.envelope_id != envelope.id:
        raise NotFound("No such field on this envelope.")
    return row


def touch(session: Session, envelope: Envelope, clock: Clock) -> None:
    envelope.updated_at = clock()
    session.add(envelope)
    session.flush()
