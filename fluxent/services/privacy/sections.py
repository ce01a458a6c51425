"""Export sections for the accounts, auth and audit areas: what each holds about a person.

Each section is a function of the :class:`ExportContext` and a JSON Schema for its
value. Queries are set-based (one per section) and read plain columns, never key
hashes, token hashes or password hashes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import StrEnum
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy import Select, and_, or_, select

from fluxent.core.iso_text import iso_utc_text
from fluxent.core.storage import get_storage
from fluxent.models.accounts import Membership, Organization, StaffProfile
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession
from fluxent.services.audit import trail
from fluxent.services.privacy.registry import ErasureContext, ExportContext, JSONText, Section

# The auth area's sign-in events; the ``sign_ins`` section lists those the person made.
SIGN_IN_ACTIONS = ("auth.login_succeeded",)

# JSON Schema building blocks ---------------------------------------------------

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
TIMESTAMP = {"type": "string", "format": "date-time"}
OPTIONAL_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
OPTIONAL_STRING = {"type": ["string", "null"]}


def closed_object(
    properties: dict[str, Any], *, nullable: bool = False, optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An object with exactly these keys, all required but the ``optional`` ones."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


# A string as JSON (quoted and escaped; other than ASCII kept as it is).
_string = encode_basestring


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _plain(value: Any) -> Any:
    """A column's value as JSON holds it: times in ISO 8601, enumerations by their value."""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, StrEnum) else value


def rows_section(name: str, fields: dict[str, Any], query: Callable[[ExportContext], Select]) -> Section:
    """A section listing the rows of ``query(ctx)``: each row's columns, in order, under the keys
    of ``fields`` (key -> JSON Schema), times in ISO 8601 and enumerations by their value."""

    def build(ctx: ExportContext) -> list[dict[str, Any]]:
        return [
            {key: _plain(value) for key, value in zip(fields, row, strict=True)}
            for row in ctx.session.execute(query(ctx))
        ]

    return Section(name, list_of(closed_object(fields)), build)


# Accounts ----------------------------------------------------------------------


def _profile(ctx: ExportContext) -> dict[str, Any]:
    user = ctx.user
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "phone": user.phone,
        "company": user.company,
        "country": user.country,
        "account_type": str(user.role),
        "password_set": bool(user.password_hash),
        "email_verified_at": iso(user.email_verified_at),
        "last_login_at": iso(user.last_login_at),
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
    }


PROFILE = Section(
    "profile",
    closed_object(
        {
            "id": INTEGER,
            "username": STRING,
            "email": STRING,
            "name": STRING,
            "phone": STRING,
            "company": STRING,
            "country": STRING,
            "account_type": {"enum": ["client", "staff", "admin"]},
            "password_set": BOOLEAN,
            "email_verified_at": OPTIONAL_TIMESTAMP,
            "last_login_at": OPTIONAL_TIMESTAMP,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    _profile,
)


def _memberships(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(Organization.name, Membership.role, Membership.created_at)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.user_id == ctx.user.id)
        .order_by(Organization.name)
    )
    return [{"organization": name, "role": str(role), "since": iso(since)} for name, role, since in rows]


MEMBERSHIPS = Section(
    "memberships",
    list_of(closed_object({"organization": STRING, "role": {"enum": ["owner", "member"]}, "since": TIMESTAMP})),
    _memberships,
)


def _staff_profile(ctx: ExportContext) -> dict[str, Any] | None:
    profile = ctx.session.get(StaffProfile, ctx.user.id)
    if profile is None:
        return None
    photo = b"".join(get_storage().read(profile.photo_key)) if profile.photo_key else None
    return {
        "title": profile.title,
        "team": profile.team,
        "listed_on_team_page": profile.listed_on_team_page,
        "bio": profile.bio,
        "links": profile.links.splitlines(),
        "photo_jpeg_base64": base64.b64encode(photo).decode() if photo else None,
        "photo_updated_at": iso(profile.photo_updated_at),
    }


STAFF_PROFILE = Section(
    "staff_profile",
    closed_object(
        {
            "title": STRING,
            "team": STRING,
            "listed_on_team_page": BOOLEAN,
            "bio": STRING,
            "links": list_of(STRING),
            "photo_jpeg_base64": OPTIONAL_STRING,
            "photo_updated_at": OPTIONAL_TIMESTAMP,
        },
        nullable=True,
    ),
    _staff_profile,
)


def erase_staff_profile(ctx: ErasureContext) -> int:
    """Delete the person's staff profile and its photo from storage."""
    profile = ctx.session.get(StaffProfile, ctx.user_id)
    if profile is None:
        return 0
    if profile.photo_key:
        get_storage().delete(profile.photo_key)
    ctx.session.delete(profile)
    ctx.session.flush()
    return 1


# Consent records arrive with the marketing area; until then every export says "none".
CONSENTS = Section(
    "consents",
    list_of({"type": "object"}),
    lambda _ctx: [],
)


# Auth --------------------------------------------------------------------------


def _sessions(ctx: ExportContext) -> list[dict[str, Any]]:
    rows = ctx.session.execute(
        select(
            AuthSession.created_at,
            AuthSession.last_seen_at,
            AuthSession.expires_at,
            AuthSession.revoked_at,
            AuthSession.ip,
            AuthSession.user_agent,
        )
        .where(AuthSession.user_id == ctx.user.id)
        .order_by(AuthSession.created_at, AuthSession.id)
    )
    return [
        {
            "created_at": iso(created),
            "last_seen_at": iso(seen),
            "expires_at": iso(expires),
            "revoked_at": iso(revoked),
            "ip": ip,
            "user_agent": agent,
        }
        for created, seen, expires, revoked, ip, agent in rows
    ]


SESSIONS = Section(
    "sessions",
    list_of(
        closed_object(
            {
                "created_at": TIMESTAMP,
                "last_seen_at": TIMESTAMP,
                "expires_at": TIMESTAMP,
                "revoked_at": OPTIONAL_TIMESTAMP,
                "ip": STRING,
                "user_agent": STRING,
            }
        )
    ),
    _sessions,
)


# Audit -------------------------------------------------------------------------

# An account can have tens of thousands of events, so an event states only what is
# not already known: a key whose value would be null or empty is left out, and so is
# what only repeats the person (stated once, in ``profile``): no "actor" when they
# acted themselves, "target": "you" when the event is about their account, and never
# their own e-mail address (an event recorded under it is listed, without repeating it).
AUDIT_EVENT_SCHEMA = closed_object(
    {
        "seq": INTEGER,
        "at": TIMESTAMP,
        "action": STRING,
        "actor": {"enum": ["someone_else", "system"]},
        "target": {"oneOf": [{"const": "you"}, closed_object({"type": STRING, "id": STRING})]},
        "organization_id": INTEGER,
        "meta": {"type": "object", "minProperties": 1},
        "ip": STRING,
        "user_agent": STRING,
    },
    optional=("actor", "target", "organization_id", "meta", "ip", "user_agent"),
)

# Rows are read in batches of this many, as plain tuples.
_AUDIT_BATCH = 1000
_AUDIT_COLUMNS = (
    AuditEvent.seq,
    iso_utc_text(AuditEvent.created_at),
    AuditEvent.action,
    AuditEvent.actor_id,
    AuditEvent.target_type,
    AuditEvent.target_id,
    AuditEvent.organization_id,
    AuditEvent.meta,
    AuditEvent.ip,
    AuditEvent.user_agent,
)


def _audit_events(ctx: ExportContext, *, actions: tuple[str, ...] | None = None) -> Iterator[JSONText]:
    """Events by or about the person, each as its JSON text, one at a time (an account can have
    tens of thousands).

    The IP address and user agent of an event belong to whoever acted, so they are
    included only for the person's own actions. The stored ``meta`` is already JSON
    text (compact, from the audit trail) and goes in as it is.
    """
    user_id, email = ctx.user.id, ctx.user.email
    if actions is None:
        about = or_(
            AuditEvent.actor_id == user_id,
            and_(AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id)),
            AuditEvent.email == email,
        )
    else:
        about = and_(AuditEvent.actor_id == user_id, AuditEvent.action.in_(actions))
    # The option goes with this statement only: set on the connection, it would outlive it and
    # make every later statement of the unit a server-side cursor on PostgreSQL.
    rows = ctx.session.connection().execute(
        select(*_AUDIT_COLUMNS).where(about).order_by(AuditEvent.seq),
        execution_options={"yield_per": _AUDIT_BATCH},
    )
    you = str(user_id)
    for seq, at, action, actor_id, target_type, target_id, org_id, meta, ip, agent in rows:
        text = f'{{"seq":{seq},"at":"{at}","action":{_string(action)}'
        own = actor_id == user_id
        if not own:
            text += ',"actor":"system"' if actor_id is None else ',"actor":"someone_else"'
        if target_type == "user" and target_id == you:
            text += ',"target":"you"'
        elif target_type:
            text += f',"target":{{"type":{_string(target_type)},"id":{_string(target_id)}}}'
        if org_id is not None:
            text += f',"organization_id":{org_id}'
        if meta != "{}":
            text += f',"meta":{meta}'
        if own and ip:
            text += f',"ip":{_string(ip)}'
        if own and agent:
            text += f',"user_agent":{_string(agent)}'
        yield JSONText(text + "}")


AUDIT_EVENTS = Section("audit_events", list_of(AUDIT_EVENT_SCHEMA), _audit_events)
SIGN_INS = Section("sign_ins", list_of(AUDIT_EVENT_SCHEMA), lambda ctx: _audit_events(ctx, actions=SIGN_IN_ACTIONS))


def erase_audit_personal(ctx: ErasureContext) -> int:
    """The audit log's own erasure path: its triggers allow nulling the personal part only."""
    return trail.erase_personal(ctx.session, user_id=ctx.user_id, email=ctx.email)
