"""E-signature and the person's rights: the export lists their signatures with the documents'
hashes; erasing a signer's account keeps the executed document, its certificate and evidence."""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core import db
from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.services.esign import envelopes
from fluxent.services.privacy.entries import default_registry
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data, validate_export
from fluxent.services.privacy.registry import kept_after_erasure
from tests.support.esign import CLIENT_BROWSER, completed_deal


def test_the_export_lists_signatures_with_document_hashes(session, world, data_dir):
    deal = completed_deal(session, data_dir, world)
    session.expire_all()
    envelope = session.get(Envelope, deal.envelope.id)
    document = export_user_data(session, user=world.owner_a)
    validate_export(document)
    [signature] = document["signatures"]
    assert signature["envelope"] == envelope.id and signature["your_status"] == "signed"
    assert (signature["original_sha256"], signature["final_sha256"]) == (
        envelope.original_sha256,
        envelope.final_sha256,
    )
    assert signature["signed_ip"] == CLIENT_BROWSER.ip and signature["verified_by"] == "email_code"
    assert "signature_image" not in signature  # the drawing itself stays in the sealed PDF
    assert export_user_data(session, user=world.owner_b)["signatures"] == []


def test_erasure_keeps_the_executed_document_and_the_evidence(session, world, data_dir):
    deal = completed_deal(session, data_dir, world)
    session.expire_all()
    before = envelopes.signers_of(session, deal.envelope.id)[0]
    evidence = (before.name, before.email, before.signed_ip, before.consented_at)
    session.commit()
    # Organization A keeps an owner, so its owner may go.
    from fluxent.models.accounts import OrgRole
    from fluxent.services.accounts import organizations

    organizations.change_member_role(
        session, actor=world.staff, organization_id=world.org_a, user_id=world.member_a.id, role=OrgRole.OWNER
    )
    report = erase_user(session, user=world.owner_a, actor=world.owner_a)
    session.commit()
    assert "esign_signer" in [kept.table for kept in report.retained]
    with Session(db.get_engine()) as fresh:
        after = fresh.get(EnvelopeSigner, before.id)
        assert (after.name, after.email, after.signed_ip, after.consented_at) == evidence
        assert fresh.get(Envelope, deal.envelope.id).final_storage_key is not None
    kept = [
        item for item in kept_after_erasure(default_registry()) if item.description.startswith("Documents you were")
    ]
    assert kept and "legal claims" in kept[0].reason and kept[0].how == "Kept as it is"
