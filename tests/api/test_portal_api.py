"""The portal API end to end: every route walked for every kind of caller, uploads, downloads."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import select, update
from sqlmodel import Session

from fluxent.api.app import create_api
from fluxent.core import db
from fluxent.core.clock import now
from fluxent.core.settings import reset_settings
from fluxent.models.accounts import Membership, Organization, StaffProfile, User
from fluxent.models.auth import AuthSession, OneTimeToken, TokenPurpose
from fluxent.models.billing import BillingProfile, Invoice, StripeEvent
from fluxent.models.documents import Document, DocumentVersion
from fluxent.models.engagements import Engagement, EngagementStaff, Milestone
from fluxent.models.esign import Envelope, EnvelopeSigner
from fluxent.models.marketing import Lead, LeadNote
from fluxent.models.messages import Message, MessageRead
from fluxent.models.notifications import Notification
from fluxent.models.vault import VaultDataKey, VaultItem, VaultItemVersion
from fluxent.services.accounts import invitations
from fluxent.services.billing import invoices as billing_invoices
from tests.support.billing import save_profile
from tests.support.esign import EnvelopeTrio
from tests.support.portal import PDF_BYTES, client_for, stored_files
from tests.support.state import run_async
from tests.support.vault import add_aws_login

PORTAL_PREFIXES = (
    "/api/v1/organizations",
    "/api/v1/engagements",
    "/api/v1/documents",
    "/api/v1/staff",
    "/api/v1/leads",
    "/api/v1/invoices",
    "/api/v1/webhooks",
    "/api/v1/envelopes",
    "/api/v1/audit-events",
    "/api/v1/auth/sso",
    "/api/v1/people",
    "/api/v1/vault",
    "/api/v1/auth/reauth",
    "/api/v1/notifications",
    "/api/v1/privacy-requests",
)
# Under a portal prefix but public: the contact form's own route (tests/api/test_marketing_routes.py),
# and staff single sign-on, which acts for nobody until it signs someone in (tests/api/test_sso_routes.py).
PUBLIC_ROUTES = {
    ("POST", "/api/v1/leads/"),
    ("POST", "/api/v1/auth/sso/start/"),
    ("GET", "/api/v1/auth/sso/callback/"),
    # The e-mailed export link answers to its token (tests/api/test_privacy_requests_api.py).
    ("GET", "/api/v1/privacy-requests/exports/{token}/"),
}
ROLES = ("anonymous", "outsider", "member", "owner", "staff", "admin")


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # a template over the world's ids
    expect: tuple[int, int, int, int, int, int]  # status for each of ROLES, in order
    body: str = ""  # "json:<name>" or "upload"


# Called in this order with a fresh world per role: outsiders belong to the other
# organization, members and owners to the organization whose ids are used.
CASES = (
    Case("GET", "/organizations/", (401, 200, 200, 200, 200, 200)),
    Case("GET", "/organizations/?q=north", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/organizations/", (401, 403, 403, 403, 201, 201), "json:organization"),
    Case("GET", "/organizations/{org}/", (401, 404, 200, 200, 200, 200)),
    Case("GET", "/organizations/{org}/members/", (401, 404, 200, 200, 200, 200)),
    Case("POST", "/organizations/{org}/members/{member}/role/", (401, 404, 403, 200, 200, 200), "json:member_role"),
    Case("GET", "/organizations/{org}/invitations/", (401, 404, 403, 200, 200, 200)),
    Case("POST", "/organizations/{org}/invitations/", (401, 404, 403, 201, 201, 201), "json:invitation"),
    Case("DELETE", "/organizations/{org}/invitations/{inv}/", (401, 404, 403, 200, 200, 200)),
    Case("POST", "/organizations/{org}/invitations/{inv_again}/resend/", (401, 404, 403, 200, 200, 200)),
    Case("GET", "/engagements/", (401, 200, 200, 200, 200, 200)),
    Case("POST", "/engagements/", (401, 403, 403, 403, 201, 201), "json:engagement"),
    Case("GET", "/engagements/{eng}/", (401, 404, 200, 200, 200, 200)),
    Case("PUT", "/engagements/{eng}/", (401, 403, 403, 403, 200, 200), "json:engagement_update"),
    Case("POST", "/engagements/{eng}/status/", (401, 403, 403, 403, 409, 409), "json:status"),
    Case("POST", "/engagements/{eng}/close/", (401, 403, 403, 403, 409, 409)),
    # The vault, while the staff member is still assigned: values only behind a step-up (every signed-in
    # caller here has one); unassigned staff (the admin) get 403.
    Case("GET", "/vault/items/?engagement={eng}", (401, 404, 200, 200, 200, 403)),
    Case("POST", "/vault/items/", (401, 404, 201, 201, 403, 403), "json:vault_item"),
    Case("GET", "/vault/items/{vault_item}/", (401, 404, 200, 200, 200, 403)),
    Case("PATCH", "/vault/items/{vault_item}/", (401, 404, 200, 200, 403, 403), "json:vault_change"),
    Case("POST", "/vault/items/{vault_item}/reveal/", (401, 404, 200, 200, 200, 403)),
    Case("POST", "/vault/items/{vault_item}/reveal/?version=1", (401, 404, 200, 200, 200, 403)),
    Case("GET", "/vault/items/{vault_item}/versions/", (401, 404, 200, 200, 200, 403)),
    Case("GET", "/vault/access-log/?engagement={eng}", (401, 404, 200, 200, 200, 403)),
    Case("DELETE", "/vault/items/{vault_spare}/", (401, 404, 204, 204, 403, 403)),
    Case("DELETE", "/vault/engagements/{eng}/", (401, 404, 403, 200, 403, 403), "json:vault_delete"),
    # The vault's step-up: anyone signed in asks for a code and confirms, for their own browser session only
    # (tests/api/test_vault_api.py); a wrong password opens nothing.
    Case("POST", "/auth/reauth/code/", (401, 202, 202, 202, 202, 202)),
    Case("POST", "/auth/reauth/", (401, 422, 422, 422, 422, 422), "json:reauth"),
    Case("POST", "/engagements/{eng}/staff/", (401, 403, 403, 403, 200, 200), "json:staff"),
    Case("DELETE", "/engagements/{eng}/staff/{staff}/", (401, 403, 403, 403, 200, 200)),
    Case("GET", "/engagements/{eng}/milestones/", (401, 404, 200, 200, 200, 200)),
    Case("POST", "/engagements/{eng}/milestones/", (401, 403, 403, 403, 409, 409), "json:milestone"),
    Case("GET", "/engagements/{eng}/milestones/{m1}/", (401, 404, 200, 200, 200, 200)),
    Case("PUT", "/engagements/{eng}/milestones/{m2}/", (401, 403, 403, 403, 200, 200), "json:milestone_update"),
    Case("DELETE", "/engagements/{eng}/milestones/{m3}/", (401, 403, 403, 403, 409, 409)),
    Case("POST", "/engagements/{eng}/milestones/{m2}/start/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/engagements/{eng}/milestones/{m2}/submit/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/engagements/{eng}/milestones/{m1}/accept/", (401, 404, 403, 200, 403, 403), "json:accept"),
    Case("POST", "/engagements/{eng}/milestones/{m1}/request-changes/", (401, 404, 403, 409, 403, 403), "json:changes"),
    Case("GET", "/documents/", (401, 200, 200, 200, 200, 200)),
    Case("POST", "/documents/", (401, 404, 201, 201, 201, 201), "upload"),
    Case("GET", "/documents/{doc}/", (401, 404, 200, 200, 200, 200)),
    Case("POST", "/documents/{doc}/versions/", (401, 404, 403, 403, 201, 201), "upload"),  # staff-issued
    Case("GET", "/documents/{doc}/download/", (401, 404, 200, 200, 200, 200)),
    # The world's plan.pdf is not a readable PDF: who may look is decided before its content.
    Case("GET", "/documents/{doc}/pages/0/", (401, 404, 422, 422, 422, 422)),
    Case("DELETE", "/documents/{doc}/", (401, 403, 403, 403, 200, 200)),
    Case("GET", "/staff/", (401, 403, 403, 403, 403, 200)),
    Case("PUT", "/staff/{staff}/", (401, 403, 403, 403, 403, 200), "json:staff_profile"),
    Case("GET", "/staff/invitations/", (401, 403, 403, 403, 403, 200)),
    Case("DELETE", "/staff/invitations/{staff_inv}/", (401, 403, 403, 403, 403, 200)),
    Case("GET", "/leads/", (401, 403, 403, 403, 200, 200)),
    Case("GET", "/leads/export/", (401, 403, 403, 403, 200, 200)),
    Case("GET", "/leads/{lead}/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/leads/{lead}/notes/", (401, 403, 403, 403, 201, 201), "json:note"),
    Case("POST", "/leads/{lead}/status/", (401, 403, 403, 403, 200, 200), "json:lead_status"),
    Case("POST", "/leads/{lead}/convert/", (401, 403, 403, 403, 201, 201), "json:convert"),
    Case("GET", "/invoices/", (401, 200, 200, 200, 200, 200)),
    Case("GET", "/invoices/?organization={org}", (401, 404, 403, 200, 200, 200)),
    Case("POST", "/invoices/", (401, 403, 403, 403, 201, 201), "json:invoice"),
    Case("GET", "/invoices/{invoice}/", (401, 404, 403, 200, 200, 200)),
    Case("GET", "/invoices/{draft}/", (401, 404, 403, 404, 200, 200)),  # drafts: staff only
    Case("GET", "/invoices/{invoice}/pdf/", (401, 404, 403, 200, 200, 200)),
    Case("POST", "/invoices/{invoice}/pay/", (401, 404, 403, 200, 403, 403)),
    Case("POST", "/invoices/{draft}/issue/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/invoices/{draft}/uncollectible/", (401, 403, 403, 403, 200, 200)),  # issued just above
    Case("POST", "/invoices/{invoice}/void/", (401, 403, 403, 403, 200, 200)),
    Case("GET", "/organizations/{org}/billing/", (401, 404, 403, 200, 200, 200)),
    Case("PATCH", "/organizations/{org}/billing/", (401, 404, 403, 200, 403, 403), "json:billing"),
    # Stripe's webhook takes no cookie: an unsigned body is refused whoever sends it.
    Case("POST", "/webhooks/stripe/", (400, 400, 400, 400, 400, 400), "json:webhook"),
    Case("GET", "/envelopes/", (401, 200, 200, 200, 200, 200)),
    Case("POST", "/envelopes/", (401, 403, 403, 403, 201, 201), "json:envelope"),
    Case("GET", "/envelopes/{env_done}/", (401, 404, 200, 200, 200, 200)),
    Case("POST", "/envelopes/{env_draft}/send/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/envelopes/{env_sent}/remind/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/envelopes/{env_sent}/void/", (401, 403, 403, 403, 200, 200), "json:void"),
    Case("POST", "/envelopes/{env_done}/void/", (401, 403, 403, 403, 409, 409), "json:void"),
    Case("GET", "/envelopes/{env_done}/certificate/", (401, 404, 200, 200, 200, 200)),
    Case("GET", "/envelopes/{env_sent}/certificate/", (401, 404, 409, 409, 409, 409)),
    Case("GET", "/envelopes/{env_done}/download/", (401, 404, 200, 200, 200, 200)),
    Case("GET", "/audit-events/", (401, 403, 403, 403, 403, 200)),
    Case("GET", "/audit-events/?action=documents&organization={org}", (401, 403, 403, 403, 403, 200)),
    Case("GET", "/audit-events/export/", (401, 403, 403, 403, 403, 200)),
    Case("GET", "/audit-events/export/?format=json&person=olivia", (401, 403, 403, 403, 403, 200)),
    # Administrators only; the member has no second step to remove.
    Case("POST", "/people/{member}/two-step/remove/", (401, 403, 403, 403, 403, 409), "json:identity_check"),
    # Page images answer to the grant in their URL, never to a cookie (tests/api/test_esign_page_images.py).
    Case("GET", "/envelopes/{env_sent}/pages/0/", (404, 404, 404, 404, 404, 404)),
    # An engagement's conversation: whoever sees the engagement reads and writes it.
    Case("GET", "/engagements/{eng}/messages/", (401, 404, 200, 200, 200, 200)),
    Case("POST", "/engagements/{eng}/messages/", (401, 404, 201, 201, 201, 201), "json:message"),
    # Each person's own notifications; the one marked read is the owner's (milestone waiting), 404 to anyone else.
    Case("GET", "/notifications/", (401, 200, 200, 200, 200, 200)),
    Case("POST", "/notifications/read/", (401, 404, 404, 200, 404, 404), "json:read_owners_notification"),
    # The privacy desk: staff, and administrators to close.
    Case("GET", "/privacy-requests/", (401, 403, 403, 403, 200, 200)),
    Case("POST", "/privacy-requests/", (401, 403, 403, 403, 201, 201), "json:privacy_request"),
    Case("GET", "/privacy-requests/{privacy}/", (401, 403, 403, 403, 200, 200)),
    Case("PATCH", "/privacy-requests/{privacy}/", (401, 403, 403, 403, 200, 200), "json:privacy_change"),
    Case("POST", "/privacy-requests/{privacy}/extend/", (401, 403, 403, 403, 200, 200), "json:privacy_extend"),
    Case("POST", "/privacy-requests/{privacy}/close/", (401, 403, 403, 403, 403, 200), "json:privacy_close"),
    # Last: it ends the member's access for the rest of the walk.
    Case("DELETE", "/organizations/{org}/members/{member}/", (401, 404, 403, 200, 200, 200)),
)


def _ids(
    world,
    invitation_id: int = 0,
    staff_invitation_id: int = 0,
    invoice_id=0,
    draft_id=0,
    deals=None,
    vault=(0, 0),
    again_id: int = 0,
) -> dict[str, int]:
    return {
        **({} if deals is None else deals.ids()),
        "vault_item": vault[0],
        "vault_spare": vault[1],
        "invoice": invoice_id,
        "draft": draft_id,
        "org": world.org_a,
        "eng": world.engagement_a.id,
        "m1": world.milestones_a[0].id,
        "m2": world.milestones_a[1].id,
        "m3": world.milestones_a[2].id,
        "doc": world.document_a.id,
        "member": world.member_a.id,
        "staff": world.staff.id,
        "inv": invitation_id,
        "inv_again": again_id,
        "staff_inv": staff_invitation_id,
        "lead": world.lead.id,
        "privacy": world.privacy_request.id,
    }


def _json_bodies(world) -> dict[str, dict[str, Any]]:
    return {
        "engagement": {"organization_id": world.org_a, "title": "New", "fixed_price_minor": 1000, "currency": "USD"},
        "status": {"status": "delivered"},
        "staff": {"user_id": world.staff.id},
        "milestone": {"title": "Extra", "amount_minor": 100},
        "organization": {"name": "Globex Freight"},
        "member_role": {"role": "member"},
        "identity_check": {"identity_check": "Video call, ID document matched"},
        "invitation": {"email": "newcomer@northwind.test", "org_role": "member"},
        "engagement_update": {"title": "Renamed build", "fixed_price_minor": 900_000, "currency": "USD"},
        "milestone_update": {"title": "Phase two, renamed", "amount_minor": 300_000},
        "staff_profile": {"role": "staff", "title": "Engineer", "team": "Delivery", "listed_on_team_page": True},
        "accept": {"note": "Fine"},
        "changes": {"reason": "Please fix"},
        "note": {"body": "Called Hana"},
        "lead_status": {"status": "qualified"},
        "convert": {"title": "Pilot", "fixed_price_minor": 100_000, "currency": "EUR"},
        "invoice": {
            "organization": world.org_a,
            "currency": "USD",
            "lines": [{"description": "Support", "unit_amount_minor": 5_000, "quantity": 2}],
        },
        "billing": {"billing_email": "ap@northwind.test", "legal_name": "Northwind Robotics, Inc."},
        "webhook": {"id": "evt_unsigned", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
        "void": {"reason": "Scope changed"},
        "vault_item": {"engagement": world.engagement_a.id, "kind": "api_key", "name": "Stripe", "value": {"key": "k"}},
        "vault_change": {"name": "AWS staging", "tags": ["aws"]},
        "vault_delete": {"confirm": world.engagement_a.title},
        "reauth": {"password": "not the password at all"},
        "message": {"body": "When is the demo?"},
        "read_owners_notification": {"ids": [_first_notification_of(world.owner_a)]},
        "privacy_request": {"kind": "deletion", "email": "hana@harbor.test", "name": "Hana Harbor"},
        "privacy_change": {"staff_note": "Called Hana"},
        "privacy_extend": {"reason": "Records on paper"},
        "privacy_close": {"outcome": "nothing_held", "note": "We hold nothing else"},
    }


def _first_notification_of(person: User) -> int:
    with Session(db.get_engine()) as fresh:
        return fresh.scalars(select(Notification.id).where(Notification.user_id == person.id)).first()


def _call(client, case: Case, world, *invitation_ids: int, deals=None, vault=(0, 0), again_id: int = 0):
    url = "/api/v1" + case.path.format(**_ids(world, *invitation_ids, deals=deals, vault=vault, again_id=again_id))
    if case.body == "json:envelope":
        return client.post(url, json=deals.new_envelope_body(world))
    if case.body.startswith("json:"):
        return client.request(case.method, url, json=_json_bodies(world)[case.body[5:]])
    if case.body == "upload":
        return client.post(
            url,
            data={"engagement": str(world.engagement_a.id)},
            files={"file": ("notes.pdf", PDF_BYTES, "application/pdf")},
        )
    return client.request(case.method, url)


def _snapshot(session, data_dir) -> tuple:
    """What a refused request must not change. Read in a session of its own, closed at once,
    so the test never holds SQLite's write lock while the app answers."""
    with Session(db.get_engine()) as fresh:
        return (
            [
                (e.id, e.status, e.title, e.updated_at)
                for e in fresh.scalars(select(Engagement).order_by(Engagement.id))
            ],
            [
                (m.id, m.status, m.title, m.amount_minor, m.client_note, m.decided_by_id)
                for m in fresh.scalars(select(Milestone).order_by(Milestone.id))
            ],
            [(o.id, o.name) for o in fresh.scalars(select(Organization).order_by(Organization.id))],
            [(m.id, m.role) for m in fresh.scalars(select(Membership).order_by(Membership.id))],
            # A step-up code is the caller's own (auth/reauth/code/ answers anyone signed in).
            [
                (t.id, t.revoked_at)
                for t in fresh.scalars(
                    select(OneTimeToken).where(OneTimeToken.purpose != TokenPurpose.REAUTH).order_by(OneTimeToken.id)
                )
            ],
            [(u.id, u.role) for u in fresh.scalars(select(User).order_by(User.id))],
            [(p.user_id, p.title, p.listed_on_team_page) for p in fresh.scalars(select(StaffProfile))],
            [(d.id, d.current_version, d.deleted_at) for d in fresh.scalars(select(Document).order_by(Document.id))],
            fresh.scalars(select(DocumentVersion.id).order_by(DocumentVersion.id)).all(),
            fresh.scalars(select(EngagementStaff.id).order_by(EngagementStaff.id)).all(),
            stored_files(data_dir),
            [
                (lead.id, lead.status, lead.organization_id, lead.last_activity_at)
                for lead in fresh.scalars(select(Lead).order_by(Lead.id))
            ],
            fresh.scalars(select(LeadNote.id).order_by(LeadNote.id)).all(),
            [
                (i.id, i.status, i.number, i.stripe_checkout_session_id)
                for i in fresh.scalars(select(Invoice).order_by(Invoice.id))
            ],
            [(p.billing_email, p.legal_name, p.stripe_customer_id) for p in fresh.scalars(select(BillingProfile))],
            fresh.scalars(select(StripeEvent.id)).all(),
            [(e.id, e.status, e.last_reminded_at) for e in fresh.scalars(select(Envelope).order_by(Envelope.id))],
            [(s.id, s.status, s.link_hash) for s in fresh.scalars(select(EnvelopeSigner).order_by(EnvelopeSigner.id))],
            [(i.id, i.title, i.tags, i.version) for i in fresh.scalars(select(VaultItem).order_by(VaultItem.id))],
            fresh.scalars(select(VaultItemVersion.id).order_by(VaultItemVersion.id)).all(),
            fresh.scalars(select(VaultDataKey.id).order_by(VaultDataKey.id)).all(),
            fresh.scalars(select(Message.id).order_by(Message.id)).all(),
            fresh.scalars(select(MessageRead.id).order_by(MessageRead.id)).all(),
        )


def test_the_table_covers_every_portal_route():
    api = create_api()
    routes = {
        (method, context.path)
        for context in iter_route_contexts(api.routes)
        if context.path.startswith(PORTAL_PREFIXES)
        for method in (context.methods or ())
    }
    tabled = {(case.method, "/api/v1" + case.path) for case in CASES}
    normalized = {
        (
            method,
            path.replace("{organization_id}", "{org}")
            .replace("{engagement_id}", "{eng}")
            .replace("{document_id}", "{doc}")
            .replace("{milestone_id}", "{m}")
            .replace("{invitation_id}", "{inv}")
            .replace("{user_id}", "{user}")
            .replace("{lead_id}", "{lead}")
            .replace("{invoice_id}", "{invoice}")
            .replace("{envelope_id}", "{env}")
            .replace("{item_id}", "{vault_item}")
            .replace("{request_id}", "{privacy}"),
        )
        for method, path in routes
    } - PUBLIC_ROUTES
    generic = {
        "{m1}": "{m}",
        "{m2}": "{m}",
        "{m3}": "{m}",
        "{member}": "{user}",
        "{staff}": "{user}",
        "{staff_inv}": "{inv}",
        "{inv_again}": "{inv}",
        "?q=north": "",
        "{draft}": "{invoice}",
        "?organization={org}": "",
        "?action=documents&organization={org}": "",
        "?format=json&person=olivia": "",
        "{env_done}": "{env}",
        "{env_draft}": "{env}",
        "{env_sent}": "{env}",
        "/pages/0/": "/pages/{page}/",
        "{vault_spare}": "{vault_item}",
        "?engagement={eng}": "",
        "?version=1": "",
    }
    assert normalized == {(m, functools.reduce(lambda p, kv: p.replace(*kv), generic.items(), p)) for m, p in tabled}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_caller(session, world, data_dir, stripe_standin, role):
    people = {
        "outsider": world.owner_b,
        "member": world.member_a,
        "owner": world.owner_a,
        "staff": world.staff,
        "admin": world.admin,
    }
    client = client_for(session, people.get(role))
    if role in people:  # the step-up itself is tested in tests/api/test_vault_api.py
        session.execute(update(AuthSession).values(reauthenticated_at=now()))
    column = ROLES.index(role)
    invitation = invitations.invite(
        session, actor=world.staff, email="pending@northwind.test", organization=world.org_a
    )
    again = invitations.invite(session, actor=world.staff, email="again@northwind.test", organization=world.org_a)
    staff_invitation = invitations.invite(session, actor=world.admin, email="noor@fluxent.tech", role="staff")
    save_profile(session, world)
    lines = [billing_invoices.LineInput("Hosting", 9_000)]
    issued = billing_invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="USD", lines=lines
    )
    billing_invoices.issue(session, actor=world.staff, invoice_id=issued.id)
    draft = billing_invoices.create_invoice(
        session, actor=world.staff, organization_id=world.org_a, currency="USD", lines=lines
    )
    session.commit()
    ids = (invitation.id, staff_invitation.id, issued.id, draft.id)
    deals = EnvelopeTrio.build(session, data_dir, world)
    vault = tuple(add_aws_login(session, world.owner_a, world.engagement_a.id, name=n).id for n in ("AWS", "Spare"))
    before = _snapshot(session, data_dir)
    answers = [
        (case.method, case.path, _call(client, case, world, *ids, deals=deals, vault=vault, again_id=again.id))
        for case in CASES
    ]
    got = [(method, path, response.status_code) for method, path, response in answers]
    expected = [(case.method, case.path, case.expect[column]) for case in CASES]
    assert got == expected, [(m, p, r.status_code, r.text[:200]) for m, p, r in answers]
    for _, _, response in answers:
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"code", "message"}
    if role not in ("staff", "admin"):
        assert _snapshot(session, data_dir)[11:13] == before[11:13]  # leads and their notes: staff only
    if role in ("anonymous", "outsider"):
        assert _snapshot(session, data_dir) == before  # nothing changed, nothing stored


def test_lists_paginate_and_filter(session, world):
    client = client_for(session, world.staff)
    page = client.get("/api/v1/engagements/", params={"page_size": 1}).json()
    assert (page["total"], page["pages"], len(page["items"]), page["page"]) == (2, 2, 1, 1)
    second = client.get("/api/v1/engagements/", params={"page_size": 1, "page": 2}).json()
    assert second["items"][0]["id"] != page["items"][0]["id"]
    only_b = client.get("/api/v1/engagements/", params={"organization": world.org_b}).json()
    assert [e["id"] for e in only_b["items"]] == [world.engagement_b.id]
    submitted = client.get(
        f"/api/v1/engagements/{world.engagement_a.id}/milestones/", params={"status": "submitted"}
    ).json()
    assert [m["id"] for m in submitted["items"]] == [world.milestones_a[0].id]
    assert client.get("/api/v1/documents/", params={"page_size": 101}).status_code == 422
    assert client.get("/api/v1/documents/", params={"page": 0}).status_code == 422
    assert client.get("/api/v1/engagements/", params={"status": "bogus"}).status_code == 422
    docs = client.get("/api/v1/documents/", params={"engagement": world.engagement_b.id}).json()
    assert [d["id"] for d in docs["items"]] == [world.document_b.id]


def test_engagement_detail_shows_price_progress_and_staff(session, world):
    client = client_for(session, world.owner_a)
    body = client.get(f"/api/v1/engagements/{world.engagement_a.id}/").json()
    assert body["fixed_price"] == {"amount_minor": 900_000, "currency": "USD"}
    assert body["progress"] == {"milestones": 3, "accepted": 0, "accepted_amount_minor": 0}
    assert body["staff"] == [{"id": world.staff.id, "name": "Sam Staff"}]


def test_download_headers(session, world):
    client = client_for(session, world.member_a)
    tricky = 'Q3 \u202eexe.pdf report "final".pdf'
    uploaded = client.post(
        "/api/v1/documents/", data={"organization": str(world.org_a)}, files={"file": (tricky, PDF_BYTES, "text/html")}
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["filename"] == "Q3 exe.pdf report _final_.pdf"
    response = client.get(uploaded.json()["download_url"])
    assert response.status_code == 200 and response.content == PDF_BYTES
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Q3 exe.pdf report _final_.pdf\"; filename*=UTF-8''Q3%20exe.pdf%20report%20_final_.pdf"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-length"] == str(len(PDF_BYTES))


def test_a_renamed_html_file_is_refused_over_the_api(session, world, data_dir):
    client = client_for(session, world.owner_a)
    before = _snapshot(session, data_dir)
    response = client.post(
        "/api/v1/documents/",
        data={"organization": str(world.org_a)},
        files={"file": ("invoice.pdf", b"<!doctype html><script>alert(1)</script>", "application/pdf")},
    )
    assert response.status_code == 422
    assert "HTML, SVG and XML files are not accepted" in response.json()["error"]["message"]
    assert _snapshot(session, data_dir) == before


def _multipart(fields: dict[str, str], filename: str, chunks, boundary="fluxentboundary"):
    yield b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'.encode()
    yield b"Content-Type: application/pdf\r\n\r\n"
    yield from chunks
    yield f"\r\n--{boundary}--\r\n".encode()


@pytest.mark.parametrize("declared_length", [True, False])
def test_oversize_uploads_are_refused_and_leave_nothing(session, world, data_dir, monkeypatch, declared_length):
    monkeypatch.setenv("FLUXENT_MAX_UPLOAD_MB", "1")
    reset_settings()
    client = client_for(session, world.owner_a)
    before = _snapshot(session, data_dir)
    chunks = [b"%PDF-1.7\n"] + [b"0" * 65536] * 32  # 2 MiB + 9 bytes of file
    body = _multipart({"organization": str(world.org_a)}, "big.pdf", chunks)
    content = b"".join(body) if declared_length else body
    response = client.post(
        "/api/v1/documents/",
        content=content,
        headers={"Content-Type": "multipart/form-data; boundary=fluxentboundary"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert _snapshot(session, data_dir) == before
    assert not list((data_dir / "files" / ".partial").glob("*")) if (data_dir / "files" / ".partial").exists() else True


def test_a_streamed_upload_just_under_the_cap_is_accepted(session, world, data_dir, monkeypatch):
    monkeypatch.setenv("FLUXENT_MAX_UPLOAD_MB", "1")
    reset_settings()
    client = client_for(session, world.owner_a)
    chunks = [b"%PDF-1.7\n"] + [b"1" * 65536] * 15  # just under 1 MiB with the multipart framing
    response = client.post(
        "/api/v1/documents/",
        content=_multipart({"engagement": str(world.engagement_a.id)}, "ok.pdf", chunks),
        headers={"Content-Type": "multipart/form-data; boundary=fluxentboundary"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["versions"][0]["size"] == 9 + 15 * 65536


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"X-CSRFToken": ""}, "X-CSRFToken header"),
        ({"X-CSRFToken": "wrong-token-0123456789"}, "CSRF"),
        ({"Origin": "https://evil.example"}, "come from this site"),
    ],
)
def test_uploads_need_the_csrf_header_and_the_site_origin(session, world, data_dir, headers, message):
    client = client_for(session, world.owner_a)
    client.headers.update(headers)
    before = _snapshot(session, data_dir)
    response = client.post(
        "/api/v1/documents/",
        data={"organization": str(world.org_a)},
        files={"file": ("a.pdf", PDF_BYTES, "application/pdf")},
    )
    assert response.status_code == 403 and message in response.json()["error"]["message"]
    assert _snapshot(session, data_dir) == before


def test_upload_form_mistakes_are_explained(session, world):
    client = client_for(session, world.owner_a)
    no_target = client.post("/api/v1/documents/", files={"file": ("a.pdf", PDF_BYTES, "application/pdf")})
    assert no_target.status_code == 422 and "organization or engagement" in no_target.json()["error"]["message"]
    no_file = client.post("/api/v1/documents/", data={"organization": str(world.org_a)}, files={"other": (None, "x")})
    assert no_file.status_code == 422
    as_json = client.post("/api/v1/documents/", json={"organization": world.org_a})
    assert as_json.status_code == 415
    truncated = client.post(
        "/api/v1/documents/",
        content=b"".join(_multipart({"organization": str(world.org_a)}, "a.pdf", [PDF_BYTES]))[:-30],
        headers={"Content-Type": "multipart/form-data; boundary=fluxentboundary"},
    )
    assert truncated.status_code == 422 and "ended before" in truncated.json()["error"]["message"]


def test_milestone_decisions_over_the_api(session, world):
    owner = client_for(session, world.owner_a)
    base = f"/api/v1/engagements/{world.engagement_a.id}/milestones/{world.milestones_a[0].id}"
    missing_reason = owner.post(f"{base}/request-changes/", json={"reason": ""})
    assert missing_reason.status_code == 422
    changed = owner.post(f"{base}/request-changes/", json={"reason": "Wrong colours"})
    assert changed.status_code == 200 and changed.json()["status"] == "changes_requested"
    assert changed.json()["client_note"] == "Wrong colours"


def test_no_write_lock_is_held_while_a_download_streams(session, world, database):
    """A large download must not keep the request's transaction (SQLite: the write lock) open."""
    import asyncio
    import sqlite3

    from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
    from fluxent.services.auth import sessions
    from fluxent.services.portal import documents
    from tests.support.portal import api_app

    if not database.startswith("sqlite"):
        pytest.skip("the write lock is SQLite's")
    big = b"%PDF-1.7\n" + b"z" * (3 * 1024 * 1024)
    document = documents.upload(
        session, actor=world.staff, filename="big.pdf", chunks=[big], organization_id=world.org_a
    )
    _, raw = sessions.start_session(session, user=world.owner_a)
    session.commit()
    path = database.removeprefix("sqlite:///")
    writable_during_stream = []
    received = bytearray()

    async def drive():
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": f"/api/v1/documents/{document.id}/download/",
            "raw_path": b"",
            "query_string": b"",
            "root_path": "",
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1),
            "headers": [(b"host", b"testserver"), (b"cookie", f"{SESSION_COOKIE}={raw}; {CSRF_COOKIE}=x".encode())],
        }

        requested = []

        async def receive():
            if not requested:
                requested.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()  # as a server does: nothing more until the client leaves
            return {"type": "http.disconnect"}

        finished = asyncio.Event()

        async def send(message):
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished.set()
            if message["type"] == "http.response.body":
                if message.get("more_body") and not writable_during_stream:
                    probe = sqlite3.connect(path, timeout=0.5, isolation_level=None)
                    try:
                        probe.execute("BEGIN IMMEDIATE")
                        probe.execute("ROLLBACK")
                        writable_during_stream.append(True)
                    except sqlite3.OperationalError:
                        writable_during_stream.append(False)
                    finally:
                        probe.close()
                received.extend(message.get("body", b""))

        await api_app()(scope, receive, send)

    run_async(drive())
    assert bytes(received) == big
    assert writable_during_stream == [True]


def test_upload_and_download_over_the_api_with_s3_storage(session, world, s3_settings):
    from tests.support.s3 import bucket_state

    reset_settings()
    client = client_for(session, world.member_a)
    data = b"%PDF-1.7\n" + b"s" * 300_000
    uploaded = client.post(
        "/api/v1/documents/",
        data={"engagement": str(world.engagement_a.id)},
        files={"file": ("s3.pdf", data, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    downloaded = client.get(uploaded.json()["download_url"])
    assert downloaded.status_code == 200 and downloaded.content == data
    objects, open_uploads = bucket_state(s3_settings)
    assert len(objects) == 1 and objects[0].startswith(f"portal/org-{world.org_a}/eng-{world.engagement_a.id}/")
    assert open_uploads == 0


def test_a_removed_member_loses_access_on_the_next_request(session, world):
    member = client_for(session, world.member_a)
    engagement_url = f"/api/v1/engagements/{world.engagement_a.id}/"
    assert member.get(engagement_url).status_code == 200
    owner = client_for(session, world.owner_a)
    removed = owner.delete(f"/api/v1/organizations/{world.org_a}/members/{world.member_a.id}/")
    assert removed.status_code == 200, removed.text
    assert [m["user_id"] for m in removed.json()["items"]] == [world.owner_a.id]
    assert member.get(engagement_url).status_code == 401  # signed out everywhere
    signed_in_again = client_for(session, world.member_a)
    assert signed_in_again.get(engagement_url).status_code == 404
    assert signed_in_again.get("/api/v1/organizations/").json()["items"] == []


def test_the_last_owner_cannot_be_removed_over_the_api(session, world):
    owner = client_for(session, world.owner_a)
    response = owner.delete(f"/api/v1/organizations/{world.org_a}/members/{world.owner_a.id}/")
    assert response.status_code == 409 and "at least one owner" in response.json()["error"]["message"]
    demoted = owner.post(
        f"/api/v1/organizations/{world.org_a}/members/{world.owner_a.id}/role/", json={"role": "member"}
    )
    assert demoted.status_code == 409
    members = owner.get(f"/api/v1/organizations/{world.org_a}/members/").json()["items"]
    assert [(m["user_id"], m["role"]) for m in members] == [(world.owner_a.id, "owner"), (world.member_a.id, "member")]


def test_engagement_and_milestone_edits_over_the_api(session, world):
    staff = client_for(session, world.staff)
    created = staff.post(
        "/api/v1/engagements/",
        json={"organization_id": world.org_a, "title": "Portal", "fixed_price_minor": 200_000, "currency": "EUR"},
    ).json()
    base = f"/api/v1/engagements/{created['id']}"
    assert created["unallocated_minor"] == 200_000
    first = staff.post(f"{base}/milestones/", json={"title": "Design", "amount_minor": 50_000}).json()
    edited = staff.put(
        f"{base}/milestones/{first['id']}/", json={"title": "Design", "amount_minor": 200_000, "due_date": "2026-02-01"}
    )
    assert edited.status_code == 200 and edited.json()["due_date"] == "2026-02-01"
    assert staff.get(f"{base}/").json()["unallocated_minor"] == 0
    bad = staff.put(f"{base}/", json={"title": "Portal", "fixed_price_minor": -1, "currency": "EUR"})
    assert bad.status_code == 422 and "fixed_price_minor" in bad.json()["error"]["fields"]
    assert staff.delete(f"{base}/milestones/{first['id']}/").status_code == 204
    assert staff.get(f"{base}/milestones/").json()["total"] == 0


def test_admins_manage_staff_over_the_api(session, world):
    admin = client_for(session, world.admin)
    last_admin = admin.put(f"/api/v1/staff/{world.admin.id}/", json={"role": "staff"})
    assert last_admin.status_code == 409
    updated = admin.put(
        f"/api/v1/staff/{world.staff.id}/",
        json={"role": "staff", "title": "Lead engineer", "team": "Delivery", "listed_on_team_page": True},
    )
    assert updated.status_code == 200 and updated.json()["title"] == "Lead engineer"
    names = [m["name"] for m in admin.get("/api/v1/staff/").json()["items"]]
    assert names == ["Ada Admin", "Sam Staff"]


HUGE = "99999999999999999999"


def test_ids_beyond_the_database_integers_are_refused_not_500(session, world, data_dir):
    client = client_for(session, world.staff)
    for path in (
        f"/engagements/{HUGE}/",
        f"/organizations/{HUGE}/members/",
        f"/documents/{HUGE}/",
        f"/leads/{HUGE}/",
        f"/engagements/?organization={HUGE}",
        f"/documents/?engagement={HUGE}",
        f"/documents/{world.document_a.id}/download/?version={HUGE}",
        "/engagements/0/",
        "/documents/?organization=-1",
    ):
        response = client.get("/api/v1" + path)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert response.json()["error"]["code"] in ("not_found", "validation_failed")
    bodies = [
        ("POST", f"/organizations/{world.org_a}/members/{HUGE}/role/", {"role": "member"}),
        ("POST", f"/engagements/{world.engagement_a.id}/staff/", {"user_id": int(HUGE)}),
        (
            "POST",
            "/engagements/",
            {"organization_id": int(HUGE), "title": "X", "fixed_price_minor": 1, "currency": "USD"},
        ),
    ]
    for method, path, body in bodies:
        assert client.request(method, "/api/v1" + path, json=body).status_code == 422, path
    upload = client.post(
        "/api/v1/documents/", data={"organization": HUGE}, files={"file": ("a.pdf", PDF_BYTES, "application/pdf")}
    )
    assert upload.status_code == 422 and "organization" in upload.json()["error"]["fields"]


def test_nul_and_surrogates_never_reach_the_database(session, world, data_dir):
    client = client_for(session, world.staff)
    for path in ("/leads/?q=ha%00na", "/organizations/?q=north%00"):
        response = client.get("/api/v1" + path)
        assert response.status_code == 422 and "q" in response.json()["error"]["fields"], path
    before = _snapshot(session, data_dir)
    for path, body in (
        (f"/leads/{world.lead.id}/notes/", '{"body": "Called \\ud800"}'),
        ("/organizations/", '{"name": "Globex \\udfff"}'),
        (f"/engagements/{world.engagement_a.id}/", '{"title": "T\\u0000", "fixed_price_minor": 1, "currency": "USD"}'),
    ):
        method = "PUT" if path.startswith("/engagements") else "POST"
        response = client.request(method, "/api/v1" + path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (path, response.status_code)
    assert _snapshot(session, data_dir) == before


def test_unknown_body_fields_are_refused_by_name(session, world, data_dir):
    client = client_for(session, world.staff)
    response = client.post("/api/v1/organizations/", json={"name": "Globex", "slug": "mine"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"slug": "Extra inputs are not permitted"}


def test_milestone_criteria_and_deliverables_over_the_api(session, world):
    staff = client_for(session, world.staff)
    url = f"/api/v1/engagements/{world.engagement_a.id}/milestones/{world.milestones_a[1].id}/"
    details = {
        "title": "Phase 2",
        "amount_minor": 300_000,
        "acceptance_criteria": "Totals row\nOpens in Excel",
        "deliverables": [{"label": "Staging", "url": "https://staging.test/"}, {"document_id": world.document_a.id}],
    }
    saved = staff.put(url, json=details)
    assert saved.status_code == 200
    assert saved.json()["acceptance_criteria"] == "Totals row\nOpens in Excel"
    assert saved.json()["deliverables"] == [
        {"label": "Staging", "url": "https://staging.test/", "document_id": None},
        {"label": "", "url": None, "document_id": world.document_a.id},
    ]
    for hostile in ({"url": "javascript:alert(1)"}, {"document_id": world.document_b.id}, {"url": "x" * 2001}):
        refused = staff.put(url, json={**details, "acceptance_criteria": "", "deliverables": [hostile]})
        assert refused.status_code == 422, hostile
        assert "deliverables" in str(refused.json()["error"]["fields"])
    member = client_for(session, world.member_a).get(url).json()
    assert member["acceptance_criteria"] == "Totals row\nOpens in Excel" and len(member["deliverables"]) == 2
    assert client_for(session, world.owner_b).get(url).status_code == 404
