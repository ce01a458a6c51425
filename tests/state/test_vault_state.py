"""The vault pages' state: add, reveal behind the step-up dialog, copy, hide; the value leaves the state."""

from __future__ import annotations

import json

from sqlalchemy import text

from fluxent.services.auth import sessions
from fluxent.services.vault import items
from fluxent.state.admin_engagement import EngagementEditorState
from fluxent.state.vault import VaultState
from tests.state.conftest import visit
from tests.support.state import cookie_for, run, tab
from tests.support.vault import AWS, deliver, last_code

CANARY = AWS["password"]


def _vault_tab(session, user, engagement_id: int) -> VaultState:
    _, raw = sessions.start_session(session, user=user)
    session.commit()
    state = tab(VaultState)
    visit(state, f"/portal/vault/{engagement_id}", cookie_for(raw))
    state.load_portal()
    state.load_vault()
    return state


def _everything(state: VaultState) -> str:
    return json.dumps(state._get_root_state().dict(), default=str)


def test_the_client_adds_and_staff_reveal_after_the_step_up_dialog_then_hide(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    assert (owner.access, owner.manages, owner.is_owner) == ("ok", True, True)
    owner.add_item({"name": "AWS production", "tags": "aws, prod", **AWS})
    assert [(line.name, line.kind, line.tags) for line in owner.lines] == [("AWS production", "Login", "aws, prod")]
    assert CANARY not in _everything(owner)

    staff = _vault_tab(session, world.staff, world.engagement_a.id)
    assert (staff.access, staff.manages) == ("ok", False)
    item_id = staff.lines[0].id
    run(staff.reveal(item_id))
    assert staff.pending == f"reveal:{item_id}" and staff.revealed == []
    staff.use_method("code")
    staff.send_code()
    assert staff.code_sent
    run(staff.confirm_step_up({"secret": "000000"}))
    assert staff.errors["secret"] and staff.pending
    then = run(staff.confirm_step_up({"secret": last_code(world.staff.email)}))
    assert staff.pending == "" and "reveal" in str(then[-1])
    run(staff.reveal(item_id))
    assert {field.label: field.value for field in staff.revealed}["Password"] == CANARY
    staff.copied(item_id)
    assert staff.notice == "Copied to the clipboard."
    staff.hide()
    assert staff.revealed == [] and CANARY not in _everything(staff)


def test_the_value_leaves_the_state_when_its_30_seconds_end(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    owner.stepup_method = "code"
    owner.send_code()
    run(owner.confirm_step_up({"secret": last_code(world.owner_a.email)}))
    item_id = owner.lines[0].id
    [timer] = run(owner.reveal(item_id))
    assert "hide_later" in str(timer) and CANARY in _everything(owner)
    first = owner.reveal_count
    run(owner.reveal(item_id))  # revealed again: the first timer no longer clears it
    owner._expire(first)
    assert CANARY in _everything(owner)
    owner._expire(owner.reveal_count)
    assert owner.revealed == [] and owner.revealed_item == 0 and CANARY not in _everything(owner)


def test_unassigned_staff_and_other_organizations_see_no_vault(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    for person in (world.admin, world.owner_b):
        state = _vault_tab(session, person, world.engagement_a.id)
        assert state.access == "missing" and state.lines == []
        run(state.reveal(owner.lines[0].id))
        assert state.revealed == [] and state.notice_is_error


def test_a_bad_item_names_its_fields_and_stores_nothing(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    focus = owner.add_item({"name": "", "username": "u"})
    assert {"name", "password"} <= set(owner.errors) and owner.lines == []
    assert owner.errors["form"]  # the summary's message, which names each field below it
    assert focus.args[0][1]._var_value == "ref_add_name"  # the first field in error gets the focus


def test_the_index_lists_open_engagements_of_the_person(session, world):
    staff = _vault_tab(session, world.staff, world.engagement_a.id)
    staff.load_index()
    assert sorted(e.title for e in staff.engagements) == ["Build for Acme Widgets", "Build for Northwind Robotics"]
    member = _vault_tab(session, world.member_a, world.engagement_a.id)
    member.load_index()
    assert [e.href for e in member.engagements] == [f"/portal/vault/{world.engagement_a.id}"]


def test_the_staff_engagement_page_reads_its_vault_panel_again_after_assigning_or_closing(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    _, raw = sessions.start_session(session, user=world.admin)
    session.commit()
    panel = tab(VaultState)
    visit(panel, f"/admin/engagements/{world.engagement_a.id}", cookie_for(raw))
    panel.load_portal()
    panel.load_vault()
    editor = panel._get_root_state().get_substate(EngagementEditorState.get_full_name().split(".")[1:])
    editor.load()
    assert panel.access == "missing"

    assert editor.assign({"staff.user_id": str(world.admin.id)}) is VaultState.load_vault
    panel.load_vault()  # the returned event, as the browser runs it
    assert panel.access == "ok" and [line.name for line in panel.lines] == ["AWS production"]
    assert editor.unassign(world.admin.id) is VaultState.load_vault
    panel.load_vault()
    assert panel.access == "missing" and panel.lines == []

    deliver(session, world)
    staff = _vault_tab(session, world.staff, world.engagement_a.id)
    editor = staff._get_root_state().get_substate(EngagementEditorState.get_full_name().split(".")[1:])
    editor.load()
    assert staff.access == "ok" and staff.lines
    assert editor.move("closed") is VaultState.load_vault
    staff.load_vault()
    assert staff.access == "missing" and staff.lines == []
    assert editor.assign({"staff.user_id": "nobody"}) is None  # refused: nothing to read again


def test_the_history_lists_versions_and_an_earlier_one_opens_behind_the_step_up(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    item_id = owner.lines[0].id
    items.update_item(session, actor=world.owner_a, item_id=item_id, value={**AWS, "password": "rotated"})
    session.commit()
    staff = _vault_tab(session, world.staff, world.engagement_a.id)
    staff.toggle_history(item_id)
    assert [(v.version, v.current, v.stored_by) for v in staff.history] == [
        (2, True, "Olivia Owner"),
        (1, False, "Olivia Owner"),
    ]
    run(staff.reveal_version(item_id, 1))
    assert staff.pending == f"reveal:{item_id}:1" and staff.revealed == []
    staff.use_method("code")
    staff.send_code()
    then = run(staff.confirm_step_up({"secret": last_code(world.staff.email)}))
    assert "reveal_version" in str(then[-1])
    run(staff.reveal_version(item_id, 1))
    assert staff.revealed_version == 1
    assert {field.label: field.value for field in staff.revealed}["Password"] == CANARY
    staff.copied(item_id)
    [meta] = session.scalars(text("SELECT meta FROM audit_event WHERE action = 'vault.item_copied'")).all()
    session.commit()  # ends the read, so the test holds no lock on SQLite
    assert json.loads(meta)["version"] == 1
    run(staff.reveal_version(item_id, 7))
    assert staff.revealed == [] and staff.notice_is_error
    staff.toggle_history(item_id)
    assert staff.history_item == 0 and staff.history == []
    outsider = _vault_tab(session, world.owner_b, world.engagement_a.id)
    outsider.toggle_history(item_id)
    assert outsider.history == [] and outsider.notice_is_error


def test_the_clients_people_rename_retag_and_store_a_new_version_from_the_page(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", "tags": "aws", **AWS})
    item_id = owner.lines[0].id
    member = _vault_tab(session, world.member_a, world.engagement_a.id)
    member.toggle_edit(item_id)
    assert member.editing_item == item_id and CANARY not in _everything(member)  # the value is never sent to edit
    blank = dict.fromkeys(AWS, "")
    assert member.save_item({"name": "AWS prod", "tags": "aws, eu", **blank}) is None
    assert [(line.name, line.tags, line.version) for line in member.lines] == [("AWS prod", "aws, eu", 1)]
    assert member.editing_item == 0 and member.notice == "Saved."

    member.toggle_edit(item_id)
    focus = member.save_item({"name": "AWS prod", "tags": "aws", **blank, "username": "deploy-bot"})
    assert "password" in member.edit_errors and member.errors == {}  # the add form shows nothing of it
    assert focus.args[0][1]._var_value == "ref_edit_password"
    assert member.lines[0].version == 1
    member.save_item({"name": "AWS prod", "tags": "aws", **AWS, "password": "rotated-by-member"})
    assert member.lines[0].version == 2 and "history" in member.notice
    assert CANARY not in _everything(member) and "rotated-by-member" not in _everything(member)
    history = items.list_versions(session, actor=world.owner_a, item_id=item_id)
    assert [(v.version, v.created_by) for v in history] == [(2, "Mark Member"), (1, "Olivia Owner")]


def test_staff_cannot_edit_from_the_page(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    item_id = owner.lines[0].id
    staff = _vault_tab(session, world.staff, world.engagement_a.id)
    staff.toggle_edit(item_id)  # no Edit button is shown to staff; the event is refused anyway
    staff.save_item({"name": "Taken over", **AWS, "password": "hijacked"})
    assert staff.notice_is_error
    assert [
        (row.name, row.version)
        for row in items.list_items(session, actor=world.owner_a, engagement_id=world.engagement_a.id)
    ] == [("AWS production", 1)]


def test_the_owner_deletes_the_vault_from_the_page_after_the_step_up_and_the_typed_title(session, world):
    owner = _vault_tab(session, world.owner_a, world.engagement_a.id)
    owner.add_item({"name": "AWS production", **AWS})
    member = _vault_tab(session, world.member_a, world.engagement_a.id)
    assert not member.is_owner
    member.delete_vault({"confirm": world.engagement_a.title})
    assert member.notice_is_error and member.lines

    title = world.engagement_a.title
    owner.delete_vault({"confirm": title})
    assert owner.pending == "delete" and owner.lines  # the step-up dialog opens first
    owner.use_method("code")
    owner.send_code()
    then = run(owner.confirm_step_up({"secret": last_code(world.owner_a.email)}))
    assert owner.pending == "" and not any("reveal" in str(event) for event in then)
    owner.delete_vault({"confirm": "yes"})
    assert owner.errors["confirm"] and owner.lines
    owner.delete_vault({"confirm": title})
    assert owner.lines == [] and "offboarding report" in owner.notice
    assert items.list_items(session, actor=world.owner_a, engagement_id=world.engagement_a.id) == []
