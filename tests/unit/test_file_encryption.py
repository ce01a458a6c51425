"""Local files encrypted at rest: round trips, every way of changing a stored file, keys, rotation, migration."""

from __future__ import annotations

import io
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from fluxent.cli import main as cli
from fluxent.core import vault_crypto
from fluxent.core.storage import encryption, new_key
from fluxent.core.storage.encryption import CHUNK_SIZE, HEADER_BYTES, TAG_BYTES, FileUndecryptable
from fluxent.core.storage.file_keys import KEYS_DIR
from fluxent.core.storage.local import LocalStorage
from fluxent.core.vault_keys import parse_keyring
from tests.support.vault import key_list, use_keys

SMALL = 1024  # chunk size for the format-level tests, so a few KB span several chunks
BLOCK = SMALL + TAG_BYTES
DATA_KEY = os.urandom(32)


def _sealed(content: bytes, *, bound_to: str = "org-1/general/a") -> bytes:
    pieces = (content[i : i + 700] for i in range(0, len(content), 700))
    return b"".join(encryption.encrypt(pieces, data_key=DATA_KEY, bound_to=bound_to, chunk_size=SMALL))


def _opened(blob: bytes, *, bound_to: str = "org-1/general/a") -> bytes:
    return b"".join(encryption.decrypt(io.BytesIO(blob), data_key=DATA_KEY, bound_to=bound_to))


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 5 * SMALL + 17])
def test_round_trip_of_any_size(size):
    content = os.urandom(size)
    blob = _sealed(content)
    assert encryption.is_encrypted(blob) and _opened(blob) == content
    chunks = max(1, -(-size // SMALL))
    assert len(blob) == HEADER_BYTES + size + chunks * TAG_BYTES


def test_the_same_content_encrypts_differently_each_time():
    content = b"quarterly report " * 100
    first, second = _sealed(content), _sealed(content)
    assert first != second and content[:32] not in first


def _chunks(blob: bytes) -> tuple[bytes, list[bytes]]:
    body = blob[HEADER_BYTES:]
    return blob[:HEADER_BYTES], [body[i : i + BLOCK] for i in range(0, len(body), BLOCK)]


CONTENT = os.urandom(4 * SMALL + 100)  # five chunks, the last one short


def _changed_byte(blob: bytes) -> bytes:
    flipped = bytearray(blob)
    flipped[HEADER_BYTES + 2 * BLOCK + 5] ^= 0x01
    return bytes(flipped)


def _swapped(blob: bytes) -> bytes:
    header, chunks = _chunks(blob)
    chunks[1], chunks[2] = chunks[2], chunks[1]
    return header + b"".join(chunks)


def _last_dropped(blob: bytes) -> bytes:
    header, chunks = _chunks(blob)
    return header + b"".join(chunks[:-1])


def _another_files_chunk(blob: bytes) -> bytes:
    header, chunks = _chunks(blob)
    _, others = _chunks(_sealed(CONTENT))
    chunks[1] = others[1]
    return header + b"".join(chunks)


def _header_changed(blob: bytes) -> bytes:
    flipped = bytearray(blob)
    flipped[HEADER_BYTES - 1] ^= 0x01  # the salt
    return bytes(flipped)


def _huge_chunk_size(blob: bytes) -> bytes:
    flipped = bytearray(blob)
    flipped[len(encryption.MAGIC) + 1 : len(encryption.MAGIC) + 5] = (2**31).to_bytes(4, "big")
    return bytes(flipped)


@pytest.mark.parametrize(
    "tamper",
    [
        _changed_byte,
        _swapped,
        _last_dropped,
        lambda blob: blob[:-1],  # cut inside the final chunk
        lambda blob: blob[: HEADER_BYTES + BLOCK + 10],  # cut inside a middle chunk
        lambda blob: blob[:HEADER_BYTES],  # nothing but the header
        lambda blob: blob[:5],  # not even a header
        lambda blob: blob + b"\x00" * 40,  # extended
        lambda blob: blob + _chunks(blob)[1][-1],  # the final chunk repeated
        _another_files_chunk,
        _header_changed,
        _huge_chunk_size,
    ],
    ids=[
        "changed-byte",
        "chunks-swapped",
        "last-chunk-dropped",
        "cut-in-final-chunk",
        "cut-in-middle-chunk",
        "header-only",
        "no-header",
        "extended",
        "final-chunk-repeated",
        "chunk-from-another-file",
        "header-changed",
        "huge-chunk-size",
    ],
)
def test_a_changed_file_raises_and_never_returns_what_was_changed(tamper):
    blob = _sealed(CONTENT)
    received = []
    with pytest.raises(FileUndecryptable) as raised:
        received.extend(encryption.decrypt(io.BytesIO(tamper(blob)), data_key=DATA_KEY, bound_to="org-1/general/a"))
    assert raised.value.code == "file_undecryptable"
    assert CONTENT.startswith(b"".join(received))  # only the intact chunks before the change


def test_a_file_opens_only_under_its_own_storage_key_and_data_key():
    blob = _sealed(CONTENT)
    with pytest.raises(FileUndecryptable):
        _opened(blob, bound_to="org-1/general/b")
    with pytest.raises(FileUndecryptable):
        b"".join(encryption.decrypt(io.BytesIO(blob), data_key=os.urandom(32), bound_to="org-1/general/a"))


# Local storage --------------------------------------------------------------


@pytest.fixture
def storage(tmp_path, monkeypatch) -> LocalStorage:
    use_keys(monkeypatch, key_list("k1"))
    return LocalStorage(tmp_path / "files")


def _write(storage: LocalStorage, key: str, content: bytes) -> None:
    assert storage.write(key, (content[i : i + 100_000] for i in range(0, len(content), 100_000))) == len(content)


def test_local_files_are_encrypted_on_disk_with_one_key_per_organization(storage):
    content = b"Statement of work, signed. " * 20_000
    first, second, other, shared = (
        new_key("org-1", "general"),
        new_key("org-1", "eng-4"),
        new_key("org-2", "general"),
        "esign/env-9/sealed",
    )
    for key in (first, second, other, shared):
        _write(storage, key, content)
    for key in (first, second, other, shared):
        on_disk = storage.path_for(key).read_bytes()
        assert on_disk.startswith(encryption.MAGIC) and b"Statement of work" not in on_disk
        assert b"".join(storage.read(key)) == content
    key_files = storage.root / KEYS_DIR
    assert sorted(path.name for path in key_files.iterdir()) == ["org-1", "org-2", "shared"]
    assert all((path.stat().st_mode & 0o777) == 0o600 for path in key_files.iterdir())
    assert (key_files.stat().st_mode & 0o777) == 0o700


def test_a_file_moved_to_another_key_or_organization_does_not_open(storage):
    mine, sibling, foreign = new_key("org-1", "general"), new_key("org-1", "general"), new_key("org-2", "general")
    _write(storage, mine, b"ours " * 1000)
    _write(storage, sibling, b"sibling")
    _write(storage, foreign, b"theirs")
    for target in (sibling, foreign):
        shutil.copyfile(storage.path_for(mine), storage.path_for(target))
        with pytest.raises(FileUndecryptable):
            b"".join(storage.read(target))


def test_another_organizations_data_key_does_not_open(storage):
    mine, theirs = new_key("org-1", "general"), new_key("org-2", "general")
    _write(storage, mine, b"ours")
    _write(storage, theirs, b"theirs")
    shutil.copyfile(storage.root / KEYS_DIR / "org-1", storage.root / KEYS_DIR / "org-2")
    with pytest.raises(FileUndecryptable):
        b"".join(storage.read(theirs))
    assert b"".join(storage.read(mine)) == b"ours"


def test_a_deleted_data_key_makes_its_files_unreadable_for_good(storage):
    key = new_key("org-3", "general")
    _write(storage, key, b"shredded")
    (storage.root / KEYS_DIR / "org-3").unlink()
    with pytest.raises(FileUndecryptable):
        b"".join(storage.read(key))


def test_a_tampered_stored_file_raises(storage):
    key = new_key("org-1", "general")
    _write(storage, key, os.urandom(3 * CHUNK_SIZE))
    path = storage.path_for(key)
    changed = bytearray(path.read_bytes())
    changed[-100] ^= 0x80
    path.write_bytes(bytes(changed))
    with pytest.raises(FileUndecryptable):
        b"".join(storage.read(key))


def test_rotation_rewraps_file_keys_and_the_old_key_can_go(storage, monkeypatch):
    old = key_list("k1")
    use_keys(monkeypatch, old)
    keys = [new_key("org-1", "general"), new_key("org-2", "general")]
    for key in keys:
        _write(storage, key, b"before rotation")
    new = key_list("k2")
    ring = parse_keyring(f"{new},{old}")
    assert storage.keys.rotate(ring) == 2
    assert storage.keys.rotate(ring) == 0  # already under the primary key
    wrapped = [path.read_bytes() for path in (storage.root / KEYS_DIR).iterdir()]
    assert {vault_crypto.key_id_of(blob) for blob in wrapped} == {"k2"}
    use_keys(monkeypatch, new)
    assert [b"".join(storage.read(key)) for key in keys] == [b"before rotation"] * 2


def test_dropping_a_key_without_rotating_first_locks_the_files(storage, monkeypatch):
    key = new_key("org-1", "general")
    _write(storage, key, b"locked")
    use_keys(monkeypatch, key_list("k9"))
    with pytest.raises(FileUndecryptable):
        b"".join(storage.read(key))
    with pytest.raises(FileUndecryptable):
        storage.keys.rotate(parse_keyring(key_list("k10")))


def test_memory_stays_bounded_while_a_large_file_streams_in_and_out(storage):
    size, piece = 50 * 1024 * 1024, os.urandom(1024 * 1024)
    key = new_key("org-1", "general")
    tracemalloc.start()
    try:
        assert storage.write(key, (piece for _ in range(size // len(piece)))) == size
        read = sum(len(chunk) for chunk in storage.read(key))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == size
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


# Migration of files stored before encryption -----------------------------------


def _plain_files(root: Path) -> dict[str, bytes]:
    files = {
        new_key("org-1", "general"): b"%PDF-1.7 old contract",
        new_key("org-2", "eng-5"): os.urandom(CHUNK_SIZE * 2 + 3),
        "esign/env-1/sealed": b"%PDF-1.7 sealed",
        new_key("org-1", "general"): b"",
    }
    for key, content in files.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_bytes(content)
    return files


def test_plain_files_are_encrypted_in_place_once(storage):
    files = _plain_files(storage.root)
    (storage.root / "README.TXT").write_text("not a stored file")  # not a key: left alone
    with pytest.raises(FileUndecryptable):  # a plain file never passes for an encrypted one
        b"".join(storage.read(next(iter(files))))
    run = storage.encrypt_existing()
    assert (run.encrypted, run.already) == (4, 0)
    for key, content in files.items():
        assert storage.path_for(key).read_bytes().startswith(encryption.MAGIC)
        assert b"".join(storage.read(key)) == content
    again = storage.encrypt_existing()
    assert (again.encrypted, again.already) == (0, 4)
    assert (storage.root / "README.TXT").read_text() == "not a stored file"
    assert list((storage.root / ".partial").iterdir()) == []


def test_an_interrupted_migration_is_finished_by_the_next_run(storage, monkeypatch):
    files = _plain_files(storage.root)
    real = LocalStorage._write_atomically
    calls = 0

    def failing_after_two(self, target, pieces):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk went away")
        real(self, target, pieces)

    monkeypatch.setattr(LocalStorage, "_write_atomically", failing_after_two)
    with pytest.raises(OSError):
        storage.encrypt_existing()
    monkeypatch.setattr(LocalStorage, "_write_atomically", real)
    run = storage.encrypt_existing()
    assert (run.encrypted, run.already) == (2, 2)
    assert {key: b"".join(storage.read(key)) for key in files} == files


def test_the_encrypt_existing_command_reports_counts(data_dir, monkeypatch, capsys):
    use_keys(monkeypatch, key_list("k1"))
    _plain_files(data_dir / "files")
    assert cli(["storage", "encrypt-existing"]) == 0
    assert "4 file(s) encrypted now, 0 already encrypted." in capsys.readouterr().out
    assert cli(["storage", "encrypt-existing"]) == 0
    assert "0 file(s) encrypted now, 4 already encrypted." in capsys.readouterr().out


def test_the_vault_rotate_keys_command_rewraps_file_keys_too(session, data_dir, monkeypatch, capsys):
    old = key_list("k1")
    use_keys(monkeypatch, old)
    storage = LocalStorage(data_dir / "files")
    key = new_key("org-1", "general")
    _write(storage, key, b"rotated by the command")
    new = key_list("k2")
    use_keys(monkeypatch, f"{new},{old}")
    assert cli(["vault", "rotate-keys"]) == 0
    assert "0 vault data key(s) and 1 file data key(s) re-wrapped under k2" in capsys.readouterr().out
    use_keys(monkeypatch, new)
    assert b"".join(storage.read(key)) == b"rotated by the command"
