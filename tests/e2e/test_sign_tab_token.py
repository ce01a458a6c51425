"""A signing tab's client token in someone else's hands, over the real websocket.

Signer B opens their link, enters the code and accepts the disclosure in a tab; signer A
(who has a link of their own on the same envelope, but not B's) connects with B's tab
token, as a proxy log or a shared machine could hand it over. Neither an event sent at
once nor the page's hydration may fill B's fields or show A anything of B's.
"""

from __future__ import annotations

import json
import re

import pytest

from fluxent import routes
from fluxent.services.seed import DEMO_CLIENT, DEMO_OTHER_CLIENT
from fluxent.state.signing import SigningState
from tests.support.socket_tabs import SocketTab, open_page, state_values

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

SIGNING = SigningState.get_full_name()
LINK_RE = re.compile(r"/sign/([A-Za-z0-9_-]+)")
CODE_RE = re.compile(r"Your code is (\d{6})")
TITLE = "Parallel order: tab token check"
# A parallel envelope on Northwind's statement of work: Dana (A) and Ravi (B), a text field each.
SEND_PARALLEL = f"""
import json
from sqlmodel import select
from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.models.engagements import Engagement
from fluxent.models.esign import FieldKind, SigningOrder
from fluxent.services.esign import envelopes
from fluxent.services.esign.envelopes import FieldInput, SignerInput
from fluxent.services.portal import documents
from fluxent.services.seed import DEMO_ENGAGEMENT, DEMO_STAFF, statement_of_work_pdf
with session_scope() as db:
    staff = db.exec(select(User).where(User.email == DEMO_STAFF.email)).one()
    engagement = db.exec(select(Engagement).where(Engagement.title == DEMO_ENGAGEMENT)).one()
    # A statement of its own: other browser tests may have replaced or versioned the demo one.
    document = documents.upload(
        db, actor=staff, filename="Tab token check.pdf", chunks=[statement_of_work_pdf()], engagement_id=engagement.id
    )
    envelope = envelopes.create_envelope(
        db,
        actor=staff,
        document_id=document.id,
        signers=[SignerInput({DEMO_CLIENT.name!r}, {DEMO_CLIENT.email!r}),
                 SignerInput({DEMO_OTHER_CLIENT.name!r}, {DEMO_OTHER_CLIENT.email!r})],
        fields=[
            FieldInput(0, FieldKind.SIGNATURE, 0, 0.1, 0.7, 0.3, 0.06),
            FieldInput(0, FieldKind.TEXT, 0, 0.1, 0.2, 0.4, 0.03, label="A's reference"),
            FieldInput(1, FieldKind.SIGNATURE, 0, 0.5, 0.8, 0.3, 0.06),
            FieldInput(1, FieldKind.TEXT, 0, 0.5, 0.3, 0.4, 0.03, label="B's purchase order"),
        ],
        order=SigningOrder.PARALLEL,
        title={TITLE!r},
    )
    envelopes.send_envelope(db, actor=staff, envelope_id=envelope.id)
    ids = {{s.email: [f.id for f in envelopes.fields_of(db, envelope.id, signer_id=s.id) if f.kind == FieldKind.TEXT][0]
           for s in envelopes.signers_of(db, envelope.id)}}
print(json.dumps(ids))
"""
FIELD_VALUE = """
from fluxent.core.db import read_scope
from fluxent.models.esign import EnvelopeField
with read_scope() as db:
    print(repr(db.get(EnvelopeField, {field_id}).value))
"""


SIGNED_AT = f"""
from sqlmodel import select
from fluxent.core.db import read_scope
from fluxent.models.esign import Envelope, EnvelopeSigner
with read_scope() as db:
    signer = db.exec(select(EnvelopeSigner).join(Envelope, Envelope.id == EnvelopeSigner.envelope_id)
                     .where(Envelope.title == {TITLE!r}, EnvelopeSigner.email == {{email!r}})).one()
    print(signer.signed_at)
"""


def _answered(tab: SocketTab, name: str, payload: dict, *, path: str) -> None:
    """Send an event, then one that always changes the state (the tab's events run in order):
    once that one's update is back, the first has run."""
    after = len(tab.updates)
    tab.emit(name, payload, path=path)
    tab.emit(f"{SIGNING}.toggle_decline", path=path)
    tab.wait_for(lambda update: "declining" in state_values(update, SIGNING), after=after, timeout=30)


def _b_signing_tab(server, outbox, b_link: str) -> str:
    """B opens their link in a tab, enters the e-mailed code and reaches their fields: the tab's token."""
    tab = SocketTab(server.base_url).connect()
    try:
        open_page(tab, b_link)
        after = len(tab.updates)
        tab.emit(f"{SIGNING}.send_code", path=b_link)
        tab.wait_for(lambda update: state_values(update, SIGNING).get("code_sent") is True, after=after)
        code = CODE_RE.search(outbox(DEMO_OTHER_CLIENT.email, "Your code")).group(1)
        after = len(tab.updates)
        tab.emit(f"{SIGNING}.submit_code", {"form_data": {"code": code}}, path=b_link)
        tab.wait_for(lambda update: state_values(update, SIGNING).get("step") in ("consent", "sign"), after=after)
        _answered(tab, f"{SIGNING}.accept_disclosure", {}, path=b_link)
        assert "B's purchase order" in tab.everything_received()  # the premise: B's tab shows B's fields
    finally:
        tab.close()
    return tab.token


def _value(server, field_id: int) -> str:
    return server.python(FIELD_VALUE.format(field_id=field_id)).strip().splitlines()[-1]


@pytest.mark.adds_to_demo_data
def test_another_signer_with_the_tab_token_neither_fills_nor_sees_the_fields(server, outbox):
    text_fields = json.loads(server.python(SEND_PARALLEL).strip().splitlines()[-1])
    b_field = text_fields[DEMO_OTHER_CLIENT.email]
    a_link = routes.with_token(routes.SIGN, LINK_RE.search(outbox(DEMO_CLIENT.email, "Please sign")).group(1))
    b_link = routes.with_token(routes.SIGN, LINK_RE.search(outbox(DEMO_OTHER_CLIENT.email, "Please sign")).group(1))

    # A opens A's own page with B's tab token: its hydration shows nothing of B's.
    token = _b_signing_tab(server, outbox, b_link)
    attacker = SocketTab(server.base_url, token=token).connect()
    try:
        open_page(attacker, a_link)
        seen = attacker.everything_received()
        for text in (DEMO_OTHER_CLIENT.email, DEMO_OTHER_CLIENT.name, "B's purchase order"):
            assert text not in seen, text
        assert any(state_values(update, SIGNING).get("step") == "code" for update in attacker.updates)
    finally:
        attacker.close()

    # B's own tab fills B's field (the events are right); A, with that tab's token, fills nothing
    # and signs nothing, whether the events claim A's page or no page at all.
    token = _b_signing_tab(server, outbox, b_link)
    owner = SocketTab(server.base_url, token=token).connect()
    try:
        _answered(owner, f"{SIGNING}.fill_text", {"field_id": b_field, "value": "PO-1"}, path=b_link)
    finally:
        owner.close()
    assert _value(server, b_field) == "'PO-1'"
    for path in (a_link, "/"):
        attacker = SocketTab(server.base_url, token=token).connect()
        try:
            _answered(attacker, f"{SIGNING}.fill_text", {"field_id": b_field, "value": "planted"}, path=path)
            _answered(attacker, f"{SIGNING}.set_typed_name", {"value": "Planted"}, path=path)
            _answered(attacker, f"{SIGNING}.choose_mode", {"mode": "typed"}, path=path)
            _answered(attacker, f"{SIGNING}.set_intent", {"checked": True}, path=path)
            _answered(attacker, f"{SIGNING}.finish", {}, path=path)
            assert "B's purchase order" not in attacker.everything_received()
        finally:
            attacker.close()
    assert _value(server, b_field) == "'PO-1'"
    signed = server.python(SIGNED_AT.format(email=DEMO_OTHER_CLIENT.email)).strip().splitlines()[-1]
    assert signed == "None"
