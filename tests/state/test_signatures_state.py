"""/portal/signatures: what waits for the signed-in person, a way into it without the code,
and nothing of another organization's envelopes."""

from __future__ import annotations

from fluxent.state.signatures import SignaturesState
from tests.support.esign import completed_deal, sent_deal
from tests.support.state import signed_in_tab


def _tab(session, user) -> SignaturesState:
    return signed_in_tab(session, user, SignaturesState)


def test_the_client_sees_what_waits_and_opens_it_without_a_code(session, world, data_dir):
    deal = sent_deal(session, world)
    state = _tab(session, world.owner_a)
    assert [item.envelope_id for item in state.waiting] == [deal.envelope.id]
    redirect = state.open_signing(state.waiting[0].signer_id)
    assert "/sign/" in str(redirect)
    # The other organization's owner sees nothing, and cannot open someone else's signing.
    outsider = _tab(session, world.owner_b)
    assert outsider.waiting == [] and outsider.finished == []
    assert outsider.open_signing(state.waiting[0].signer_id) is None and outsider.notice_is_error


def test_completed_envelopes_offer_the_signed_pdf_to_the_organization(session, world, data_dir):
    deal = completed_deal(session, data_dir, world)
    member = _tab(session, world.member_a)
    assert [(item.envelope_id, item.status) for item in member.finished] == [(deal.envelope.id, "Completed")]
    assert member.finished[0].download_url.endswith(f"/api/v1/envelopes/{deal.envelope.id}/download/")
    assert member.waiting == []


def test_a_completion_that_failed_is_finished_when_a_signer_looks_again(session, world, data_dir):
    from fluxent.models.esign import Envelope, EnvelopeStatus
    from fluxent.services.esign import completion, seal
    from tests.support.esign import client_signs, staff_signs

    deal = sent_deal(session, world)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / seal.DEV_P12_FILE).write_bytes(b"not a PKCS#12 file")
    client_signs(session, data_dir, world)
    staff_signs(session, data_dir, world)
    assert completion.complete_stuck().failed == 1
    # Someone of another organization looking does not touch it; the seal still fails for the client.
    assert _tab(session, world.owner_b).finished == []
    assert [item.status for item in _tab(session, world.owner_a).finished] == ["Waiting for signatures (you signed)"]
    (data_dir / seal.DEV_P12_FILE).unlink()
    state = _tab(session, world.owner_a)
    assert [(item.envelope_id, item.status) for item in state.finished] == [(deal.envelope.id, "Completed")]
    session.expire_all()
    assert session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.COMPLETED
