"""An administrator viewing the portal as one client organization sees it, read only.

The choice sits in the browser's localStorage under ``view_as_role`` (the
organization's id; the one key the privacy policy allows). The server never trusts
it: on every portal page load the value goes to ``services.portal.view_as.viewable_organization``
with the user resolved from the session cookie, and a value that user may not view
shows nothing. Starting and stopping go through ``services.portal.view_as`` (audited).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.db import read_scope
from fluxent.core.errors import NotFound
from fluxent.core.ids import parse_id
from fluxent.models.accounts import User
from fluxent.services.accounts import authz, organizations
from fluxent.services.portal import view_as
from fluxent.state.session import SessionState

STORAGE_KEY = "view_as_role"


def organization_id_of(stored: str) -> int | None:
    """The organization id a stored value names, or None for anything else."""
    return parse_id(stored)


class ViewAsState(SessionState):
    view_as_role: str = rx.LocalStorage("", name=STORAGE_KEY)
    # Shown only when the server agreed to the stored value for the resolved user.
    viewing_id: str = ""
    viewing_name: str = ""
    # Organizations an administrator may pick from: [{"id", "name"}]; empty for everyone else.
    choices: list[dict[str, str]] = []

    def _forget(self) -> None:
        """Nothing is being viewed; a stored value the server refused is dropped from the browser too."""
        self.viewing_id = self.viewing_name = ""
        if self.view_as_role:
            self.view_as_role = ""

    @rx.event
    def load(self) -> None:
        """``on_load`` of every portal page: honour the stored choice only if the server agrees."""
        with read_scope() as db:
            user = self._person(db)
            if user is None:
                self._forget()
                self.choices = []
                return
            admin = authz.is_admin(user)
            self.choices = (
                [{"id": str(org.id), "name": org.name} for org in organizations.all_organizations(db, actor=user)]
                if admin
                else []
            )
            organization_id = organization_id_of(self.view_as_role)
            # Viewing as a client is an administrator's mode; for anyone else the key means nothing.
            organization = (
                view_as.viewable_organization(db, user=user, organization_id=organization_id)
                if admin and organization_id is not None
                else None
            )
        if organization is None:
            self._forget()
        else:
            self.viewing_id, self.viewing_name = str(organization.id), organization.name

    @rx.event
    def start(self, organization_id: str) -> Iterator[Any]:
        """Switch to viewing ``organization_id`` as its clients do (administrators only)."""
        if not organization_id:
            yield ViewAsState.stop
            return
        self.busy = "view_as"
        yield

        def action(db: Session, user: User) -> None:
            target = organization_id_of(organization_id)
            if target is None:
                raise NotFound("No such organization.")
            if self.viewing_id and self.viewing_id != str(target):
                view_as.stop_view_as(db, actor=user, organization_id=int(self.viewing_id))
            organization = view_as.start_view_as(db, actor=user, organization_id=target)
            self.viewing_id, self.viewing_name = str(organization.id), organization.name

        if self._act("view_as", action):
            self.view_as_role = self.viewing_id

    @rx.event
    def stop(self) -> Iterator[Any]:
        """Back to the administrator's own view."""
        self.busy = "view_as"
        yield
        organization_id = organization_id_of(self.viewing_id)
        if organization_id is not None:
            self._act("view_as", lambda db, user: view_as.stop_view_as(db, actor=user, organization_id=organization_id))
        self.busy = ""
        self._forget()
