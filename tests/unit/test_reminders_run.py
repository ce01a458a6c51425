"""``reminders run``: milestones waiting 3 days and invitations about to expire are reminded once
per stage, the whole run goes in one process at a time, and runs at once send each reminder once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fluxent.core.clock import now
from fluxent.core.db import session_scope
from fluxent.models.notifications import Notification, ReminderSent
from fluxent.services import lease
from fluxent.services.accounts import invitations
from fluxent.services.notifications import Kind
from fluxent.services.notifications.reminders import (
    LEASE,
    remind_expiring_invitations,
    remind_waiting_milestones,
    run_all,
)
from fluxent.services.portal import milestones
from tests.support.portal import outbox


def later(days: float):
    moment = now() + timedelta(days=days)
    return lambda: moment


def _reminders(session, person, kind=Kind.MILESTONE_REMINDER) -> list[str]:
    session.expire_all()
    titles = list(
        session.scalars(select(Notification.title).where(Notification.user_id == person.id, Notification.kind == kind))
    )
    session.commit()  # SQLite: leave the write lock to the runs
    return titles


def test_a_milestone_waiting_three_days_reminds_its_owners_once_per_submission(session, world, data_dir):
    assert remind_waiting_milestones(session, clock=later(2.9)) == 0
    assert remind_waiting_milestones(session, clock=later(3)) == 2  # one milestone in each organization
    assert remind_waiting_milestones(session, clock=later(4)) == 0
    session.commit()
    [title] = _reminders(session, world.owner_a)
    assert title.startswith("Reminder: \u201cPhase 1\u201d") and "3 days" in title
    assert _reminders(session, world.member_a) == []
    assert [m["Subject"] for m in outbox(data_dir, world.owner_a.email) if m["Subject"] == title] == [title]
    first = world.milestones_a[0]
    milestones.request_changes(
        session, actor=world.owner_a, engagement_id=world.engagement_a.id, milestone_id=first.id, reason="Fix it"
    )
    milestones.submit(session, actor=world.staff, engagement_id=world.engagement_a.id, milestone_id=first.id)
    assert remind_waiting_milestones(session, clock=later(2)) == 0  # submitted again just now
    assert remind_waiting_milestones(session, clock=later(3.1)) == 1
    assert len(_reminders(session, world.owner_a)) == 2


def test_an_invitation_about_to_expire_tells_whoever_sent_it_once(session, world):
    invitations.invite(session, actor=world.staff, email="late@northwind.test", organization=world.org_a)
    assert remind_expiring_invitations(session, clock=later(5.5)) == 0
    assert remind_expiring_invitations(session, clock=later(6.5)) == 1
    assert remind_expiring_invitations(session, clock=later(6.9)) == 0
    assert remind_expiring_invitations(session, clock=later(8)) == 0  # expired: nothing to do any more
    [title] = _reminders(session, world.staff, Kind.INVITATION_EXPIRING)
    assert "late@northwind.test" in title


def test_a_run_while_another_holds_the_lease_does_nothing(session, world):
    session.commit()
    assert lease.acquire(LEASE, holder="elsewhere", ttl=timedelta(minutes=5), clock=later(3))
    assert run_all(clock=later(3)).ran is False
    assert _reminders(session, world.owner_a) == []
    lease.release(LEASE, holder="elsewhere")
    run = run_all(clock=later(3))
    assert (run.ran, run.milestones) == (True, 2)
    assert "2 milestone(s) waiting for a decision reminded" in run.lines()


def _at_once(target, count: int = 2) -> list:
    """Run ``target`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results: list = []

    def go():
        barrier.wait()
        results.append(target())

    threads = [threading.Thread(target=go) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _once(session, data_dir, world):
    session.expire_all()
    assert len(_reminders(session, world.owner_a)) == 1
    assert len(_reminders(session, world.owner_b)) == 1
    assert session.scalar(select(func.count()).select_from(ReminderSent)) == 2
    reminded = [m for m in outbox(data_dir, world.owner_a.email) if m["Subject"].startswith("Reminder")]
    assert len(reminded) == 1


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_two_runs_at_once_send_each_reminder_exactly_once(session, world, data_dir):
    session.commit()
    runs = _at_once(lambda: run_all(clock=later(3)))
    assert sorted(run.milestones for run in runs) == [0, 2]  # one did the work; the other skipped or found none
    _once(session, data_dir, world)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_overlapping_runs_without_the_lease_still_send_each_stage_once(session, world, data_dir):
    """The record is claimed by a unique insert before anything is sent: the second run waits, then skips."""
    session.commit()

    def one_run() -> int:
        with session_scope() as own:
            return remind_waiting_milestones(own, clock=later(3))

    assert sorted(_at_once(one_run)) == [0, 2]
    _once(session, data_dir, world)
