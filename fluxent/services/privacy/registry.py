"""The privacy registry: every table that holds personal data, and what happens to it.

One entry per table says which columns are personal, how the table appears in a
person's data export, how it is erased, and under which legal basis and retention
rule (in the published policy's own words) it is held. The export, the erasure,
the portal's privacy page and the coverage test all read this one registry, so
adding a table is one ``register`` call in ``fluxent/services/privacy/entries/`` (an area
registers its tables through ``Registry.area``, which holds what they share).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, Table
from sqlmodel import Session

from fluxent.models.accounts import User
from fluxent.services.privacy.policy import POLICY_CATEGORIES, Category, LegalBasis, RetentionRule
from fluxent.services.privacy.retention_rules import RULES, Rule, rules_for

# Document keys the export writes itself; no section may take them.
RESERVED_KEYS = frozenset({"schema_version", "generated_at", "not_exported"})


# Export ---------------------------------------------------------------------


class JSONText(str):
    """A value already encoded as JSON text: the streamed export writes it as it is."""

    __slots__ = ()


@dataclass(frozen=True)
class ExportContext:
    session: Session
    user: User
    moment: datetime


@dataclass(frozen=True)
class Section:
    """One key of the export document: its JSON Schema and the function that fills it."""

    name: str
    schema: Mapping[str, Any]
    build: Callable[[ExportContext], Any]


@dataclass(frozen=True)
class NotExported:
    """The table is not in the export; the reason is shown in the export itself."""

    reason: str


# Erasure --------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureContext:
    """What erasure knows about the person, captured before anything changes."""

    session: Session
    user_id: int
    email: str
    moment: datetime


@dataclass(frozen=True)
class Delete:
    """Delete every row that belongs to the person (see ``Registration.owner``).

    ``apply`` deletes them instead where a row is the person's through another
    table (a lead's notes, by the lead's e-mail); it returns the number of rows deleted.
    """

    apply: Callable[[ErasureContext], int] | None = None


@dataclass(frozen=True)
class Anonymize:
    """Overwrite columns of the person's rows and keep the rows.

    ``values`` maps each column to its replacement, or to a function of the
    :class:`ErasureContext` returning it. ``apply`` replaces the generic UPDATE
    where the table only allows its own write path (the audit log's triggers);
    it returns the number of rows changed.
    """

    values: Mapping[str, Any]
    apply: Callable[[ErasureContext], int] | None = None


@dataclass(frozen=True)
class Retain:
    """Keep the rows as they are: a legal duty outweighs erasure. Listed in the erasure report."""

    reason: str


Erasure = Delete | Anonymize | Retain


@dataclass(frozen=True)
class Registration:
    table: str
    description: str
    personal: tuple[str, ...]
    categories: tuple[Category, ...]
    basis: LegalBasis
    retention: RetentionRule
    export: tuple[Section, ...] | NotExported
    erase: Erasure
    # Columns that hold the person's user id, and columns that hold their e-mail address:
    # a row is the person's when any of them matches.
    owner: tuple[str, ...] = ("user_id",)
    owner_email: tuple[str, ...] = ()
    retention_detail: str = ""


@dataclass(frozen=True)
class Exemption:
    """A table whose personal-looking columns are not data about a person, and why."""

    table: str
    reason: str


class Registry:
    """Registrations, exemptions and export sections, in the order they were declared.

    Filled once at import (``privacy.entries``) and only read afterwards.
    """

    def __init__(self) -> None:
        self._registrations: dict[str, Registration] = {}
        self._exemptions: dict[str, Exemption] = {}
        self._sections: dict[str, Section] = {}
        self._standing: set[str] = set()

    def register(
        self,
        *,
        table: str,
        description: str,
        personal: Iterable[str],
        categories: Iterable[Category],
        basis: LegalBasis,
        retention: RetentionRule,
        export: tuple[Section, ...] | Section | NotExported,
        erase: Erasure,
        owner: Iterable[str] = ("user_id",),
        owner_email: Iterable[str] = (),
        retention_detail: str = "",
    ) -> Registration:
        """Register one table. Refuses duplicates and entries that could not work."""
        if table in self._registrations or table in self._exemptions:
            raise ValueError(f"table {table!r} is already in the privacy registry")
        sections = (export,) if isinstance(export, Section) else export
        registration = Registration(
            table=table,
            description=description,
            personal=tuple(personal),
            categories=tuple(categories),
            basis=basis,
            retention=retention,
            export=sections,
            erase=erase,
            owner=tuple(owner),
            owner_email=tuple(owner_email),
            retention_detail=retention_detail,
        )
        _check(registration)
        own = sections if isinstance(sections, tuple) else ()
        names = [section.name for section in own]
        if len(set(names)) != len(names):
            raise ValueError(f"privacy registration {table!r} names an export section twice")
        for section in own:
            self._check_section(section, standing=False)
        for section in own:
            self._add_section(section, standing=False)
        self._registrations[table] = registration
        return registration

    def area(self, **shared: Any) -> Callable[..., Registration]:
        """``register`` with the keywords an area's tables share (categories, basis, retention,
        owner, ...), so each table's entry names only its own; an entry may still override one."""
        return functools.partial(self.register, **shared)

    def exempt(self, *, table: str, reason: str) -> None:
        """Declare that a table with personal-looking columns holds no data about a person."""
        if table in self._registrations or table in self._exemptions:
            raise ValueError(f"table {table!r} is already in the privacy registry")
        if not reason.strip():
            raise ValueError(f"exempting {table!r} needs a reason")
        self._exemptions[table] = Exemption(table, reason)

    def standing_section(self, section: Section) -> None:
        """A section every export has, filled by ``section.build`` until a table registers
        a section of the same name (which then takes its place and schema)."""
        self._add_section(section, standing=True)

    def registrations(self) -> tuple[Registration, ...]:
        return tuple(self._registrations.values())

    def exemptions(self) -> tuple[Exemption, ...]:
        return tuple(self._exemptions.values())

    def sections(self) -> tuple[Section, ...]:
        return tuple(self._sections.values())

    def get(self, table: str) -> Registration | None:
        return self._registrations.get(table)

    def _check_section(self, section: Section, *, standing: bool) -> None:
        if section.name in RESERVED_KEYS or not re.fullmatch(r"[a-z][a-z0-9_]*", section.name):
            raise ValueError(f"{section.name!r} cannot be an export section name")
        if section.name in self._sections and (standing or section.name not in self._standing):
            raise ValueError(f"export section {section.name!r} is registered twice")

    def _add_section(self, section: Section, *, standing: bool) -> None:
        self._check_section(section, standing=standing)
        if standing:
            self._standing.add(section.name)
        else:
            self._standing.discard(section.name)
        self._sections[section.name] = section


def _check(registration: Registration) -> None:
    where = f"privacy registration {registration.table!r}"
    if not registration.personal:
        raise ValueError(f"{where}: name its personal columns")
    if not registration.categories:
        raise ValueError(f"{where}: give at least one policy category")
    found_by_apply = isinstance(registration.erase, Delete) and registration.erase.apply is not None
    if not registration.owner and not registration.owner_email and not found_by_apply:
        raise ValueError(f"{where}: name the column(s) that tie a row to a person")
    if isinstance(registration.export, NotExported) and not registration.export.reason.strip():
        raise ValueError(f"{where}: 'not exported' needs a reason")
    if isinstance(registration.erase, Retain) and not registration.erase.reason.strip():
        raise ValueError(f"{where}: 'retain' needs a reason")
    if isinstance(registration.erase, Anonymize):
        left = set(registration.personal) - set(registration.erase.values)
        if left:
            raise ValueError(f"{where}: anonymizing must overwrite every personal column (missing {sorted(left)})")


# Coverage ---------------------------------------------------------------------

# Column names that look personal: whole words of a snake_case name.
PERSONAL_NAME_WORDS = (
    "email",
    "name",
    "username",
    "phone",
    "mobile",
    "company",
    "country",
    "ip",
    "user_agent",
    "address",
    "street",
    "city",
    "postal",
    "zip",
    "birth",
    "dob",
    "ssn",
    "tax_id",
    "password",
    "signature",
    "avatar",
    "photo",
    "customer",
    "iban",
    "card",
)
_PERSONAL_NAME_RE = re.compile(r"(^|_)(" + "|".join(PERSONAL_NAME_WORDS) + r")($|_)")
USER_TABLE = "account_user"


def personal_looking_columns(table: Table) -> list[str]:
    """Columns whose name looks personal, or that point at a person (a foreign key to the users table)."""
    found = []
    for column in table.columns:
        points_at_person = any(fk.target_fullname == f"{USER_TABLE}.id" for fk in column.foreign_keys)
        if points_at_person or _PERSONAL_NAME_RE.search(column.name):
            found.append(column.name)
    return found


def coverage_problems(metadata: MetaData, registry: Registry) -> list[str]:
    """Every way ``metadata`` and ``registry`` disagree; empty when each personal table is covered."""
    problems: list[str] = []
    for name, table in sorted(metadata.tables.items()):
        suspicious = personal_looking_columns(table)
        registration = registry.get(name)
        if registration is None:
            if suspicious and name not in {e.table for e in registry.exemptions()}:
                problems.append(
                    f"table {name!r} has personal-looking columns {suspicious} but is not in the privacy registry"
                )
            continue
        known = set(registration.personal) | set(registration.owner) | set(registration.owner_email)
        unlisted = [column for column in suspicious if column not in known]
        if unlisted:
            problems.append(f"table {name!r}: personal-looking columns {unlisted} are not listed as personal or owner")
    for registration in registry.registrations():
        table = metadata.tables.get(registration.table)
        if table is None:
            problems.append(f"registered table {registration.table!r} does not exist")
            continue
        named = [*registration.personal, *registration.owner, *registration.owner_email]
        if isinstance(registration.erase, Anonymize):
            named += list(registration.erase.values)
        missing = sorted({column for column in named if column not in table.columns})
        if missing:
            problems.append(f"registration {registration.table!r} names columns that do not exist: {missing}")
    for exemption in registry.exemptions():
        if exemption.table not in metadata.tables:
            problems.append(f"exempted table {exemption.table!r} does not exist")
    return problems


def retention_problems(registry: Registry, rules: Iterable[Rule] = RULES) -> list[str]:
    """Every way the retention table and ``registry`` disagree: a rule naming a table the
    registry does not know, or keeping another policy row than the table is registered under."""
    problems: list[str] = []
    exempted = {exemption.table for exemption in registry.exemptions()}
    for rule in rules:
        for table in rule.tables:
            registration = registry.get(table)
            if registration is None and table not in exempted:
                problems.append(f"retention rule {rule.key!r} names table {table!r}, which the registry does not know")
            elif registration is not None and rule.policy not in (None, registration.retention):
                problems.append(
                    f"retention rule {rule.key!r} keeps {rule.policy.data!r} but table {table!r} is registered "
                    f"under {registration.retention.data!r}"
                )
    return problems


# The privacy page -------------------------------------------------------------


@dataclass(frozen=True)
class CategorySummary:
    """One category of data held, for the portal's privacy page."""

    title: str
    description: str
    held_as: tuple[str, ...]
    legal_bases: tuple[str, ...]
    retention: tuple[str, ...]


def summarize(registry: Registry) -> list[CategorySummary]:
    """The categories of data held, each with its legal bases and retention, in the policy's order."""
    summaries = []
    registrations = registry.registrations()
    for category in POLICY_CATEGORIES:
        members = [r for r in registrations if category in r.categories]
        if not members:
            continue
        summaries.append(
            CategorySummary(
                title=category.title,
                description=category.description,
                held_as=tuple(r.description for r in members),
                legal_bases=_unique(r.basis.label for r in members),
                retention=_unique(retention_text(r) for r in members),
            )
        )
    return summaries


@dataclass(frozen=True)
class KeptRecord:
    """What account erasure keeps, told before the person confirms it."""

    description: str
    how: str
    reason: str
    retention: str


KEPT_AS_IS = "Kept as it is"
KEPT_ANONYMIZED = "Kept with your personal details removed"


def kept_after_erasure(registry: Registry) -> list[KeptRecord]:
    """The registered data that outlives an account erasure, with why and for how long."""
    kept = []
    for registration in registry.registrations():
        retention = retention_text(registration)
        if isinstance(registration.erase, Retain):
            reason = f"{registration.basis.label}: {registration.erase.reason}"
            kept.append(KeptRecord(registration.description, KEPT_AS_IS, reason, retention))
        elif isinstance(registration.erase, Anonymize):
            kept.append(KeptRecord(registration.description, KEPT_ANONYMIZED, registration.basis.label, retention))
    return kept


def retention_text(registration: Registration) -> str:
    """The policy's retention row for a table, with what the table's own entry and the
    retention table's rules add (e.g. "Audit logs: 2 years from the event timestamp (...)")."""
    details = [registration.retention_detail] if registration.retention_detail else []
    details += [
        rule.promise for rule in rules_for(registration.table) if rule.promise and rule.policy == registration.retention
    ]
    return registration.retention.label + (f" ({'; '.join(details)})" if details else "")


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
