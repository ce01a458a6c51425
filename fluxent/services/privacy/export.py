"""The personal data export (GDPR Art. 15 and 20): one JSON document per person.

The document's sections and its JSON Schema (draft 2020-12) both come from the
privacy registry, so a registered area appears in the export and in the schema
at once. ``export_schema.json`` beside this module is the generated schema,
kept in the repository for review (regenerate: ``python -m fluxent.services.privacy``);
a test keeps it equal to :func:`export_schema`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import Engine
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.db import engine_of, read_scope, write_soon
from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import Role, User
from fluxent.services.audit import trail
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.registry import (
    CategorySummary,
    ExportContext,
    JSONText,
    NotExported,
    Registry,
    summarize,
)
from fluxent.services.privacy.sections import TIMESTAMP, closed_object, iso, list_of

# 2: audit events leave out keys whose value would be null or empty; ``personal`` is flattened.
# 3: audit events leave out what only repeats the person: no "actor" for their own actions,
#    "target": "you" for their account, never their own e-mail address.
SCHEMA_VERSION = 3
SCHEMA_FILE = Path(__file__).with_name("export_schema.json")


def export_user_data(
    session: Session,
    *,
    user: User,
    actor: User | None = None,
    clock: Clock = now,
    registry: Registry | None = None,
) -> dict[str, Any]:
    """Everything held about ``user`` as one JSON-able document; audited.

    ``actor`` is who asks (the person themselves by default, or an admin answering
    an e-mailed request).
    """
    registry = registry or default_registry()
    moment = _start(session, user=user, actor=actor or user, clock=clock, registry=registry)
    context = ExportContext(session=session, user=user, moment=moment)
    return {
        name: [_decoded(item) for item in value] if isinstance(value, Iterator) else value
        for name, value in _parts(context, registry)
    }


def _decoded(item: Any) -> Any:
    return json.loads(item) if isinstance(item, JSONText) else item


def stream_export(
    session: Session,
    *,
    user: User,
    actor: User | None = None,
    clock: Clock = now,
    registry: Registry | None = None,
) -> Generator[bytes]:
    """The same document as :func:`export_user_data`, as compact JSON in chunks of about 64 kB.

    Checks and audits now; the returned iterator reads in a read-only unit of work
    of its own while the answer is sent, in batches of rows, so the document is
    never held whole, and it stops (ending its transaction) when the client leaves.
    Sections that give their items as :class:`JSONText` (the audit events) are
    written as they are, without a decode and re-encode.
    """
    registry = registry or default_registry()
    moment = _start(session, user=user, actor=actor or user, clock=clock, registry=registry)
    return _chunks(engine_of(session), user.id, moment, registry)


def _start(session: Session, *, user: User, actor: User, clock: Clock, registry: Registry) -> datetime:
    check_may_act_for(actor, user)
    if user.erased_at is not None:
        raise NotFound("This account has been erased; no personal data is held about it.")
    meta = {"schema_version": SCHEMA_VERSION, "sections": [section.name for section in registry.sections()]}
    # A GET is a read: the event is then appended in a brief write once the read has committed.
    write_soon(
        session,
        lambda writer: trail.record(
            writer, "privacy.export_generated", actor=actor, target=user, meta=meta, clock=clock
        ),
    )
    return clock()


def _parts(context: ExportContext, registry: Registry) -> Iterator[tuple[str, Any]]:
    """The document's keys in order; a section may give its list as an iterator of items."""
    yield "schema_version", SCHEMA_VERSION
    yield "generated_at", iso(context.moment)
    for section in registry.sections():
        yield section.name, section.build(context)
    yield (
        "not_exported",
        [
            {"data": registration.description, "reason": registration.export.reason}
            for registration in registry.registrations()
            if isinstance(registration.export, NotExported)
        ],
    )


_CHUNK_BYTES = 64 * 1024
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _chunks(engine: Engine, user_id: int | None, moment: datetime, registry: Registry) -> Generator[bytes]:
    buffer: list[str] = []
    size = 0
    with read_scope(engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("This account no longer exists.")
        context = ExportContext(session=session, user=user, moment=moment)
        for index, (name, value) in enumerate(_parts(context, registry)):
            pieces: Iterable[str] = _list_pieces(value) if isinstance(value, Iterator) else (_encode(value),)
            for piece in itertools.chain(("," if index else "{", _encode(name), ":"), pieces):
                buffer.append(piece)
                size += len(piece)
                if size >= _CHUNK_BYTES:
                    yield "".join(buffer).encode()
                    buffer, size = [], 0
    buffer.append("}")
    yield "".join(buffer).encode()


def _list_pieces(items: Iterator[Any]) -> Iterator[str]:
    yield "["
    for index, item in enumerate(items):
        text = item if isinstance(item, JSONText) else _encode(item)
        yield "," + text if index else text
    yield "]"


def export_schema(registry: Registry | None = None) -> dict[str, Any]:
    """The export document's JSON Schema (draft 2020-12)."""
    registry = registry or default_registry()
    properties: dict[str, Any] = {
        "schema_version": {"const": SCHEMA_VERSION},
        "generated_at": TIMESTAMP,
        **{section.name: dict(section.schema) for section in registry.sections()},
        "not_exported": list_of(closed_object({"data": {"type": "string"}, "reason": {"type": "string"}})),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Fluxent personal data export",
        "description": "Everything Fluxent holds about one person (GDPR Art. 15 and 20).",
        **closed_object(properties),
    }


def validate_export(document: Any, *, registry: Registry | None = None) -> None:
    """Raise ``jsonschema.ValidationError`` (the first problem) unless ``document`` matches the schema."""
    validator = Draft202012Validator(export_schema(registry), format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator.validate(document)


def write_export_schema(path: Path = SCHEMA_FILE) -> Path:
    """Regenerate ``export_schema.json`` from the registry."""
    path.write_text(json.dumps(export_schema(), indent=2, sort_keys=False) + "\n")
    return path


def check_may_act_for(actor: User, user: User) -> None:
    """A person acts on their own data; an admin may act for anyone (requests by e-mail)."""
    if actor.id == user.id:
        return
    if actor.role != Role.ADMIN or not actor.is_active or actor.erased_at is not None:
        raise PermissionDenied("Only the account holder or an administrator can do this.")


def privacy_summary(registry: Registry | None = None) -> list[CategorySummary]:
    """Categories of personal data held, with legal basis and retention, from the registry."""
    return summarize(registry or default_registry())
