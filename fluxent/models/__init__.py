"""All tables, imported here so ``SQLModel.metadata`` is complete for Alembic and tests."""

from fluxent.models.accounts import Membership, Organization, OrgRole, Role, StaffProfile, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.models.billing import (
    BillingContact,
    BillingProfile,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentKind,
    StripeEvent,
)
from fluxent.models.documents import Document, DocumentVersion
from fluxent.models.engagements import Engagement, EngagementStaff, EngagementStatus, Milestone, MilestoneStatus
from fluxent.models.esign import Envelope, EnvelopeField, EnvelopeSigner
from fluxent.models.maintenance import MaintenanceLease
from fluxent.models.marketing import ConsentRecord, Lead, LeadNote, NewsletterSubscription, NewsletterSuppression
from fluxent.models.messages import Message, MessageRead
from fluxent.models.notifications import Notification, NotificationPreference, ReminderSent
from fluxent.models.policies import PolicyAcknowledgement, PolicyAnnouncement, PolicyNotice
from fluxent.models.privacy import PrivacyRequest, ProcessingRestriction
from fluxent.models.two_step import Passkey, RecoveryCode, TwoStepKind, TwoStepMethod
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemKind, VaultItemVersion

__all__ = [
    "AuditEvent",
    "AuthSession",
    "BillingContact",
    "BillingProfile",
    "Invoice",
    "InvoiceCounter",
    "InvoiceLine",
    "InvoiceStatus",
    "Payment",
    "PaymentKind",
    "StripeEvent",
    "ConsentRecord",
    "Lead",
    "MaintenanceLease",
    "LeadNote",
    "Membership",
    "NewsletterSubscription",
    "NewsletterSuppression",
    "Notification",
    "NotificationPreference",
    "Document",
    "DocumentVersion",
    "Engagement",
    "Envelope",
    "EnvelopeField",
    "EnvelopeSigner",
    "EngagementStaff",
    "EngagementStatus",
    "Membership",
    "Message",
    "MessageRead",
    "Milestone",
    "MilestoneStatus",
    "OneTimeToken",
    "OrgRole",
    "Passkey",
    "PolicyAcknowledgement",
    "PolicyAnnouncement",
    "PolicyNotice",
    "PrivacyRequest",
    "ProcessingRestriction",
    "Organization",
    "RecoveryCode",
    "ReminderSent",
    "Role",
    "StaffProfile",
    "TokenPurpose",
    "TwoStepKind",
    "TwoStepMethod",
    "User",
    "VaultDataKey",
    "VaultItem",
    "VaultItemKind",
    "VaultItemVersion",
]
