"""The /verify page's answer for the hash the verification route sent back."""

from __future__ import annotations

from sqlmodel import Session

from fluxent.core import db
from fluxent.models.esign import Envelope
from fluxent.state.verify import VerifyState
from tests.support.esign import completed_deal


def test_a_sealed_documents_hash_names_the_envelope_and_others_do_not(session, world, data_dir, page_state):
    deal = completed_deal(session, data_dir, world)
    with Session(db.get_engine()) as fresh:
        envelope = fresh.get(Envelope, deal.envelope.id)
        sha, original_sha = envelope.final_sha256, envelope.original_sha256
    state = page_state(VerifyState, f"/verify?sha256={sha}")
    state.load()
    assert state.matched and state.envelope == str(deal.envelope.id) and len(state.signers) == 2
    assert (state.sha256, state.original_sha256) == (sha, original_sha)
    for query in (f"sha256={'0' * 64}", "sha256=zz", "sha256=" + sha[:63]):
        other = page_state(VerifyState, f"/verify?{query}")
        other.load()
        assert other.answered and not other.matched and other.envelope == other.original_sha256 == ""
    throttled = page_state(VerifyState, "/verify?error=rate_limited")
    throttled.load()
    assert "Too many" in throttled.error and not throttled.answered
