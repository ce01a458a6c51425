"""The audit area's entry in the privacy registry: the audit log, whose personal part erasure nulls."""

from __future__ import annotations

from fluxent.services.privacy import sections
from fluxent.services.privacy.policy import LOG_AND_SESSION, RETENTION_AUDIT, LegalBasis
from fluxent.services.privacy.registry import Anonymize, Registry


def register_audit(registry: Registry) -> None:
    registry.register(
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
