"""Private storage backends: the local directory and a real S3-compatible server."""

from __future__ import annotations

import os

import pytest

from fluxent.core.settings import load_settings
from fluxent.core.storage import get_storage, new_key
from fluxent.core.storage.local import LocalStorage
from fluxent.core.storage.s3 import PART_SIZE, S3Storage
from tests.support.portal import stored_files
from tests.support.s3 import bucket_state
from tests.support.s3 import client as s3_client


def _failing(chunks, after: int):
    for index, chunk in enumerate(chunks):
        if index == after:
            raise RuntimeError("client went away")
        yield chunk


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "files"), lambda: [
            str(p.relative_to(tmp_path / "files")) for p in stored_files(tmp_path)
        ]
    values = request.getfixturevalue("s3_settings")
    storage = get_storage(load_settings())
    assert isinstance(storage, S3Storage)
    return storage, lambda: bucket_state(values)[0]


def test_round_trip_in_chunks(backend):
    storage, listing = backend
    key = new_key("org-1", "general")
    data = os.urandom(300_000)
    assert storage.write(key, (data[i : i + 50_000] for i in range(0, len(data), 50_000))) == len(data)
    assert storage.exists(key)
    assert b"".join(storage.read(key)) == data
    storage.delete(key)
    assert not storage.exists(key)
    assert listing() == []


def test_a_failed_stream_leaves_nothing(backend):
    storage, listing = backend
    key = new_key("org-1", "general")
    with pytest.raises(RuntimeError):
        storage.write(key, _failing([b"x" * 100_000] * 5, after=3))
    assert not storage.exists(key)
    assert listing() == []


def test_keys_are_made_by_the_server_and_checked():
    assert new_key("org-1", "eng-2").startswith("org-1/eng-2/")
    storage = LocalStorage("/tmp/nowhere")
    for bad in ("../etc/passwd", "/abs", "org-1/../../x", "Org/Upper", "a//b", ""):
        with pytest.raises(ValueError):
            storage.path_for(bad)


def test_local_files_are_private(tmp_path):
    storage = LocalStorage(tmp_path / "files")
    key = new_key("org-1", "general")
    storage.write(key, [b"secret"])
    assert (storage.path_for(key).stat().st_mode & 0o777) == 0o600
    assert list((tmp_path / "files" / ".partial").iterdir()) == []


def test_s3_multipart_upload_and_abort(s3_settings):
    storage = get_storage(load_settings())
    key = new_key("org-1", "general")
    data = os.urandom(PART_SIZE * 2 + 123)
    pieces = [data[i : i + 1_000_000] for i in range(0, len(data), 1_000_000)]
    storage.write(key, pieces)
    assert b"".join(storage.read(key)) == data
    assert bucket_state(s3_settings) == ([f"portal/{key}"], 0)
    with pytest.raises(RuntimeError):
        storage.write(new_key("org-1", "general"), _failing(pieces, after=len(pieces) - 1))
    assert bucket_state(s3_settings) == ([f"portal/{key}"], 0)  # aborted: no object, no open upload


def test_production_refuses_s3_without_a_bucket():
    from fluxent.core.settings import production_problems

    problems = production_problems(load_settings(storage_backend="s3"))
    assert any("FLUXENT_S3_BUCKET" in problem for problem in problems)
    assert not any(
        "S3" in problem for problem in production_problems(load_settings(storage_backend="s3", s3_bucket="b"))
    )


@pytest.mark.parametrize("size", [1_000, PART_SIZE + 1], ids=["put", "multipart"])
def test_s3_objects_are_written_with_server_side_encryption(s3_settings, size):
    storage = get_storage(load_settings())
    key = new_key("org-1", "general")
    storage.write(key, [os.urandom(size)])
    stored = s3_client(s3_settings).head_object(Bucket=s3_settings["S3_BUCKET"], Key=f"portal/{key}")
    assert stored["ServerSideEncryption"] == "AES256"


def test_s3_encryption_with_a_kms_key(s3_settings, monkeypatch):
    monkeypatch.setenv("FLUXENT_S3_SERVER_SIDE_ENCRYPTION", "aws:kms")
    monkeypatch.setenv("FLUXENT_S3_KMS_KEY_ID", "alias/fluxent-files")
    storage = get_storage(load_settings())
    key = new_key("org-1", "general")
    storage.write(key, [b"%PDF-1.7 contract"])
    stored = s3_client(s3_settings).head_object(Bucket=s3_settings["S3_BUCKET"], Key=f"portal/{key}")
    assert (stored["ServerSideEncryption"], stored["SSEKMSKeyId"]) == ("aws:kms", "alias/fluxent-files")
    assert b"".join(storage.read(key)) == b"%PDF-1.7 contract"


def test_s3_encryption_settings_are_checked():
    from fluxent.core.settings import production_problems

    with pytest.raises(ValueError):
        load_settings(s3_server_side_encryption="none")
    mismatch = production_problems(load_settings(storage_backend="s3", s3_bucket="b", s3_kms_key_id="alias/x"))
    assert any("FLUXENT_S3_KMS_KEY_ID" in problem for problem in mismatch)


def test_s3_objects_written_without_encryption_are_encrypted_in_place_once(s3_settings, capsys):
    from fluxent.cli import main as cli

    raw, bucket = s3_client(s3_settings), s3_settings["S3_BUCKET"]
    old = {f"portal/org-1/general/{index}": os.urandom(1000 + index) for index in range(3)}
    for name, content in old.items():
        raw.put_object(Bucket=bucket, Key=name, Body=content)
    storage = get_storage(load_settings())
    storage.write(new_key("org-1", "general"), [b"written with encryption"])
    assert cli(["storage", "encrypt-existing"]) == 0
    assert "3 file(s) encrypted now, 1 already encrypted." in capsys.readouterr().out
    for name, content in old.items():
        assert raw.head_object(Bucket=bucket, Key=name)["ServerSideEncryption"] == "AES256"
        assert raw.get_object(Bucket=bucket, Key=name)["Body"].read() == content
    assert cli(["storage", "encrypt-existing"]) == 0
    assert "0 file(s) encrypted now, 4 already encrypted." in capsys.readouterr().out
