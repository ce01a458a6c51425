"""Vault encryption: sealed values open only with their key, in their row; rotation keeps everything open."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from fluxent.core import vault_crypto as crypto
from fluxent.core import vault_keys
from fluxent.core.vault_crypto import Undecryptable
from fluxent.core.vault_keys import KeyringError, parse_keyring
from fluxent.models.vault import VaultDataKey, VaultItemVersion
from fluxent.services.vault import items, keys
from tests.support.vault import AWS, add_aws_login, key_list, stepped_up, use_keys

KEY, OTHER = b"k" * 32, b"o" * 32


def test_a_sealed_value_opens_with_its_key_and_context():
    blob = crypto.seal(KEY, "k1", b"secret", b"row-1")
    assert crypto.key_id_of(blob) == "k1"
    assert crypto.open_sealed({"k1": KEY}.get, blob, b"row-1") == b"secret"
    assert b"secret" not in blob


def test_two_seals_of_one_value_differ():
    assert crypto.seal(KEY, "k1", b"secret", b"row") != crypto.seal(KEY, "k1", b"secret", b"row")


def test_flipping_any_byte_gives_one_generic_error():
    blob = crypto.seal(KEY, "k1", b"secret value", b"row-1")
    messages = set()
    for position in range(len(blob)):
        flipped = bytearray(blob)
        flipped[position] ^= 0x01
        with pytest.raises(Undecryptable) as refused:
            crypto.open_sealed({"k1": KEY, "k0": KEY}.get, bytes(flipped), b"row-1")
        messages.add((refused.value.code, refused.value.message))
    assert messages == {("vault_undecryptable", "This secret cannot be decrypted.")}


@pytest.mark.parametrize(
    ("keyring", "context"),
    [({"k1": OTHER}, b"row-1"), ({}, b"row-1"), ({"k1": KEY}, b"row-2")],
    ids=["wrong key", "unknown key id", "other row"],
)
def test_the_wrong_key_or_row_fails_the_same_way(keyring, context):
    blob = crypto.seal(KEY, "k1", b"secret", b"row-1")
    with pytest.raises(Undecryptable):
        crypto.open_sealed(keyring.get, blob, context)


@pytest.mark.parametrize("blob", [b"", b"\x01", b"\x02\x02k1" + b"0" * 40, b"\x01\x05k1"])
def test_truncated_or_unknown_formats_are_refused(blob):
    with pytest.raises(Undecryptable):
        crypto.open_sealed({"k1": KEY}.get, blob, b"row")


def test_the_key_list_is_parsed_with_the_first_primary():
    ring = parse_keyring(key_list("new", "old"))
    assert ring.primary_id == "new" and set(ring.keys) == {"new", "old"}


@pytest.mark.parametrize("text", ["", " , ", "k1:", "bad id:AAAA", "k1:" + "A" * 40 + "AA=="])
def test_bad_key_lists_are_refused(text):
    with pytest.raises(KeyringError):
        parse_keyring(text)


def test_development_makes_one_private_key_file(data_dir):
    first, second = vault_keys.keyring(), vault_keys.keyring()
    assert first == second and len(first.primary) == 32
    assert ((data_dir / "vault-keys").stat().st_mode & 0o777) == 0o600


def test_a_ciphertext_moved_to_another_item_or_organization_never_decrypts(session, world):
    mine = add_aws_login(session, world.owner_a, world.engagement_a.id)
    sibling = add_aws_login(session, world.owner_a, world.engagement_a.id, name="Other", password="other-secret")
    foreign = add_aws_login(session, world.owner_b, world.engagement_b.id, name="Theirs", password="their-secret")
    stolen = session.scalars(select(VaultItemVersion.ciphertext).where(VaultItemVersion.item_id == mine.id)).one()
    for target in (sibling, foreign):
        session.execute(update(VaultItemVersion).where(VaultItemVersion.item_id == target.id).values(ciphertext=stolen))
    session.commit()
    for target, person in ((sibling, world.staff), (foreign, world.owner_b)):
        browser = stepped_up(session, person)
        with pytest.raises(Undecryptable):
            items.reveal(session, actor=person, auth_session=browser, item_id=target.id)
    browser = stepped_up(session, world.staff)
    assert items.reveal(session, actor=world.staff, auth_session=browser, item_id=mine.id) == AWS


def test_a_data_key_moved_to_another_engagement_never_unwraps(session, world):
    add_aws_login(session, world.owner_a, world.engagement_a.id)
    theirs = add_aws_login(session, world.owner_b, world.engagement_b.id)
    wrapped = session.scalars(
        select(VaultDataKey.wrapped).where(VaultDataKey.engagement_id == world.engagement_a.id)
    ).one()
    session.execute(
        update(VaultDataKey).where(VaultDataKey.engagement_id == world.engagement_b.id).values(wrapped=wrapped)
    )
    session.commit()
    browser = stepped_up(session, world.owner_b)
    with pytest.raises(Undecryptable):
        items.reveal(session, actor=world.owner_b, auth_session=browser, item_id=theirs.id)


def test_rotate_then_drop_the_old_key_and_everything_still_decrypts(session, world, monkeypatch):
    old = key_list("k1")
    use_keys(monkeypatch, old)
    created = [
        add_aws_login(session, world.owner_a, world.engagement_a.id),
        add_aws_login(session, world.owner_b, world.engagement_b.id, password="second-secret"),
    ]
    new = key_list("k2")
    use_keys(monkeypatch, f"{new},{old}")
    assert keys.rotate(session) == 2
    assert keys.rotate(session) == 0  # already under the primary key
    session.commit()
    wrapped = session.scalars(select(VaultDataKey.wrapped)).all()
    assert {crypto.key_id_of(blob) for blob in wrapped} == {"k2"}
    use_keys(monkeypatch, new)
    for item, person, password in zip(
        created, (world.staff, world.owner_b), (AWS["password"], "second-secret"), strict=True
    ):
        browser = stepped_up(session, person)
        assert items.reveal(session, actor=person, auth_session=browser, item_id=item.id)["password"] == password


def test_dropping_a_key_without_rotating_first_locks_its_vaults(session, world, monkeypatch):
    use_keys(monkeypatch, key_list("k1"))
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    use_keys(monkeypatch, key_list("k2"))
    browser = stepped_up(session, world.staff)
    with pytest.raises(Undecryptable):
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    with pytest.raises(Undecryptable):
        keys.rotate(session)


def test_an_earlier_versions_ciphertext_moved_onto_the_current_version_never_decrypts(session, world):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    items.update_item(session, actor=world.owner_a, item_id=item.id, value={**AWS, "password": "rotated-secret"})
    session.commit()
    first = session.scalars(
        select(VaultItemVersion.ciphertext).where(VaultItemVersion.item_id == item.id, VaultItemVersion.version == 1)
    ).one()
    session.execute(
        update(VaultItemVersion)
        .where(VaultItemVersion.item_id == item.id, VaultItemVersion.version == 2)
        .values(ciphertext=first)
    )
    session.commit()
    browser = stepped_up(session, world.staff)
    with pytest.raises(Undecryptable):
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    assert items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, version=1) == AWS
