"""The staff leads pipeline: a filtered, searched list with counts per status, notes on a
lead, and converting a lead into a client.

Staff only (PermissionDenied for anyone else). Converting makes the organization
(named after the lead's company), a draft engagement and an owner invitation for
the lead's e-mail in one savepoint; the invitation e-mail waits for the commit
(``core.db.after_commit``), so a refused conversion leaves nothing behind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.auth import OneTimeToken
from fluxent.models.engagements import Engagement
from fluxent.models.marketing import Lead, LeadNote, LeadSource, LeadStatus
from fluxent.services.accounts import authz, invitations, organizations, users
from fluxent.services.audit import trail
from fluxent.services.marketing import leads
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from fluxent.services.portal import engagements
from fluxent.services.privacy import restriction

MAX_SEARCH = 200
MAX_NOTE = 4000
# Rows in one CSV export: more than any pipeline holds, and a bound on one request's work.
MAX_EXPORT = 10_000


def list_leads(
    session: Session,
    *,
    actor: User | None,
    status: LeadStatus | str | None = None,
    source: LeadSource | str | None = None,
    q: str = "",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[Lead]:
    """Leads, most recent activity first; ``q`` matches name, e-mail or company (any case)."""
    authz.require_staff(actor)
    return paginate(session, _matching(status, source, q), page=page, page_size=page_size)


def leads_for_export(
    session: Session,
    *,
    actor: User | None,
    status: LeadStatus | str | None = None,
    source: LeadSource | str | None = None,
    q: str = "",
) -> list[Lead]:
    """Every lead the list shows under the same filters, up to ``MAX_EXPORT`` (most recent first)."""
    authz.require_staff(actor)
    return list(session.scalars(_matching(status, source, q).limit(MAX_EXPORT)).all())


def _matching(status: LeadStatus | str | None, source: LeadSource | str | None, q: str):
    """The leads query under the list's filters; ValidationFailed for a filter that is not one."""
    # A person who restricted processing of their data leaves the pipeline (``privacy.restriction``).
    statement = (
        select(Lead).where(~restriction.restricted(Lead.email)).order_by(Lead.last_activity_at.desc(), Lead.id.desc())
    )
    if status:
        statement = statement.where(Lead.status == _choice(LeadStatus, status, "status"))
    if source:
        statement = statement.where(Lead.source == _choice(LeadSource, source, "source"))
    words = (q or "").strip()
    if len(words) > MAX_SEARCH:
        raise ValidationFailed(f"Keep the search under {MAX_SEARCH} characters.", fields={"q": "Too long."})
    if problem := text_problem(words):  # NUL and the like match nothing, and PostgreSQL refuses NUL
        raise ValidationFailed(problem, fields={"q": problem})
    if words:
        pattern = "%" + words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(*(func.lower(column).like(pattern, escape="\\") for column in (Lead.name, Lead.email, Lead.company)))
        )
    return statement


def status_counts(session: Session, *, actor: User | None) -> dict[str, int]:
    """How many leads are in each status (every status listed, zero included)."""
    authz.require_staff(actor)
    found = dict(
        session.execute(
            select(Lead.status, func.count()).where(~restriction.restricted(Lead.email)).group_by(Lead.status)
        ).all()
    )
    return {status.value: found.get(status.value, 0) for status in LeadStatus}


# Notes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteEntry:
    note: LeadNote
    author: str


def notes_of(session: Session, *, actor: User | None, lead_id: int) -> list[NoteEntry]:
    """A lead's notes, newest first, each with its author's name."""
    lead = leads.lead_for_staff(session, user=actor, lead_id=lead_id)
    rows = session.execute(
        select(LeadNote, User.name)
        .outerjoin(User, User.id == LeadNote.author_id)
        .where(LeadNote.lead_id == lead.id)
        .order_by(LeadNote.created_at.desc(), LeadNote.id.desc())
    ).all()
    return [NoteEntry(note, name or "Fluxent staff") for note, name in rows]


def add_note(session: Session, *, actor: User | None, lead_id: int, body: str, clock: Clock = now) -> LeadNote:
    """A note on the lead's timeline; it counts as activity on the lead."""
    lead = leads.lead_for_staff(session, user=actor, lead_id=lead_id)
    restriction.refuse_if_restricted(session, lead.email)
    text = _clean_text(body)
    if not text:
        raise ValidationFailed("Write the note first.", fields={"body": "Write the note first."})
    if len(text) > MAX_NOTE:
        message = f"Keep the note under {MAX_NOTE} characters."
        raise ValidationFailed(message, fields={"body": message})
    moment = clock()
    note = LeadNote(lead_id=lead.id, author_id=actor.id, body=text, created_at=moment)  # type: ignore[union-attr]
    lead.last_activity_at = moment
    session.add_all([note, lead])
    session.flush()
    trail.record(session, "leads.note_added", actor=actor, target=lead, meta={"note_id": note.id}, clock=clock)
    return note


# Conversion ------------------------------------------------------------------------

_PRICE_RE = re.compile(r"^\d{1,11}(\.\d{1,2})?$")


def price_to_minor(text: str) -> int:
    """A price typed in major units ("48,000" or "48000.50") as minor units (cents)."""
    cleaned = (text or "").replace(",", "").replace(" ", "").strip()
    if not _PRICE_RE.match(cleaned):
        message = "Enter the fixed price as a number, e.g. 48000 or 48000.50."
        raise ValidationFailed(message, fields={"fixed_price_minor": message})
    whole, _, cents = cleaned.partition(".")
    return int(whole) * 100 + int(cents.ljust(2, "0") or 0)


@dataclass(frozen=True)
class Conversion:
    lead: Lead
    organization: Organization
    engagement: Engagement
    invitation: OneTimeToken


def convert(
    session: Session,
    *,
    actor: User | None,
    lead_id: int,
    title: str,
    fixed_price_minor: int,
    currency: str,
    clock: Clock = now,
) -> Conversion:
    """Turn a lead into a client: organization, draft engagement, owner invitation; lead won.

    All of it in a savepoint: any refusal (ValidationFailed, Conflict, PermissionDenied,
    NotFound) or failure rolls it back, with the invitation e-mail it queued, even
    when the caller commits afterwards.
    """
    staff = authz.require_staff(actor)
    with session.begin_nested():
        lead = leads.lead_for_staff(session, user=staff, lead_id=lead_id)
        restriction.refuse_if_restricted(session, lead.email)
        if lead.organization_id is not None or lead.converted_at is not None:
            raise Conflict("This lead was already converted into a client.")
        if not lead.company.strip():
            message = "This lead has no company, so there is no organization to create."
            raise ValidationFailed(message, fields={"company": message})
        _refuse_staff_address(session, lead.email)
        organization = organizations.create_organization(session, actor=staff, name=lead.company)
        engagement = engagements.create_engagement(
            session,
            actor=staff,
            organization_id=organization.id,
            title=title,
            fixed_price_minor=fixed_price_minor,
            currency=currency,
            scope_summary=lead.message,
            clock=clock,
        )
        invitation = invitations.invite(
            session,
            actor=staff,
            email=lead.email,
            organization=organization,
            org_role=OrgRole.OWNER,
            role=Role.CLIENT,
            clock=clock,
        )
        previous, moment = lead.status, clock()
        lead.status, lead.organization_id, lead.converted_at, lead.last_activity_at = (
            LeadStatus.WON,
            organization.id,
            moment,
            moment,
        )
        session.add(lead)
        session.flush()
        trail.record(
            session,
            "leads.converted",
            actor=staff,
            target=lead,
            organization=organization,
            meta={"engagement_id": engagement.id, "from": str(previous)},
            clock=clock,
        )
    return Conversion(lead, organization, engagement, invitation)


def _refuse_staff_address(session: Session, email: str) -> None:
    person = users.user_by_email(session, email)
    if person is not None and person.role != Role.CLIENT:
        message = "This e-mail belongs to a Fluxent staff account; a client cannot be invited with it."
        raise ValidationFailed(message, fields={"email": message})


def _choice(kind, value, field: str):
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed(f"Unknown {field}.", fields={field: "Choose one of the listed values."}) from None


def _clean_text(value: str) -> str:
    """Trimmed text with line breaks kept and other control characters removed."""
    kept = "".join(ch for ch in value or "" if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf"))
    return kept.strip()
