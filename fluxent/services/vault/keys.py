"""Keys: each engagement's data key, wrapped by the key-encryption keys of
``core.vault_keys``, and rotation.

A data key is 32 random bytes, created with the engagement's first item and stored only
wrapped (sealed) under a key-encryption key, with associated data naming its organization
and engagement. ``rotate`` re-wraps every data key under the primary key-encryption key;
after it, older key-encryption keys can leave the settings. Deleting the wrapped data
key (``shred``) makes every ciphertext of the engagement unreadable for good.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, delete, select, update
from sqlmodel import Session

from fluxent.core import vault_crypto as crypto
from fluxent.core.clock import Clock, now
from fluxent.core.db import insert_unless_present
from fluxent.core.vault_keys import KEY_BYTES, Keyring, keyring
from fluxent.models.vault import VaultDataKey
from fluxent.services.audit import trail

_ROTATE_BATCH = 1000
_TABLE = VaultDataKey.__table__  # rotation updates rows in batches, below the ORM


def _wrap_context(organization_id: int, engagement_id: int) -> bytes:
    return f"fluxent-vault-data-key|org={organization_id}|engagement={engagement_id}".encode()


@dataclass(frozen=True)
class DataKey:
    """An engagement's unwrapped data key; ``key_id`` goes into the header of every ciphertext."""

    key_id: str
    key: bytes

    def lookup(self, key_id: str) -> bytes | None:
        return self.key if key_id == self.key_id else None


def unwrap(*, key_row_id: int, organization_id: int, engagement_id: int, wrapped: bytes) -> DataKey:
    """The data key stored wrapped in row ``key_row_id`` of the engagement; Undecryptable otherwise.

    Unwrapped on every use and never cached: a shredded or rotated key must stop working at once.
    """
    key = crypto.open_sealed(keyring().keys.get, wrapped, _wrap_context(organization_id, engagement_id))
    return DataKey(key_id=f"d{key_row_id}", key=key)


def data_key(session: Session, *, organization_id: int, engagement_id: int) -> DataKey:
    """The engagement's data key, made and stored wrapped when there is none yet (a first item).

    Two first items of one engagement may be added at once: creation inserts unless a key is
    present and then reads whichever key won, so both use the same one.
    """
    row = _key_row(session, engagement_id)
    if row is None:
        ring = keyring()
        raw = secrets.token_bytes(KEY_BYTES)
        wrapped = crypto.seal(ring.primary, ring.primary_id, raw, _wrap_context(organization_id, engagement_id))
        values = {
            "organization_id": organization_id,
            "engagement_id": engagement_id,
            "wrapped": wrapped,
            "created_at": now(),
        }
        insert_unless_present(session, VaultDataKey, values, unique=["engagement_id"])
        row = _key_row(session, engagement_id)
        assert row is not None
    key_row_id, owner_id, wrapped = row
    if owner_id != organization_id:
        raise crypto.Undecryptable()
    return unwrap(key_row_id=key_row_id, organization_id=organization_id, engagement_id=engagement_id, wrapped=wrapped)


def _key_row(session: Session, engagement_id: int) -> Row[tuple[int, int, bytes]] | None:
    return session.execute(
        select(VaultDataKey.id, VaultDataKey.organization_id, VaultDataKey.wrapped).where(
            VaultDataKey.engagement_id == engagement_id
        )
    ).first()


def shred(session: Session, *, engagement_id: int) -> int:
    """Destroy the engagement's data key; returns how many were deleted (0 or 1)."""
    return session.execute(delete(VaultDataKey).where(VaultDataKey.engagement_id == engagement_id)).rowcount or 0


def rotate(session: Session, *, ring: Keyring | None = None, clock: Clock = now) -> int:
    """Re-wrap every data key under the primary key-encryption key; returns how many changed.

    Keys already under the primary key stay as they are, so a second run changes nothing.
    Undecryptable (naming nothing) when a data key's key-encryption key is missing.
    """
    ring = ring or keyring()
    moment, changed, last_id = clock(), 0, 0
    while True:
        rows = session.execute(
            select(VaultDataKey.id, VaultDataKey.organization_id, VaultDataKey.engagement_id, VaultDataKey.wrapped)
            .where(VaultDataKey.id > last_id)
            .order_by(VaultDataKey.id)
            .limit(_ROTATE_BATCH)
        ).all()
        if not rows:
            trail.record(
                session,
                "vault.keys_rotated",
                meta={"primary_key_id": ring.primary_id, "rewrapped": changed},
                clock=clock,
            )
            return changed
        updates = [_rewrapped(ring, *row) for row in rows if crypto.key_id_of(row.wrapped) != ring.primary_id]
        if updates:
            session.execute(update(_TABLE).where(_TABLE.c.id == bindparam("row_id")).values(rotated_at=moment), updates)
            changed += len(updates)
        last_id = rows[-1].id


def _rewrapped(ring: Keyring, row_id: int, organization_id: int, engagement_id: int, wrapped: bytes) -> Mapping:
    context = _wrap_context(organization_id, engagement_id)
    raw = crypto.open_sealed(ring.keys.get, wrapped, context)
    return {"row_id": row_id, "wrapped": crypto.seal(ring.primary, ring.primary_id, raw, context)}
