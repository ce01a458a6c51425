"""State of the portal's team page (``/portal/team``): a thin view of ``services.accounts.team``;
owners invite colleagues as members, and resend or revoke pending invitations, through
``services.accounts.invitations`` (which decides who may)."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from fluxent.core.db import read_scope
from fluxent.core.errors import DomainError
from fluxent.services.accounts import invitations, team
from fluxent.state.form_focus import first_error
from fluxent.state.formatting import day
from fluxent.state.organization import OrganizationState
from fluxent.state.session import error_messages

INVITE_FORM = "invite"


@dataclasses.dataclass
class MemberRow:
    user_id: int
    name: str
    email: str
    role: str  # "Owner" / "Member"


@dataclasses.dataclass
class InvitationRow:
    id: int
    email: str
    sent: str
    expires: str


class PortalTeamState(OrganizationState):
    team_organization_id: int = 0  # 0: the person belongs to no organization
    team_organization: str = ""
    may_invite: bool = False
    members: list[MemberRow] = []
    pending: list[InvitationRow] = []
    loaded: bool = False
    # The invitation form's messages by field ("form": the whole form's) and its version (a sent form clears).
    errors: dict[str, str] = {}
    form_version: int = 0

    @rx.event
    def load(self) -> None:
        """``on_load`` of the page, and again after every change."""
        self.errors = {}
        self._refresh()

    def _refresh(self) -> None:
        try:
            with read_scope() as db:
                user = self._person(db)
                found = None if user is None else team.team(db, actor=user, organization_id=self._chosen())
        except DomainError as error:
            found = None
            self._tell(error.message, error=True)
        self.team_organization_id = found.organization_id if found else 0
        self.team_organization = found.organization if found else ""
        self.may_invite = bool(found and found.may_invite)
        self.members = [
            MemberRow(m.user_id, m.name, m.email, str(m.role).title()) for m in (found.members if found else [])
        ]
        self.pending = [
            InvitationRow(p.id, p.email, day(p.created_at), day(p.expires_at)) for p in (found.pending if found else [])
        ]
        self.loaded = True

    @rx.event
    def invite(self, form: dict[str, Any]) -> EventSpec | None:
        """Invite a colleague as a member; a refusal shows beside the field, which gets the focus."""
        self.errors, self.busy = {}, INVITE_FORM
        organization_id = self.team_organization_id
        email = str(form.get("email", ""))
        if self._act(
            INVITE_FORM,
            lambda db, user: invitations.invite_member(
                db, actor=user, organization_id=organization_id, email=email, org_role="member"
            ),
            "Invitation sent. It is valid for seven days.",
        ):
            self.form_version += 1
        self._refresh()
        return first_error(self.errors, form_id=INVITE_FORM)

    @rx.event
    def resend(self, invitation_id: int) -> None:
        self._on_invitation(invitations.resend_invitation, invitation_id, "Invitation sent again with a new link.")

    @rx.event
    def revoke(self, invitation_id: int) -> None:
        self._on_invitation(
            invitations.revoke_invitation, invitation_id, "Invitation revoked: its link no longer works."
        )

    def _on_invitation(self, action, invitation_id: int, success: str) -> None:
        organization_id = self.team_organization_id
        self._act(
            "invitation",
            lambda db, user: action(db, actor=user, organization_id=organization_id, invitation_id=invitation_id),
            success,
        )
        self._refresh()

    def _refused(self, form: str, error: DomainError) -> None:
        """The invitation form's refusals show beside its field and in its summary; others in the status line."""
        if form == INVITE_FORM:
            self.errors = {"form": error.message} | error_messages(error, shown=("email",))
        else:
            super()._refused(form, error)
