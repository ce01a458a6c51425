"""Leads: the contact form and the guided "Scope a build" form, for every door.

A lead is stored only with the sender's explicit consent, and with a consent record
beside it; a refused submission stores nothing (the per-IP throttle counts only
accepted posts and robots).
Staff get a notification e-mail; staff read and move leads through their statuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.marketing import ConsentSubject, Lead, LeadNote, LeadSource, LeadStatus
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.marketing import consent, emails, spam
from fluxent.services.privacy import restriction

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
PHONE_RE = re.compile(r"^[0-9+().\-\s]{5,40}$")
# Leads untouched this long are archived (privacy policy, section 5).
INACTIVITY_LIMIT = timedelta(days=730)

TIMELINES = ("As soon as possible", "Within 1 month", "1–3 months", "3–6 months", "Just exploring")
BUDGETS = ("Under $25k", "$25k–$50k", "$50k–$100k", "$100k–$250k", "Over $250k", "Not sure yet")
CONSENT_REQUIRED = "Please tick the box to agree, so we may store your details and reply."


@dataclass
class LeadForm:
    """What a sender typed, before validation. ``message`` is "what to build" on the scope form."""

    name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    country: str = ""
    message: str = ""
    audience: str = ""
    timeline: str = ""
    budget: str = ""
    agree: bool = False
    source: LeadSource = LeadSource.CONTACT
    # Spam defence: the honeypot's value and the stamp handed out with the form.
    honeypot: str = ""
    stamp: str = ""


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def validate_email(value: str) -> str | None:
    email = normalize_email(value)
    if not email:
        return "Enter your e-mail address."
    if len(email) > 254 or not EMAIL_RE.match(email):
        return "Enter an e-mail address like name@company.com."
    return None


@dataclass(frozen=True)
class _Rule:
    label: str
    limit: int
    required: bool = True
    least: int = 0
    choices: tuple[str, ...] = ()


# Text fields of both forms; "scope only" fields are required on the scope form alone.
_RULES = {
    "name": _Rule("your name", 200),
    "phone": _Rule("the phone number", 40, required=False),
    "company": _Rule("your company", 200, required=False),
    "country": _Rule("your country", 80),
    "message": _Rule("a message", 5000, least=10),
}
_SCOPE_RULES = {
    "message": _Rule("what you want to build", 5000, least=10),
    "audience": _Rule("who it is for", 1000),
    "timeline": _Rule("a timeline", 40, choices=TIMELINES),
    "budget": _Rule("a budget band", 40, choices=BUDGETS),
}


# Fields that may hold line breaks; every other field is one line of text.
_MULTILINE = frozenset({"message", "audience"})


def field_error(name: str, value: str, *, source: LeadSource = LeadSource.CONTACT) -> str | None:
    """The message for one field's value, or None when it is fine (also used while typing)."""
    if problem := text_problem(value or "", multiline=name in _MULTILINE):
        return problem  # before anything else: a name like "Ada\r\nBcc: ..." never reaches the staff e-mail
    if name == "email":
        return validate_email(value)
    rules = {**_RULES, **_SCOPE_RULES} if source == LeadSource.SCOPE else _RULES
    rule = rules.get(name)
    if rule is None:
        return None
    text = (value or "").strip()
    if rule.choices:
        return None if text in rule.choices else f"Choose {rule.label}."
    if rule.required and not text:
        return f"Enter {rule.label}."
    if len(text) > rule.limit:
        return f"Keep {rule.label} under {rule.limit} characters."
    if text and len(text) < rule.least:
        return f"Tell us a little more ({rule.least} characters at least)."
    if name == "phone" and text and not PHONE_RE.match(text):
        return "Use digits, spaces and + ( ) - only."
    return None


def validate(form: LeadForm) -> Lead:
    """The lead the form describes, or ValidationFailed with a message per field."""
    scope = form.source == LeadSource.SCOPE
    names = [
        "name",
        "email",
        "phone",
        "company",
        "country",
        "message",
        *(("audience", "timeline", "budget") if scope else ()),
    ]
    errors = {name: error for name in names if (error := field_error(name, getattr(form, name), source=form.source))}
    if not form.agree:
        errors["agree"] = CONSENT_REQUIRED
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", fields=errors)

    def clean(name: str) -> str:
        return (getattr(form, name) or "").strip() if name in names else ""

    return Lead(
        source=form.source,
        name=clean("name"),
        email=normalize_email(form.email),
        phone=clean("phone"),
        company=clean("company"),
        country=clean("country"),
        message=clean("message"),
        audience=clean("audience"),
        timeline=clean("timeline"),
        budget=clean("budget"),
    )


def submit(session: Session, form: LeadForm, *, ip: str, clock: Clock = now) -> Lead | None:
    """Store a lead with its consent record, notify staff and confirm to the sender.

    Returns None, storing nothing, when the honeypot is filled (robots get the same
    answer as people). Raises RateLimited or ValidationFailed, storing nothing.
    Only accepted posts and robots count against the IP address: a person who
    corrects a refused form does not close it for everyone behind that address.
    """
    spam.refuse_if_locked(session, spam.LEAD_IP, ip, clock=clock)
    if spam.is_bot(form.honeypot):
        spam.count(session, spam.LEAD_IP, ip, clock=clock)
        return None
    spam.check_stamp(form.stamp, clock=clock)
    lead = validate(form)
    spam.count(session, spam.LEAD_IP, ip, clock=clock)
    lead.created_at = lead.last_activity_at = clock()
    session.add(lead)
    session.flush()
    consent.record(session, email=lead.email, subject=ConsentSubject.CONTACT, lead_id=lead.id, clock=clock)
    session.commit()
    emails.send_lead_notification(lead)
    emails.send_lead_confirmation(lead)
    return lead


# Staff ---------------------------------------------------------------------------


def lead_for_staff(session: Session, *, user: User | None, lead_id: int) -> Lead:
    authz.require_staff(user)
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound("No such lead.")
    return lead


def set_status(session: Session, *, user: User | None, lead_id: int, status: str, clock: Clock = now) -> Lead:
    lead = lead_for_staff(session, user=user, lead_id=lead_id)
    restriction.refuse_if_restricted(session, lead.email)
    previous = lead.status
    try:
        lead.status = LeadStatus(status)
    except ValueError:
        raise ValidationFailed("Unknown status.", fields={"status": "Choose one of the listed statuses."}) from None
    lead.last_activity_at = clock()
    session.add(lead)
    session.flush()
    trail.record(
        session,
        "leads.status_changed",
        actor=user,
        target=lead,
        meta={"from": str(previous), "to": str(lead.status)},
        clock=clock,
    )
    return lead


def _due_for_archive(moment: datetime):
    """Leads the policy archives (section 5): 24 months without activity (a staff note is
    activity too, even where it did not move the lead's own timestamp), or, for a lead that
    became a client, once the engagement it became (its organization's first) is closed."""
    cutoff = moment - INACTIVITY_LIMIT
    recent_note = exists().where(LeadNote.lead_id == Lead.id, LeadNote.created_at >= cutoff)
    other = aliased(Engagement)
    first_engagement = (
        select(func.min(other.id))
        .where(other.organization_id == Lead.organization_id)
        .correlate(Lead)
        .scalar_subquery()
    )
    engagement_closed = exists().where(Engagement.id == first_engagement, Engagement.status == EngagementStatus.CLOSED)
    return (
        Lead.status != LeadStatus.ARCHIVED,
        or_(and_(Lead.last_activity_at < cutoff, ~recent_note), engagement_closed),
    )


def count_due_for_archive(session: Session, *, clock: Clock = now) -> int:
    return session.scalar(select(func.count()).select_from(Lead).where(*_due_for_archive(clock()))) or 0


def archive_due(session: Session, *, clock: Clock = now) -> int:
    """Archive every lead the policy says to (see ``_due_for_archive``); returns how many. Idempotent."""
    stale = session.exec(select(Lead).where(*_due_for_archive(clock()))).all()
    for lead in stale:
        lead.status = LeadStatus.ARCHIVED
        session.add(lead)
    session.flush()
    return len(stale)
