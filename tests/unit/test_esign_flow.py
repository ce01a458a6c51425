"""E-signature from the services: send, the code before anything is shown, consent, own fields
only, signing in order, completion (stamped, certified, sealed, filed, e-mailed), verification."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.core.storage import get_storage
from fluxent.models.audit import AuditEvent
from fluxent.models.documents import Document
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.esign import Envelope, EnvelopeField, EnvelopeSigner, EnvelopeStatus, FieldKind, SignerStatus
from fluxent.services.esign import completion, envelopes, fields, seal, signing, verify
from fluxent.services.esign.envelopes import FieldInput
from fluxent.services.esign.signing import Access
from tests.support.esign import (
    CLIENT_BROWSER,
    client_access,
    client_signs,
    code_for,
    link_for,
    sent_deal,
    sow_deal,
    staff_signs,
)
from tests.support.portal import outbox


def test_the_whole_flow_seals_files_mails_and_verifies(session, world, data_dir):
    deal = sent_deal(session, world)
    # Sequential: only the client is asked first.
    assert outbox(data_dir, world.staff.email) == []
    assert not (data_dir / seal.DEV_P12_FILE).exists()
    assert not client_signs(session, data_dir, world).everyone_signed
    assert staff_signs(session, data_dir, world).everyone_signed
    assert completion.complete(deal.envelope.id)
    session.expire_all()
    envelope = session.get(Envelope, deal.envelope.id)
    assert envelope.status == EnvelopeStatus.COMPLETED and envelope.completed_at is not None
    sealed = b"".join(get_storage().read(envelope.final_storage_key))
    assert hashlib.sha256(sealed).hexdigest() == envelope.final_sha256 and len(sealed) == envelope.final_size
    check = seal.check(sealed)
    assert check.sealed and check.intact and check.trusted
    assert (data_dir / seal.DEV_P12_FILE).is_file()  # development: the seal's certificate, made on first use
    # Filed in the engagement's documents; the statement of work made the engagement active.
    filed = session.get(Document, envelope.final_document_id)
    assert filed.engagement_id == deal.engagement.id and filed.filename == "sow (signed).pdf"
    assert session.get(Engagement, deal.engagement.id).status == EngagementStatus.ACTIVE
    # Every party has the sealed PDF.
    for address in (world.owner_a.email, world.staff.email):
        last = outbox(data_dir, address)[-1]
        attachments = list(last.iter_attachments())
        assert [a.get_content() for a in attachments] == [sealed], address
    # The certificate page names both signers and how they were verified.
    from pypdf import PdfReader

    reader = PdfReader(__import__("io").BytesIO(sealed))
    assert len(reader.pages) == 3
    certificate = reader.pages[-1].extract_text()
    for expected in (
        "Certificate of completion",
        f"Envelope: {envelope.id}",
        world.owner_a.email,
        world.staff.email,
        "Code e-mailed to the signer",
        "Signed-in portal account",
        CLIENT_BROWSER.ip,
        CLIENT_BROWSER.user_agent,
        f"ESIGN consent (disclosure version {signing.CONSENT_VERSION}):",
        "Signed: ",
        " UTC",
        envelope.original_sha256,
        "http://testserver/verify",
    ):
        assert expected in certificate, expected
    # Verification: the file matches; one changed byte matches nothing and breaks the seal.
    session.commit()
    verdict = verify.verify_upload(ip="192.0.2.1", chunks=[sealed[:1000], sealed[1000:]])
    assert verdict.match is not None and verdict.match.envelope_id == envelope.id
    assert [s.name for s in verdict.match.signers] == [world.owner_a.name, world.staff.name]
    tampered = bytearray(sealed)
    tampered[len(sealed) // 3] ^= 0x01
    assert verify.verify_upload(ip="192.0.2.1", chunks=[bytes(tampered)]).match is None
    assert not seal.check(bytes(tampered)).intact
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("esign.%"))).all()
    for action in ("created", "sent", "code_sent", "viewed", "consented", "field_filled", "signed", "completed"):
        assert f"esign.{action}" in actions
    # Locked: no edit, no void, no second completion.
    with pytest.raises(Conflict):
        fields.add_field(
            session,
            actor=world.staff,
            envelope_id=envelope.id,
            signer_id=envelopes.signers_of(session, envelope.id)[0].id,
            field=FieldInput(0, FieldKind.TEXT, 0, 0.1, 0.1, 0.1, 0.1),
        )
    with pytest.raises(Conflict):
        envelopes.void_envelope(session, actor=world.staff, envelope_id=envelope.id, reason="Too late")
    assert not completion.complete(envelope.id)


def test_the_link_alone_shows_nothing(session, world, data_dir):
    deal = sent_deal(session, world)
    token = link_for(data_dir, world.owner_a.email)
    # The database keeps only a keyed hash of the e-mailed token.
    stored = envelopes.signers_of(session, deal.envelope.id)[0].link_hash
    assert stored == envelopes.link_hash(token) and token not in stored and len(token) >= 43
    for method in ("", "link"):
        with pytest.raises(PermissionDenied):
            signing.view(session, access=Access(token, method))
    with pytest.raises(PermissionDenied):  # signed in as someone else
        signing.verify_session(session, token=token, user=world.member_a, requester=CLIENT_BROWSER)
    signing.request_code(session, token=token, requester=CLIENT_BROWSER)
    session.commit()
    good = code_for(data_dir, world.owner_a.email)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationFailed):
        signing.verify_code(session, token=token, code=wrong, requester=CLIENT_BROWSER)
    with pytest.raises(NotFound):
        signing.verify_code(session, token=token + "x", code=good, requester=CLIENT_BROWSER)
    access = signing.verify_code(session, token=token, code=good, requester=CLIENT_BROWSER)
    with pytest.raises(ValidationFailed):  # single use
        signing.verify_code(session, token=token, code=good, requester=CLIENT_BROWSER)
    assert signing.view(session, access=access).title == "sow.pdf"


def test_a_signer_never_sees_or_fills_another_signers_fields(session, world, data_dir):
    deal = sent_deal(session, world)
    access = client_access(session, data_dir, world)
    staff_signer = envelopes.signers_of(session, deal.envelope.id)[1]
    theirs = session.scalars(select(EnvelopeField).where(EnvelopeField.signer_id == staff_signer.id)).all()
    mine = signing.view(session, access=access).fields
    assert {f.id for f in mine}.isdisjoint({f.id for f in theirs}) and len(mine) == 5
    signing.consent(session, access=access, requester=CLIENT_BROWSER)
    for field in theirs:
        with pytest.raises(NotFound):
            signing.fill_field(session, access=access, field_id=field.id, value="x", requester=CLIENT_BROWSER)
    # Nor can the countersigner act before the client: no link has been sent yet.
    assert staff_signer.status == SignerStatus.WAITING and staff_signer.link_hash is None


def test_the_disclosure_covers_what_the_esign_act_asks():
    """Consent to electronic records, the right to paper and how to ask, how to withdraw,
    and the hardware and software needed (15 U.S.C. 7001(c))."""
    text = " ".join(f"{title} {body}" for title, body in signing.DISCLOSURE)
    for needed in (
        "receive this document",
        "sign it electronically",
        "paper copy",
        "write to support@fluxent.tech",
        "withdraw your consent",
        "by declining on this page",
        "web browser",
        "open or print PDF files",
    ):
        assert needed in text, needed
    assert signing.CONSENT_VERSION


def test_consent_comes_first_and_is_recorded(session, world, data_dir):
    deal = sent_deal(session, world)
    access = client_access(session, data_dir, world)
    field = signing.view(session, access=access).fields[2]
    with pytest.raises(Conflict):
        signing.fill_field(session, access=access, field_id=field.id, value="x", requester=CLIENT_BROWSER)
    with pytest.raises(Conflict):
        signing.finish(session, access=access, intent=True, requester=CLIENT_BROWSER)
    signing.consent(session, access=access, requester=CLIENT_BROWSER)
    signer = envelopes.signers_of(session, deal.envelope.id)[0]
    assert signer.consent_version == signing.CONSENT_VERSION and signer.consented_at is not None
    assert (signer.consent_ip, signer.consent_user_agent) == (CLIENT_BROWSER.ip, CLIENT_BROWSER.user_agent)
    with pytest.raises(ValidationFailed):  # no intent
        signing.finish(session, access=access, intent=False, requester=CLIENT_BROWSER)
    with pytest.raises(ValidationFailed):  # no signature yet
        signing.finish(session, access=access, intent=True, requester=CLIENT_BROWSER)
    for bad in ("data:image/png;base64,AAAA", "data:text/html;base64,PHNjcmlwdD4=", "x" * 10):
        with pytest.raises(ValidationFailed):
            signing.adopt_signature(session, access=access, kind="drawn", image=bad, requester=CLIENT_BROWSER)
    signing.adopt_signature(session, access=access, kind="typed", text="Olivia Owner", requester=CLIENT_BROWSER)
    with pytest.raises(ValidationFailed):  # required text and initials still empty
        signing.finish(session, access=access, intent=True, requester=CLIENT_BROWSER)


def test_declining_ends_the_envelope_and_tells_fluxent(session, world, data_dir):
    deal = sent_deal(session, world)
    access = client_access(session, data_dir, world)
    with pytest.raises(ValidationFailed):
        signing.decline(session, access=access, reason="  ", requester=CLIENT_BROWSER)
    signing.decline(session, access=access, reason="The price changed.", requester=CLIENT_BROWSER)
    session.commit()
    assert session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.DECLINED
    told = outbox(data_dir, world.staff.email)[-1]
    assert "declined" in told["Subject"] and "The price changed." in told.get_body(("plain",)).get_content()
    declined = session.scalars(select(AuditEvent).where(AuditEvent.action == "esign.declined")).one()
    assert declined.target_id == str(deal.envelope.id)
    with pytest.raises(NotFound):
        signing.view(session, access=access)


def test_voiding_tells_every_signer_and_kills_the_links(session, world, data_dir):
    deal = sent_deal(session, world)
    token = link_for(data_dir, world.owner_a.email)
    with pytest.raises(ValidationFailed):
        envelopes.void_envelope(session, actor=world.staff, envelope_id=deal.envelope.id, reason="")
    with pytest.raises(PermissionDenied):
        envelopes.void_envelope(session, actor=world.owner_a, envelope_id=deal.envelope.id, reason="Mine")
    envelopes.void_envelope(session, actor=world.staff, envelope_id=deal.envelope.id, reason="Scope changed")
    session.commit()
    # The client, who had the link, and the countersigner, still waiting in the sequential order.
    for address in (world.owner_a.email, world.staff.email):
        told = outbox(data_dir, address)[-1]
        assert "withdrawn" in told["Subject"] and "Scope changed" in told.get_body(("plain",)).get_content()
    waiting = outbox(data_dir, world.staff.email)[-1].get_body(("plain",)).get_content()
    assert "had not reached you yet" in waiting
    voided = session.scalars(select(AuditEvent).where(AuditEvent.action == "esign.voided")).one()
    assert (voided.actor_id, voided.target_id) == (world.staff.id, str(deal.envelope.id))
    with pytest.raises(NotFound):
        signing.request_code(session, token=token, requester=CLIENT_BROWSER)
    # A draft reached no one, so voiding it tells no one.
    draft = sow_deal(session, world)
    before = len(outbox(data_dir, world.owner_a.email)), len(outbox(data_dir, world.staff.email))
    envelopes.void_envelope(session, actor=world.staff, envelope_id=draft.envelope.id, reason="Not needed")
    session.commit()
    assert (len(outbox(data_dir, world.owner_a.email)), len(outbox(data_dir, world.staff.email))) == before


def test_drafts_change_and_sent_envelopes_do_not(session, world, data_dir):
    deal = sow_deal(session, world)
    envelope_id = deal.envelope.id
    client_signer = envelopes.signers_of(session, envelope_id)[0]
    field = fields.add_field(
        session,
        actor=world.staff,
        envelope_id=envelope_id,
        signer_id=client_signer.id,
        field=FieldInput(0, FieldKind.TEXT, 1, 0.5, 0.5, 0.2, 0.03),
    )
    moved = fields.move_field(
        session, actor=world.staff, envelope_id=envelope_id, field_id=field.id, page=0, x=0.2, y=0.2
    )
    assert (moved.page, moved.x, moved.y) == (0, 0.2, 0.2)
    nudged = fields.nudge_field(
        session, actor=world.staff, envelope_id=envelope_id, field_id=field.id, dx=-0.5, dy=0.01
    )
    assert (nudged.page, nudged.x, round(nudged.y, 6)) == (0, 0.0, 0.21)  # stopped at the left edge
    for dx in (float("nan"), float("inf"), 2.0):
        with pytest.raises(ValidationFailed):
            fields.nudge_field(session, actor=world.staff, envelope_id=envelope_id, field_id=field.id, dx=dx, dy=0)
    assert (field.x, round(field.y, 6)) == (0.0, 0.21)
    with pytest.raises(PermissionDenied):
        fields.nudge_field(session, actor=world.owner_a, envelope_id=envelope_id, field_id=field.id, dx=0.1, dy=0)
    with pytest.raises(ValidationFailed):  # off the page
        fields.move_field(session, actor=world.staff, envelope_id=envelope_id, field_id=field.id, page=0, x=0.9, y=0)
    with pytest.raises(ValidationFailed):  # no such page
        fields.move_field(session, actor=world.staff, envelope_id=envelope_id, field_id=field.id, page=7, x=0, y=0)
    with pytest.raises(PermissionDenied):
        fields.delete_field(session, actor=world.owner_a, envelope_id=envelope_id, field_id=field.id)
    fields.delete_field(session, actor=world.staff, envelope_id=envelope_id, field_id=field.id)
    envelopes.send_envelope(session, actor=world.staff, envelope_id=envelope_id)
    with pytest.raises(Conflict):
        envelopes.send_envelope(session, actor=world.staff, envelope_id=envelope_id)
    placed = envelopes.fields_of(session, envelope_id)[0]
    with pytest.raises(Conflict):
        fields.nudge_field(session, actor=world.staff, envelope_id=envelope_id, field_id=placed.id, dx=0.01, dy=0)
    with pytest.raises(Conflict):
        fields.delete_field(
            session,
            actor=world.staff,
            envelope_id=envelope_id,
            field_id=envelopes.fields_of(session, envelope_id)[0].id,
        )


def test_sending_needs_a_signature_field_for_everyone(session, world, data_dir):
    deal = sow_deal(session, world)
    staff_signer = envelopes.signers_of(session, deal.envelope.id)[1]
    for field in envelopes.fields_of(session, deal.envelope.id, signer_id=staff_signer.id):
        fields.delete_field(session, actor=world.staff, envelope_id=deal.envelope.id, field_id=field.id)
    with pytest.raises(ValidationFailed, match="Sam Staff"):
        envelopes.send_envelope(session, actor=world.staff, envelope_id=deal.envelope.id)


def test_parallel_envelopes_invite_everyone_at_once(session, world, data_dir):
    from fluxent.models.esign import SigningOrder

    deal = sow_deal(session, world, order=SigningOrder.PARALLEL)
    envelopes.send_envelope(session, actor=world.staff, envelope_id=deal.envelope.id)
    session.commit()
    assert link_for(data_dir, world.owner_a.email) and link_for(data_dir, world.staff.email)


def test_creation_refuses_bad_input_and_leaves_nothing(session, world, data_dir):
    from fluxent.services.esign.envelopes import SignerInput

    deal = sow_deal(session, world)
    before = session.scalars(select(Envelope.id)).all()
    good_signer = SignerInput("Olivia", world.owner_a.email)
    cases = [
        dict(signers=[]),
        dict(signers=[SignerInput("", "x@example.com")]),
        dict(signers=[SignerInput("A", "not-an-email")]),
        dict(signers=[good_signer, SignerInput("Again", world.owner_a.email.upper())]),
        dict(signers=[SignerInput("Client posing as staff", world.owner_a.email, countersigner=True)]),
        dict(signers=[good_signer], fields=[FieldInput(3, FieldKind.SIGNATURE, 0, 0.1, 0.1, 0.1, 0.1)]),
        dict(signers=[good_signer], fields=[FieldInput(0, FieldKind.SIGNATURE, 2, 0.1, 0.1, 0.1, 0.1)]),
        dict(signers=[good_signer], fields=[FieldInput(0, FieldKind.SIGNATURE, 0, -0.1, 0.1, 0.1, 0.1)]),
        dict(signers=[good_signer], fields=[FieldInput(0, "stamp", 0, 0.1, 0.1, 0.1, 0.1)]),
        dict(signers=[good_signer], remind_every_days=99),
        dict(signers=[good_signer], title="x" * 201),
        dict(signers=[good_signer], message="bad\x00message"),
    ]
    for case in cases:
        with pytest.raises(ValidationFailed):
            with session.begin_nested():
                envelopes.create_envelope(session, actor=world.staff, document_id=deal.document_id, **case)
    with pytest.raises(PermissionDenied):
        envelopes.create_envelope(session, actor=world.owner_a, document_id=deal.document_id, signers=[good_signer])
    with pytest.raises(NotFound):  # another organization's staff-visible document, seen by a client
        envelopes.get_envelope(session, actor=world.owner_b, envelope_id=deal.envelope.id)
    with pytest.raises(ValidationFailed, match="PDF"):  # not a readable PDF
        envelopes.create_envelope(session, actor=world.staff, document_id=world.document_a.id, signers=[good_signer])
    assert session.scalars(select(Envelope.id)).all() == before


def test_reminders_replace_the_link_and_expiry_ends_the_envelope(session, world, data_dir, clock):
    from datetime import timedelta

    from fluxent.services.esign import reminders

    deal = sent_deal(session, world)
    first = link_for(data_dir, world.owner_a.email)
    sent_at = session.get(Envelope, deal.envelope.id).sent_at
    assert reminders.run(session, clock=lambda: sent_at + timedelta(days=1)).reminded_signers == 0
    run = reminders.run(session, clock=lambda: sent_at + timedelta(days=3, minutes=1))
    session.commit()
    assert (run.reminded_envelopes, run.reminded_signers) == (1, 1)
    second = link_for(data_dir, world.owner_a.email)
    assert second != first and "Reminder" in outbox(data_dir, world.owner_a.email)[-1]["Subject"]
    reminded = session.scalars(select(AuditEvent).where(AuditEvent.action == "esign.reminder_sent")).all()
    assert [event.target_id for event in reminded] == [str(deal.envelope.id)]
    with pytest.raises(NotFound):
        signing.request_code(session, token=first, requester=CLIENT_BROWSER)
    again = reminders.run(session, clock=lambda: sent_at + timedelta(days=3, minutes=2))
    assert again.reminded_signers == 0
    expired = reminders.run(session, clock=lambda: sent_at + timedelta(days=31))
    session.commit()
    assert expired.expired == 1 and session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.EXPIRED
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "esign.expired")).all()
    with pytest.raises(NotFound):
        signing.request_code(session, token=second, requester=CLIENT_BROWSER)
    assert session.scalars(select(EnvelopeSigner.link_hash).where(EnvelopeSigner.link_hash.is_not(None))).all() == []


def test_a_completion_that_fails_is_finished_by_the_reminders_command(session, world, data_dir, capsys):
    import argparse

    from fluxent import cli

    deal = sent_deal(session, world)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / seal.DEV_P12_FILE).write_bytes(b"not a PKCS#12 file")
    client_signs(session, data_dir, world)
    staff_signs(session, data_dir, world)
    assert completion.complete_stuck([deal.envelope.id]) == completion.Retry(completed=0, failed=1)
    session.expire_all()
    assert session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.SENT
    assert all(s.status == SignerStatus.SIGNED for s in envelopes.signers_of(session, deal.envelope.id))
    assert completion.stuck(session) == [deal.envelope.id]
    session.rollback()
    assert cli.esign_reminders(argparse.Namespace()) == 1  # still unreadable: reported, nothing expired
    assert "0 signed envelopes completed (1 failed)" in capsys.readouterr().out

    (data_dir / seal.DEV_P12_FILE).unlink()  # the certificate is readable again (made anew)
    assert cli.esign_reminders(argparse.Namespace()) == 0
    assert "1 signed envelopes completed (0 failed)" in capsys.readouterr().out
    session.expire_all()
    envelope = session.get(Envelope, deal.envelope.id)
    assert envelope.status == EnvelopeStatus.COMPLETED and envelope.final_document_id is not None
    sealed = b"".join(get_storage().read(envelope.final_storage_key))
    assert seal.check(sealed).intact and verify.find(hashlib.sha256(sealed).hexdigest()) is not None
    assert completion.stuck(session) == [] and completion.complete_stuck() == completion.Retry(0, 0)


def test_the_seal_is_made_and_checked_inside_a_running_event_loop(data_dir):
    """A websocket event handler runs inside an event loop (so do the browser tests' Playwright
    calls); pyHanko's synchronous API starts one of its own, so sealing and checking leave it."""
    from fluxent.services.seed import statement_of_work_pdf
    from tests.support.state import run_async

    async def seal_and_check() -> seal.SealCheck:
        return seal.check(seal.seal(statement_of_work_pdf(), reason="Completed"))

    check = run_async(seal_and_check())
    assert check.sealed and check.intact and check.trusted


def test_a_change_order_signed_leaves_a_scoping_engagement_as_it_was(session, world, data_dir):
    """Only the statement of work turns the proposal into the contract."""
    from fluxent.models.esign import EnvelopePurpose
    from fluxent.services.esign.envelopes import SignerInput
    from fluxent.services.portal import documents
    from tests.support.esign import client_fields, make_pdf

    deal = sow_deal(session, world)
    upload = documents.upload(
        session, actor=world.staff, filename="change.pdf", chunks=[make_pdf()], engagement_id=deal.engagement.id
    )
    envelopes.void_envelope(session, actor=world.staff, envelope_id=deal.envelope.id, reason="Replaced")
    change = envelopes.create_envelope(
        session,
        actor=world.staff,
        document_id=upload.id,
        signers=[
            SignerInput(world.owner_a.name, world.owner_a.email),
            SignerInput(world.staff.name, world.staff.email, countersigner=True),
        ],
        fields=client_fields(),
        purpose=EnvelopePurpose.CHANGE_ORDER,
    )
    envelopes.send_envelope(session, actor=world.staff, envelope_id=change.id)
    session.commit()
    client_signs(session, data_dir, world)
    staff_signs(session, data_dir, world)
    assert completion.complete(change.id)
    session.expire_all()
    assert session.get(Envelope, change.id).status == EnvelopeStatus.COMPLETED
    assert session.get(Engagement, deal.engagement.id).status == EngagementStatus.SCOPING


def test_typed_signatures_are_stamped_in_the_script_font_the_site_serves(session, world, data_dir):
    from io import BytesIO

    from pypdf import PdfReader

    from fluxent.core.settings import PROJECT_ROOT
    from tests.support.esign import completed_deal

    deal = completed_deal(session, data_dir, world)  # the countersigner typed their signature
    session.expire_all()
    sealed = b"".join(get_storage().read(session.get(Envelope, deal.envelope.id).final_storage_key))
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in PdfReader(BytesIO(sealed)).pages
        for font in (page.get("/Resources") or {}).get("/Font", {}).values()
    }
    assert any("DancingScript" in name for name in fonts), fonts
    # The page shows typed signatures in the same font, from the site itself (no font service).
    assert 'stylesheets=["/fonts/signature.css"]' in (PROJECT_ROOT / "fluxent" / "fluxent.py").read_text()
    css = (PROJECT_ROOT / "assets" / "fonts" / "signature.css").read_text()
    assert 'url("/fonts/DancingScript-Regular.ttf")' in css and "http" not in css
    assert (PROJECT_ROOT / "assets" / "fonts" / "DancingScript-Regular.ttf").is_file()
