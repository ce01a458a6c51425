"""Navigation only offers pages that exist: a link to an area that is not built yet
(billing, for one) would lead a person to the not-found page."""

from __future__ import annotations

import pytest

from fluxent import routes
from fluxent.pages import all_pages


@pytest.mark.parametrize("nav", ["MAIN_NAV", "LEGAL_NAV", "PORTAL_NAV", "STAFF_NAV", "ADMIN_NAV"])
def test_every_navigation_link_leads_to_a_page(nav):
    pages = {page.spec.route for page in all_pages()}
    missing = [item.label for item in getattr(routes, nav) if item.route not in pages]
    assert missing == []
