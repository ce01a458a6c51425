"""Staff console, administrators only: Fluxent's staff (role, title, team, Team-page listing)
and staff invitations. Thin handlers over ``services.accounts.staff`` and ``services.accounts.invitations``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import reflex as rx
from sqlmodel import Session

from fluxent.core.ids import parse_id
from fluxent.models.accounts import Role, User
from fluxent.services.accounts import invitations, staff
from fluxent.state.admin_console import ConsoleState, InvitationRow, invitation_rows

ROLE_CHOICES = [role.value for role in Role]


@dataclasses.dataclass
class StaffRow:
    user_id: int
    name: str
    email: str
    role: str
    title: str
    team: str
    listed: bool


class AdminStaffState(ConsoleState):
    rows: list[StaffRow] = []
    invitations: list[InvitationRow] = []

    def _fill(self, db: Session, user: User) -> None:
        self.rows = [
            StaffRow(m.user_id, m.name, m.email, str(m.role), m.title, m.team, m.listed)
            for m in staff.list_staff(db, actor=user)
        ]
        self.invitations = invitation_rows(staff.pending_invitation_rows(db, actor=user))
        self.form_version += 1

    @rx.event
    def load(self) -> None:
        self._load(self._fill)

    @rx.event
    def save(self, form: dict[str, Any]) -> None:
        user_id = parse_id(str(form.get("user_id", ""))) or 0
        key = f"s{user_id}"
        self._change(
            key,
            lambda db, user: staff.update_staff(
                db,
                actor=user,
                user_id=user_id,
                role=str(form.get(f"{key}.role", "")),
                title=str(form.get(f"{key}.title", "")),
                team=str(form.get(f"{key}.team", "")),
                listed=form.get(f"{key}.listed") in ("on", True, "true"),
            ),
            "Staff member saved.",
            keep_inputs=True,
        )

    @rx.event
    def invite(self, form: dict[str, Any]) -> Iterator[Any]:
        self.busy = "invite"
        yield
        email = str(form.get("invite.email", ""))
        self._send_invitation(
            email,
            lambda db, user: invitations.invite(
                db,
                actor=user,
                email=email,
                role=Role.STAFF,
                title=str(form.get("invite.title", "")),
                team=str(form.get("invite.team", "")),
            ),
        )

    @rx.event
    def revoke(self, invitation_id: int) -> None:
        self._call("invitations", staff.revoke_invitation, "Invitation revoked.", invitation_id=invitation_id)
