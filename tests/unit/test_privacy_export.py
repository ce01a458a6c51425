"""The personal data export: complete for the person, nothing secret, nobody else's data."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import jsonschema
import pytest
from sqlalchemy import event
from sqlmodel import select

from fluxent.core.errors import NotFound, PermissionDenied
from fluxent.models.accounts import Role
from fluxent.models.audit import AuditEvent
from fluxent.services.accounts import users
from fluxent.services.audit import trail
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import SCHEMA_VERSION, export_user_data, stream_export, validate_export
from tests.support.privacy import ADA_AGENT, ADA_IP, ORGANIZATION, PASSWORD, clock_at, seed_people

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SECRET_KEYS = {"password", "password_hash", "key_hash", "token_hash", "hash", "prev_hash", "payload"}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for inner in value.values() for key in _keys(inner)}
    if isinstance(value, list):
        return {key for inner in value for key in _keys(inner)}
    return set()


def test_export_validates_against_the_schema(session):
    people = seed_people(session)
    document = export_user_data(session, user=people.ada, clock=clock_at(NOW))
    validate_export(document)
    json.dumps(document)  # JSON-able as it stands
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["generated_at"] == NOW.isoformat()


def test_export_holds_everything_about_the_person(session):
    people = seed_people(session)
    document = export_user_data(session, user=people.ada)
    profile = document["profile"]
    assert profile["email"] == "ada.lovelace@example.com"
    assert (profile["name"], profile["phone"], profile["company"], profile["country"]) == (
        "Ada Quintessa Lovelace",
        "+1 555 010 7788",
        "Analytical Engines Ltd",
        "GB",
    )
    assert profile["password_set"] is True and profile["account_type"] == "client"
    assert document["memberships"] == [
        {"organization": ORGANIZATION, "role": "member", "since": document["memberships"][0]["since"]}
    ]
    assert document["staff_profile"] is None
    assert document["consents"] == []
    assert sorted(s["ip"] for s in document["sessions"]) == ["192.0.2.55", ADA_IP]
    assert all(s["user_agent"] == ADA_AGENT and s["revoked_at"] is None for s in document["sessions"])
    [sign_in] = document["sign_ins"]
    # Her own sign-in: no "actor" (it was her), her IP address and browser, not her e-mail again.
    assert sign_in["action"] == "auth.login_succeeded" and not {"actor", "email"} & set(sign_in)
    assert (sign_in["ip"], sign_in["user_agent"]) == (ADA_IP, ADA_AGENT)
    actions = [event["action"] for event in document["audit_events"]]
    assert actions == [
        "accounts.user_created",
        "accounts.member_added",
        "accounts.profile_updated",
        "auth.login_succeeded",
        "auth.login_failed",
        "privacy.export_generated",
    ]
    assert [entry["data"] for entry in document["not_exported"]] == [
        "One-time sign-in codes, magic links, password-reset links and invitations",
        "Recovery codes for two-step sign-in, kept only as one-way hashes",
        "Who stored each encrypted value of a vault item",
    ]


def test_export_leaks_no_secret_and_nobody_else(session):
    people = seed_people(session)
    document = export_user_data(session, user=people.ada)
    text = json.dumps(document)
    for value in people.ada_secrets + people.bob_private:
        assert value not in text
    assert not _keys(document) & SECRET_KEYS
    by_bob = next(e for e in document["audit_events"] if e["action"] == "accounts.profile_updated")
    assert by_bob["actor"] == "someone_else"
    assert not {"ip", "user_agent", "email"} & set(by_bob)
    failed = next(e for e in document["audit_events"] if e["action"] == "auth.login_failed")
    # Listed because it was recorded under her e-mail (stated once, in the profile); the
    # unknown caller's IP address and browser are not hers.
    assert failed["actor"] == "system"
    assert not {"ip", "user_agent", "email"} & set(failed)


def test_an_event_carries_only_the_keys_it_has_values_for(session):
    people = seed_people(session)
    trail.record(session, "test.bare", actor=people.ada)
    trail.record(
        session,
        "test.full",
        actor=people.ada,
        target=people.ada,
        organization=7,
        meta={"n": 1},
        pii=trail.Personal(ip=ADA_IP, user_agent=ADA_AGENT, email=people.ada.email),
    )
    document = export_user_data(session, user=people.ada)
    validate_export(document)
    events = {event["action"]: event for event in document["audit_events"]}
    assert set(events["test.bare"]) == {"seq", "at", "action"}
    assert {key: value for key, value in events["test.full"].items() if key not in ("seq", "at")} == {
        "action": "test.full",
        "target": "you",
        "organization_id": 7,
        "meta": {"n": 1},
        "ip": ADA_IP,
        "user_agent": ADA_AGENT,
    }


def test_an_event_states_the_person_once_and_everyone_else_in_full(session):
    people = seed_people(session)
    trail.record(session, "test.about_bob", actor=people.ada, target=people.bob)
    trail.record(session, "test.by_bob", actor=people.bob, target=people.ada, meta={"field": "name"})
    document = export_user_data(session, user=people.ada)
    validate_export(document)
    events = {event["action"]: event for event in document["audit_events"]}
    assert events["test.about_bob"]["target"] == {"type": "user", "id": str(people.bob.id)}
    assert "actor" not in events["test.about_bob"]
    assert (events["test.by_bob"]["actor"], events["test.by_bob"]["target"]) == ("someone_else", "you")
    streamed = b"".join(stream_export(session, user=people.ada)).decode()
    events_text = streamed[streamed.index('"audit_events":') :]
    assert people.ada.email not in events_text and f'"id":"{people.ada.id}"' not in events_text


def test_hostile_text_in_an_event_stays_exactly_what_was_stored(session):
    people = seed_people(session)
    agent = 'Evil "quoted" \\ back\\slash </script>\u2028 Zoë 😀 \x01'
    meta = {"note": 'a "quote", a \\ and ünïcödé 😀', "nested": {"list": [1, 2.5, None, True]}}
    trail.record(
        session,
        "test.hostile",
        actor=people.ada,
        target=("document", 'id "with" quotes'),
        meta=meta,
        pii=trail.Personal(ip=ADA_IP, user_agent=agent),
    )
    session.commit()
    streamed = json.loads(b"".join(stream_export(session, user=people.ada)))
    validate_export(streamed)
    [event] = [event for event in streamed["audit_events"] if event["action"] == "test.hostile"]
    assert (event["user_agent"], event["meta"]) == (agent, meta)
    assert event["target"] == {"type": "document", "id": 'id "with" quotes'}


def test_the_streamed_export_is_the_same_document(session):
    people = seed_people(session)
    session.commit()
    chunks = stream_export(session, user=people.ada, clock=clock_at(NOW))
    session.commit()  # as the request's unit of work does before the answer is sent
    streamed = b"".join(chunks)
    document = export_user_data(session, user=people.ada, clock=clock_at(NOW))
    # Each export lists its own event; the second also the first one's.
    assert json.loads(streamed) == {**document, "audit_events": document["audit_events"][:-1]}


def test_export_is_audited(session):
    people = seed_people(session)
    export_user_data(session, user=people.ada, clock=clock_at(NOW))
    event = session.exec(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "privacy.export_generated"
    assert (event.actor_id, event.target_type, event.target_id) == (people.ada.id, "user", str(people.ada.id))
    assert event.created_at == NOW


def test_staff_profile_is_exported(session):
    staff = users.create_user(session, email="sam@fluxent.tech", password=PASSWORD, role=Role.STAFF)
    users.set_staff_profile(session, user=staff, title="Engineer", team="Builds", listed=True)
    document = export_user_data(session, user=staff)
    validate_export(document)
    assert document["staff_profile"] == {
        "title": "Engineer",
        "team": "Builds",
        "listed_on_team_page": True,
        "bio": "",
        "links": [],
        "photo_jpeg_base64": None,
        "photo_updated_at": None,
    }
    assert document["profile"]["account_type"] == "staff"


def test_only_the_person_or_an_admin_may_export(session):
    people = seed_people(session)
    with pytest.raises(PermissionDenied):
        export_user_data(session, user=people.ada, actor=people.bob)
    admin = users.create_user(session, email="root@fluxent.tech", password=PASSWORD, role=Role.ADMIN)
    document = export_user_data(session, user=people.ada, actor=admin)
    assert document["profile"]["email"] == people.ada.email


def test_erased_account_has_nothing_to_export(session):
    people = seed_people(session)
    erase_user(session, user=people.ada, actor=people.ada)
    with pytest.raises(NotFound):
        export_user_data(session, user=people.ada)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(extra=1),
        lambda d: d["profile"].update(password_hash="x"),
        lambda d: d["sessions"][0].update(key_hash="x"),
        lambda d: d["audit_events"][0].update(hash="x"),
        lambda d: d["audit_events"][0].update(phone="x"),
        lambda d: d["audit_events"][0].update(ip=None),
        lambda d: d["audit_events"][0].update(actor="you"),
        lambda d: d["audit_events"][0].update(target="someone"),
        lambda d: d["audit_events"][0].update(email="ada.lovelace@example.com"),
        lambda d: d.pop("consents"),
        lambda d: d.update(schema_version=SCHEMA_VERSION + 1),
    ],
)
def test_schema_refuses_unknown_or_missing_fields(session, tamper):
    people = seed_people(session)
    document = copy.deepcopy(export_user_data(session, user=people.ada))
    tamper(document)
    with pytest.raises(jsonschema.ValidationError):
        validate_export(document)


def test_an_export_leaves_its_unit_of_work_as_it_found_it(session):
    """Events are read in batches; the batching must not outlive the export's own statement
    (on PostgreSQL every later statement of the unit would become a server-side cursor)."""
    people = seed_people(session)
    export_user_data(session, user=people.ada)
    assert not {"yield_per", "stream_results"} & set(session.connection().get_execution_options())
    erase_user(session, user=people.ada, actor=people.ada)  # writes in the same unit
    assert session.get(type(people.ada), people.ada.id).erased_at is not None


def test_the_export_reads_the_persons_audit_events_by_index_not_the_whole_log(session, database):
    """Actor, target and e-mail each have an index, so the one OR over them reads only the person's events."""
    if not database.startswith("sqlite"):
        pytest.skip("the query plan checked is SQLite's (PostgreSQL's depends on its statistics)")
    people = seed_people(session)
    statements: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement: str, parameters, *_args) -> None:
        if "FROM audit_event" in statement and "ORDER BY audit_event.seq" in statement:
            statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        export_user_data(session, user=people.ada)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    statement, parameters = next((sql, params) for sql, params in statements if " OR " in sql)
    plan = " | ".join(
        row[-1] for row in session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    )
    assert "MULTI-INDEX OR" in plan and "ix_audit_event_target" in plan and "ix_audit_event_email" in plan, plan
    assert "SCAN audit_event" not in plan, plan
