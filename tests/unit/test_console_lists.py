"""The staff console's organizations list: filtered by name, paged with its total, each row with
its people and engagement counts, read in one statement whatever the page's length."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from fluxent.core.errors import PermissionDenied, ValidationFailed
from fluxent.services.accounts import organizations
from fluxent.services.portal import console, engagements


def _statements(session, read):
    """What ``read()`` returns and how many SQL statements it ran."""
    ran: list[str] = []
    engine = session.get_bind()

    def count(*_args):
        ran.append("statement")

    event.listen(engine, "before_cursor_execute", count)
    try:
        return read(), len(ran)
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_rows_carry_their_counts_and_link_to_their_page(session, world):
    engagements.create_engagement(
        session, actor=world.staff, organization_id=world.org_a, title="Second", fixed_price_minor=1000, currency="EUR"
    )
    found = console.organization_rows(session, actor=world.staff)
    assert found.total == 2
    assert [(r.name, r.members, r.engagements, r.active_engagements, r.href) for r in found.items] == [
        ("Acme Widgets", 1, 1, 1, f"/admin/organizations/{world.org_b}"),
        ("Northwind Robotics", 2, 2, 1, f"/admin/organizations/{world.org_a}"),
    ]
    assert [r.name for r in console.organization_rows(session, actor=world.staff, query=" NORTH ").items] == [
        "Northwind Robotics"
    ]


def test_the_list_pages_with_one_statement_per_part_whatever_its_length(session, world):
    for number in range(25):
        organizations.create_organization(session, actor=world.staff, name=f"Client {number:02d}")
    session.flush()
    first, small = _statements(session, lambda: console.organization_rows(session, actor=world.staff, page_size=3))
    full, large = _statements(session, lambda: console.organization_rows(session, actor=world.staff, page_size=27))
    assert (first.total, first.pages, len(first.items)) == (27, 9, 3)
    assert len(full.items) == 27 and small == large == 2  # the total, then the page with its counts
    last = console.organization_rows(session, actor=world.staff, page=9, page_size=3)
    assert [r.name for r in last.items] == ["Client 23", "Client 24", "Northwind Robotics"]
    assert console.organization_rows(session, actor=world.staff, query="100%").total == 0


def test_only_staff_list_and_bad_filters_are_refused(session, world):
    for client in (world.owner_a, world.member_a):
        with pytest.raises(PermissionDenied):
            console.organization_rows(session, actor=client)
    for bad in ({"query": "a\x00b"}, {"page": 0}, {"page_size": 101}):
        with pytest.raises(ValidationFailed):
            console.organization_rows(session, actor=world.staff, **bad)
