"""The privacy centre's dated retention list: the retention table applied to one person's own rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from fluxent.models.accounts import Organization, OrgRole, Role, User
from fluxent.models.engagements import Engagement, EngagementStatus
from fluxent.models.marketing import Lead, LeadNote, LeadStatus
from fluxent.services.accounts import organizations
from fluxent.services.audit import trail
from fluxent.services.auth import sessions
from fluxent.services.privacy.dated_retention import Dated, DatedCategory, retention_dates
from tests.support.auth import AGENT, IP, make_user
from tests.support.billing import issued_invoice
from tests.support.vault import add_aws_login

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _at(moment: datetime):
    return lambda: moment


def _organization(session: Session, slug: str, status: EngagementStatus, closed_at: datetime | None = None) -> int:
    organization = Organization(name=slug.title(), slug=slug)
    session.add(organization)
    session.flush()
    session.add(
        Engagement(
            organization_id=organization.id,
            title=f"{slug} build",
            fixed_price_minor=100_00,
            currency="USD",
            status=status,
            closed_at=closed_at,
        )
    )
    session.flush()
    return organization.id


def _client(session: Session, email_address: str, organization_id: int) -> User:
    user = make_user(session, email_address, role=Role.CLIENT)
    organization = session.get(Organization, organization_id)
    organizations.add_membership(session, user=user, organization=organization, role=OrgRole.OWNER)
    return user


def _sign_in(session: Session, user: User, at: datetime, *, signed_out: datetime | None = None) -> None:
    """A sign-in at ``at``, used until it signed out at ``signed_out`` (None: still in use)."""
    auth_session, _raw = sessions.start_session(session, user=user, ip=IP, user_agent=AGENT, clock=_at(at))
    if signed_out is not None:
        auth_session.last_seen_at, auth_session.revoked_at = signed_out - timedelta(minutes=5), signed_out
    session.add(auth_session)
    session.flush()


def _lead(session: Session, email_address: str, last_activity: datetime, **fields) -> Lead:
    lead = Lead(name="Dana", email=email_address, created_at=last_activity, last_activity_at=last_activity, **fields)
    session.add(lead)
    session.flush()
    return lead


def _by_title(categories: list[DatedCategory]) -> dict[str, DatedCategory]:
    return {category.title: category for category in categories}


def test_a_client_whose_work_is_done_gets_a_date_for_each_part(session):
    dana = _client(
        session, "dana@example.test", _organization(session, "done", EngagementStatus.CLOSED, NOW - timedelta(days=31))
    )
    _sign_in(session, dana, NOW - timedelta(days=11), signed_out=NOW - timedelta(days=10))
    _sign_in(session, dana, NOW - timedelta(days=21), signed_out=NOW - timedelta(days=20))
    _sign_in(session, dana, NOW - timedelta(minutes=5))
    trail.record(
        session, "accounts.profile_updated", actor=dana, target=dana, clock=_at(datetime(2025, 3, 1, tzinfo=UTC))
    )
    quiet = _lead(session, "Dana@Example.test", datetime(2026, 1, 10, 9, tzinfo=UTC))
    session.add(LeadNote(lead_id=quiet.id, body="Called back", created_at=datetime(2026, 3, 1, 9, tzinfo=UTC)))
    _lead(session, "dana@example.test", datetime(2025, 1, 1, tzinfo=UTC), status=LeadStatus.ARCHIVED)
    _lead(session, "someone.else@example.test", datetime(2020, 1, 1, tzinfo=UTC))
    session.commit()

    found = _by_title(retention_dates(session, user=session.get(User, dana.id), clock=_at(NOW)))

    assert list(found) == ["Your account", "Your sign-ins", "Audit-log entries about you", "Your enquiries"]
    account = found["Your account"]
    assert account.basis == "Contract performance (GDPR Art. 6(1)(b))"
    assert "24 months after the last one closes" in account.rule
    # The archival window: 24 calendar months after the closing (2026-05-15).
    assert account.parts == (Dated("Archived on", date(2028, 5, 15)),)
    sign_ins = found["Your sign-ins"].parts
    # The earliest ended sign-in (20 days ago) loses its IP address and browser 30 days after it ended.
    assert sign_ins[0] == Dated("Your earliest ended sign-in loses them on", date(2026, 6, 25))
    assert sign_ins[1].on is None and sign_ins[1].label.startswith("1 sign-in still open")
    audit = found["Audit-log entries about you"]
    assert audit.basis.startswith("Legitimate interest")
    assert audit.parts == (Dated("Your earliest entry is deleted on", date(2027, 3, 1)),)
    enquiries = found["Your enquiries"]
    assert enquiries.basis.startswith("Consent")
    # 730 days after the staff note, the lead's last activity.
    assert enquiries.parts == (
        Dated("An enquiry you sent is archived on", date(2028, 2, 29)),
        Dated("An enquiry you sent is archived and kept as its record."),
    )


def test_no_archival_date_while_an_engagement_is_open_and_none_for_staff(session):
    busy = _client(session, "busy@example.test", _organization(session, "ongoing", EngagementStatus.ACTIVE))
    staff = make_user(session, "sam@fluxent.test", role=Role.STAFF)
    session.commit()
    account = _by_title(retention_dates(session, user=busy, clock=_at(NOW)))["Your account"]
    assert account.parts == (Dated("No date yet: it is set once all your engagements have closed."),)
    staff_account = _by_title(retention_dates(session, user=staff, clock=_at(NOW)))["Your account"]
    assert staff_account.rule == "Kept while you work at Fluxent." and staff_account.parts[0].on is None


def test_an_archival_window_already_over_still_gives_the_notice_its_30_days(session):
    late = _client(
        session,
        "late@example.test",
        _organization(session, "long-ago", EngagementStatus.CLOSED, datetime(2024, 1, 2, tzinfo=UTC)),
    )
    session.commit()
    account = _by_title(retention_dates(session, user=late, clock=_at(NOW)))["Your account"]
    assert account.parts == (Dated("Archived on", date(2026, 7, 15)),)


def test_an_enquiry_whose_engagement_closed_is_archived_at_the_next_run(session):
    organization_id = _organization(session, "converted", EngagementStatus.CLOSED, NOW - timedelta(days=1))
    converted = _client(session, "conv@example.test", organization_id)
    _lead(session, "conv@example.test", NOW - timedelta(days=3), status=LeadStatus.WON, organization_id=organization_id)
    session.commit()
    enquiries = _by_title(retention_dates(session, user=converted, clock=_at(NOW)))["Your enquiries"]
    assert enquiries.parts == (Dated("An enquiry you sent is archived on", NOW.date()),)


def test_invoices_and_an_open_vault_are_listed_for_the_client_who_may_see_them(session, world):
    invoice = issued_invoice(session, world)
    add_aws_login(session, world.owner_a, world.engagement_a.id)
    found = _by_title(retention_dates(session, user=world.owner_a, clock=_at(NOW)))
    invoices = found["Invoices with your billing details"]
    assert invoices.basis.startswith("Legal obligation")
    assert invoices.parts == (Dated("The earliest is deleted on", date(invoice.fiscal_year + 8, 1, 1)),)
    assert found["Your credential vault"].parts == (Dated("1 item in 1 vault: no date while the engagement is open."),)
    # Another organization's client sees neither.
    other = _by_title(retention_dates(session, user=world.owner_b, clock=_at(NOW)))
    assert "Invoices with your billing details" not in other and "Your credential vault" not in other
