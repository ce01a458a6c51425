"""All tables, imported here so ``SQLModel.metadata`` is complete for Alembic and tests."""

from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Membership",
    "OneTimeToken",
    "OrgRole",
    "Organization",
    "Role",
    "StaffProfile",
    "TokenPurpose",
    "User",
]
