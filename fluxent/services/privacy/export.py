"""The personal data export (GDPR Art. 15 and 20): one JSON document per person.

The document's sections and its JSON Schema (draft 2020-12) both come from the
privacy registry, so a registered area appears in the export and in the schema
at once. ``export_schema.json`` beside this module is the generated schema,
kept in the repository for review (regenerate: ``python -m fluxent.services.privacy``);
a test keeps it equal to :func:`export_schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from sqlmodel import Session

from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import Role, User
from fluxent.services.audit import trail
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.registry import CategorySummary, ExportContext, NotExported, Registry, summarize
from fluxent.services.privacy.sections import TIMESTAMP, closed_object, iso, list_of

SCHEMA_VERSION = 1
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
    actor = actor or user
    check_may_act_for(actor, user)
    if user.erased_at is not None:
        raise NotFound("This account has been erased; no personal data is held about it.")
    moment = clock()
    context = ExportContext(session=session, user=user, moment=moment)
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "generated_at": iso(moment)}
    for section in registry.sections():
        document[section.name] = section.build(context)
    document["not_exported"] = [
        {"data": registration.description, "reason": registration.export.reason}
        for registration in registry.registrations()
        if isinstance(registration.export, NotExported)
    ]
    trail.record(
        session,
        "privacy.export_generated",
        actor=actor,
        target=user,
        meta={"schema_version": SCHEMA_VERSION, "sections": [section.name for section in registry.sections()]},
        clock=clock,
    )
    return document


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
