"""The signer's page from its state: the link shows nothing before the code, the code opens
the disclosure, then only the signer's own fields; finishing as the last signer seals."""

from __future__ import annotations

from fluxent import routes
from fluxent.models.esign import Envelope, EnvelopeStatus
from fluxent.services.auth import sessions
from fluxent.services.esign import envelopes
from fluxent.services.esign.signing import Access
from fluxent.state.signing import SigningState
from tests.support.esign import client_signs, code_for, drawn_signature, link_for, sent_deal
from tests.support.state import cookie_for, run_async


def _tab(page_state, token: str, cookie: str = "") -> SigningState:
    state = page_state(SigningState, routes.with_token(routes.SIGN, token), cookie)
    state.load()
    return state


def test_the_code_opens_the_disclosure_then_the_signers_own_fields(session, world, data_dir, page_state):
    deal = sent_deal(session, world)
    token = link_for(data_dir, world.owner_a.email)
    state = _tab(page_state, token)
    assert state.step == "code" and state.fields == [] and state.title == "" and state.pages == []
    state.submit_code({"code": "000000"})
    assert state.step == "code" and "not right" in state.code_error
    state.send_code()
    assert state.code_sent
    state.submit_code({"code": code_for(data_dir, world.owner_a.email)})
    assert state.step == "consent" and state.title == "sow.pdf" and state.pages == []  # no page before consent
    state.accept_disclosure()
    assert state.step == "sign" and [page.label for page in state.pages] == ["Page 1", "Page 2"]
    assert all(f"/api/v1/envelopes/{deal.envelope.id}/pages/{n}/?grant=s" in state.pages[n].image for n in (0, 1))
    mine = {field.id for field in state.fields}
    signers = envelopes.signers_of(session, deal.envelope.id)
    session.commit()
    assert mine == {f.id for f in envelopes.fields_of(session, deal.envelope.id, signer_id=signers[0].id)}
    session.commit()
    text = next(field for field in state.fields if field.kind == "text")
    state.fill_text(text.id, "PO-77")
    initials = next(field for field in state.fields if field.kind == "initials")
    state.fill_text(initials.id, "OO")
    box = next(field for field in state.fields if field.kind == "checkbox")
    state.tick(box.id, True)
    assert next(field for field in state.fields if field.id == box.id).checked
    state.finish()
    assert state.step == "sign" and "Draw your signature" in state.sign_error
    state.drew(drawn_signature())
    state.finish()
    assert state.step == "sign" and "intend" in state.sign_error
    state.set_intent(True)
    state.finish()
    assert state.step == "done", state.sign_error


def test_a_broken_or_replaced_link_says_so(page_state, session, world, data_dir):
    sent_deal(session, world)
    state = _tab(page_state, "not-a-real-token")
    assert state.step == "invalid" and "not valid" in state.problem


def test_the_countersigner_signed_in_skips_the_code_and_completion_seals(session, world, data_dir, page_state):
    deal = sent_deal(session, world)
    client_signs(session, data_dir, world)
    _, raw = sessions.start_session(session, user=world.staff)
    session.commit()
    state = _tab(page_state, link_for(data_dir, world.staff.email), cookie_for(raw))
    assert state.step == "consent"
    state.accept_disclosure()
    state.choose_mode("typed")
    state.set_typed_name("Sam Staff")
    state.set_intent(True)

    async def inside_the_event_loop() -> None:  # where Reflex runs handlers; the seal must cope
        state.finish()

    run_async(inside_the_event_loop())
    assert state.step == "done", state.sign_error
    session.expire_all()
    assert session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.COMPLETED
    session.commit()


def test_declining_needs_a_reason(session, world, data_dir, page_state):
    deal = sent_deal(session, world)
    state = _tab(page_state, link_for(data_dir, world.owner_a.email))
    state.send_code()
    state.submit_code({"code": code_for(data_dir, world.owner_a.email)})
    state.toggle_decline()
    state.decline({"reason": ""})
    assert state.step == "consent" and state.decline_error
    state.decline({"reason": "Wrong company name"})
    assert state.step == "declined"
    session.expire_all()
    assert session.get(Envelope, deal.envelope.id).status == EnvelopeStatus.DECLINED
    session.commit()


def test_the_signer_is_forgotten_when_an_event_comes_from_another_page(session, world, data_dir, page_state):
    """The tab's client token in other hands: events from any page but the signer's own
    (``tab_binding.bind_signing_to_page`` runs this before each) find nothing to act with."""
    sent_deal(session, world)
    token = link_for(data_dir, world.owner_a.email)
    state = _tab(page_state, token)
    state.send_code()
    state.submit_code({"code": code_for(data_dir, world.owner_a.email)})
    state.accept_disclosure()
    own = routes.with_token(routes.SIGN, token)
    for path in (own, own + "/"):
        state.keep_only_on_own_page(path)
        assert state.step == "sign" and state.fields
    for path in (routes.with_token(routes.SIGN, token[:-1] + "x"), "/", routes.VERIFY, "/other" + own):
        state.keep_only_on_own_page(path)
        assert (state.step, state.fields, state.signer_email, state.pages) == ("loading", [], "", [])
        assert state._access() == Access(token="", method="")
