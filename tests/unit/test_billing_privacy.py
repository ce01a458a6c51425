"""Billing under the privacy rules: the export holds the person's invoices, billing data and
receipts; erasure keeps invoices (legal hold) and removes what the law does not require;
retention deletes receipts with their invoice."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from fluxent.models.billing import BillingContact, Invoice, InvoiceStatus, ReceiptOutbox
from fluxent.services.billing import payments, retention
from fluxent.services.billing.profiles import profile_of
from fluxent.services.privacy.erasure import erase_user
from fluxent.services.privacy.export import export_user_data, validate_export
from tests.support.billing import BILLING_EMAIL, issued_invoice, save_profile


def test_the_export_holds_the_persons_invoices_and_billing_contact_roles(session, world):
    invoice = issued_invoice(session, world)
    save_profile(session, world, contacts=(world.member_a.id,))
    session.commit()
    owner = export_user_data(session, user=world.owner_a, actor=world.owner_a)
    validate_export(owner)
    assert [i["number"] for i in owner["invoices"]] == [invoice.number]
    assert owner["invoices"][0]["bill_to_email"] == BILLING_EMAIL
    member = export_user_data(session, user=world.member_a, actor=world.member_a)
    assert member["billing_contact_of"] == [{"organization": "Northwind Robotics"}]
    assert [i["number"] for i in member["invoices"]] == [invoice.number]
    outsider = export_user_data(session, user=world.owner_b, actor=world.owner_b)
    assert outsider["invoices"] == [] and outsider["billing_contact_of"] == []


def test_erasure_keeps_invoices_and_empties_a_profile_addressed_to_the_person(session, world):
    invoice = issued_invoice(session, world)
    save_profile(session, world, contacts=(world.member_a.id,))
    profile = profile_of(session, world.org_a)
    profile.billing_email = world.member_a.email  # the member is also the billing e-mail
    session.commit()
    report = erase_user(session, user=world.member_a, actor=world.member_a)
    session.commit()
    assert "billing_invoice" in [r.table for r in report.retained]
    session.expire_all()
    kept = session.get(Invoice, invoice.id)
    assert (kept.number, kept.bill_to_email) == (invoice.number, BILLING_EMAIL)  # legal hold
    assert session.scalars(select(BillingContact)).all() == []
    assert profile_of(session, world.org_a).billing_email == ""


def test_receipts_are_exported_to_their_recipient_and_deleted_at_erasure_the_invoice_stays(session, world):
    invoice = issued_invoice(session, world)
    save_profile(session, world, contacts=(world.member_a.id,))  # the member gets receipts too
    payments.record_bank_transfer(session, actor=world.staff, invoice_id=invoice.id)
    session.commit()
    exported = export_user_data(session, user=world.member_a, actor=world.member_a)
    validate_export(exported)
    (receipt,) = exported["payment_receipts"]
    assert (receipt["invoice"], receipt["to"], receipt["sent_at"]) == (invoice.number, world.member_a.email, None)
    assert export_user_data(session, user=world.owner_b, actor=world.owner_b)["payment_receipts"] == []
    erase_user(session, user=world.member_a, actor=world.member_a)
    session.commit()
    left = sorted(session.scalars(select(ReceiptOutbox.recipient)).all())
    assert left == sorted([world.owner_a.email, BILLING_EMAIL])
    assert session.get(Invoice, invoice.id).status == InvoiceStatus.PAID


def test_retention_deletes_receipts_with_their_invoice(session, world):
    invoice = issued_invoice(session, world)
    payments.record_bank_transfer(session, actor=world.staff, invoice_id=invoice.id)
    session.commit()
    invoice = session.get(Invoice, invoice.id)
    invoice.fiscal_year = 2018
    session.add(invoice)
    session.commit()
    assert retention.purge_expired(session, clock=lambda: datetime(2026, 3, 1, tzinfo=UTC)) == 1
    session.commit()
    assert session.scalars(select(ReceiptOutbox)).all() == []
