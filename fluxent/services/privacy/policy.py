"""What the published privacy policy says, in code: its lawful bases, its categories of
personal information (section 2) and its retention table (section 5), word for word.

Registrations and the portal's privacy page point at these, so the policy's wording
lives here once (the retention command's rules belong beside the same rows). Change
this module together with the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LegalBasis(StrEnum):
    """The lawful bases the policy names (GDPR Art. 6)."""

    CONTRACT = "contract"
    LEGITIMATE_INTEREST = "legitimate_interest"
    LEGAL_OBLIGATION = "legal_obligation"
    CONSENT = "consent"

    @property
    def label(self) -> str:
        return _BASIS_LABELS[self]


_BASIS_LABELS = {
    LegalBasis.CONTRACT: "Contract performance (GDPR Art. 6(1)(b))",
    LegalBasis.LEGITIMATE_INTEREST: "Legitimate interest (GDPR Art. 6(1)(f))",
    LegalBasis.LEGAL_OBLIGATION: "Legal obligation (GDPR Art. 6(1)(c))",
    LegalBasis.CONSENT: "Consent (GDPR Art. 6(1)(a))",
}


@dataclass(frozen=True)
class RetentionRule:
    """One row of the policy's retention table (section 5), word for word."""

    data: str
    period: str

    @property
    def label(self) -> str:
        return f"{self.data}: {self.period}"


RETENTION_LEADS = RetentionRule(
    "Contact-form leads",
    "While the lead is active; archived after the related engagement closes or after 24 months of "
    "inactivity, whichever comes first",
)
RETENTION_ACCOUNTS = RetentionRule(
    "Active user accounts", "For the duration of the engagement plus a defined archival window"
)
RETENTION_AUDIT = RetentionRule("Audit logs", "2 years from the event timestamp")
RETENTION_BILLING = RetentionRule(
    "Billing and tax records", "7 years, to meet US federal and state tax recordkeeping rules"
)
RETENTION_AUTH_TOKENS = RetentionRule(
    "Authentication tokens (magic-link, password-reset, one-time codes)",
    "Expire within minutes; stored only as one-way hashes",
)
RETENTION_VAULT = RetentionRule(
    "Encrypted vault contents", "For the engagement; deleted on user request or at engagement close"
)
POLICY_RETENTION = (
    RETENTION_LEADS,
    RETENTION_ACCOUNTS,
    RETENTION_AUDIT,
    RETENTION_BILLING,
    RETENTION_AUTH_TOKENS,
    RETENTION_VAULT,
)


@dataclass(frozen=True)
class Category:
    """A category of personal information, worded as the policy lists it (section 2)."""

    key: str
    title: str
    description: str


CONTACT = Category("contact", "Contact information", "Name, email address, phone number, company, country.")
CREDENTIALS = Category(
    "credentials",
    "Account credentials",
    "Username, password (stored only as a bcrypt hash), one-time authentication codes and two-step "
    "recovery codes (stored only as one-way hashes), and the secret of your authenticator app (stored encrypted).",
)
BILLING = Category(
    "billing",
    "Billing information",
    "Billing email and your Stripe customer ID. Payment-card numbers are entered directly into Stripe "
    "and never touch our servers.",
)
PROJECT_CONTENT = Category(
    "project_content",
    "Project-related content",
    "Documents you upload, signatures captured during e-sign flows, and the encrypted contents of your "
    "credential vault.",
)
STAFF_PROFESSIONAL = Category(
    "staff_professional", "Professional information for Fluxent staff only", "Title and team assignment."
)
LOG_AND_SESSION = Category(
    "log_and_session",
    "Log and session data",
    "IP address, user-agent, request timestamps, and audit-log entries (login, password changes, "
    "vault access, signature events, etc.).",
)
POLICY_CATEGORIES = (CONTACT, CREDENTIALS, BILLING, PROJECT_CONTENT, STAFF_PROFESSIONAL, LOG_AND_SESSION)
