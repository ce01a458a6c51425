"""The vault's rules: who may use it, reveals behind a fresh step-up, versions, audit, offboarding."""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import func, select, text

from fluxent.core.db import get_engine, session_scope
from fluxent.core.errors import NotFound, PermissionDenied, ReauthRequired, ValidationFailed
from fluxent.models.accounts import User
from fluxent.models.engagements import EngagementStatus
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemVersion
from fluxent.services.auth import sessions, step_up
from fluxent.services.portal import engagements
from fluxent.services.privacy.export import export_user_data
from fluxent.services.vault import activity, items, offboarding
from tests.support.auth import audit_actions
from tests.support.portal import outbox
from tests.support.vault import AWS, add_aws_login, deliver_and_close, stepped_up

CANARY = AWS["password"]


def _counts(session) -> tuple[int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(table)) for table in (VaultItem, VaultItemVersion, VaultDataKey)
    )


def test_client_people_add_and_assigned_staff_reveal_after_a_step_up(session, world, clock):
    item = add_aws_login(session, world.member_a, world.engagement_a.id)
    [row] = items.list_items(session, actor=world.staff, engagement_id=world.engagement_a.id)
    assert (row.name, row.kind, row.tags, row.version, row.created_by) == (
        "AWS production",
        "login",
        ("aws", "prod"),
        1,
        "Mark Member",
    )
    assert CANARY not in repr(row)
    browser = stepped_up(session, world.staff, clock=clock)
    assert items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, clock=clock) == AWS
    items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, copied=True, clock=clock)
    session.commit()
    log = activity.access_log(session, actor=world.owner_a, engagement_id=world.engagement_a.id)
    assert [(r.who, r.label, r.item, r.by_fluxent) for r in log[:3]] == [
        ("Sam Staff", "copied", "AWS production", True),
        ("Sam Staff", "revealed", "AWS production", True),
        ("Mark Member", "added", "AWS production", False),
    ]


def test_a_reveal_needs_a_step_up_within_ten_minutes(session, world, clock):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    fresh, _ = sessions.start_session(session, user=world.staff, clock=clock)
    with pytest.raises(ReauthRequired):
        items.reveal(session, actor=world.staff, auth_session=fresh, item_id=item.id, clock=clock)
    browser = stepped_up(session, world.staff, clock=clock)
    clock.advance(minutes=9)
    assert items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, clock=clock)
    clock.advance(minutes=2)
    with pytest.raises(ReauthRequired) as stale:
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, clock=clock)
    assert stale.value.code == "reauth_required"


def test_a_wrong_step_up_code_opens_nothing(session, world):
    browser, _ = sessions.start_session(session, user=world.staff)
    step_up.request_code(session, user=world.staff)
    session.commit()
    with pytest.raises(ValidationFailed):
        step_up.reauthenticate(session, user=world.staff, auth_session=browser, password=None, code="000000")
    session.rollback()
    assert not step_up.is_recent(browser)
    assert "auth.reauth_refused" in audit_actions(session)


@pytest.mark.parametrize("who", ["admin", "outsider", "unassigned staff"])
def test_no_one_else_gets_anything(session, world, who):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    if who == "unassigned staff":
        engagements.unassign_staff(
            session, actor=world.admin, engagement_id=world.engagement_a.id, user_id=world.staff.id
        )
        session.commit()
    person = {"admin": world.admin, "outsider": world.owner_b, "unassigned staff": world.staff}[who]
    refused = NotFound if who == "outsider" else PermissionDenied
    browser = stepped_up(session, person)
    with pytest.raises(refused):
        items.list_items(session, actor=person, engagement_id=world.engagement_a.id)
    with pytest.raises(refused):
        items.reveal(session, actor=person, auth_session=browser, item_id=item.id)
    with pytest.raises(refused):
        activity.access_log(session, actor=person, engagement_id=world.engagement_a.id)
    with pytest.raises((NotFound, PermissionDenied)):
        items.update_item(session, actor=person, item_id=item.id, value={**AWS, "password": "hijacked"})


def test_an_admin_who_assigns_themselves_is_shown_to_the_client(session, world):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    engagements.assign_staff(session, actor=world.admin, engagement_id=world.engagement_a.id, user_id=world.admin.id)
    session.commit()
    browser = stepped_up(session, world.admin)
    assert items.reveal(session, actor=world.admin, auth_session=browser, item_id=item.id) == AWS
    session.commit()
    log = activity.access_log(session, actor=world.owner_a, engagement_id=world.engagement_a.id)
    assert [(r.who, r.label, r.item) for r in log[:2]] == [
        ("Ada Admin", "revealed", "AWS production"),
        ("Ada Admin", "assigned", "Ada Admin to the engagement"),
    ]


def test_staff_cannot_add_change_or_delete(session, world):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    with pytest.raises(PermissionDenied):
        items.create_item(
            session,
            actor=world.staff,
            engagement_id=world.engagement_a.id,
            kind="api_key",
            name="K",
            value={"key": "x"},
        )
    with pytest.raises(PermissionDenied):
        items.delete_item(session, actor=world.staff, item_id=item.id)


def test_a_new_value_is_a_new_version_and_the_old_one_stays_encrypted(session, world):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    items.update_item(
        session, actor=world.member_a, item_id=item.id, value={**AWS, "password": "rotated-secret"}, tags=["aws"]
    )
    session.commit()
    versions = session.scalars(select(VaultItemVersion).where(VaultItemVersion.item_id == item.id)).all()
    assert [v.version for v in versions] == [1, 2]
    assert all(CANARY.encode() not in v.ciphertext for v in versions)
    browser = stepped_up(session, world.staff)
    assert (
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)["password"] == "rotated-secret"
    )
    items.delete_item(session, actor=world.owner_a, item_id=item.id)
    session.commit()
    assert _counts(session)[:2] == (0, 0)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (
            "login",
            {
                "username": "ci-bot",
                "password": "pw-canary-1",
                "url": "https://ci.test",
                "totp_seed": "JBSWY3DPEHPK3PXP",
            },
        ),
        ("api_key", {"key": "sk_live_canary"}),
        ("ssh_key", {"private_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END", "passphrase": "pp-canary"}),
        ("database_url", {"url": "postgresql://app:pw@db.internal:5432/app"}),
        ("secure_note", {"note": "Break-glass steps:\n1. Call Hana"}),
    ],
)
def test_every_kind_stores_its_fields_and_reveals_them_whole(session, world, kind, value):
    item = items.create_item(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, kind=kind, name=kind, value=value
    )
    session.commit()
    [row] = items.list_items(session, actor=world.staff, engagement_id=world.engagement_a.id)
    assert row.kind == kind and all(text not in repr(row) for text in value.values())
    browser = stepped_up(session, world.staff)
    revealed = items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    assert revealed == {**dict.fromkeys(items.KIND_FIELDS[items.VaultItemKind(kind)], ""), **value}


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("login", {"username": "u"}, "password"),
        ("login", {**AWS, "extra": "x"}, "extra"),
        ("api_key", {"key": "x\x00y"}, "key"),
        ("vaporware", {"key": "x"}, "kind"),
        ("api_key", {"key": "x" * 20_000}, "key"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_stores_nothing(session, world, kind, value, field):
    with pytest.raises(ValidationFailed) as refused:
        items.create_item(
            session, actor=world.owner_a, engagement_id=world.engagement_a.id, kind=kind, name="Bad", value=value
        )
    assert field in refused.value.fields
    assert "x" * 100 not in json.dumps(refused.value.fields)
    session.rollback()
    assert _counts(session) == (0, 0, 0)


def test_the_audit_log_and_the_export_hold_metadata_never_values(session, world):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    browser = stepped_up(session, world.staff)
    items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    session.commit()
    dump = json.dumps([list(map(str, row)) for row in session.execute(text("SELECT * FROM audit_event"))])
    assert CANARY not in dump and "deploy-bot" not in dump
    document = export_user_data(session, user=world.owner_a)
    assert document["vault_items"][0]["item"] == "AWS production"
    assert CANARY not in json.dumps(document, default=str)


def test_closing_the_engagement_reports_the_reveals_then_shreds_the_vault(session, world, data_dir):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    add_aws_login(session, world.owner_a, world.engagement_a.id, name="Untouched", password="quiet")
    browser = stepped_up(session, world.staff)
    items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    session.commit()
    deliver_and_close(session, world)
    assert _counts(session) == (0, 0, 0)
    [report] = [m for m in outbox(data_dir, world.owner_a.email) if "offboarding" in m["Subject"]]
    body = report.get_body(("plain",)).get_content()
    assert "Sam Staff revealed \u201cAWS production\u201d" in body and "Rotate each" in body
    assert "Untouched" not in body and CANARY not in body
    assert "vault.shredded" in audit_actions(session)
    with pytest.raises(NotFound):
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id)
    assert offboarding.count_closed(session) == 0
    assert offboarding.shred_closed(session, limit=10) == 0


def test_an_owner_deletes_the_vault_after_a_step_up_and_typing_the_title(session, world, data_dir):
    add_aws_login(session, world.owner_a, world.engagement_a.id)
    title = world.engagement_a.title
    member = stepped_up(session, world.member_a)
    with pytest.raises(PermissionDenied):
        offboarding.delete_vault(
            session, actor=world.member_a, auth_session=member, engagement_id=world.engagement_a.id, confirm=title
        )
    unconfirmed, _ = sessions.start_session(session, user=world.owner_a)
    with pytest.raises(ReauthRequired):
        offboarding.delete_vault(
            session, actor=world.owner_a, auth_session=unconfirmed, engagement_id=world.engagement_a.id, confirm=title
        )
    owner = stepped_up(session, world.owner_a)
    with pytest.raises(ValidationFailed):
        offboarding.delete_vault(
            session, actor=world.owner_a, auth_session=owner, engagement_id=world.engagement_a.id, confirm="yes"
        )
    session.rollback()
    assert _counts(session)[0] == 1
    assert (
        offboarding.delete_vault(
            session, actor=world.owner_a, auth_session=owner, engagement_id=world.engagement_a.id, confirm=title
        )
        == 1
    )
    session.commit()
    assert _counts(session) == (0, 0, 0)
    assert any("offboarding" in m["Subject"] for m in outbox(data_dir, world.owner_a.email))


def test_the_retention_job_shreds_a_closed_engagement_left_with_a_vault(session, world):
    add_aws_login(session, world.owner_a, world.engagement_a.id)
    world.engagement_a.status = EngagementStatus.CLOSED  # closed before the hook existed
    session.add(world.engagement_a)
    session.commit()
    assert offboarding.count_closed(session) == 1
    assert offboarding.shred_closed(session, limit=10) == 1
    assert offboarding.count_closed(session) == 0
    session.commit()
    assert _counts(session) == (0, 0, 0)


def test_two_first_items_added_at_once_share_one_data_key(session, world, clock):
    """The second insert of the engagement's data key waits on the first, then reads it."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race is PostgreSQL's")
    session.commit()
    owner_id, engagement_id = world.owner_a.id, world.engagement_a.id
    first_added, errors, added = threading.Event(), [], {}

    def add(name: str, *, hold: bool) -> None:
        try:
            with session_scope() as db:
                owner = db.get(User, owner_id)
                added[name] = items.create_item(
                    db, actor=owner, engagement_id=engagement_id, kind="api_key", name=name, value={"key": name}
                ).id
                if hold:  # keep this transaction open until the other one waits on its data key
                    first_added.set()
                    _wait_for_a_blocked_insert()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    first = threading.Thread(target=add, args=("first",), kwargs={"hold": True})
    first.start()
    assert first_added.wait(30)
    second = threading.Thread(target=add, args=("second",), kwargs={"hold": False})
    second.start()
    first.join(60)
    second.join(60)
    assert errors == []
    assert session.scalar(select(func.count()).select_from(VaultDataKey)) == 1
    browser = stepped_up(session, world.owner_a, clock=clock)
    for name, item_id in added.items():
        assert items.reveal(session, actor=world.owner_a, auth_session=browser, item_id=item_id, clock=clock) == {
            "key": name
        }


def _wait_for_a_blocked_insert() -> None:
    with get_engine().connect() as conn:
        for _ in range(300):
            if conn.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                return
            time.sleep(0.05)
    raise AssertionError("the second insert never waited on the first")


def test_earlier_versions_are_listed_and_revealed_under_the_same_rules(session, world, clock):
    item = add_aws_login(session, world.owner_a, world.engagement_a.id)
    items.update_item(session, actor=world.member_a, item_id=item.id, value={**AWS, "password": "rotated-secret"})
    session.commit()
    history = items.list_versions(session, actor=world.staff, item_id=item.id)
    assert [(v.version, v.created_by, v.current) for v in history] == [
        (2, "Mark Member", True),
        (1, "Olivia Owner", False),
    ]
    assert CANARY not in repr(history)
    fresh, _ = sessions.start_session(session, user=world.staff, clock=clock)
    with pytest.raises(ReauthRequired):
        items.reveal(session, actor=world.staff, auth_session=fresh, item_id=item.id, version=1, clock=clock)
    browser = stepped_up(session, world.staff, clock=clock)
    old = items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, version=1, clock=clock)
    assert old["password"] == CANARY
    with pytest.raises(NotFound, match="no such version"):
        items.reveal(session, actor=world.staff, auth_session=browser, item_id=item.id, version=3, clock=clock)
    session.commit()
    [meta] = session.scalars(text("SELECT meta FROM audit_event WHERE action = 'vault.item_revealed'")).all()
    assert json.loads(meta)["version"] == 1
    for outsider in (world.admin, world.owner_b):
        with pytest.raises((NotFound, PermissionDenied)):
            items.list_versions(session, actor=outsider, item_id=item.id)
        with pytest.raises((NotFound, PermissionDenied)):
            items.reveal(
                session,
                actor=outsider,
                auth_session=stepped_up(session, outsider, clock=clock),
                item_id=item.id,
                version=1,
                clock=clock,
            )
