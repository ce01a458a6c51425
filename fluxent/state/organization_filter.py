"""The searchable organization choice that narrows a console list ("Any organization" or one).

Mixed into a ``ConsoleState`` page; the page says, in ``_organization_changed``, how its
lists are read again. The choices come from ``organizations.search_organizations``, at
most ``PICKER_SIZE`` at once, narrowed on the server as the staff member types.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from fluxent.core.errors import ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import organizations
from fluxent.state.view_as import PICKER_SIZE


class OrganizationFilterMixin(rx.State, mixin=True):
    organization_filter: str = ""  # the chosen organization's id, "" for any
    organization_query: str = ""
    organization_choices: list[dict[str, str]] = []

    def _organization_changed(self) -> None:
        """Read the page's lists again, from their first page."""
        raise NotImplementedError

    def _organization_id(self) -> int | None:
        return parse_id(self.organization_filter)

    def _fill_organization_choices(self, db: Session, user: User) -> None:
        try:
            found = organizations.search_organizations(
                db, actor=user, query=self.organization_query, page_size=PICKER_SIZE
            ).items
        except ValidationFailed:  # control characters match no organization
            found = []
        choices = [{"id": str(org.id), "name": org.name} for org in found]
        chosen = self._organization_id()
        if chosen and all(choice["id"] != self.organization_filter for choice in choices):
            kept = organizations.get_organization(db, actor=user, organization_id=chosen)
            choices.insert(0, {"id": str(kept.id), "name": kept.name})  # what is chosen stays shown
        self.organization_choices = choices

    @rx.event
    def narrow_organizations(self, text: str) -> None:
        self.organization_query = str(text or "")[:200]
        self._load(self._fill_organization_choices, fresh=False)  # type: ignore[attr-defined]

    @rx.event
    def choose_organization(self, organization_id: str) -> None:
        self.organization_filter = str(parse_id(str(organization_id or "")) or "")
        self._organization_changed()
