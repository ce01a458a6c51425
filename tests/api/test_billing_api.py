"""The invoice API's shapes and refusals: drafting from a milestone, the fixed-price cap,
hostile input, issuing and the billing profile route."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from fluxent.core import db
from fluxent.models.billing import Invoice
from tests.support.billing import accept_first_milestone, save_profile
from tests.support.portal import client_for


def _invoices() -> int:
    with Session(db.get_engine()) as fresh:
        return fresh.scalar(select(func.count()).select_from(Invoice))


def test_staff_draft_from_a_milestone_then_issue(session, world, data_dir):
    accept_first_milestone(session, world)
    save_profile(session, world)
    session.commit()
    staff = client_for(session, world.staff)
    milestone = world.milestones_a[0].id
    wrong = staff.post("/api/v1/invoices/", json={"organization": world.org_b, "milestone": milestone})
    assert wrong.status_code == 422 and _invoices() == 0
    drafted = staff.post("/api/v1/invoices/", json={"organization": world.org_a, "milestone": milestone})
    assert drafted.status_code == 201, drafted.text
    body = drafted.json()
    assert (body["status"], body["number"], body["total_minor"], body["currency"]) == ("draft", None, 300_000, "USD")
    assert body["lines"] == [
        {
            "description": "Build for Northwind Robotics: Phase 1",
            "quantity": 1,
            "unit_amount_minor": 300_000,
            "amount_minor": 300_000,
        }
    ]
    again = staff.post("/api/v1/invoices/", json={"organization": world.org_a, "milestone": milestone})
    assert again.status_code == 409
    issued = staff.post(f"/api/v1/invoices/{body['id']}/issue/")
    assert issued.status_code == 200 and issued.json()["number"].startswith("FLX-")
    assert issued.json()["bill_to"]["email"] == "ap@northwind.test"
    assert staff.post(f"/api/v1/invoices/{body['id']}/issue/").status_code == 409


def test_over_the_fixed_price_and_hostile_input_are_refused_and_store_nothing(session, world, data_dir):
    staff = client_for(session, world.staff)
    base = {"organization": world.org_a, "engagement": world.engagement_a.id}
    too_much = staff.post(
        "/api/v1/invoices/", json={**base, "lines": [{"description": "All", "unit_amount_minor": 900_001}]}
    )
    assert too_much.status_code == 409 and "fixed price" in too_much.json()["error"]["message"]
    for lines in (
        [{"description": "x", "unit_amount_minor": -1}],
        [{"description": "x", "unit_amount_minor": 10**12}],
        [{"description": "\u0000", "unit_amount_minor": 1}],
        [{"description": "x", "unit_amount_minor": 1, "extra": True}],
        [],
    ):
        answer = staff.post("/api/v1/invoices/", json={**base, "lines": lines})
        assert answer.status_code == 422, (lines, answer.text)
    assert staff.post("/api/v1/invoices/", json={**base, "tax_rate_bp": 5001, "lines": []}).status_code == 422
    assert staff.get("/api/v1/invoices/", params={"status": "bogus"}).status_code == 422
    assert staff.get("/api/v1/invoices/2147483648/").status_code == 422
    assert _invoices() == 0


def test_the_billing_profile_route(session, world, data_dir):
    owner = client_for(session, world.owner_a)
    url = f"/api/v1/organizations/{world.org_a}/billing/"
    assert owner.get(url).json()["billing_email"] == ""
    saved = owner.patch(
        url,
        json={
            "billing_email": "AP@Northwind.test",
            "legal_name": "Northwind",
            "billing_contact_ids": [world.member_a.id],
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "organization_id": world.org_a,
        "billing_email": "ap@northwind.test",
        "legal_name": "Northwind",
        "address": "",
        "tax_id": "",
        "billing_contact_ids": [world.member_a.id],
        "has_payment_customer": False,
    }
    refused = owner.patch(url, json={"billing_email": "not an email", "legal_name": ""})
    assert refused.status_code == 422 and set(refused.json()["error"]["fields"]) >= {"billing_email", "legal_name"}
    assert client_for(session, world.member_a).get(url).status_code == 200  # now a billing contact
