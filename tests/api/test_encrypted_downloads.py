"""Documents over the API with local storage encrypted at rest: what is on disk, and what a
changed or moved stored file gives a downloader."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from fluxent.core.storage import encryption, get_storage
from fluxent.models.documents import DocumentVersion
from tests.support.portal import client_for

CONTENT = b"%PDF-1.7\n" + b"confidential figures " * 40_000 + b"\n%%EOF\n"  # about 3 chunks


def _upload(client, organization_id: int, name: str) -> dict:
    response = client.post(
        "/api/v1/documents/", data={"organization": str(organization_id)}, files={"file": (name, CONTENT, "")}
    )
    assert response.status_code == 201, response.text
    return response.json()


def _stored_path(session, document_id: int):
    key = session.scalars(select(DocumentVersion.storage_key).where(DocumentVersion.document_id == document_id)).one()
    return get_storage().path_for(key)


def test_an_uploaded_document_is_encrypted_on_disk_and_downloads_whole(session, world, data_dir):
    client = client_for(session, world.member_a)
    uploaded = _upload(client, world.org_a, "figures.pdf")
    on_disk = _stored_path(session, uploaded["id"]).read_bytes()
    assert on_disk.startswith(encryption.MAGIC) and b"confidential figures" not in on_disk
    response = client.get(uploaded["download_url"])
    assert response.status_code == 200 and response.content == CONTENT


def test_a_changed_stored_file_is_refused_with_a_clear_error(session, world, data_dir):
    client = client_for(session, world.member_a)
    uploaded = _upload(client, world.org_a, "figures.pdf")
    path = _stored_path(session, uploaded["id"])
    changed = bytearray(path.read_bytes())
    changed[encryption.HEADER_BYTES + 10] ^= 0x01
    path.write_bytes(bytes(changed))
    response = client.get(uploaded["download_url"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "file_undecryptable"
    assert b"confidential" not in response.content


def test_a_stored_file_copied_into_another_organization_does_not_open_there(session, world, data_dir):
    mine = _upload(client_for(session, world.owner_a), world.org_a, "ours.pdf")
    theirs_client = client_for(session, world.owner_b)
    theirs = _upload(theirs_client, world.org_b, "theirs.pdf")
    shutil.copyfile(_stored_path(session, mine["id"]), _stored_path(session, theirs["id"]))
    response = theirs_client.get(theirs["download_url"])
    assert response.status_code == 409 and b"confidential" not in response.content


def test_a_change_past_the_first_chunk_cuts_the_download_short(session, world, data_dir):
    client = client_for(session, world.member_a)
    uploaded = _upload(client, world.org_a, "figures.pdf")
    path = _stored_path(session, uploaded["id"])
    changed = bytearray(path.read_bytes())
    changed[-5] ^= 0x01  # in the last chunk: the first ones are already on their way
    path.write_bytes(bytes(changed))
    response = client.get(uploaded["download_url"])
    # The header promised the whole length; what came is only the checked chunks before the change.
    assert response.headers["content-length"] == str(len(CONTENT))
    assert len(response.content) < len(CONTENT) and CONTENT.startswith(response.content)
