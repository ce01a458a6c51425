"""An administrator viewing the portal as one client organization's owner sees it, read only.

The choice is held on the server, in this tab's state (``SessionState._viewing_as``,
backend only): while it holds, every read model acts for that organization's first
owner, scoped to it (``SessionState._person``), and every change from the tab is
refused (``SessionState._acting``, ``refuse_while_viewing``). The browser's
localStorage ``view_as_role`` (the one key the privacy policy allows) only mirrors it
and grants nothing: a page load drops a value the server does not hold. Starting and
stopping go through ``services.portal.view_as`` (audited).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import NotFound, ValidationFailed
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import authz, organizations
from fluxent.services.portal import view_as
from fluxent.state.session import SessionState

STORAGE_KEY = "view_as_role"


def organization_id_of(stored: str) -> int | None:
    """The organization id a stored value names, or None for anything else."""
    return parse_id(stored)


PICKER_SIZE = 50  # organizations offered at once; the filter finds the others


class ViewAsState(SessionState):
    view_as_role: str = rx.LocalStorage("", name=STORAGE_KEY)
    # What the server holds for this tab (``_viewing_as``), for the banner and the picker.
    viewing_id: str = ""
    viewing_name: str = ""
    # Organizations an administrator may pick from: [{"id", "name"}]; empty for everyone else.
    # At most ``PICKER_SIZE`` of them, those whose name contains ``choice_query``.
    choices: list[dict[str, str]] = []
    choice_query: str = ""
    choice_total: int = 0

    def _forget(self) -> None:
        """Nothing is being viewed; the browser's mirror is dropped too."""
        self._viewing_as = 0
        self.viewing_id = self.viewing_name = ""
        if self.view_as_role:
            self.view_as_role = ""

    @rx.event
    def load(self) -> None:
        """``on_load`` of every portal page: show what the server holds for this tab, still checked."""
        with read_scope() as db:
            user = self._signed_in_person(db)
            admin = user is not None and authz.is_admin(user)
            self._fill_choices(db, user if admin else None)
            # Only an administrator views as a client, and only what this tab started.
            organization = (
                view_as.viewable_organization(db, user=user, organization_id=self._viewing_as)
                if admin and self._viewing_as
                else None
            )
        if organization is None:
            self._forget()
        else:
            self._viewing(organization.id, organization.name)

    def _fill_choices(self, db: Session, admin: User | None) -> None:
        """The picker's organizations for ``admin`` (none for anyone else), narrowed on the server."""
        if admin is None:
            self.choices, self.choice_total = [], 0
            return
        found = organizations.search_organizations(db, actor=admin, query=self.choice_query, page_size=PICKER_SIZE)
        self.choices = [{"id": str(org.id), "name": org.name} for org in found.items]
        self.choice_total = found.total
        if self.viewing_id and all(choice["id"] != self.viewing_id for choice in self.choices):
            self.choices.insert(0, {"id": self.viewing_id, "name": self.viewing_name})  # what is shown stays choosable

    @rx.event
    def narrow(self, text: str) -> None:
        """The picker's filter: organizations whose name contains ``text`` (control characters match none)."""
        self.choice_query = str(text or "")[:200]
        with read_scope() as db:
            user = self._signed_in_person(db)
            try:
                self._fill_choices(db, user if user is not None and authz.is_admin(user) else None)
            except ValidationFailed:
                self.choices, self.choice_total = [], 0

    def _viewing(self, organization_id: int, name: str) -> None:
        self._viewing_as = organization_id
        self.viewing_id, self.viewing_name = str(organization_id), name
        self.view_as_role = self.viewing_id

    @rx.event
    def start(self, organization_id: str) -> Iterator[Any]:
        """Switch to viewing ``organization_id`` as its owner does (administrators only); "" leaves."""
        self.busy = "view_as"
        yield
        if not organization_id:
            self._leave()
            return

        def action(db: Session, user: User) -> None:
            target = organization_id_of(organization_id)
            if target is None:
                raise NotFound("No such organization.")
            if self._viewing_as and self._viewing_as != target:
                view_as.stop_view_as(db, actor=user, organization_id=self._viewing_as)
            organization = view_as.start_view_as(db, actor=user, organization_id=target)
            self._viewing(organization.id, organization.name)

        self._act("view_as", action, while_viewing=True)

    @rx.event
    def stop(self) -> Iterator[Any]:
        """Back to the administrator's own view."""
        self.busy = "view_as"
        yield
        self._leave()

    def _leave(self) -> None:
        if self._viewing_as:
            viewed = self._viewing_as
            self._act(
                "view_as",
                lambda db, user: view_as.stop_view_as(db, actor=user, organization_id=viewed),
                while_viewing=True,
            )
        self.busy = ""
        self._forget()
