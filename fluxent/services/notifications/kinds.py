"""What a notification can be about, and the e-mail categories a person chooses a delivery for.

Security and legal mail (sign-in codes, password changes, signature requests, policy notices)
belongs to locked categories: it always goes at once and cannot be turned off.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    MILESTONE_WAITING = "milestone_waiting"
    MILESTONE_REMINDER = "milestone_reminder"
    MILESTONE_DECIDED = "milestone_decided"
    DOCUMENT_ADDED = "document_added"
    SIGNATURE_REQUESTED = "signature_requested"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_DUE = "invoice_due"
    INVOICE_OVERDUE = "invoice_overdue"
    INVITATION_ACCEPTED = "invitation_accepted"
    INVITATION_EXPIRING = "invitation_expiring"
    MESSAGE = "message"


class Delivery(StrEnum):
    IMMEDIATELY = "immediately"
    DIGEST = "digest"
    OFF = "off"


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    description: str
    locked: bool = False


CATEGORIES: tuple[Category, ...] = (
    Category("decisions", "Decisions", "Milestones waiting for your acceptance, reminders, and clients' answers"),
    Category("documents", "Documents", "New documents and new versions"),
    Category("invoices", "Invoices", "Invoices issued, due and overdue"),
    Category("team", "Invitations", "Invitations accepted, or about to expire unused"),
    Category("messages", "Messages", "New messages about your engagements"),
    Category("signatures", "Signature requests", "Each request to sign is a legal notice: always sent", locked=True),
    Category("security", "Security", "Sign-in codes, password changes and new sign-ins: always sent", locked=True),
    Category("policy", "Policy notices", "Changes to our terms and privacy policy: always sent", locked=True),
)
BY_KEY = {category.key: category for category in CATEGORIES}

CATEGORY_OF: dict[Kind, str] = {
    Kind.MILESTONE_WAITING: "decisions",
    Kind.MILESTONE_REMINDER: "decisions",
    Kind.MILESTONE_DECIDED: "decisions",
    Kind.DOCUMENT_ADDED: "documents",
    Kind.SIGNATURE_REQUESTED: "signatures",
    Kind.INVOICE_ISSUED: "invoices",
    Kind.INVOICE_DUE: "invoices",
    Kind.INVOICE_OVERDUE: "invoices",
    Kind.INVITATION_ACCEPTED: "team",
    Kind.INVITATION_EXPIRING: "team",
    Kind.MESSAGE: "messages",
}
