"""Account erasure (GDPR Art. 17): scrub the person, cascade their records, keep the chain.

Every registered table is handled as its registration says: ``delete`` removes the
person's rows, ``anonymize`` overwrites their personal columns, ``retain`` keeps
them and lists them in the report with the reason and retention. The caller has
already re-authenticated the person; this module only decides whether erasure may
happen now and does it in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel

from fluxent.core.clock import Clock, now
from fluxent.core.errors import Conflict, NotFound
from fluxent.models.accounts import Membership, Organization, OrgRole, User
from fluxent.services.audit import trail
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.export import check_may_act_for
from fluxent.services.privacy.registry import (
    Anonymize,
    Delete,
    ErasureContext,
    KeptRecord,
    Registration,
    Registry,
    Retain,
    kept_after_erasure,
)
from fluxent.services.privacy.sections import iso


@dataclass(frozen=True)
class DeletedRows:
    table: str
    rows: int


@dataclass(frozen=True)
class AnonymizedRows:
    table: str
    columns: tuple[str, ...]
    rows: int
    retention: str


@dataclass(frozen=True)
class RetainedRecords:
    table: str
    reason: str
    retention: str


@dataclass(frozen=True)
class ErasureReport:
    user_id: int
    erased_at: datetime
    deleted: tuple[DeletedRows, ...]
    anonymized: tuple[AnonymizedRows, ...]
    retained: tuple[RetainedRecords, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-able, for the API's answer."""
        return {
            "user_id": self.user_id,
            "erased_at": iso(self.erased_at),
            "deleted": [asdict(item) for item in self.deleted],
            "anonymized": [{**asdict(item), "columns": list(item.columns)} for item in self.anonymized],
            "retained": [asdict(item) for item in self.retained],
        }


def erase_user(
    session: Session,
    *,
    user: User,
    actor: User,
    clock: Clock = now,
    registry: Registry | None = None,
) -> ErasureReport:
    """Erase ``user``'s personal data; audited as ``privacy.erasure_completed``.

    Raises ``NotFound`` for an account already erased (nothing changes),
    ``PermissionDenied`` unless ``actor`` is the person or an admin, and
    ``Conflict`` while the person is the only owner of an organization.
    """
    registry = registry or default_registry()
    if user.erased_at is not None:
        raise NotFound("This account has already been erased.")
    check_may_act_for(actor, user)
    refuse_sole_owner(session, user)
    session.flush()
    context = ErasureContext(session=session, user_id=user.id, email=user.email, moment=clock())
    deleted: list[DeletedRows] = []
    anonymized: list[AnonymizedRows] = []
    retained: list[RetainedRecords] = []
    for registration in registry.registrations():
        erase = registration.erase
        if isinstance(erase, Retain):
            retained.append(RetainedRecords(registration.table, erase.reason, registration.retention.label))
        elif isinstance(erase, Delete):
            rows = erase.apply(context) if erase.apply else _delete(session, registration, context)
            deleted.append(DeletedRows(registration.table, rows))
        elif isinstance(erase, Anonymize):
            rows = erase.apply(context) if erase.apply else _anonymize(session, registration, erase, context)
            anonymized.append(
                AnonymizedRows(registration.table, tuple(erase.values), rows, registration.retention.label)
            )
    report = ErasureReport(
        user_id=context.user_id,
        erased_at=context.moment,
        deleted=tuple(deleted),
        anonymized=tuple(anonymized),
        retained=tuple(retained),
    )
    trail.record(
        session,
        "privacy.erasure_completed",
        actor=actor,
        target=("user", context.user_id),
        meta={
            "deleted": [{"table": d.table, "rows": d.rows} for d in report.deleted],
            "anonymized": [{"table": a.table, "rows": a.rows} for a in report.anonymized],
            "retained": [r.table for r in report.retained],
        },
        clock=clock,
    )
    if user in session:
        session.refresh(user)
    return report


def refuse_sole_owner(session: Session, user: User) -> None:
    """Conflict when ``user`` is the only owner of any organization: ownership must move first."""
    other = aliased(Membership)
    another_owner = exists().where(
        other.organization_id == Membership.organization_id,
        other.role == OrgRole.OWNER,
        other.user_id != user.id,
    )
    names = session.scalars(
        select(Organization.name)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user.id, Membership.role == OrgRole.OWNER, ~another_owner)
        .order_by(Organization.name)
    ).all()
    if names:
        listed = ", ".join(names)
        raise Conflict(
            f"You are the only owner of {listed}. Make another member an owner (or ask us to close "
            "the organization) before deleting your account.",
            fields={"organizations": listed},
        )


def _rows_of_person(registration: Registration, context: ErasureContext):
    table = SQLModel.metadata.tables[registration.table]
    matches = [table.c[column] == context.user_id for column in registration.owner]
    matches += [table.c[column] == context.email for column in registration.owner_email]
    return table, or_(*matches)


def _delete(session: Session, registration: Registration, context: ErasureContext) -> int:
    table, condition = _rows_of_person(registration, context)
    target = _mapped_class(registration.table) or table
    # ORM-enabled where possible, so objects already loaded in this session are marked deleted.
    statement = delete(target).where(condition)
    if target is not table:
        statement = statement.execution_options(synchronize_session="fetch")
    return session.execute(statement).rowcount or 0


def _anonymize(session: Session, registration: Registration, erase: Anonymize, context: ErasureContext) -> int:
    table, condition = _rows_of_person(registration, context)
    values = {column: value(context) if callable(value) else value for column, value in erase.values.items()}
    target = _mapped_class(registration.table) or table
    statement = update(target).where(condition).values(values)
    if target is not table:
        statement = statement.execution_options(synchronize_session="fetch")
    return session.execute(statement).rowcount or 0


def _mapped_class(table_name: str) -> type | None:
    for mapper in SQLModel._sa_registry.mappers:  # noqa: SLF001 - SQLModel's own registry of table models
        if getattr(mapper.local_table, "name", None) == table_name:
            return mapper.class_
    return None


def erasure_keeps(registry: Registry | None = None) -> list[KeptRecord]:
    """What erasing an account keeps (retained or anonymized records), with reasons and retention."""
    return kept_after_erasure(registry or default_registry())
