"""``/api/v1/leads/`` for staff: list with filters, detail with notes, status, notes and conversion.

Who may call what is walked in tests/api/test_portal_api.py; here the behaviour, the
refusals that must change nothing, and the public contact form on the same path.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from fluxent import routes
from fluxent.core import db
from fluxent.core.cookies import CSRF_COOKIE
from fluxent.models.accounts import Organization
from fluxent.models.auth import OneTimeToken
from fluxent.models.engagements import Engagement
from fluxent.models.marketing import Lead, LeadNote, LeadSource, LeadStatus
from fluxent.services.marketing import spam
from tests.support.portal import client_for, outbox

DEAL = {"title": "Fleet tracker pilot", "fixed_price_minor": 2_500_000, "currency": "eur"}


def _add_leads(session) -> list[Lead]:
    base = spam.now() - timedelta(days=3)
    rows = [
        Lead(
            name="Ana Alder",
            email="ana@alder.test",
            company="Alder Foods",
            country="PT",
            message="m",
            last_activity_at=base + timedelta(hours=1),
        ),
        Lead(
            name="Ben Birch",
            email="ben@birch.test",
            company="Birch Ltd",
            country="UK",
            message="m",
            source=LeadSource.SCOPE,
            status=LeadStatus.QUALIFIED,
            last_activity_at=base + timedelta(hours=2),
        ),
        Lead(
            name="Cy Cedar",
            email="cy@cedar.test",
            company="",
            country="US",
            message="m",
            status=LeadStatus.LOST,
            last_activity_at=base + timedelta(hours=3),
        ),
    ]
    session.add_all(rows)
    session.commit()
    return rows


def _stored() -> tuple:
    with Session(db.get_engine()) as fresh:
        return (
            [(lead.id, lead.status, lead.organization_id) for lead in fresh.scalars(select(Lead).order_by(Lead.id))],
            *(
                fresh.scalar(select(func.count()).select_from(model))
                for model in (LeadNote, Organization, Engagement, OneTimeToken)
            ),
        )


def test_the_list_filters_searches_pages_and_counts(session, world):
    ana, ben, cy = _add_leads(session)
    client = client_for(session, world.staff)

    def names(**params) -> list[str]:
        response = client.get(routes.API_LEADS, params=params)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert names(status="qualified") == ["Ben Birch"]
    assert names(source="scope") == ["Ben Birch"]
    assert names(q="ALDER") == ["Ana Alder"]
    assert names(q="cedar.test") == ["Cy Cedar"]
    body = client.get(routes.API_LEADS, params={"page_size": 2, "page": 2}).json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (4, 2, 2, 2)
    assert body["counts"] == {"new": 2, "contacted": 0, "qualified": 1, "won": 0, "lost": 1, "archived": 0}
    assert set(body["items"][0]) >= {"id", "status", "source", "email", "company", "organization_id", "converted_at"}
    for params in ({"status": "hot"}, {"source": "fax"}, {"page_size": 101}, {"page": 0}, {"q": "x" * 201}):
        assert client.get(routes.API_LEADS, params=params).status_code == 422, params


def test_notes_and_status_changes(session, world):
    client = client_for(session, world.staff)
    url = f"{routes.API_LEADS}{world.lead.id}/"
    added = client.post(url + "notes/", json={"body": "  Called Hana; call back Monday.  "})
    assert added.status_code == 201, added.text
    assert [(n["body"], n["author"]) for n in added.json()["notes"]] == [
        ("Called Hana; call back Monday.", "Sam Staff")
    ]
    moved = client.post(url + "status/", json={"status": "contacted"})
    assert moved.status_code == 200 and moved.json()["status"] == "contacted"
    detail = client.get(url).json()
    assert detail["message"] == "A fleet tracker." and len(detail["notes"]) == 1

    before = _stored()
    for path, body in (("notes/", {"body": "   "}), ("notes/", {"body": "x" * 4001}), ("status/", {"status": "hot"})):
        response = client.post(url + path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["error"]["code"] == "validation_failed"
    assert client.get(f"{routes.API_LEADS}{2**31}/").status_code == 422
    assert client.get(f"{routes.API_LEADS}{world.lead.id + 999}/").status_code == 404
    assert client.post(f"{routes.API_LEADS}{world.lead.id + 999}/notes/", json={"body": "Hi"}).status_code == 404
    assert _stored() == before


def test_write_routes_need_the_csrf_token(session, world):
    client = client_for(session, world.staff)
    client.headers.pop("X-CSRFToken")
    client.cookies.set(CSRF_COOKIE, "a-different-token-0123456789")
    before = _stored()
    url = f"{routes.API_LEADS}{world.lead.id}/"
    for path, body in (("notes/", {"body": "Hi"}), ("status/", {"status": "won"}), ("convert/", DEAL)):
        assert client.post(url + path, json=body).status_code == 403
    assert _stored() == before


def test_convert_creates_the_client_and_sends_the_invitation(session, world, data_dir):
    client = client_for(session, world.staff)
    url = f"{routes.API_LEADS}{world.lead.id}/convert/"
    response = client.post(url, json=DEAL)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organization"]["name"] == "Harbor Labs"
    assert body["engagement"]["status"] == "scoping"
    assert body["engagement"]["fixed_price"] == {"amount_minor": 2_500_000, "currency": "EUR"}
    assert body["invitation"]["email"] == "hana@harbor.test"
    assert (body["lead"]["status"], body["lead"]["organization_id"]) == ("won", body["organization"]["id"])
    [invitation] = outbox(data_dir, "hana@harbor.test")
    assert "Harbor Labs" in invitation["Subject"]

    before = _stored()
    again = client.post(url, json=DEAL)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert _stored() == before and len(outbox(data_dir, "hana@harbor.test")) == 1


@pytest.mark.parametrize(
    ("deal", "status"),
    [({"currency": "euros"}, 422), ({"fixed_price_minor": -5}, 422), ({"title": ""}, 422), ({"title": None}, 422)],
)
def test_a_refused_conversion_creates_nothing_and_sends_nothing(session, world, data_dir, deal, status):
    client = client_for(session, world.staff)
    before = _stored()
    response = client.post(f"{routes.API_LEADS}{world.lead.id}/convert/", json={**DEAL, **deal})
    assert response.status_code == status, response.text
    assert _stored() == before
    assert outbox(data_dir, "hana@harbor.test") == []


def test_a_lead_without_a_company_cannot_be_converted(session, world, data_dir):
    *_, cy = _add_leads(session)
    client = client_for(session, world.staff)
    before = _stored()
    response = client.post(f"{routes.API_LEADS}{cy.id}/convert/", json=DEAL)
    assert response.status_code == 422
    assert "no company" in response.json()["error"]["message"]
    assert _stored() == before and outbox(data_dir, "cy@cedar.test") == []


def test_the_contact_form_still_posts_to_the_same_path(session, world):
    client = client_for(session, None)
    stamp = spam.new_stamp(clock=lambda: spam.now() - timedelta(seconds=30))
    form = {
        "name": "Eve",
        "email": "eve@example.test",
        "country": "FR",
        "message": "Please build us a portal.",
        "agree": True,
        "stamp": stamp,
    }
    assert client.post(routes.API_LEADS, json=form).status_code == 202
    assert client.get(routes.API_LEADS).status_code == 401
    with Session(db.get_engine()) as fresh:
        assert fresh.scalars(select(Lead.email).where(Lead.name == "Eve")).all() == ["eve@example.test"]


def test_openapi_lists_both_methods_on_the_leads_path(session, world):
    spec = client_for(session, None).get(f"{routes.API}/openapi.json").json()
    operations = spec["paths"]["/api/v1/leads/"]
    assert set(operations) == {"get", "post"}
    assert operations["get"]["tags"] == ["leads"] and operations["post"]["tags"] == ["marketing"]
    assert {"post"} == set(spec["paths"]["/api/v1/leads/{lead_id}/convert/"])


def test_the_csv_export_follows_the_filters_and_neutralises_formulas(session, world):
    ana, ben, cy = _add_leads(session)
    ben.name, ben.company = '=HYPERLINK("http://evil.test","Open")', "@SUM(1+1)"
    session.add(ben)
    session.commit()
    client = client_for(session, world.staff)

    everything = client.get(routes.API_LEADS_EXPORT)
    assert everything.status_code == 200, everything.text
    assert everything.headers["content-type"] == "text/csv; charset=utf-8"
    assert everything.headers["content-disposition"] == 'attachment; filename="leads.csv"'
    assert everything.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(everything.text)))
    assert [row["name"] for row in rows] == [world.lead.name, "Cy Cedar", "'" + ben.name, "Ana Alder"]
    assert rows[2]["company"] == "'@SUM(1+1)" and rows[2]["status"] == "qualified"

    qualified = list(
        csv.DictReader(io.StringIO(client.get(routes.API_LEADS_EXPORT, params={"status": "qualified"}).text))
    )
    assert [row["id"] for row in qualified] == [str(ben.id)]
    for params in ({"status": "hot"}, {"q": "x" * 201}, {"q": "a\x00b"}):
        assert client.get(routes.API_LEADS_EXPORT, params=params).status_code == 422, params


def test_clients_and_strangers_get_no_csv(session, world):
    assert client_for(session, world.owner_a).get(routes.API_LEADS_EXPORT).status_code == 403
    anonymous = client_for(session, None).get(routes.API_LEADS_EXPORT)
    assert anonymous.status_code == 401 and "text/csv" not in anonymous.headers.get("content-type", "")
