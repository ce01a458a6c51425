"""View as client, on the server: an administrator's tab shows exactly what the organization's
owner sees (same read models, scoped to that organization), and every change from it is refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from reflex.istate.data import HeaderData, RouterData
from sqlmodel import Session, select

from fluxent.core.db import session_scope
from fluxent.models.accounts import Organization, OrgRole
from fluxent.models.billing import Invoice
from fluxent.models.documents import Document
from fluxent.models.engagements import Milestone, MilestoneStatus
from fluxent.models.esign import Envelope
from fluxent.services.accounts import organizations
from fluxent.services.esign import envelopes
from fluxent.services.esign.envelopes import SignerInput
from fluxent.services.portal import documents, milestones
from fluxent.state.billing import BillingProfileState, InvoicesState, InvoiceState
from fluxent.state.dashboard import DashboardState
from fluxent.state.portal import DocumentsState, EngagementsState
from fluxent.state.session import VIEWING_READ_ONLY, SessionState
from fluxent.state.signatures import SignaturesState
from fluxent.state.tab_binding import bind_to_handshake
from fluxent.state.uploads import upload
from fluxent.state.vault import VaultState
from fluxent.state.view_as import ViewAsState
from tests.support.billing import issued_invoice
from tests.support.esign import client_fields, make_pdf, sent_deal
from tests.support.portal import World
from tests.support.state import run, run_async, signed_in_tab
from tests.support.vault import AWS

PAGES = (DashboardState, EngagementsState, DocumentsState, InvoicesState, SignaturesState)


def _part(state, state_class):
    """Another page's state in the same tab."""
    return state._get_root_state().get_substate(state_class.get_full_name().split(".")[1:])


def _shown(state) -> dict[str, object]:
    """What each portal page of the tab shows, after loading it."""
    shown: dict[str, object] = {}
    for state_class in PAGES:
        page = _part(state, state_class)
        page.load()
        shown[state_class.__name__] = {
            DashboardState: lambda p: (p.actions, p.cards, p.documents, p.activity),
            EngagementsState: lambda p: p.rows,
            DocumentsState: lambda p: (p.rows, p.targets),
            InvoicesState: lambda p: p.rows,
            SignaturesState: lambda p: (p.waiting, p.finished),
        }[state_class](page)
    return shown


@dataclass
class Scene:
    world: World
    invoice_id: int
    submitted: Milestone  # waits for the owner's decision
    envelope_id: int  # waits for the owner's signature


@pytest.fixture
def scene(session: Session, world: World, data_dir) -> Scene:
    """Northwind with an issued invoice, a milestone waiting for a decision and an envelope
    waiting for its owner; the owner is also a member of Acme (which view-as must leave out)."""
    invoice = issued_invoice(session, world)
    submitted = world.milestones_a[1]
    milestones.start(session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=submitted.id)
    milestones.submit(session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=submitted.id)
    deal = sent_deal(session, world)
    organizations.add_membership(
        session, user=world.owner_a, organization=session.get(Organization, world.org_b), role=OrgRole.MEMBER
    )
    # Acme asks Olivia to sign too: her own signatures page lists it, a view of Northwind does not.
    acme_pdf = documents.upload(
        session, actor=world.staff, filename="acme.pdf", chunks=[make_pdf()], engagement_id=world.engagement_b.id
    )
    acme = envelopes.create_envelope(
        session,
        actor=world.staff,
        document_id=acme_pdf.id,
        signers=[SignerInput(world.owner_a.name, world.owner_a.email)],
        fields=[f for f in client_fields() if f.signer == 0],
        message="Acme's terms.",
    )
    envelopes.send_envelope(session, actor=world.staff, envelope_id=acme.id)
    session.commit()
    return Scene(world, invoice.id, submitted, deal.envelope.id)


def _viewing(session: Session, world: World) -> DashboardState:
    """An administrator's tab viewing Northwind."""
    board = signed_in_tab(session, world.admin, DashboardState)
    run(_part(board, ViewAsState).start(str(world.org_a)))
    assert _part(board, ViewAsState).viewing_name == "Northwind Robotics"
    return board


def test_the_pages_show_exactly_what_the_owner_sees_of_that_organization(session, scene):
    world = scene.world
    admin = signed_in_tab(session, world.admin, DashboardState)
    own_view = _shown(admin)
    assert {c.organization for c in admin.cards} == {"Northwind Robotics", "Acme Widgets"}

    run(_part(admin, ViewAsState).start(str(world.org_a)))
    viewed = _shown(admin)
    owner = signed_in_tab(session, world.owner_a, DashboardState)
    owner.choose_organization(str(world.org_a))
    assert viewed == _shown(owner)
    assert viewed != own_view
    assert {c.organization for c in admin.cards} == {"Northwind Robotics"}
    assert [a.milestone for a in admin.actions] == ["Phase 2"] and admin.actions[0].can_accept
    assert [item.envelope_id for item in _part(admin, SignaturesState).waiting] == [scene.envelope_id]
    owners_own = signed_in_tab(session, world.owner_a, SignaturesState)
    assert len(owners_own.waiting) == 2  # Northwind's and Acme's
    # The invoice page reads as the owner's too (the Pay button is there, and refused below).
    invoice = _part(admin, InvoiceState)
    invoice.invoice_id = scene.invoice_id
    invoice._fill()
    assert invoice.found and invoice.can_pay and not invoice.can_issue

    run(_part(admin, ViewAsState).stop())
    assert _shown(admin) == own_view


def _milestone_status(milestone_id: int) -> str:
    with session_scope() as db:
        return db.get(Milestone, milestone_id).status


def test_every_change_from_the_tab_is_refused_on_the_server(session, scene, stripe_standin):
    world = scene.world
    board = _viewing(session, world)
    engagement, submitted = world.engagement_a.id, scene.submitted.id

    board.ask_accept(engagement, submitted)
    board.accept()
    assert (board.notice, board.notice_is_error) == (VIEWING_READ_ONLY, True)
    pages = _part(board, EngagementsState)
    pages.load()
    pages.ask_accept(engagement, submitted)
    pages.accept()
    assert pages.notice == VIEWING_READ_ONLY
    pages.request_changes({"engagement_id": str(engagement), "milestone_id": str(submitted), "reason": "No."})
    assert pages.notice == VIEWING_READ_ONLY
    assert _milestone_status(submitted) == MilestoneStatus.SUBMITTED

    invoice = _part(board, InvoiceState)
    invoice.invoice_id = scene.invoice_id
    events = run(invoice.pay())
    assert invoice.notice == VIEWING_READ_ONLY and invoice.busy == ""
    assert not any("redirect" in str(event) for event in events)
    assert stripe_standin.of_kind("checkout.session") == []

    signatures = _part(board, SignaturesState)
    signatures.load()
    assert signatures.open_signing(signatures.waiting[0].signer_id) is None
    assert signatures.notice == VIEWING_READ_ONLY

    profile = _part(board, BillingProfileState)
    profile.load()
    run(profile.save({"profile.legal_name": "Changed Ltd", "profile.billing_email": "x@example.com"}))
    assert profile.notice == VIEWING_READ_ONLY

    with session_scope() as db:
        assert db.get(Invoice, scene.invoice_id).status == "open"
        documents_before = len(db.exec(select(Document)).all())
        assert db.get(Envelope, scene.envelope_id).status == "sent"
        assert db.get(Organization, world.org_a).name == "Northwind Robotics"

    # The upload handlers hand the tab's view to the upload path, which refuses before reading a byte.
    documents = _part(board, DocumentsState)
    documents.load()
    read: list[str] = []

    class Chunk:
        filename, data = "notes.txt", b"hello"

    async def chunks():
        read.append("chunk")
        yield Chunk()

    message, problem = run_async(
        upload(board.router.headers.cookie, documents.target, chunks(), viewing_as=documents._viewing_as)
    )
    assert (message, problem, read) == ("", VIEWING_READ_ONLY, [])
    with session_scope() as db:
        assert len(db.exec(select(Document)).all()) == documents_before

    # Leaving the view gives the administrator's own changes back.
    run(_part(board, ViewAsState).stop())
    pages.request_changes({"engagement_id": str(engagement), "milestone_id": str(submitted), "reason": "No."})
    assert pages.notice == "Only the client's owners can decide on a milestone."


def _vault(state, engagement_id: int) -> VaultState:
    vault = _part(state, VaultState)
    vault.engagement_id = engagement_id
    vault._refresh()
    return vault


def test_the_vault_shows_the_owners_items_and_refuses_every_change(session, scene):
    world = scene.world
    engagement = world.engagement_a.id
    owner = signed_in_tab(session, world.owner_a, DashboardState)
    _vault(owner, engagement).add_item({"name": "AWS production", "tags": "aws", **AWS})
    owners = _vault(owner, engagement)
    board = _viewing(session, world)
    vault = _vault(board, engagement)
    assert (vault.access, vault.lines) == ("ok", owners.lines)
    item_id = vault.lines[0].id

    run(vault.reveal(item_id))
    assert (vault.notice, vault.revealed, vault.pending) == (VIEWING_READ_ONLY, [], "")
    vault.copied(item_id)
    assert vault.notice == VIEWING_READ_ONLY
    vault.add_item({"name": "Second", "tags": "", **AWS})
    vault.delete_item(item_id)
    assert [line.name for line in _vault(board, engagement).lines] == ["AWS production"]
    assert AWS["password"] not in str(board._get_root_state().dict())


def test_the_stored_key_by_hand_grants_nothing(session, scene):
    world = scene.world
    for who in (world.owner_b, world.admin):
        board = signed_in_tab(session, who, DashboardState)
        own = _shown(board)
        view_as = _part(board, ViewAsState)
        view_as.view_as_role = str(world.org_a)
        view_as.load()
        assert (view_as.viewing_name, view_as.view_as_role, board._viewing_as) == ("", "", 0)
        assert _shown(board) == own
    # A client's own view never included Northwind.
    assert {c.organization for c in board.cards} != {"Northwind Robotics"}


def test_a_new_session_in_the_tab_drops_the_view(session, scene):
    board = _viewing(session, scene.world)
    root = board._get_root_state()
    run_async(bind_to_handshake(root))  # binds the tab to the admin's session
    assert board._viewing_as == scene.world.org_a
    root.router = RouterData(headers=HeaderData(cookie="sessionid=someone-else"))
    run_async(bind_to_handshake(root))
    assert _part(board, SessionState)._viewing_as == 0
