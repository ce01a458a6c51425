"""The policies area's entries in the privacy registry: who acknowledged which policy version
(by account) and the policy notices e-mailed (by address)."""

from __future__ import annotations

from sqlalchemy import select

from fluxent.models.policies import PolicyAcknowledgement, PolicyAnnouncement, PolicyNotice
from fluxent.services.privacy.policy import CONTACT, LOG_AND_SESSION, RETENTION_ACCOUNTS, LegalBasis
from fluxent.services.privacy.registry import Delete, Registry
from fluxent.services.privacy.sections import INTEGER, OPTIONAL_TIMESTAMP, STRING, TIMESTAMP, rows_section

ACKNOWLEDGEMENTS = rows_section(
    "policy_acknowledgements",
    {"document": STRING, "version": INTEGER, "acknowledged_at": TIMESTAMP},
    lambda ctx: (
        select(PolicyAnnouncement.document, PolicyAnnouncement.version, PolicyAcknowledgement.acknowledged_at)
        .join(PolicyAnnouncement, PolicyAnnouncement.id == PolicyAcknowledgement.announcement_id)
        .where(PolicyAcknowledgement.user_id == ctx.user.id)
        .order_by(PolicyAcknowledgement.acknowledged_at, PolicyAcknowledgement.id)
    ),
)

NOTICES = rows_section(
    "policy_notices",
    {"document": STRING, "version": INTEGER, "email": STRING, "sent_at": OPTIONAL_TIMESTAMP},
    lambda ctx: (
        select(PolicyAnnouncement.document, PolicyAnnouncement.version, PolicyNotice.email, PolicyNotice.sent_at)
        .join(PolicyAnnouncement, PolicyAnnouncement.id == PolicyNotice.announcement_id)
        .where(PolicyNotice.email == ctx.user.email)
        .order_by(PolicyNotice.id)
    ),
)


def register_policies(registry: Registry) -> None:
    # Proof that a change of policy was announced to the person and seen by them.
    policies = registry.area(basis=LegalBasis.LEGITIMATE_INTEREST, retention=RETENTION_ACCOUNTS)
    policies(
        table="policy_acknowledgement",
        description="Which versions of our policies you acknowledged in the Client Portal, and when",
        personal=("user_id",),
        categories=(LOG_AND_SESSION,),
        export=ACKNOWLEDGEMENTS,
        erase=Delete(),
    )
    policies(
        table="policy_notice",
        description="The e-mails telling you of a new version of one of our policies",
        personal=("email",),
        categories=(CONTACT,),
        export=NOTICES,
        erase=Delete(),
        owner=(),
        owner_email=("email",),
    )
