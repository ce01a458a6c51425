"""Every table that holds personal data: one ``register`` call each.

A new area adds its tables here (or in a module imported from here): personal
columns, export section (or why it is not exported), erasure (delete, anonymize,
or retain with a reason), legal basis and the policy's retention row.
``tests/unit/test_privacy_registry.py`` fails while a table with personal-looking
columns is missing.
"""

from __future__ import annotations

from fluxent.services.accounts.users import ERASED_EMAIL_DOMAIN, ERASED_USERNAME_PREFIX
from fluxent.services.privacy import sections
from fluxent.services.privacy.entries.billing import register_billing
from fluxent.services.privacy.entries.esign import register_esign
from fluxent.services.privacy.entries.marketing import register_marketing
from fluxent.services.privacy.entries.portal import register_portal
from fluxent.services.privacy.policy import (
    CONTACT,
    CREDENTIALS,
    LOG_AND_SESSION,
    RETENTION_ACCOUNTS,
    RETENTION_AUDIT,
    RETENTION_AUTH_TOKENS,
    STAFF_PROFESSIONAL,
    LegalBasis,
)
from fluxent.services.privacy.registry import Anonymize, Delete, NotExported, Registry

REGISTRY = Registry()
register = REGISTRY.register

# Accounts ------------------------------------------------------------------------

register(
    table="account_user",
    description="Your account: username, e-mail, name, phone, company, country, password hash",
    personal=(
        "username",
        "email",
        "name",
        "phone",
        "company",
        "country",
        "password_hash",
        "email_verified_at",
        "last_login_at",
    ),
    categories=(CONTACT, CREDENTIALS),
    basis=LegalBasis.CONTRACT,
    retention=RETENTION_ACCOUNTS,
    export=sections.PROFILE,
    # The row stays (other records point at it) with nothing left that identifies the person.
    erase=Anonymize(
        {
            "username": lambda ctx: f"{ERASED_USERNAME_PREFIX}{ctx.user_id}",
            "email": lambda ctx: f"{ERASED_USERNAME_PREFIX}{ctx.user_id}@{ERASED_EMAIL_DOMAIN}",
            "name": "",
            "phone": "",
            "company": "",
            "country": "",
            "password_hash": None,
            "last_login_at": None,
            "email_verified_at": None,
            "is_active": False,
            "erased_at": lambda ctx: ctx.moment,
            "updated_at": lambda ctx: ctx.moment,
        }
    ),
    owner=("id",),
)

register(
    table="account_membership",
    description="The organizations (companies) you belong to, and your role in each",
    personal=("user_id",),
    categories=(CONTACT,),
    basis=LegalBasis.CONTRACT,
    retention=RETENTION_ACCOUNTS,
    export=sections.MEMBERSHIPS,
    erase=Delete(),
)

register(
    table="account_staff_profile",
    description="Staff title and team assignment",
    personal=("user_id", "title", "team", "listed_on_team_page"),
    categories=(STAFF_PROFESSIONAL,),
    basis=LegalBasis.CONTRACT,
    retention=RETENTION_ACCOUNTS,
    export=sections.STAFF_PROFILE,
    erase=Delete(),
)

REGISTRY.standing_section(sections.CONSENTS)

REGISTRY.exempt(
    table="account_organization",
    reason="Client companies (name, slug) are business records, not data about a person; "
    "who belongs to them is registered under account_membership.",
)

# Auth ----------------------------------------------------------------------------

register(
    table="auth_session",
    description="Signed-in sessions: when, from which IP address and browser",
    personal=("ip", "user_agent", "created_at", "last_seen_at"),
    categories=(LOG_AND_SESSION,),
    basis=LegalBasis.CONTRACT,
    retention=RETENTION_ACCOUNTS,
    retention_detail="a session ends at sign-out or after its idle and absolute time-outs",
    export=sections.SESSIONS,
    erase=Delete(),
)

register(
    table="auth_one_time_token",
    description="One-time sign-in codes, magic links, password-reset links and invitations",
    personal=("email", "payload"),
    categories=(CREDENTIALS,),
    basis=LegalBasis.CONTRACT,
    retention=RETENTION_AUTH_TOKENS,
    export=NotExported(
        "Only one-way hashes of short-lived one-time codes are kept, addressed to the e-mail in your "
        "profile; there is nothing readable to hand over. Your sign-ins are listed under sign_ins."
    ),
    erase=Delete(),
    owner_email=("email",),
)

REGISTRY.exempt(
    table="auth_throttle",
    reason="Failure counters keyed by a keyed one-way hash of a login string or IP address, "
    "reset on success and kept for minutes: nothing in it can be read back to a person.",
)

# Audit ---------------------------------------------------------------------------

register(
    table="audit_event",
    description="Audit-log entries of what you did and what was done to your account",
    personal=("ip", "user_agent", "email"),
    categories=(LOG_AND_SESSION,),
    basis=LegalBasis.LEGITIMATE_INTEREST,
    retention=RETENTION_AUDIT,
    retention_detail="kept after account erasure with the IP address, user agent and e-mail removed",
    export=(sections.SIGN_INS, sections.AUDIT_EVENTS),
    # The log's triggers allow only nulling its personal part, through audit.erase_personal,
    # which also reaches events about the person (target "user") and under their e-mail.
    erase=Anonymize({"ip": None, "user_agent": None, "email": None}, apply=sections.erase_audit_personal),
    owner=("actor_id",),
    owner_email=("email",),
)

# Marketing -----------------------------------------------------------------------

register_marketing(REGISTRY)

# Client portal (engagements, milestones, documents) -------------------------------

register_portal(REGISTRY)

# Billing (profiles, billing contacts, invoices) -------------------------------------

register_billing(REGISTRY)
# E-signature (envelopes, signers, signing evidence) ----------------------------------

register_esign(REGISTRY)


def default_registry() -> Registry:
    """The application's registry: every entry above, from every area."""
    return REGISTRY
