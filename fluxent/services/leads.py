"""Leads: the contact form and the guided "Scope a build" form, for every door.

A lead is stored only with the sender's explicit consent, and with a consent record
beside it; a refused submission stores nothing (only the per-IP throttle counts it).
Staff get a notification e-mail; staff read and move leads through their statuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from fluxent import routes
from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.marketing import ConsentSubject, Lead, LeadSource, LeadStatus
from fluxent.services import authz, consent, marketing_emails, spam

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


def _text(errors: dict[str, str], name: str, value: str, *, label: str, required: bool, limit: int, least: int = 0) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = f"Enter {label}."
    elif len(text) > limit:
        errors[name] = f"Keep {label} under {limit} characters."
    elif text and len(text) < least:
        errors[name] = f"Tell us a little more ({least} characters at least)."
    return text


def validate(form: LeadForm) -> Lead:
    """The lead the form describes, or ValidationFailed with a message per field."""
    errors: dict[str, str] = {}
    scope = form.source == LeadSource.SCOPE
    name = _text(errors, "name", form.name, label="your name", required=True, limit=200)
    if email_error := validate_email(form.email):
        errors["email"] = email_error
    phone = _text(errors, "phone", form.phone, label="the phone number", required=False, limit=40)
    if phone and "phone" not in errors and not PHONE_RE.match(phone):
        errors["phone"] = "Use digits, spaces and + ( ) - only."
    company = _text(errors, "company", form.company, label="your company", required=False, limit=200)
    country = _text(errors, "country", form.country, label="your country", required=True, limit=80)
    what = "what you want to build" if scope else "a message"
    message = _text(errors, "message", form.message, label=what, required=True, limit=5000, least=10)
    audience = _text(errors, "audience", form.audience, label="who it is for", required=scope, limit=1000)
    timeline = (form.timeline or "").strip()
    budget = (form.budget or "").strip()
    if scope and timeline not in TIMELINES:
        errors["timeline"] = "Choose a timeline."
    if scope and budget not in BUDGETS:
        errors["budget"] = "Choose a budget band."
    if not form.agree:
        errors["agree"] = CONSENT_REQUIRED
    if errors:
        raise ValidationFailed("Please correct the highlighted fields.", fields=errors)
    return Lead(
        source=form.source,
        name=name,
        email=normalize_email(form.email),
        phone=phone,
        company=company,
        country=country,
        message=message,
        audience=audience if scope else "",
        timeline=timeline if scope else "",
        budget=budget if scope else "",
    )


def submit(session: Session, form: LeadForm, *, ip: str, clock: Clock = now) -> Lead | None:
    """Store a lead with its consent record and notify staff.

    Returns None, storing nothing, when the honeypot is filled (robots get the same
    answer as people). Raises RateLimited or ValidationFailed, storing nothing.
    """
    spam.count(session, spam.LEAD_IP, ip, clock=clock)
    if spam.is_bot(form.honeypot):
        return None
    spam.check_stamp(form.stamp, clock=clock)
    lead = validate(form)
    lead.created_at = lead.last_activity_at = clock()
    session.add(lead)
    session.flush()
    consent.record(session, email=lead.email, subject=ConsentSubject.CONTACT, lead_id=lead.id, clock=clock)
    session.commit()
    marketing_emails.send_lead_notification(lead)
    return lead


# Staff ---------------------------------------------------------------------------


def leads_for_staff(session: Session, *, user: User | None, status: LeadStatus | None = None) -> list[Lead]:
    authz.require_staff(user)
    query = select(Lead).order_by(Lead.last_activity_at.desc(), Lead.id.desc())  # type: ignore[union-attr]
    if status is not None:
        query = query.where(Lead.status == status)
    return list(session.exec(query).all())


def lead_for_staff(session: Session, *, user: User | None, lead_id: int) -> Lead:
    authz.require_staff(user)
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound("No such lead.")
    return lead


def set_status(session: Session, *, user: User | None, lead_id: int, status: str, clock: Clock = now) -> Lead:
    lead = lead_for_staff(session, user=user, lead_id=lead_id)
    try:
        lead.status = LeadStatus(status)
    except ValueError:
        raise ValidationFailed("Unknown status.", fields={"status": "Choose one of the listed statuses."}) from None
    lead.last_activity_at = clock()
    session.add(lead)
    session.flush()
    return lead


def archive_inactive(session: Session, *, clock: Clock = now) -> int:
    """Archive leads with no activity for 24 months (privacy policy, section 5). Idempotent."""
    cutoff = clock() - INACTIVITY_LIMIT
    stale = session.exec(
        select(Lead).where(Lead.status != LeadStatus.ARCHIVED, Lead.last_activity_at < cutoff)
    ).all()
    for lead in stale:
        lead.status = LeadStatus.ARCHIVED
        session.add(lead)
    session.flush()
    return len(stale)
