"""Vault items: a name, a kind, tags and an encrypted value with its version history.

The value is a small JSON object of the kind's fields (``KIND_FIELDS``), sealed with the
engagement's data key and associated data naming the organization, engagement, item and
version, so a ciphertext copied to any other row never opens. Editing the value adds a
version; earlier versions stay encrypted until the item is deleted. Reads return
metadata only; :func:`reveal` is the one way to a value: it needs a step-up within the
last ten minutes (``auth.step_up``) and writes an audit event. Values never go into an
audit event, an error message or a log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, func, select
from sqlmodel import Session

from fluxent.core import vault_crypto as crypto
from fluxent.core.clock import Clock, now
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.text import text_problem
from fluxent.models.accounts import User
from fluxent.models.auth import AuthSession
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemKind, VaultItemVersion
from fluxent.services.audit import trail
from fluxent.services.auth import step_up
from fluxent.services.vault import keys
from fluxent.services.vault.access import vault_access

K = VaultItemKind
# Each kind's fields, required ones first; the rest may be left empty.
KIND_FIELDS: dict[VaultItemKind, tuple[str, ...]] = {
    K.LOGIN: ("username", "password", "url", "totp_seed"),
    K.API_KEY: ("key",),
    K.SSH_KEY: ("private_key", "passphrase"),
    K.DATABASE_URL: ("url",),
    K.SECURE_NOTE: ("note",),
}
REQUIRED_FIELDS: dict[VaultItemKind, tuple[str, ...]] = {
    K.LOGIN: ("username", "password"),
    K.API_KEY: ("key",),
    K.SSH_KEY: ("private_key",),
    K.DATABASE_URL: ("url",),
    K.SECURE_NOTE: ("note",),
}
KIND_LABELS = {
    K.LOGIN: "Login",
    K.API_KEY: "API key",
    K.SSH_KEY: "SSH key",
    K.DATABASE_URL: "Database URL",
    K.SECURE_NOTE: "Secure note",
}
MAX_FIELD = 16_384
MAX_TAGS = 10
MAX_TAG = 40
NO_ITEM = "No such vault item."
NO_VERSION = "This item has no such version."


@dataclass(frozen=True)
class ItemRow:
    """What lists show of an item: never its value."""

    id: int
    engagement_id: int
    kind: str
    kind_label: str
    name: str
    tags: tuple[str, ...]
    version: int
    created_by: str
    updated_by: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VersionRow:
    """One stored value of an item, as its history lists it: never the value."""

    version: int
    created_by: str
    created_at: datetime
    current: bool


def _context(item: VaultItem | Row[Any], version: int) -> bytes:
    return (
        f"fluxent-vault-item|org={item.organization_id}|engagement={item.engagement_id}"
        f"|item={item.id}|version={version}"
    ).encode()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 200 or text_problem(name):
        raise ValidationFailed("Give the item a name of 1-200 characters.", fields={"name": "1-200 characters."})
    return name


def _clean_tags(tags: list[str] | tuple[str, ...]) -> str:
    cleaned = sorted({" ".join(tag.split()).lower() for tag in tags if tag and tag.strip()})
    bad = [tag for tag in cleaned if len(tag) > MAX_TAG or "," in tag or text_problem(tag)]
    if bad or len(cleaned) > MAX_TAGS:
        message = f"Up to {MAX_TAGS} tags of at most {MAX_TAG} characters, without commas."
        raise ValidationFailed(message, fields={"tags": message})
    return ",".join(cleaned)


def _clean_value(kind: VaultItemKind, value: dict[str, str]) -> bytes:
    allowed, required = KIND_FIELDS[kind], REQUIRED_FIELDS[kind]
    fields: dict[str, str] = {}
    for name in value:
        if name not in allowed:
            fields[name] = f"Not a field of a {KIND_LABELS[kind].lower()}."
    for name in allowed:
        text = value.get(name) or ""
        if not isinstance(text, str) or len(text) > MAX_FIELD or text_problem(text, multiline=True):
            fields[name] = f"Text of at most {MAX_FIELD} characters."
        elif name in required and not text.strip():
            fields[name] = "Required."
    if fields:
        # The messages name fields only: the value never goes into an error.
        raise ValidationFailed("Some fields of the secret are missing or invalid.", fields=fields)
    return json.dumps({name: value.get(name) or "" for name in allowed}, separators=(",", ":")).encode()


def _all_checked(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check; one ValidationFailed naming every bad field, or the cleaned values."""
    results, fields = [], {}
    for check in checks:
        try:
            results.append(check())
        except ValidationFailed as error:
            fields.update(error.fields)
    if fields:
        raise ValidationFailed("Some fields are missing or invalid.", fields=fields)
    return results


def _kind(kind: str) -> VaultItemKind:
    try:
        return VaultItemKind(kind)
    except ValueError:
        message = "Choose one of: " + ", ".join(k.value for k in VaultItemKind)
        raise ValidationFailed(message, fields={"kind": message}) from None


def _seal_version(session: Session, item: VaultItem, version: int, plaintext: bytes, actor: User) -> None:
    data_key = keys.data_key(session, organization_id=item.organization_id, engagement_id=item.engagement_id)
    ciphertext = crypto.seal(data_key.key, data_key.key_id, plaintext, _context(item, version))
    session.add(VaultItemVersion(item_id=item.id, version=version, ciphertext=ciphertext, created_by_id=actor.id))


def _audit(
    session: Session, action: str, actor: User, item: VaultItem | Row[Any], clock: Clock, **meta: object
) -> None:
    trail.record(
        session,
        action,
        actor=actor,
        target=("engagement", item.engagement_id),
        organization=item.organization_id,
        meta={"item": item.id, "name": item.title, **meta},
        clock=clock,
    )


def create_item(
    session: Session,
    *,
    actor: User,
    engagement_id: int,
    kind: str,
    name: str,
    value: dict[str, str],
    tags: list[str] | tuple[str, ...] = (),
    clock: Clock = now,
) -> VaultItem:
    access = vault_access(session, actor, engagement_id, manage=True)
    item_kind = _kind(kind)
    name, tag_text, plaintext = _all_checked(
        lambda: _clean_name(name), lambda: _clean_tags(tags), lambda: _clean_value(item_kind, value)
    )
    moment = clock()
    item = VaultItem(
        organization_id=access.engagement.organization_id,
        engagement_id=engagement_id,
        kind=item_kind,
        title=name,
        tags=tag_text,
        version=1,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        created_at=moment,
        updated_at=moment,
    )
    session.add(item)
    session.flush()
    _seal_version(session, item, 1, plaintext, actor)
    _audit(session, "vault.item_created", actor, item, clock, kind=str(item_kind))
    return item


def _item(session: Session, actor: User, item_id: int, *, manage: bool) -> VaultItem:
    item = session.get(VaultItem, item_id)
    if item is None:
        raise NotFound(NO_ITEM)
    _access(session, actor, item.engagement_id, manage=manage)
    return item


def _access(session: Session, actor: User, engagement_id: int, *, manage: bool) -> None:
    """``vault_access``, with an item's own not-found message."""
    try:
        vault_access(session, actor, engagement_id, manage=manage)
    except NotFound:
        raise NotFound(NO_ITEM) from None


def update_item(
    session: Session,
    *,
    actor: User,
    item_id: int,
    name: str | None = None,
    tags: list[str] | tuple[str, ...] | None = None,
    value: dict[str, str] | None = None,
    clock: Clock = now,
) -> VaultItem:
    """Rename, retag, or store a new value (a new version; the previous one is kept)."""
    item = _item(session, actor, item_id, manage=True)
    changed: list[str] = []
    new_name, new_tags, plaintext = _all_checked(
        lambda: _clean_name(name) if name is not None else item.title,
        lambda: _clean_tags(tags) if tags is not None else item.tags,
        lambda: _clean_value(item.kind, value) if value is not None else None,
    )
    if new_name != item.title:
        changed.append("name")
    if new_tags != item.tags:
        changed.append("tags")
    item.title, item.tags = new_name, new_tags
    if plaintext is not None:
        item.version += 1
        _seal_version(session, item, item.version, plaintext, actor)
        changed.append("value")
    if not changed:
        return item
    item.updated_by_id, item.updated_at = actor.id, clock()
    session.add(item)
    session.flush()
    _audit(session, "vault.item_updated", actor, item, clock, changed=changed, version=item.version)
    return item


def delete_item(session: Session, *, actor: User, item_id: int, clock: Clock = now) -> None:
    """Delete the item and every version of its value."""
    item = _item(session, actor, item_id, manage=True)
    _audit(session, "vault.item_deleted", actor, item, clock)
    session.execute(delete(VaultItemVersion).where(VaultItemVersion.item_id == item.id))
    session.delete(item)
    session.flush()


def reveal(
    session: Session,
    *,
    actor: User,
    auth_session: AuthSession,
    item_id: int,
    version: int | None = None,
    copied: bool = False,
    clock: Clock = now,
) -> dict[str, str]:
    """The item's current value, or an earlier ``version``, after a recent step-up; audited as
    revealed or copied, with the version."""
    found = _sealed(session, item_id, version)
    if found is None:
        raise NotFound(NO_ITEM)
    _access(session, actor, found.engagement_id, manage=False)
    if found.ciphertext is None and version is not None:
        raise NotFound(NO_VERSION)
    step_up.require_recent(auth_session, clock=clock)
    if found.ciphertext is None or found.key_row_id is None or found.key_organization_id != found.organization_id:
        raise crypto.Undecryptable()
    data_key = keys.unwrap(
        key_row_id=found.key_row_id,
        organization_id=found.organization_id,
        engagement_id=found.engagement_id,
        wrapped=found.wrapped,
    )
    value = json.loads(crypto.open_sealed(data_key.lookup, found.ciphertext, _context(found, found.version)))
    action = "vault.item_copied" if copied else "vault.item_revealed"
    _audit(session, action, actor, found, clock, version=found.version)
    return value


def _sealed(session: Session, item_id: int, version: int | None) -> Row[Any] | None:
    """In one read: the item, the ciphertext of ``version`` (None: the current one) and the
    engagement's wrapped data key; the ciphertext and key are None when missing."""
    wanted = VaultItem.version if version is None else version
    return session.execute(
        select(
            VaultItem.id,
            VaultItem.organization_id,
            VaultItem.engagement_id,
            VaultItem.title,
            VaultItemVersion.version,
            VaultItemVersion.ciphertext,
            VaultDataKey.id.label("key_row_id"),
            VaultDataKey.organization_id.label("key_organization_id"),
            VaultDataKey.wrapped,
        )
        .outerjoin(VaultItemVersion, and_(VaultItemVersion.item_id == VaultItem.id, VaultItemVersion.version == wanted))
        .outerjoin(VaultDataKey, VaultDataKey.engagement_id == VaultItem.engagement_id)
        .where(VaultItem.id == item_id)
    ).first()


def list_versions(session: Session, *, actor: User, item_id: int) -> list[VersionRow]:
    """Every stored version of the item's value, newest first: who stored it and when, never the value."""
    item = _item(session, actor, item_id, manage=False)
    rows = session.execute(
        select(VaultItemVersion.version, VaultItemVersion.created_at, User.name, User.email)
        .outerjoin(User, User.id == VaultItemVersion.created_by_id)
        .where(VaultItemVersion.item_id == item.id)
        .order_by(VaultItemVersion.version.desc())
    ).all()
    return [
        VersionRow(
            version=row.version,
            created_by=row.name or row.email or "",
            created_at=row.created_at,
            current=row.version == item.version,
        )
        for row in rows
    ]


def list_items(session: Session, *, actor: User, engagement_id: int) -> list[ItemRow]:
    vault_access(session, actor, engagement_id)
    users = {}
    items = session.scalars(
        select(VaultItem).where(VaultItem.engagement_id == engagement_id).order_by(func.lower(VaultItem.title))
    ).all()
    wanted = {i for item in items for i in (item.created_by_id, item.updated_by_id) if i}
    if wanted:
        users = {u.id: u.name or u.email for u in session.scalars(select(User).where(User.id.in_(wanted)))}
    return [
        ItemRow(
            id=item.id,
            engagement_id=item.engagement_id,
            kind=str(item.kind),
            kind_label=KIND_LABELS[VaultItemKind(item.kind)],
            name=item.title,
            tags=tuple(tag for tag in item.tags.split(",") if tag),
            version=item.version,
            created_by=users.get(item.created_by_id, ""),
            updated_by=users.get(item.updated_by_id, ""),
            created_at=item.created_at,
            updated_at=item.updated_at,
        )
        for item in items
    ]


def get_item(session: Session, *, actor: User, item_id: int) -> ItemRow:
    item = _item(session, actor, item_id, manage=False)
    return next(row for row in list_items(session, actor=actor, engagement_id=item.engagement_id) if row.id == item.id)
