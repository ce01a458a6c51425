"""Billing pages' handlers called directly: the invoice list and page with Pay and a dispute,
the billing profile form, and the staff overview; each resolves the person from the tab's cookie."""

from __future__ import annotations

from datetime import UTC, datetime

from fluxent.core.db import session_scope
from fluxent.models.accounts import User
from fluxent.services.auth import sessions
from fluxent.services.billing import invoices, reconcile
from fluxent.services.billing.profiles import profile_of
from fluxent.state.admin_billing import AdminBillingState
from fluxent.state.billing import BillingProfileState, InvoicesState, InvoiceState
from tests.support.billing import issued_invoice
from tests.support.portal import build_world
from tests.support.state import cookie_for, run, tab


def _setup():
    with session_scope() as db:
        world = build_world(db)
        invoice = issued_invoice(db, world)
        draft = invoices.create_invoice(
            db,
            actor=db.get(User, world.staff.id),
            organization_id=world.org_a,
            currency="USD",
            lines=[invoices.LineInput("Hosting", 9_000)],
        )
        cookies = {
            name: cookie_for(sessions.start_session(db, user=db.get(User, getattr(world, name).id))[1])
            for name in ("owner_a", "member_a", "staff", "owner_b")
        }
    return world, invoice.id, invoice.number, draft.id, cookies


def _tab(state_class, cookie):
    state = tab(state_class, cookie=cookie)
    state.load_portal()
    return state


def _invoice_tab(cookie, invoice_id):
    state = _tab(InvoiceState, cookie)
    state.invoice_id = invoice_id
    state._fill()
    return state


def test_owners_see_and_pay_members_and_outsiders_see_nothing(database, data_dir, stripe_standin):
    world, invoice_id, number, draft_id, cookies = _setup()
    listing = _tab(InvoicesState, cookies["owner_a"])
    listing.load()
    assert [(r.number, r.status_label) for r in listing.rows] == [(number, "Due")]

    page = _invoice_tab(cookies["owner_a"], invoice_id)
    assert page.found and page.can_pay and not page.can_issue
    assert page.head["pdf_url"].endswith(f"/api/v1/invoices/{invoice_id}/pdf/")
    events = run(page.pay())
    assert page.busy == "pay" and len(stripe_standin.of_kind("checkout.session")) == 1
    assert stripe_standin.url in str(events[-1])

    for who in ("member_a", "owner_b"):
        assert not _invoice_tab(cookies[who], invoice_id).found
    assert not _invoice_tab(cookies["owner_a"], draft_id).found  # a draft is staff-only


def test_pay_without_stripe_keys_says_so_and_stays(database, data_dir, monkeypatch):
    monkeypatch.delenv("FLUXENT_STRIPE_SECRET_KEY", raising=False)
    world, invoice_id, number, draft_id, cookies = _setup()
    page = _invoice_tab(cookies["owner_a"], invoice_id)
    events = run(page.pay())
    assert page.notice_is_error and "not configured" in page.notice
    assert page.busy == "" and not any("redirect" in str(event) for event in events)


def test_the_profile_form_names_bad_fields_and_saves_good_ones(database, data_dir):
    world, *_, cookies = _setup()
    form = _tab(BillingProfileState, cookies["owner_a"])
    form.load()
    assert form.can_edit and form.profile["billing_email"] == "ap@northwind.test"
    assert [c.user_id for c in form.contacts] == [world.member_a.id]
    steps = run(
        form.save({"profile.billing_email": "nope", "profile.legal_name": "N", f"contact.{world.member_a.id}": "on"})
    )
    assert "profile.billing_email" in form.field_errors and form.notice_is_error
    assert form.field_errors["profile.form"]  # the summary's message, which names each field below it
    assert steps[-1].args[0][1]._var_value == "ref_profile_profile_billing_email"  # focus: the first field in error
    with session_scope() as db:
        assert profile_of(db, world.org_a).billing_email == "ap@northwind.test"
    run(
        form.save(
            {
                "profile.billing_email": "billing@northwind.test",
                "profile.legal_name": "Northwind Robotics, Inc.",
                f"contact.{world.member_a.id}": "on",
            }
        )
    )
    assert form.notice == "Billing details saved." and form.field_errors == {}
    assert form.profile["billing_email"] == "billing@northwind.test"
    assert [c.checked for c in form.contacts] == [True]
    member = _tab(BillingProfileState, cookies["member_a"])
    member.load()
    assert member.profile["billing_email"] == "billing@northwind.test" and not member.can_edit


def test_staff_overview_lists_pending_invoices_and_ledgers_and_issues_drafts(database, data_dir):
    world, invoice_id, number, draft_id, cookies = _setup()
    overview = _tab(AdminBillingState, cookies["staff"])
    overview.load()
    assert overview.access == "ok"
    assert {r.number for r in overview.pending} == {number, "Draft"}
    assert {row.title for row in overview.ledgers} == {"Build for Northwind Robotics", "Build for Acme Widgets"}
    overview.issue(draft_id)
    assert overview.notice == "Invoice issued." and "Draft" not in {r.number for r in overview.pending}
    denied = _tab(AdminBillingState, cookies["owner_a"])
    denied.load()
    assert denied.access == "denied" and denied.pending == []


def test_the_engagement_editor_shows_the_ledger_and_drafts_an_accepted_milestones_invoice(database, data_dir):
    from fluxent.state.admin_engagement import EngagementEditorState
    from tests.support.billing import accept_first_milestone

    with session_scope() as db:
        world = build_world(db)
        accept_first_milestone(db, world)
        staff_cookie = cookie_for(sessions.start_session(db, user=db.get(User, world.staff.id))[1])
    editor = _tab(EngagementEditorState, staff_cookie)
    editor.engagement_id = world.engagement_a.id
    editor._load(editor._fill)
    (book,) = editor.ledger
    assert (book.price, book.accepted, book.invoiced, book.remaining) == (
        "USD 9,000.00",
        "USD 3,000.00",
        "USD 0.00",
        "USD 9,000.00",
    )
    assert [row.can_draft_invoice for row in editor.plan] == [True, False, False]
    events = run(editor.draft_invoice(world.milestones_a[0].id))
    assert "/portal/invoices/" in str(events[-1])
    editor._load(editor._fill)
    assert editor.plan[0].can_draft_invoice is False and editor.plan[0].invoice_href.startswith("/portal/invoices/")
    assert editor.ledger[0].remaining == "USD 6,000.00"
    run(editor.draft_invoice(world.milestones_a[1].id))  # not accepted: refused, nothing drafted
    assert editor.notice_is_error and "accepted" in editor.notice


def test_staff_mark_an_open_invoice_uncollectible_after_confirming_owners_cannot(database, data_dir):
    world, invoice_id, number, draft_id, cookies = _setup()
    owner_page = _invoice_tab(cookies["owner_a"], invoice_id)
    assert not owner_page.can_write_off
    owner_page.write_off()
    assert owner_page.notice_is_error and _invoice_tab(cookies["staff"], invoice_id).head["status"] == "open"

    page = _invoice_tab(cookies["staff"], invoice_id)
    assert page.can_write_off and not page.confirm_write_off
    assert not _invoice_tab(cookies["staff"], draft_id).can_write_off
    page.ask_write_off(True)
    assert page.confirm_write_off
    page.ask_write_off(False)
    assert not page.confirm_write_off and page.head["status"] == "open"
    page.ask_write_off(True)
    page.write_off()
    assert page.notice == "Invoice marked uncollectible." and not page.notice_is_error
    assert page.head["status"] == "uncollectible" and page.head["status_label"] == "Uncollectible"
    assert not page.can_write_off and not page.confirm_write_off


def test_a_disputed_invoice_shows_amount_reason_and_due_date_and_the_ledger_holds_it(
    database, data_dir, stripe_standin
):
    world, invoice_id, number, _, cookies = _setup()
    page = _invoice_tab(cookies["owner_a"], invoice_id)
    run(page.pay())
    checkout = stripe_standin.of_kind("checkout.session")[0]
    stripe_standin.pay(checkout["id"], succeed=True)
    (opened,) = stripe_standin.dispute(checkout["payment_intent"], "duplicate")
    reconcile.reconcile()  # Stripe's state, as a webhook would bring it
    page = _invoice_tab(cookies["owner_a"], invoice_id)
    due = datetime.fromtimestamp(opened["data"]["object"]["evidence_details"]["due_by"], UTC)
    assert (page.head["status_label"], page.disputed) == ("Disputed", True)
    assert page.head["dispute"] == (
        "Disputed: USD 3,000.00 of the card payment is disputed with the card issuer (the cardholder says "
        f"they were charged twice). Evidence is due by {due:%d %b %Y}."
    )
    listing = _tab(InvoicesState, cookies["owner_a"])
    listing.load()
    assert [(r.number, r.status_label) for r in listing.rows] == [(number, "Disputed")]
    overview = _tab(AdminBillingState, cookies["staff"])
    overview.load()
    book = next(row for row in overview.ledgers if row.title == "Build for Northwind Robotics")
    assert (book.paid, book.disputed) == ("USD 3,000.00", "USD 3,000.00")

    stripe_standin.close_dispute(opened["data"]["object"]["id"], "lost")
    reconcile.reconcile()
    page = _invoice_tab(cookies["owner_a"], invoice_id)
    assert (page.head["status_label"], page.disputed) == ("Paid", False)
    assert "the dispute was lost: USD 3,000.00 went back to the cardholder" in page.head["dispute"]
    overview.load()
    book = next(row for row in overview.ledgers if row.title == "Build for Northwind Robotics")
    assert (book.paid, book.disputed) == ("USD 0.00", "")
