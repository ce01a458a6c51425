"""Documents: streamed uploads through the checks, versions, soft delete, tenants, notices."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from fluxent.core.errors import NotFound, PermissionDenied, TooLarge, ValidationFailed
from fluxent.core.settings import reset_settings
from fluxent.models.audit import AuditEvent
from fluxent.models.documents import Document, DocumentVersion
from fluxent.services.portal import documents
from tests.support.portal import PDF_BYTES, outbox, stored_files
from tests.support.s3 import bucket_state


def _counts(session):
    return (
        session.scalar(select(func.count()).select_from(Document)),
        session.scalar(select(func.count()).select_from(DocumentVersion)),
    )


def _download(session, actor, document_id, version=None) -> bytes:
    return b"".join(documents.open_download(session, actor=actor, document_id=document_id, version=version).chunks)


def test_client_upload_is_stored_hashed_typed_and_announced_to_assigned_staff(session, world, data_dir):
    data = b"name,amount\nwidgets,3\n"
    document = documents.upload(
        session,
        actor=world.member_a,
        filename="numbers.csv",
        chunks=[data[:5], data[5:]],
        engagement_id=world.engagement_a.id,
    )
    (version,) = documents.versions_of(session, actor=world.member_a, document_id=document.id)
    assert (document.organization_id, document.filename, version.size) == (world.org_a, "numbers.csv", len(data))
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.content_type == "text/csv; charset=utf-8" and not version.uploaded_by_staff
    assert _download(session, world.owner_a, document.id) == data
    session.commit()  # the announcement goes once the upload is committed
    subjects = [m["Subject"] for m in outbox(data_dir, world.staff.email)]
    assert "New document: numbers.csv" in subjects
    assert "New document: numbers.csv" not in [m["Subject"] for m in outbox(data_dir, world.owner_a.email)]
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "documents.uploaded").order_by(AuditEvent.seq.desc())
    ).first()
    assert (event.actor_id, event.target_id, event.organization_id) == (
        world.member_a.id,
        str(document.id),
        world.org_a,
    )


def test_staff_upload_is_announced_to_the_organization_members(session, world, data_dir):
    for person in (world.owner_a, world.member_a):
        mail = [m for m in outbox(data_dir, person.email) if m["Subject"] == "New document: plan.pdf"]
        assert len(mail) == 1 and "Northwind Robotics" in mail[0].get_body(("plain",)).get_content()
    assert all("Northwind" not in m.get_body(("plain",)).get_content() for m in outbox(data_dir, world.owner_b.email))


def test_new_versions_keep_older_ones_downloadable(session, world):
    second = b"%PDF-1.7\nsecond version\n"
    document = documents.upload(
        session, actor=world.staff, filename="plan v2.pdf", chunks=[second], document_id=world.document_a.id
    )
    assert (document.id, document.current_version, document.filename) == (world.document_a.id, 2, "plan v2.pdf")
    assert [v.version for v in documents.versions_of(session, actor=world.owner_a, document_id=document.id)] == [2, 1]
    assert _download(session, world.owner_a, document.id) == second
    assert _download(session, world.owner_a, document.id, version=1) == PDF_BYTES
    with pytest.raises(NotFound):
        _download(session, world.owner_a, document.id, version=3)


def test_new_versions_only_from_staff_the_uploader_or_owners_of_client_files(session, world, data_dir):
    def new_version(actor, document):
        return documents.upload(session, actor=actor, filename="v.pdf", chunks=[PDF_BYTES], document_id=document.id)

    by_member = documents.upload(
        session, actor=world.member_a, filename="m.pdf", chunks=[PDF_BYTES], organization_id=world.org_a
    )
    by_owner = documents.upload(
        session, actor=world.owner_a, filename="o.pdf", chunks=[PDF_BYTES], organization_id=world.org_a
    )
    before_files, before_rows = stored_files(data_dir), _counts(session)
    # Staff-issued (the statement of work): neither owners nor members replace it.
    for person in (world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            new_version(person, world.document_a)
    with pytest.raises(PermissionDenied):  # another member's upload
        new_version(world.member_a, by_owner)
    assert stored_files(data_dir) == before_files and _counts(session) == before_rows
    assert new_version(world.member_a, by_member).current_version == 2  # the uploader
    assert new_version(world.owner_a, by_member).current_version == 3  # an owner, client file
    assert new_version(world.staff, by_owner).current_version == 2
    assert new_version(world.staff, world.document_a).current_version == 2


def test_oversize_upload_is_stopped_and_leaves_nothing(session, world, data_dir, monkeypatch):
    monkeypatch.setenv("FLUXENT_MAX_UPLOAD_MB", "1")
    reset_settings()
    before_files, before_rows = stored_files(data_dir), _counts(session)
    pulled = []

    def stream():
        for _ in range(64):  # 2 MiB offered
            pulled.append(1)
            yield (b"%PDF" if not pulled[1:] else b"") + b"0" * (32 * 1024)

    with pytest.raises(TooLarge):
        documents.upload(
            session, actor=world.owner_a, filename="huge.pdf", chunks=stream(), organization_id=world.org_a
        )
    assert len(pulled) == 32  # 1 MiB + 4 bytes: stopped at the chunk that passed the cap
    assert stored_files(data_dir) == before_files  # no partial file either
    assert _counts(session) == before_rows


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"<html><body><script>alert(document.cookie)</script></body></html>"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("setup.txt", b"MZ\x90\x00" + b"\x00" * 5000),
    ],
)
def test_renamed_files_are_refused_and_nothing_is_stored(session, world, data_dir, name, content):
    before_files, before_rows = stored_files(data_dir), _counts(session)
    with pytest.raises(ValidationFailed) as raised:
        documents.upload(session, actor=world.owner_a, filename=name, chunks=[content], organization_id=world.org_a)
    assert "not accepted" in raised.value.message or "cannot be uploaded" in raised.value.message
    assert stored_files(data_dir) == before_files
    assert _counts(session) == before_rows


def test_other_organizations_cannot_upload_list_or_download(session, world, data_dir):
    before_files, before_rows = stored_files(data_dir), _counts(session)
    for where in (
        {"organization_id": world.org_a},
        {"engagement_id": world.engagement_a.id},
        {"document_id": world.document_a.id},
        {"organization_id": world.org_b, "engagement_id": world.engagement_a.id},
    ):
        with pytest.raises(NotFound):
            documents.upload(session, actor=world.owner_b, filename="x.pdf", chunks=[PDF_BYTES], **where)
    with pytest.raises(NotFound):
        _download(session, world.owner_b, world.document_a.id)
    listed = documents.list_documents(session, actor=world.owner_b, organization_id=world.org_a)
    assert listed.total == 0
    assert [d.id for d in documents.list_documents(session, actor=world.owner_b).items] == [world.document_b.id]
    assert stored_files(data_dir) == before_files and _counts(session) == before_rows


def test_only_staff_delete_softly_and_audited(session, world):
    for person in (world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            documents.delete_document(session, actor=person, document_id=world.document_a.id)
    documents.delete_document(session, actor=world.staff, document_id=world.document_a.id)
    with pytest.raises(NotFound):
        _download(session, world.owner_a, world.document_a.id)
    assert documents.list_documents(session, actor=world.owner_a).total == 0
    assert (
        documents.list_documents(session, actor=world.staff, organization_id=world.org_a, include_deleted=True).total
        == 1
    )
    assert documents.list_documents(session, actor=world.owner_a, include_deleted=True).total == 0
    assert session.get(Document, world.document_a.id).deleted_at is not None
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "documents.deleted")).one()
    assert (event.actor_id, event.target_id) == (world.staff.id, str(world.document_a.id))


def test_upload_and_download_through_s3(session, world, s3_settings):
    reset_settings()
    data = b"%PDF-1.7\n" + b"s3" * 100_000
    document = documents.upload(
        session, actor=world.owner_a, filename="s3.pdf", chunks=[data], organization_id=world.org_a
    )
    assert _download(session, world.owner_a, document.id) == data
    objects, open_uploads = bucket_state(s3_settings)
    assert len(objects) == 1 and objects[0].startswith(f"portal/org-{world.org_a}/general/") and open_uploads == 0
