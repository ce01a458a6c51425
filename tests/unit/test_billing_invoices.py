"""Invoices: drafting from a milestone, the fixed-price cap, gapless numbers, immutability,
who sees what, voiding, audit and e-mail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fluxent.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fluxent.models.audit import AuditEvent
from fluxent.models.billing import Invoice, InvoiceLine, InvoiceStatus
from fluxent.services.billing import invoices, ledger
from fluxent.services.billing.invoices import LineInput
from fluxent.services.billing.profiles import ProfileInput, update_profile
from tests.support.billing import BILLING_EMAIL, drafted_invoice, issued_invoice, save_profile
from tests.support.portal import outbox

S = InvoiceStatus


def _actions(session, prefix="billing."):
    return [
        e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)) if e.action.startswith(prefix)
    ]


def _count(session, model):
    return len(session.scalars(select(model)).all())


def test_a_draft_from_an_accepted_milestone_carries_its_amount_and_currency(session, world):
    invoice = drafted_invoice(session, world, tax_rate_bp=825)
    assert (invoice.status, invoice.currency, invoice.number) == (S.DRAFT, "USD", None)
    assert (invoice.subtotal_minor, invoice.tax_minor, invoice.total_minor) == (300_000, 24_750, 324_750)
    (line,) = invoices.lines_of(session, invoice.id)
    assert line.description == "Build for Northwind Robotics: Phase 1" and line.amount_minor == 300_000
    assert _actions(session) == ["billing.invoice_drafted"]


def test_only_an_accepted_milestone_is_drafted_and_only_once(session, world):
    with pytest.raises(Conflict, match="accepted"):
        invoices.draft_from_milestone(session, actor=world.staff, milestone_id=world.milestones_a[1].id)
    invoice = drafted_invoice(session, world)
    with pytest.raises(Conflict, match="already has an invoice"):
        invoices.draft_from_milestone(session, actor=world.staff, milestone_id=world.milestones_a[0].id)
    invoices.void(session, actor=world.staff, invoice_id=invoice.id)
    again = invoices.draft_from_milestone(session, actor=world.staff, milestone_id=world.milestones_a[0].id)
    assert again.id != invoice.id


def test_the_service_refuses_to_invoice_more_than_the_fixed_price(session, world):
    engagement = world.engagement_a
    with pytest.raises(Conflict, match="more than the engagement's fixed price"):
        invoices.create_invoice(
            session,
            actor=world.staff,
            organization_id=world.org_a,
            engagement_id=engagement.id,
            lines=[LineInput("Everything", 900_001)],
        )
    assert _count(session, Invoice) == 0
    invoices.create_invoice(
        session,
        actor=world.staff,
        organization_id=world.org_a,
        engagement_id=engagement.id,
        lines=[LineInput("Discovery", 200_000, quantity=3)],
    )
    drafted_invoice(session, world)  # 600,000 + 300,000: exactly the fixed price
    with pytest.raises(Conflict):
        invoices.create_invoice(
            session,
            actor=world.staff,
            organization_id=world.org_a,
            engagement_id=engagement.id,
            lines=[LineInput("One cent more", 1)],
        )
    book = ledger.ledger_for(session, engagement)
    assert (book.fixed_price_minor, book.accepted_minor, book.committed_minor, book.remaining_minor) == (
        900_000,
        300_000,
        900_000,
        0,
    )


def test_issuing_numbers_gaplessly_per_year_and_freezes_the_bill_to(session, world, data_dir):
    first = issued_invoice(session, world)
    assert first.number == f"FLX-{datetime.now(UTC).year}-0001" and first.status == S.OPEN
    assert (first.bill_to_name, first.bill_to_email, first.fiscal_year) == (
        "Northwind Robotics, Inc.",
        BILLING_EMAIL,
        datetime.now(UTC).year,
    )
    assert first.due_date is not None and first.issue_date is not None
    second = invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="usd", lines=[LineInput("Support", 5_000)]
    )
    next_year = datetime(2031, 1, 2, 9, tzinfo=UTC)
    invoices.issue(session, actor=world.staff, invoice_id=second.id, clock=lambda: next_year)
    third = invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="EUR", lines=[LineInput("Hosting", 900)]
    )
    invoices.issue(session, actor=world.staff, invoice_id=third.id, clock=lambda: next_year)
    assert (second.number, third.number) == ("FLX-2031-0001", "FLX-2031-0002")
    update_profile(
        session,
        actor=world.owner_a,
        organization_id=world.org_a,
        details=ProfileInput(billing_email="new@northwind.test", legal_name="Renamed Inc."),
    )
    session.commit()
    session.refresh(first)
    assert first.bill_to_name == "Northwind Robotics, Inc."  # issued: unchanged by later edits
    with pytest.raises(Conflict, match="Only a draft"):
        invoices.issue(session, actor=world.staff, invoice_id=first.id)
    mail = outbox(data_dir, world.owner_a.email)
    assert any(first.number in m["Subject"] for m in mail)
    assert any(first.number in m["Subject"] for m in outbox(data_dir, BILLING_EMAIL))
    assert not [m for m in outbox(data_dir, world.member_a.email) if "Invoice" in m["Subject"]]  # not a contact
    assert "billing.invoice_issued" in _actions(session)


def test_a_rolled_back_issue_leaves_no_gap(session, world):
    save_profile(session, world)
    invoice = drafted_invoice(session, world)
    invoices.issue(session, actor=world.staff, invoice_id=invoice.id)
    session.rollback()
    other = invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="USD", lines=[LineInput("Support", 5_000)]
    )
    invoices.issue(session, actor=world.staff, invoice_id=other.id)
    assert other.number.endswith("-0001")


def test_issuing_needs_a_billing_email(session, world):
    invoice = drafted_invoice(session, world)
    with pytest.raises(Conflict, match="billing e-mail"):
        invoices.issue(session, actor=world.staff, invoice_id=invoice.id)
    assert session.get(Invoice, invoice.id).status == S.DRAFT


def test_only_staff_draft_issue_and_void(session, world):
    invoice = drafted_invoice(session, world)
    for person in (world.owner_a, world.member_a, world.owner_b):
        with pytest.raises(PermissionDenied):
            invoices.issue(session, actor=person, invoice_id=invoice.id)
        with pytest.raises(PermissionDenied):
            invoices.void(session, actor=person, invoice_id=invoice.id)
        with pytest.raises(PermissionDenied):
            invoices.create_invoice(
                session, actor=person, organization_id=world.org_a, currency="USD", lines=[LineInput("x", 1)]
            )


def test_owners_and_billing_contacts_see_issued_invoices_other_members_do_not(session, world):
    draft = drafted_invoice(session, world)
    with pytest.raises(NotFound):
        invoices.get_invoice(session, actor=world.owner_a, invoice_id=draft.id)  # drafts are staff-only
    save_profile(session, world)
    invoices.issue(session, actor=world.staff, invoice_id=draft.id)
    session.commit()
    assert invoices.get_invoice(session, actor=world.owner_a, invoice_id=draft.id).id == draft.id
    assert invoices.get_invoice(session, actor=world.staff, invoice_id=draft.id).id == draft.id
    with pytest.raises(PermissionDenied):
        invoices.get_invoice(session, actor=world.member_a, invoice_id=draft.id)
    with pytest.raises(PermissionDenied):
        invoices.list_invoices(session, actor=world.member_a, organization_id=world.org_a)
    assert invoices.list_invoices(session, actor=world.member_a).items == []
    with pytest.raises(NotFound):
        invoices.get_invoice(session, actor=world.owner_b, invoice_id=draft.id)
    with pytest.raises(NotFound):
        invoices.list_invoices(session, actor=world.owner_b, organization_id=world.org_a)
    assert invoices.list_invoices(session, actor=world.owner_b).items == []
    save_profile(session, world, contacts=(world.member_a.id,))
    session.commit()
    assert [i.id for i in invoices.list_invoices(session, actor=world.member_a).items] == [draft.id]


def test_voiding_keeps_the_number_and_paid_or_void_invoices_stay_as_they_are(session, world):
    invoice = issued_invoice(session, world)
    invoices.void(session, actor=world.staff, invoice_id=invoice.id)
    assert invoice.status == S.VOID and invoice.number and invoice.voided_at
    with pytest.raises(Conflict):
        invoices.void(session, actor=world.staff, invoice_id=invoice.id)
    assert _actions(session)[-1] == "billing.invoice_voided"


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([], "lines"),
        ([LineInput("", 100)], "lines.0.description"),
        ([LineInput("Work", 0)], "lines.0.unit_amount_minor"),
        ([LineInput("Work", -5)], "lines.0.unit_amount_minor"),
        ([LineInput("Work", 100, quantity=0)], "lines.0.quantity"),
    ],
)
def test_bad_lines_are_refused_by_name_and_store_nothing(session, world, lines, field):
    with pytest.raises(ValidationFailed) as refused:
        invoices.create_invoice(session, actor=world.staff, organization_id=world.org_a, currency="USD", lines=lines)
    assert field in refused.value.fields
    assert _count(session, Invoice) == _count(session, InvoiceLine) == 0


def test_an_engagement_of_another_organization_or_a_wrong_currency_is_refused(session, world):
    with pytest.raises(ValidationFailed, match="not one of that organization's"):
        invoices.create_invoice(
            session,
            actor=world.staff,
            organization_id=world.org_a,
            engagement_id=world.engagement_b.id,
            lines=[LineInput("x", 1)],
        )
    with pytest.raises(ValidationFailed, match="currency"):
        invoices.create_invoice(
            session,
            actor=world.staff,
            organization_id=world.org_a,
            engagement_id=world.engagement_a.id,
            currency="EUR",
            lines=[LineInput("x", 1)],
        )


def test_retention_deletes_invoices_7_years_after_the_end_of_their_fiscal_year(session, world):
    from fluxent.models.billing import StripeEvent
    from fluxent.services.billing.retention import purge_expired

    invoice = issued_invoice(session, world)
    year = invoice.fiscal_year
    session.add(StripeEvent(event_id="evt_old", type="x", received_at=datetime(year, 6, 1, tzinfo=UTC)))
    session.flush()
    assert purge_expired(session, clock=lambda: datetime(year + 7, 12, 31, 23, tzinfo=UTC)) == 0
    assert session.get(Invoice, invoice.id) is not None
    assert purge_expired(session, clock=lambda: datetime(year + 8, 1, 1, 0, 1, tzinfo=UTC)) == 1
    session.expire_all()
    assert session.get(Invoice, invoice.id) is None
    assert _count(session, InvoiceLine) == 0 and _count(session, StripeEvent) == 0
