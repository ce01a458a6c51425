"""Which of the person's organizations the portal pages show, per browser tab.

A person in several client organizations picks one in the portal's top bar (or
"All organizations"). The choice lives only in this server-side state of the tab:
no cookie, no localStorage. It is a wish, not a permission: the pick is checked
with the services when made, and the pages pass it to the services, which show
nothing of an organization the person is not in.
"""

from __future__ import annotations

import reflex as rx

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError, NotFound
from fluxent.core.ids import parse_id
from fluxent.services.accounts import organizations
from fluxent.state.session import SessionState


class OrganizationState(SessionState):
    # The chosen organization's id, "" for all of them.
    organization_id: str = ""

    def _chosen(self) -> int | None:
        """The organization the pages show, for the services: the one this tab views as a
        client, else the chosen one (None for all)."""
        return self._viewing_as or parse_id(self.organization_id)

    @rx.event
    def choose_organization(self, value: str) -> None:
        """Show only ``value``'s organization ("" for all); refused, changing nothing, unless the person may see it."""
        self.notice = ""
        value = (value or "").strip()
        if not value:
            self.organization_id = ""
            return
        with read_scope() as db:
            user = self._person(db)
            if user is None:
                return
            try:
                organization_id = parse_id(value)
                if organization_id is None:
                    raise NotFound("No such organization.")
                organization = organizations.get_organization(db, actor=user, organization_id=organization_id)
            except DomainError as error:
                self._tell(error.message, error=True)  # the page keeps showing what it showed
                return
        self.organization_id = str(organization.id)
