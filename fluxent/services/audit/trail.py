"""The audit log: append, verify, purge by retention, erase the personal part.

Each row's ``hash`` is HMAC-SHA256 (key ``FLUXENT_AUDIT_KEY``, never stored in the
database) over the previous row's hash and the row's own non-personal columns.
Appends are serialized (PostgreSQL advisory lock; SQLite's write lock, which every
transaction takes at BEGIN), so concurrent writers from any number of threads or
processes build one gapless chain.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlmodel import Session, SQLModel

from fluxent.core.clock import Clock, now
from fluxent.core.settings import get_settings
from fluxent.models.audit import CHECKPOINT_ACTION, AuditEvent

GENESIS_HASH = "0" * 64
# Arbitrary constant naming the audit chain's PostgreSQL advisory lock.
_PG_LOCK_KEY = 0x466C7578_41756474  # "FluxAudt"
_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Meta keys that could carry a secret are refused outright.
_SECRET_KEY_RE = re.compile(r"password|passwd|secret|token|cookie|^(code|otp|key|pin)$", re.I)
_VERIFY_BATCH = 5000

Target = SQLModel | tuple[str, object] | None


@dataclass(frozen=True)
class Personal:
    """The personal part of an event: kept outside the chain, nulled on erasure."""

    ip: str | None = None
    user_agent: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def record(
    session: Session,
    action: str,
    *,
    actor: SQLModel | int | None = None,
    target: Target = None,
    organization: SQLModel | int | None = None,
    meta: Mapping[str, Any] | None = None,
    pii: Personal | None = None,
    clock: Clock = now,
) -> int:
    """Append one event in the caller's transaction (it commits with the change it records).

    Returns the event's sequence number.
    """
    if not _ACTION_RE.match(action):
        raise ValueError(f"audit action {action!r} must look like 'area.verb'")
    meta_text = _canonical_meta(meta or {})
    target_type, target_id = _target_ref(target)
    target_type, target_id = _clean(target_type, 32), _clean(target_id, 64)
    return _append(
        session,
        action=action,
        actor_id=_id_of(actor),
        target_type=target_type,
        target_id=target_id,
        organization_id=_id_of(organization),
        meta=meta_text,
        pii=pii or Personal(),
        created_at=clock(),
    )


def verify(session: Session, *, key: bytes | None = None) -> VerifyResult:
    """Walk the whole chain; report the first sequence number that does not hold.

    Reads through the raw driver cursor in keyset pages: a million rows verify in
    seconds and memory stays flat.
    """
    key = key or _chain_key()
    anchors = {
        through: json.loads(meta).get("anchor")
        for through, meta in session.execute(
            select(AuditEvent.checkpoint_through, AuditEvent.meta).where(AuditEvent.checkpoint_through.is_not(None))
        )
    }
    checked = 0
    expected_seq: int | None = None
    prev_hash = ""
    for row in _raw_rows(session):
        seq, created_at, action, actor_id, target_type, target_id, org_id, meta, through, row_prev, row_hash = row
        if expected_seq is None:
            anchor = GENESIS_HASH if seq == 1 else anchors.get(seq - 1)
            if anchor is None:
                if not any(covered >= seq for covered in anchors):
                    return VerifyResult(
                        False, checked, seq, "rows before it are missing and no retention checkpoint covers them"
                    )
                # A purge in batches stopped part way: the rows left up to the checkpoint are
                # checked link by link and against the checkpoint's anchor when it is reached.
                anchor = row_prev
            prev_hash = anchor
        elif seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "row is missing")
        if row_prev != prev_hash:
            return VerifyResult(False, checked, seq, "link to the previous row is broken")
        if isinstance(created_at, datetime):
            created_at = _timestamp(created_at)
        digest = _digest(
            key, prev_hash, seq, created_at, action, actor_id, target_type, target_id, org_id, meta, through
        )
        if not hmac.compare_digest(digest, row_hash):
            return VerifyResult(False, checked, seq, "row content does not match its hash")
        if seq in anchors and anchors[seq] != row_hash:
            return VerifyResult(False, checked, seq, "row does not match the retention checkpoint that names it")
        checked += 1
        expected_seq = seq + 1
        prev_hash = row_hash
    return VerifyResult(True, checked)


def purge_older_than(session: Session, cutoff: datetime, *, limit: int | None = None, clock: Clock = now) -> int:
    """Retention: delete rows older than ``cutoff`` (at most ``limit`` of them) after writing a checkpoint.

    The checkpoint is itself a chained event naming the last row to purge and its hash,
    so the chain still verifies from the first remaining row, also while a purge that goes
    in batches (one transaction each) is only part done. Returns the number of rows deleted;
    call again until it returns less than ``limit``.
    """
    _lock_chain(session)
    covered = session.scalar(select(func.max(AuditEvent.checkpoint_through))) or 0
    through = session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.created_at < cutoff)) or 0
    if through > covered:
        _write_checkpoint(session, through, cutoff, clock)
        covered = through
    lowest = session.scalar(select(func.min(AuditEvent.seq)))
    if lowest is None or lowest > covered:
        return 0
    upper = covered if limit is None else min(covered, lowest + limit - 1)
    result = session.execute(delete(AuditEvent).where(AuditEvent.seq <= upper))
    return result.rowcount or 0


def count_older_than(session: Session, cutoff: datetime) -> int:
    """How many rows ``purge_older_than`` would delete (those a checkpoint already covers included)."""
    covered = session.scalar(select(func.max(AuditEvent.checkpoint_through))) or 0
    through = session.scalar(select(func.max(AuditEvent.seq)).where(AuditEvent.created_at < cutoff)) or 0
    return (
        session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= max(covered, through))) or 0
    )


def _write_checkpoint(session: Session, through: int, cutoff: datetime, clock: Clock) -> None:
    anchor = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == through))
    count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= through))
    meta = {"purged_through": through, "anchor": anchor, "cutoff": _timestamp(cutoff), "rows": count}
    _append(
        session,
        action=CHECKPOINT_ACTION,
        actor_id=None,
        target_type="",
        target_id="",
        organization_id=None,
        meta=_canonical_meta(meta),
        pii=Personal(),
        created_at=clock(),
        checkpoint_through=through,
    )


def erase_personal(session: Session, *, user_id: int | None = None, email: str | None = None) -> int:
    """Null the personal part of every event by or about a person. The chain still verifies."""
    conditions = []
    if user_id is not None:
        conditions.append(AuditEvent.actor_id == user_id)
        conditions.append((AuditEvent.target_type == "user") & (AuditEvent.target_id == str(user_id)))
    if email:
        conditions.append(AuditEvent.email == email.lower())
    if not conditions:
        return 0
    result = session.execute(
        update(AuditEvent)
        .where(or_(*conditions))
        .where(AuditEvent.ip.is_not(None) | AuditEvent.user_agent.is_not(None) | AuditEvent.email.is_not(None))
        .values(ip=None, user_agent=None, email=None)
    )
    return result.rowcount or 0


# Internals -----------------------------------------------------------------


def _append(
    session: Session,
    *,
    action: str,
    actor_id: int | None,
    target_type: str,
    target_id: str,
    organization_id: int | None,
    meta: str,
    pii: Personal,
    created_at: datetime,
    checkpoint_through: int | None = None,
) -> int:
    """Insert the next row; return its seq.

    Appends are the hottest write in the system, so they go straight to the
    driver cursor of the session's own connection (same transaction), skipping
    the ORM unit of work.
    """
    _lock_chain(session)
    cursor = _cursor(session)
    try:
        cursor.execute(_HEAD_SQL)
        head = cursor.fetchone()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        created_at = created_at.astimezone(UTC)
        stamp = _timestamp(created_at)
        digest = _digest(
            _chain_key(),
            prev_hash,
            seq,
            stamp,
            action,
            actor_id,
            target_type,
            target_id,
            organization_id,
            meta,
            checkpoint_through,
        )
        sqlite = session.get_bind().dialect.name == "sqlite"
        values = (
            seq,
            stamp if sqlite else created_at,
            action,
            actor_id,
            target_type,
            target_id,
            organization_id,
            meta,
            checkpoint_through,
            prev_hash,
            digest,
            (pii.ip or None) and pii.ip[:45],
            (pii.user_agent or None) and pii.user_agent[:300],
            (pii.email or None) and pii.email.lower()[:254],
        )
        cursor.execute(_INSERT_SQL_QMARK if sqlite else _INSERT_SQL_FORMAT, values)
    finally:
        cursor.close()
    return seq


def _cursor(session: Session):
    return session.connection().connection.dbapi_connection.cursor()  # type: ignore[union-attr]


_COLUMNS = (
    "seq, created_at, action, actor_id, target_type, target_id, organization_id, meta,"
    " checkpoint_through, prev_hash, hash"
)
_HEAD_SQL = "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1"
_INSERT_COLUMNS = f"INSERT INTO audit_event ({_COLUMNS}, ip, user_agent, email) VALUES "
_INSERT_SQL_QMARK = _INSERT_COLUMNS + "(" + ", ".join(["?"] * 14) + ")"
_INSERT_SQL_FORMAT = _INSERT_COLUMNS + "(" + ", ".join(["%s"] * 14) + ")"
_VERIFY_PAGE = f"SELECT {_COLUMNS} FROM audit_event WHERE seq > {{after}} ORDER BY seq LIMIT {{limit}}"


def _raw_rows(session: Session) -> Iterator[tuple]:
    cursor = _cursor(session)
    after = 0
    try:
        while True:
            cursor.execute(_VERIFY_PAGE.format(after=int(after), limit=_VERIFY_BATCH))
            page = cursor.fetchall()
            if not page:
                return
            yield from page
            after = page[-1][0]
    finally:
        cursor.close()


def _lock_chain(session: Session) -> None:
    """Serialize appenders until this transaction ends.

    SQLite needs nothing here: every transaction begins IMMEDIATE (core.db), so
    this one already holds the database's write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def _digest(
    key: bytes,
    prev_hash: str,
    seq: int,
    created_at: str,
    action: str,
    actor_id: int | None,
    target_type: str,
    target_id: str,
    organization_id: int | None,
    meta: str,
    checkpoint_through: int | None,
) -> str:
    """HMAC over the previous hash and the row's chained columns, joined by the ASCII
    unit separator (which no chained value can contain: see ``_clean``)."""
    message = "\x1f".join(
        (
            prev_hash,
            str(seq),
            created_at,
            action,
            "" if actor_id is None else str(actor_id),
            target_type,
            target_id,
            "" if organization_id is None else str(organization_id),
            meta,
            "" if checkpoint_through is None else str(checkpoint_through),
        )
    )
    return hmac.digest(key, message.encode(), "sha256").hex()


def _timestamp(moment: datetime) -> str:
    """The chained form of a timestamp: UTC, microseconds, as SQLite stores it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _clean(value: str, limit: int) -> str:
    """Identifiers enter the chain as printable text without control characters."""
    if len(value) > limit or any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(f"audit identifier {value[:40]!r} is too long or has control characters")
    return value


def _canonical_meta(meta: Mapping[str, Any]) -> str:
    for name in _walk_keys(meta):
        if _SECRET_KEY_RE.search(name):
            raise ValueError(f"audit meta key {name!r} looks like a secret; secrets never enter the audit log")
    return json.dumps(meta, sort_keys=True, separators=(",", ":"), default=str)


def _walk_keys(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for name, inner in value.items():
            yield str(name)
            yield from _walk_keys(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _walk_keys(inner)


def _target_ref(target: Target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), str(ident)
    ident = getattr(target, "id", None)
    return type(target).__name__.lower(), "" if ident is None else str(ident)


def _id_of(value: SQLModel | int | None) -> int | None:
    if value is None or isinstance(value, int):
        return value
    return value.id


def _chain_key() -> bytes:
    return get_settings().audit_key.encode()
