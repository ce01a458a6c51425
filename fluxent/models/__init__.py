"""All tables, imported here so ``SQLModel.metadata`` is complete for Alembic and tests."""

from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.models.marketing import ConsentRecord, Lead, NewsletterSubscription, NewsletterSuppression

__all__ = [
    "AuditEvent",
    "AuthSession",
    "ConsentRecord",
    "Lead",
    "Membership",
    "NewsletterSubscription",
    "NewsletterSuppression",
    "OneTimeToken",
    "OrgRole",
    "Organization",
    "Role",
    "StaffProfile",
    "TokenPurpose",
    "User",
]
