"""Payment reminders: 3 days before, on and 7 days after the due date, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fluxent.services.billing import invoices
from fluxent.services.billing.reminders import send_reminders, stage_for
from tests.support.billing import issued_invoice
from tests.support.portal import outbox


@pytest.mark.parametrize(
    ("offset", "stage"),
    [(-4, ""), (-3, "before"), (-1, "before"), (0, "due"), (1, ""), (6, ""), (7, "after"), (40, "after")],
)
def test_stage_by_days_from_the_due_date(offset, stage):
    from datetime import date

    due = date(2026, 3, 10)
    assert stage_for(due, due + timedelta(days=offset)) == stage


def test_each_reminder_goes_once_and_paid_or_void_invoices_get_none(session, world, data_dir):
    invoice = issued_invoice(session, world)
    due = invoice.due_date
    assert send_reminders(session, today=due - timedelta(days=5)) == []
    sent = send_reminders(session, today=due - timedelta(days=3))
    assert [(r.number, r.stage) for r in sent] == [(invoice.number, "before")]
    assert send_reminders(session, today=due - timedelta(days=2)) == []
    assert [r.stage for r in send_reminders(session, today=due)] == ["due"]
    assert [r.stage for r in send_reminders(session, today=due + timedelta(days=9))] == ["after"]
    assert send_reminders(session, today=due + timedelta(days=10)) == []
    session.commit()
    subjects = [m["Subject"] for m in outbox(data_dir, world.owner_a.email) if "Reminder" in m["Subject"]]
    assert subjects == [
        f"Reminder: invoice {invoice.number} is due",
        f"Reminder: invoice {invoice.number} is due",
        f"Reminder: invoice {invoice.number} is overdue",
    ]
    invoices.void(session, actor=world.staff, invoice_id=invoice.id)
    invoice.reminder_stage = ""
    assert send_reminders(session, today=due) == []


def test_a_missed_run_sends_only_the_latest_stage(session, world, data_dir):
    invoice = issued_invoice(session, world)
    sent = send_reminders(session, today=invoice.due_date + timedelta(days=8))
    assert [r.stage for r in sent] == ["after"]
