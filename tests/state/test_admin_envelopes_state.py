"""/admin/envelopes from its state: create a draft from a PDF, place fields by clicks on the
page images, move and delete them, send; clients are turned away."""

from __future__ import annotations

from fluxent.services.portal import documents
from fluxent.state.admin_envelopes import AdminEnvelopesState
from tests.support.esign import make_pdf
from tests.support.state import signed_in_tab


def _tab(session, user) -> AdminEnvelopesState:
    return signed_in_tab(session, user, AdminEnvelopesState)


def test_staff_create_place_move_delete_and_send(session, world, data_dir):
    document = documents.upload(
        session, actor=world.staff, filename="sow.pdf", chunks=[make_pdf(2)], engagement_id=world.engagement_a.id
    )
    session.commit()
    state = _tab(session, world.staff)
    assert state.access == "ok" and str(document.id) in [choice.value for choice in state.documents]
    state.create(
        {
            "document": str(document.id),
            "signer0_name": "",
            "signer0_email": "",
            "order": "sequential",
            "expires_in_days": "30",
            "remind_every_days": "3",
        }
    )
    assert state.open_id == 0 and state.errors and state.notice_is_error
    state.create(
        {
            "document": str(document.id),
            "title": "Statement of work",
            "signer0_name": "Olivia Owner",
            "signer0_email": world.owner_a.email,
            "signer1_name": "Sam Staff",
            "signer1_email": world.staff.email,
            "signer1_countersigner": "on",
            "order": "sequential",
            "message": "Please sign.",
            "expires_in_days": "30",
            "remind_every_days": "3",
        }
    )
    assert state.open_id and len(state.pages) == 2 and len(state.signers) == 2 and state.editable
    client, countersigner = state.signers
    state.choose_signer(client.value)
    state.place(0, 0.3, 0.8)
    state.choose_kind("date")
    state.place(1, 0.99, 0.99)  # kept inside the page
    assert len(state.fields) == 2
    date_field = next(field for field in state.fields if field.kind == "date")
    assert (date_field.page, date_field.left, date_field.top) == (1, "84.000%", "97.000%")
    state.start_move(date_field.id)
    state.place(0, 0.5, 0.5)
    moved = next(field for field in state.fields if field.id == date_field.id)
    assert (moved.page, moved.left, moved.top) == (0, "42.000%", "48.500%") and state.moving == 0
    state.delete_field(date_field.id)
    assert len(state.fields) == 1
    state.send()
    assert state.notice_is_error and "Sam Staff" in state.notice  # the countersigner has no signature field
    state.choose_signer(countersigner.value)
    state.choose_kind("signature")
    state.place(0, 0.7, 0.9)
    state.send()
    assert state.open_status == "sent" and not state.editable and not state.notice_is_error
    state.place(0, 0.2, 0.2)
    assert state.notice_is_error and len(state.fields) == 2  # sent: locked


def test_clients_do_not_get_the_console(session, world, data_dir):
    state = _tab(session, world.owner_a)
    assert state.access == "denied" and state.rows == [] and state.documents == []


def test_fields_are_placed_moved_and_deleted_from_the_keyboard(session, world, data_dir):
    document = documents.upload(
        session, actor=world.staff, filename="sow.pdf", chunks=[make_pdf(2)], engagement_id=world.engagement_a.id
    )
    session.commit()
    state = _tab(session, world.staff)
    state.create(
        {
            "document": str(document.id),
            "signer0_name": "Olivia Owner",
            "signer0_email": world.owner_a.email,
            "signer1_name": "Sam Staff",
            "signer1_email": world.staff.email,
            "signer1_countersigner": "on",
            "order": "sequential",
            "expires_in_days": "30",
            "remind_every_days": "0",
        }
    )
    # The chosen kind, for the chosen signer (not the first), in the middle of the chosen page.
    state.choose_signer(state.signers[1].value)
    state.choose_kind("text")  # 25 % wide, 3 % high
    state.choose_page("1")
    state.place_on_page()
    [field] = state.fields
    assert (field.page, field.left, field.top) == (1, "37.500%", "48.500%") and state.focus_field == field.id
    assert (field.kind, field.signer, field.description) == ("text", "Sam Staff", "Text for Sam Staff, page 2")

    def where() -> tuple[str, str]:
        moved = next(item for item in state.fields if item.id == field.id)
        return moved.left, moved.top

    state.field_key(field.id, "ArrowRight", False)
    state.field_key(field.id, "ArrowUp", True)
    assert where() == ("38.500%", "43.500%")
    for _ in range(20):
        state.field_key(field.id, "ArrowRight", True)  # stops at the page's right edge
    state.field_key(field.id, "Tab", False)  # other keys change nothing
    assert where() == ("75.000%", "43.500%") and not state.notice_is_error
    state.choose_page("7")  # no such page: refused, nothing placed
    state.place_on_page()
    assert state.notice_is_error and len(state.fields) == 1
    assert state.field_key(field.id, "Delete", False) is not None  # the focus goes back to the place button
    assert state.fields == [] and state.focus_field == 0


def test_the_document_to_send_is_found_by_file_or_organization_name(session, world, data_dir):
    for name, engagement in (("sow.pdf", world.engagement_a), ("100%_terms.pdf", world.engagement_b)):
        documents.upload(session, actor=world.staff, filename=name, chunks=[make_pdf(1)], engagement_id=engagement.id)
    session.commit()
    state = _tab(session, world.staff)
    assert len(state.documents) == 4  # with the two plans the world starts with
    state.narrow_documents("ACME")
    assert [choice.label for choice in state.documents] == ["Acme Widgets: 100%_terms.pdf", "Acme Widgets: plan.pdf"]
    state.narrow_documents("%_")
    assert [choice.label for choice in state.documents] == ["Acme Widgets: 100%_terms.pdf"]
    state.narrow_documents("sow")
    assert [choice.label for choice in state.documents] == ["Northwind Robotics: sow.pdf"]
    for nothing in ("\x00", "z" * 1_000):
        state.narrow_documents(nothing)
        assert state.documents == []


def test_the_envelopes_list_pages_and_filters_by_title_status_and_organization(session, world, data_dir):
    from fluxent.services.esign import envelopes
    from fluxent.services.esign.envelopes import SignerInput

    pdfs = {
        engagement.organization_id: documents.upload(
            session, actor=world.staff, filename="sow.pdf", chunks=[make_pdf(1)], engagement_id=engagement.id
        )
        for engagement in (world.engagement_a, world.engagement_b)
    }
    signer = [SignerInput("Olivia Owner", world.owner_a.email)]
    for number in range(21):
        envelopes.create_envelope(
            session, actor=world.staff, document_id=pdfs[world.org_a].id, signers=signer, title=f"Change {number:02d}"
        )
    envelopes.create_envelope(
        session, actor=world.staff, document_id=pdfs[world.org_b].id, signers=signer, title="50%_off order"
    )
    session.commit()
    state = _tab(session, world.staff)
    assert (state.envelope_total, state.envelope_pages, len(state.rows)) == (22, 2, 20)
    state.envelopes_go_to(2)
    assert len(state.rows) == 2
    state.search_envelopes({"q": "%_", "status": "draft"})
    assert [row.title for row in state.rows] == ["50%_off order"] and state.envelope_page == 1
    state.search_envelopes({"q": "", "status": "sent"})
    assert state.envelope_total == 0
    state.search_envelopes({"q": "", "status": "whatever"})
    assert (state.envelope_status, state.envelope_total) == ("", 22)
    state.narrow_organizations("acme")
    state.choose_organization(state.organization_choices[0]["id"])
    assert [row.title for row in state.rows] == ["50%_off order"]
    state.search_envelopes({"q": "\x00"})
    assert "filter.q" in state.errors
