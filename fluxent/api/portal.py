"""The client portal's API routers, in the order ``create_api`` includes them."""

from __future__ import annotations

from fluxent.api import documents, engagements, leads, organizations, staff

ROUTERS = (organizations.router, engagements.router, documents.router, staff.router, leads.router)
