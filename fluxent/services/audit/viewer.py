"""The audit log as administrators read it: filtered pages and streamed exports.

Only administrators read the log. An event shows who acted, on what, in which
organization, and its personal part (IP address, user agent, e-mail); when the
person it is by or about has been erased, those read ``ERASED`` whatever the row
still holds, so an erased person never reappears through the log.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.csv_text import csv_cell
from fluxent.core.db import engine_of, read_scope, write_soon
from fluxent.core.errors import ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import Organization, User
from fluxent.models.audit import AuditEvent
from fluxent.services.accounts import authz
from fluxent.services.audit import trail
from fluxent.services.pagination import DEFAULT_PAGE_SIZE, Page, paginate

ERASED = "erased"
EXPORT_FORMATS = ("csv", "json")
MAX_PERSON = 200
# People a person filter may match; a broader text matches too many to be a filter.
_MAX_MATCHED_PEOPLE = 500
_ACTION_FILTER_RE = re.compile(r"^[a-z0-9_.]{1,64}$")
_EXPORT_BATCH = 1000
_CHUNK_CHARS = 64 * 1024


@dataclass(frozen=True)
class AuditFilter:
    """What to show: ``person`` matches a name, username or e-mail (of the actor, the person an
    event is about, or the address it recorded); ``action`` is one action or an area
    (``documents`` means every ``documents.*``); ``since`` and ``until`` are whole UTC days."""

    person: str = ""
    action: str = ""
    organization_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditLine:
    seq: int
    created_at: datetime
    action: str
    actor_id: int | None
    actor: str  # "Name <e-mail>", ERASED, or "" when the system acted
    target: str  # "user 12", "document 3", ""
    organization_id: int | None
    organization: str
    meta: str  # the event's JSON details
    ip: str
    user_agent: str
    email: str
    erased: bool  # by or about an erased person


EXPORT_COLUMNS = tuple(name for name in AuditLine.__dataclass_fields__ if name != "erased")


def events(
    session: Session,
    *,
    actor: User,
    filters: AuditFilter = AuditFilter(),
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Page[AuditLine]:
    """One page of the events under ``filters``, newest first (administrators only)."""
    authz.require_admin(actor)
    found = paginate(
        session, _statement(session, filters).order_by(AuditEvent.seq.desc()), page=page, page_size=page_size
    )
    return Page(items=_lines(session, found.items), total=found.total, page=found.page, page_size=found.page_size)


def start_export(
    session: Session, *, actor: User, filters: AuditFilter, fmt: str, clock: Clock = now
) -> Generator[str]:
    """The events under ``filters``, oldest first, as a CSV or JSON document in text chunks.

    Checks and audits now (the event names the filters and the format); the returned
    generator reads in a read unit of its own, in batches, while the answer is sent,
    and stops when it is closed (the client left).
    """
    authz.require_admin(actor)
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed("Export as csv or json.", fields={"format": "csv or json"})
    if (problem := filter_problem(filters)) is not None:
        raise problem
    # The chain covers meta and is never rewritten, so the person searched for stays out of it:
    # an address goes into the personal part (nulled when that person is erased), a name nowhere.
    meta = {key: value for key, value in asdict(filters).items() if key != "person" and value is not None}
    meta = {"format": fmt, **{key: value for key, value in meta.items() if value != ""}}
    pii = trail.Personal()
    if filters.person:
        meta["by_person"] = True
        pii = trail.Personal(email=filters.person if "@" in filters.person else None)
    write_soon(
        session,
        lambda writer: trail.record(writer, "audit.exported", actor=actor, meta=meta, pii=pii, clock=clock),
    )
    return _export(engine_of(session), filters, fmt)


def filter_problem(filters: AuditFilter) -> ValidationFailed | None:
    """Why ``filters`` cannot be applied (naming the field), or None."""
    problem = text_problem(filters.person)
    if problem is None and len(filters.person) > MAX_PERSON:
        problem = f"Search for a person with at most {MAX_PERSON} characters."
    if problem is not None:
        return ValidationFailed(problem, fields={"person": problem})
    if filters.action and not _ACTION_FILTER_RE.match(filters.action):
        message = "An action looks like documents.uploaded, or an area such as documents."
        return ValidationFailed(message, fields={"action": message})
    if filters.since and filters.until and filters.since > filters.until:
        message = "The range ends before it starts."
        return ValidationFailed(message, fields={"until": message})
    return None


def action_names(session: Session, *, actor: User) -> list[str]:
    """Every action the log holds, for the filter's choices."""
    authz.require_admin(actor)
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


# Internals ---------------------------------------------------------------------


def _statement(session: Session, filters: AuditFilter):
    if (problem := filter_problem(filters)) is not None:
        raise problem
    statement = select(AuditEvent)
    if filters.action:
        statement = statement.where(
            or_(
                AuditEvent.action == filters.action, AuditEvent.action.startswith(filters.action + ".", autoescape=True)
            )
        )
    if filters.organization_id is not None:
        statement = statement.where(AuditEvent.organization_id == filters.organization_id)
    if filters.since:
        statement = statement.where(AuditEvent.created_at >= _day_start(filters.since))
    if filters.until:
        statement = statement.where(AuditEvent.created_at < _day_start(filters.until + timedelta(days=1)))
    needle = " ".join(filters.person.split()).lower()
    if needle:
        people = list(
            session.scalars(
                select(User.id)
                .where(
                    User.erased_at.is_(None),
                    or_(
                        *(
                            func.lower(column).contains(needle, autoescape=True)
                            for column in (User.name, User.username, User.email)
                        )
                    ),
                )
                .limit(_MAX_MATCHED_PEOPLE)
            )
        )
        statement = statement.where(
            or_(
                AuditEvent.actor_id.in_(people),
                (AuditEvent.target_type == "user") & AuditEvent.target_id.in_([str(ident) for ident in people]),
                AuditEvent.email.contains(needle, autoescape=True),
            )
        )
    return statement


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _lines(session: Session, rows: list[AuditEvent]) -> list[AuditLine]:
    user_ids = {row.actor_id for row in rows if row.actor_id is not None}
    user_ids |= {int(row.target_id) for row in rows if row.target_type == "user" and row.target_id.isdigit()}
    people = {user.id: user for user in session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    org_ids = {row.organization_id for row in rows if row.organization_id is not None}
    names = (
        dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))).all())
        if org_ids
        else {}
    )
    return [_line(row, people, names) for row in rows]


def _line(row: AuditEvent, people: dict[int, User], organizations: dict[int, str]) -> AuditLine:
    actor = people.get(row.actor_id) if row.actor_id is not None else None
    about = people.get(int(row.target_id)) if row.target_type == "user" and row.target_id.isdigit() else None
    erased = any(person is not None and person.erased_at is not None for person in (actor, about))
    if actor is None:
        actor_label = "" if row.actor_id is None else f"user {row.actor_id}"
    elif actor.erased_at is not None:
        actor_label = ERASED
    else:
        actor_label = f"{actor.name} <{actor.email}>" if actor.name else actor.email
    return AuditLine(
        seq=row.seq,
        created_at=row.created_at,
        action=row.action,
        actor_id=row.actor_id,
        actor=actor_label,
        target=f"{row.target_type} {row.target_id}".strip(),
        organization_id=row.organization_id,
        organization=organizations.get(row.organization_id, "") if row.organization_id is not None else "",
        meta=row.meta,
        ip=ERASED if erased else row.ip or "",
        user_agent=ERASED if erased else row.user_agent or "",
        email=ERASED if erased else row.email or "",
        erased=erased,
    )


def _batches(engine, filters: AuditFilter) -> Iterator[list[AuditLine]]:
    """The filtered events, oldest first, a batch at a time by sequence number."""
    with read_scope(engine) as session:
        after = 0
        while True:
            statement = _statement(session, filters).where(AuditEvent.seq > after)
            rows = list(session.scalars(statement.order_by(AuditEvent.seq).limit(_EXPORT_BATCH)))
            if not rows:
                return
            yield _lines(session, rows)
            after = rows[-1].seq


def _export(engine, filters: AuditFilter, fmt: str) -> Generator[str]:
    pieces = _csv_pieces(_batches(engine, filters)) if fmt == "csv" else _json_pieces(_batches(engine, filters))
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= _CHUNK_CHARS:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def _values(line: AuditLine) -> list[Any]:
    return [line.created_at.isoformat() if name == "created_at" else getattr(line, name) for name in EXPORT_COLUMNS]


def _csv_pieces(batches: Iterable[list[AuditLine]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for batch in batches:
        writer.writerows([csv_cell(value) for value in _values(line)] for line in batch)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _json_pieces(batches: Iterable[list[AuditLine]]) -> Iterator[str]:
    yield "["
    first = True
    for batch in batches:
        for line in batch:
            item = dict(zip(EXPORT_COLUMNS, _values(line), strict=True))
            item["meta"] = json.loads(line.meta)
            yield ("" if first else ",") + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            first = False
    yield "]"
