"""The retention table, rule by rule: a row just inside its window stays, one just outside goes.
Plus the dry run, the audited real run, one run at a time across processes, and failures."""

from __future__ import annotations

import asyncio
import json
import os
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core import db
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.audit import AuditEvent
from fluxent.models.auth import AuthSession, AuthThrottle, OneTimeToken, TokenPurpose
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.marketing import Lead, LeadStatus
from fluxent.models.notifications import Notification
from fluxent.models.privacy import PrivacyRequest, RequestKind, RequestStatus
from fluxent.models.vault import VaultDataKey, VaultItem
from fluxent.services import lease
from fluxent.services.accounts import archival, organizations
from fluxent.services.audit import trail
from fluxent.services.auth import sessions
from fluxent.services.privacy import retention, retention_rules
from tests.support.auth import AGENT, IP, make_user
from tests.support.vault import add_aws_login

START = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def _job(key: str) -> retention.Job:
    return next(job for job in retention.JOBS if job.name == key)


def _run(session: Session, *keys: str, at: datetime = START, **options) -> retention.Report:
    """Commit the test's rows, run the named jobs as of ``at``, and start the test a fresh transaction."""
    session.commit()
    report = retention.run(tuple(_job(key) for key in keys), clock=lambda: at, **options)
    session.expire_all()
    return report


def _counts(report: retention.Report) -> dict[str, int]:
    assert not report.failed, report.lines()
    return {outcome.job.name: outcome.count for outcome in report.outcomes}


def test_every_rule_has_one_job_and_every_job_a_rule():
    assert [job.name for job in retention.JOBS] == [rule.key for rule in retention_rules.RULES]


def _token(session: Session, name: str, *, expires_at: datetime, **columns) -> OneTimeToken:
    row = OneTimeToken(
        purpose=columns.pop("purpose", TokenPurpose.MAGIC_LINK),
        token_hash=name.ljust(64, "0"),
        email="dana@example.test",
        created_at=expires_at - timedelta(minutes=10),
        expires_at=expires_at,
        **columns,
    )
    session.add(row)
    session.flush()
    return row


def test_used_or_expired_one_time_codes_go_with_a_pending_new_address(session):
    _token(session, "live", expires_at=START + SECOND)
    _token(session, "expired", expires_at=START - SECOND)
    _token(session, "used", expires_at=START + timedelta(minutes=5), used_at=START - timedelta(minutes=1))
    _token(
        session,
        "address",
        purpose=TokenPurpose.EMAIL_CHANGE,
        expires_at=START + timedelta(minutes=5),
        used_at=START - SECOND,
        payload=json.dumps({"new_email": "dana.new@example.test"}),
    )
    # A code burned by wrong attempts holds the attempt count until it expires: it stays.
    _token(
        session,
        "burned",
        purpose=TokenPurpose.EMAIL_CODE,
        expires_at=START + SECOND,
        attempts=5,
        revoked_at=START - SECOND,
    )

    assert _counts(_run(session, "purge-one-time-codes")) == {"purge-one-time-codes": 3}

    left = {row.token_hash.rstrip("0"): row.payload for row in session.exec(select(OneTimeToken)).scalars()}
    assert set(left) == {"live", "burned"}
    assert not any("dana.new" in payload for payload in left.values())


def _signed_in(session: Session, user: User, **times) -> AuthSession:
    auth_session, _raw = sessions.start_session(session, user=user, ip=IP, user_agent=AGENT, clock=lambda: START)
    for name, value in times.items():
        setattr(auth_session, name, value)
    session.add(auth_session)
    session.flush()
    return auth_session


def test_sessions_lose_ip_and_browser_30_days_after_they_end(session):
    user = make_user(session, "dana@example.test")
    idle = timedelta(minutes=120)
    month = retention_rules.SESSION_TRACES_KEPT
    cases = {
        "signed out just outside": dict(revoked_at=START - month - SECOND),
        "signed out just inside": dict(revoked_at=START - month + SECOND),
        "expired just outside": dict(expires_at=START - month - SECOND),
        "idle just outside": dict(last_seen_at=START - month - idle - SECOND),
        "idle just inside": dict(last_seen_at=START - month - idle + SECOND),
    }
    ids = {name: _signed_in(session, user, **times).id for name, times in cases.items()}

    assert _counts(_run(session, "forget-session-traces")) == {"forget-session-traces": 3}

    traced = {
        name: (session.get(AuthSession, ident).ip, session.get(AuthSession, ident).user_agent)
        for name, ident in ids.items()
    }
    assert traced == {
        "signed out just outside": ("", ""),
        "signed out just inside": (IP, AGENT),
        "expired just outside": ("", ""),
        "idle just outside": ("", ""),
        "idle just inside": (IP, AGENT),
    }
    assert session.scalar(select(func.count()).select_from(AuthSession)) == 5  # the sign-in history stays


def test_throttle_rows_go_once_quiet(session):
    day = timedelta(days=1)
    session.add(AuthThrottle(key="quiet", failures=3, window_started_at=START - day - SECOND))
    session.add(AuthThrottle(key="recent", failures=3, window_started_at=START - day + SECOND))
    session.add(
        AuthThrottle(key="locked", failures=9, window_started_at=START - 2 * day, locked_until=START - day + SECOND)
    )

    assert _counts(_run(session, "purge-throttles")) == {"purge-throttles": 1}
    assert set(session.scalars(select(AuthThrottle.key))) == {"recent", "locked"}


def test_notifications_go_90_days_after_reading_or_a_year_after_they_were_made(session):
    person = make_user(session, "reader@example.test")
    day = timedelta(days=1)

    def note(title: str, *, made: datetime, read: datetime | None = None, digest: bool = False) -> None:
        session.add(
            Notification(
                user_id=person.id, kind="message", title=title, created_at=made, read_at=read, digest_due=digest
            )
        )

    note("read long ago", made=START - 100 * day, read=START - 90 * day - SECOND)
    note("read lately", made=START - 100 * day, read=START - 90 * day + SECOND)
    note("never read, old", made=START - 365 * day - SECOND)
    note("never read, recent", made=START - 364 * day)
    note("old, waiting for the digest", made=START - 400 * day, digest=True)

    assert _counts(_run(session, "purge-notifications")) == {"purge-notifications": 2}
    assert set(session.scalars(select(Notification.title))) == {
        "read lately",
        "never read, recent",
        "old, waiting for the digest",
    }


def test_privacy_requests_never_confirmed_go_after_a_day_and_confirmed_ones_stay(session):
    def asked(email: str, received: datetime, status: RequestStatus) -> None:
        session.add(
            PrivacyRequest(
                kind=RequestKind.ACCESS,
                status=status,
                subject_email=email,
                received_at=received,
                due_at=received + timedelta(days=45),
            )
        )

    asked("stale@example.test", START - timedelta(days=1) - SECOND, RequestStatus.UNCONFIRMED)
    asked("fresh@example.test", START - timedelta(hours=23), RequestStatus.UNCONFIRMED)
    asked("kept@example.test", START - timedelta(days=400), RequestStatus.CLOSED)

    assert _counts(_run(session, "purge-unconfirmed-requests")) == {"purge-unconfirmed-requests": 1}
    assert set(session.scalars(select(PrivacyRequest.subject_email))) == {"fresh@example.test", "kept@example.test"}


def _organization(session: Session, slug: str, *statuses: EngagementStatus, closed_at: datetime = START) -> int:
    organization = Organization(name=slug.title(), slug=slug)
    session.add(organization)
    session.flush()
    for status in statuses:
        session.add(
            Engagement(
                organization_id=organization.id,
                title=f"{slug} build",
                fixed_price_minor=100_00,
                currency="USD",
                status=status,
                closed_at=closed_at if status == EngagementStatus.CLOSED else None,
            )
        )
    session.flush()
    return organization.id


def _lead(session: Session, name: str, *, last_activity: datetime, organization_id: int | None = None) -> int:
    lead = Lead(
        name=name,
        email=f"{name}@example.test",
        status=LeadStatus.WON if organization_id else LeadStatus.NEW,
        created_at=last_activity,
        last_activity_at=last_activity,
        organization_id=organization_id,
    )
    session.add(lead)
    session.flush()
    return lead.id


def test_leads_are_archived_after_24_idle_months_or_once_their_engagement_closed(session):
    idle = timedelta(days=730)
    ids = {
        "idle just outside": _lead(session, "old", last_activity=START - idle - SECOND),
        "idle just inside": _lead(session, "recent", last_activity=START - idle + SECOND),
        "engagement closed": _lead(
            session,
            "closed",
            last_activity=START - SECOND,
            organization_id=_organization(session, "closed", EngagementStatus.CLOSED, EngagementStatus.ACTIVE),
        ),
        "engagement delivered": _lead(
            session,
            "delivered",
            last_activity=START - SECOND,
            organization_id=_organization(session, "delivered", EngagementStatus.DELIVERED),
        ),
    }

    assert _counts(_run(session, "archive-leads")) == {"archive-leads": 2}
    statuses = {name: session.get(Lead, ident).status for name, ident in ids.items()}
    assert statuses == {
        "idle just outside": LeadStatus.ARCHIVED,
        "idle just inside": LeadStatus.NEW,
        "engagement closed": LeadStatus.ARCHIVED,
        "engagement delivered": LeadStatus.WON,
    }


def _client(session: Session, email_address: str, *organization_ids: int) -> int:
    user = make_user(session, email_address, role=Role.CLIENT)
    for organization_id in organization_ids:
        organization = session.get(Organization, organization_id)
        organizations.add_membership(session, user=user, organization=organization, role=OrgRole.OWNER)
    _signed_in(session, user)
    return user.id


def _state(session: Session, user_id: int) -> tuple[bool, bool, bool]:
    """(told, archived, may still sign in) for a client."""
    user = session.get(User, user_id)
    return user.archive_notice_sent_at is not None, user.archived_at is not None, user.is_active


def test_clients_are_told_30_days_before_their_account_is_archived_24_months_after_the_last_closing(session, outbox):
    done = _client(session, "done@example.test", _organization(session, "done", EngagementStatus.CLOSED))
    busy = _client(
        session,
        "busy@example.test",
        _organization(session, "finished", EngagementStatus.CLOSED),
        _organization(session, "ongoing", EngagementStatus.ACTIVE),
    )
    archive_day = datetime(2028, 6, 15, 12, 0, tzinfo=UTC)  # 24 calendar months after the closing
    notice_day = archive_day - timedelta(days=30)
    keys = ("notify-accounts", "archive-accounts")

    assert _counts(_run(session, *keys, at=notice_day - SECOND)) == {"notify-accounts": 0, "archive-accounts": 0}
    assert _counts(_run(session, *keys, at=notice_day)) == {"notify-accounts": 1, "archive-accounts": 0}
    notice = outbox.last("done@example.test")
    assert "archived on June 15, 2028" in outbox.text(notice)
    assert _state(session, done) == (True, False, True)
    # Sent once.
    assert _counts(_run(session, *keys, at=archive_day - SECOND)) == {"notify-accounts": 0, "archive-accounts": 0}
    assert len(outbox.messages("done@example.test")) == 1

    assert _counts(_run(session, *keys, at=archive_day)) == {"notify-accounts": 0, "archive-accounts": 1}
    assert _state(session, done) == (True, True, False)
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuthSession)
            .where(AuthSession.user_id == done, AuthSession.revoked_at.is_(None))
        )
        == 0
    )
    assert _state(session, busy) == (False, False, True)  # one of their engagements is still going
    assert not outbox.messages("busy@example.test")
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(done))))
    assert {"accounts.archive_notice_sent", "accounts.archived"} <= actions


def test_a_late_notice_still_gets_its_30_days_and_the_window_follows_the_setting(session, outbox, monkeypatch):
    monkeypatch.setenv("FLUXENT_ACCOUNT_ARCHIVE_MONTHS", "3")
    reset_settings()
    client = _client(session, "late@example.test", _organization(session, "late", EngagementStatus.CLOSED))
    keys = ("notify-accounts", "archive-accounts")
    late = datetime(2026, 10, 1, tzinfo=UTC)  # past the 3-month window: told now, archived 30 days later

    assert _counts(_run(session, *keys, at=late)) == {"notify-accounts": 1, "archive-accounts": 0}
    assert "archived on October 31, 2026" in outbox.text(outbox.last("late@example.test"))
    assert _counts(_run(session, *keys, at=late + timedelta(days=30) - SECOND))["archive-accounts"] == 0
    assert _counts(_run(session, *keys, at=late + timedelta(days=30)))["archive-accounts"] == 1
    assert _state(session, client) == (True, True, False)


def test_reopened_work_stops_the_clock_and_a_new_closing_sends_a_new_notice(session, outbox):
    organization_id = _organization(session, "again", EngagementStatus.CLOSED)
    client = _client(session, "again@example.test", organization_id)
    keys = ("notify-accounts", "archive-accounts")
    assert _counts(_run(session, *keys, at=datetime(2028, 5, 20, tzinfo=UTC)))["notify-accounts"] == 1
    engagement = session.scalars(select(Engagement).where(Engagement.organization_id == organization_id)).one()
    engagement.status, engagement.closed_at = EngagementStatus.ACTIVE, None
    session.add(engagement)

    assert _counts(_run(session, *keys, at=datetime(2028, 7, 1, tzinfo=UTC))) == {
        "notify-accounts": 0,
        "archive-accounts": 0,
    }
    engagement.status, engagement.closed_at = EngagementStatus.CLOSED, datetime(2028, 7, 1, tzinfo=UTC)
    session.add(engagement)
    assert _counts(_run(session, *keys, at=datetime(2030, 6, 1, tzinfo=UTC)))["notify-accounts"] == 1
    assert len(outbox.messages("again@example.test")) == 2
    assert _state(session, client) == (True, False, True)


def test_audit_events_go_after_2_years_in_batches_and_the_chain_still_verifies(session):
    cutoff = START - retention_rules.AUDIT_KEPT
    for index in range(5):
        trail.record(session, "test.old", meta={"n": index}, clock=lambda at=cutoff - SECOND * (5 - index): at)
    trail.record(session, "test.kept", clock=lambda: cutoff + SECOND)

    assert _counts(_run(session, "purge-audit", batch=2)) == {"purge-audit": 5}

    left = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert left == ["test.kept", trail.CHECKPOINT_ACTION, retention.RUN_ACTION]
    assert trail.verify(session).ok


def test_development_outbox_files_go_after_24_hours(session, outbox):
    outbox.directory.mkdir(parents=True, exist_ok=True)
    for name, age in (("old", timedelta(hours=24) + SECOND), ("recent", timedelta(hours=24) - SECOND)):
        path = outbox.directory / f"{name}.eml"
        path.write_text("Subject: hello\n\nhi\n")
        stamp = (START - age).timestamp()
        os.utime(path, (stamp, stamp))

    assert _counts(_run(session, "purge-outbox")) == {"purge-outbox": 1}
    assert sorted(path.name for path in outbox.directory.iterdir()) == ["recent.eml"]


def test_a_closed_engagements_vault_left_behind_is_reported_and_shredded(session, world, outbox):
    """The close hook shreds at once; the run catches a vault it missed (closed before the hook existed)."""
    add_aws_login(session, world.owner_a, world.engagement_a.id)
    add_aws_login(session, world.owner_b, world.engagement_b.id)  # open: kept
    world.engagement_a.status = EngagementStatus.CLOSED
    session.add(world.engagement_a)
    session.commit()
    assert _counts(retention.run((_job("shred-closed-vaults"),), dry_run=True, clock=lambda: START)) == {
        "shred-closed-vaults": 1
    }
    assert _counts(_run(session, "shred-closed-vaults")) == {"shred-closed-vaults": 1}
    left = session.execute(select(VaultItem.engagement_id, func.count()).group_by(VaultItem.engagement_id)).all()
    assert [tuple(row) for row in left] == [(world.engagement_b.id, 1)]
    assert session.scalars(select(VaultDataKey.engagement_id)).all() == [world.engagement_b.id]
    assert "offboarding" in outbox.last(world.owner_a.email)["Subject"]
    assert _counts(_run(session, "shred-closed-vaults")) == {"shred-closed-vaults": 0}


def test_a_dry_run_counts_per_rule_and_changes_nothing(session, outbox):
    _token(session, "expired", expires_at=START - SECOND)
    lead_id = _lead(session, "old", last_activity=START - timedelta(days=800))
    trail.record(session, "test.old", clock=lambda: START - timedelta(days=800))
    session.commit()
    before = session.scalar(select(func.count()).select_from(AuditEvent))

    report = retention.run(dry_run=True, clock=lambda: START)

    counts = _counts(report)
    assert (counts["purge-one-time-codes"], counts["archive-leads"], counts["purge-audit"]) == (1, 1, 1)
    assert counts["archive-accounts"] == counts["purge-billing"] == 0
    assert report.lines()[0] == "Dry run: nothing was changed."
    assert "archive-leads: 1 leads idle 24 months or whose engagement closed would be archived" in report.lines()
    session.expire_all()
    assert session.get(Lead, lead_id).status == LeadStatus.NEW
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert session.scalar(select(func.count()).select_from(OneTimeToken)) == 1


def test_a_real_run_is_audited_with_its_counts(session, outbox):
    _token(session, "expired", expires_at=START - SECOND)
    report = _run(session, *(job.name for job in retention.JOBS))

    assert not report.failed and not report.skipped
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == retention.RUN_ACTION)).one()
    meta = json.loads(event.meta)
    assert meta["counts"]["purge-one-time-codes"] == 1 and meta["failed"] == []
    assert set(meta["counts"]) == {rule.key for rule in retention_rules.RULES}
    # Idempotent: a second run finds nothing left to do.
    again = _run(session, *(job.name for job in retention.JOBS))
    assert not any(outcome.count for outcome in again.outcomes)


def test_two_concurrent_runs_one_skips(session, monkeypatch):
    """Two runs at once (as from two app processes): one does the work, the other skips.

    The first run is held between its jobs (where it renews the lease, outside any
    transaction) until the second has tried."""
    holding, second_done = threading.Event(), threading.Event()
    results: dict[str, retention.Report] = {}
    renew = lease.renew
    first_thread: list[threading.Thread] = []

    def renew_after_the_second_tried(*args, **kwargs):
        if threading.current_thread() in first_thread:
            holding.set()
            assert second_done.wait(30)
        return renew(*args, **kwargs)

    monkeypatch.setattr(lease, "renew", renew_after_the_second_tried)
    jobs = (_job("purge-throttles"),)
    session.commit()
    first = threading.Thread(target=lambda: results.__setitem__("first", retention.run(jobs)))
    first_thread.append(first)
    first.start()
    assert holding.wait(30)
    results["second"] = retention.run(jobs)
    second_done.set()
    first.join(30)

    assert results["second"].skipped
    assert results["second"].lines() == ["retention: another run is in progress; skipped"]
    assert not results["first"].skipped and [o.job.name for o in results["first"].outcomes] == ["purge-throttles"]
    runs = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == retention.RUN_ACTION))
    assert runs == 1
    session.rollback()  # SQLite: the read above holds the write lock (BEGIN IMMEDIATE)
    # Released at the end: the next run goes ahead.
    assert not retention.run(jobs).skipped


def test_a_lease_left_by_a_dead_process_is_taken_once_it_expires(database):
    moment = datetime.now(UTC)
    assert lease.acquire("retention", holder="dead", ttl=timedelta(minutes=30), clock=lambda: moment)
    assert not lease.acquire("retention", holder="alive", ttl=timedelta(minutes=30), clock=lambda: moment)
    assert not lease.renew("retention", holder="alive", ttl=timedelta(minutes=30))
    later = moment + timedelta(minutes=30)
    assert lease.acquire("retention", holder="alive", ttl=timedelta(minutes=30), clock=lambda: later)
    assert not lease.renew("retention", holder="dead", ttl=timedelta(minutes=30))
    lease.release("retention", holder="dead")  # not theirs any more: nothing happens
    assert not lease.acquire("retention", holder="third", ttl=timedelta(minutes=30), clock=lambda: later)


def test_a_failing_job_keeps_finished_batches_and_the_next_job_runs(session):
    lead_id = _lead(session, "old", last_activity=START - timedelta(days=800))
    calls = []

    def fail_on_second_batch(db_session, moment, limit):
        calls.append(limit)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return limit

    failing = retention.Job(retention_rules.rule("purge-outbox"), lambda s, m: 0, fail_on_second_batch)
    session.commit()
    report = retention.run((failing, _job("archive-leads")), clock=lambda: START, batch=10)
    session.expire_all()

    assert report.failed and report.outcomes[0].error == "RuntimeError: disk full"
    assert report.outcomes[0].count == 10  # the first batch was done and stays done
    assert report.outcomes[1].count == 1 and session.get(Lead, lead_id).status == LeadStatus.ARCHIVED
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == retention.RUN_ACTION)).one()
    assert json.loads(event.meta)["failed"] == ["purge-outbox"]


def test_the_app_loop_runs_the_jobs_at_start(session, outbox):
    lead_id = _lead(session, "old", last_activity=datetime.now(UTC) - timedelta(days=800))
    session.commit()

    def archived() -> bool:
        with db.read_scope() as reader:
            return reader.get(Lead, lead_id).status == LeadStatus.ARCHIVED

    async def start_then_stop() -> None:
        task = asyncio.create_task(retention.run_every(24))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if archived():
                break
        task.cancel()

    # A thread of its own: the browser tests' driver may keep an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(start_then_stop(),))
    runner.start()
    runner.join(timeout=30)
    assert archived()


def test_the_archival_window_counts_calendar_months():
    assert archival.months_before(datetime(2028, 3, 31, 9, tzinfo=UTC), 1) == datetime(2028, 2, 29, 9, tzinfo=UTC)
    assert archival.months_before(datetime(2028, 1, 15, tzinfo=UTC), 24) == datetime(2026, 1, 15, tzinfo=UTC)
    assert archival.months_before(datetime(2026, 11, 30, tzinfo=UTC), -3) == datetime(2027, 2, 28, tzinfo=UTC)
