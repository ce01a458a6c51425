"""Choosing a password: after a reset link, or when accepting an invitation.

The feedback comes from ``services.auth.password_policy``, the rule the server
applies when the form is posted. The password itself only passes through the
handler: it is never kept in the state.
"""

from __future__ import annotations

import reflex as rx

from fluxent.core.db import session_scope
from fluxent.core.errors import ValidationFailed
from fluxent.services.accounts import invitations
from fluxent.services.auth import password_policy
from fluxent.state.link_token import LinkTokenState
from fluxent.state.session import signed_in

STRONG_ENOUGH = "Strong enough. You're good to go."
ENTER_NAME = "Enter your name."
EMPTY = f"Use at least {password_policy.MIN_LENGTH} characters; a phrase of unrelated words works well."


def password_feedback(password: str, *, name: str = "", email: str = "", company: str = "") -> str:
    """Why the policy refuses ``password``, or "" when it passes."""
    try:
        password_policy.check_password(password, name=name, email=email, company=company)
    except ValidationFailed as refused:
        return refused.fields.get("password") or refused.message
    return ""


class NewPasswordState(LinkTokenState):
    """Live policy feedback for a new-password field."""

    password_hint: str = EMPTY
    password_ok: bool = False
    password_checked: bool = False  # something was typed, so the hint is a verdict

    def _judge(self, password: str, **personal: str) -> None:
        if not password:
            self.password_hint, self.password_ok, self.password_checked = EMPTY, False, False
            return
        reason = password_feedback(password, **personal)
        self.password_hint = reason or STRONG_ENOUGH
        self.password_ok = not reason
        self.password_checked = True

    @rx.event
    def check_new_password(self, password: str) -> None:
        """Reset page: the policy without personal details (the server adds the account's own)."""
        self._judge(password)

    @rx.event
    def load(self) -> None:
        self.busy = False
        self.password_hint, self.password_ok, self.password_checked = EMPTY, False, False


class InvitationState(NewPasswordState):
    """Who invited the visitor to which organization; the form that accepts it."""

    found: bool = False
    loaded: bool = False
    email: str = ""
    organization: str = ""
    inviter: str = ""
    role: str = ""
    has_account: bool = False
    needs_sign_in: bool = False  # an existing account, not signed in here: the invitation cannot sign it in
    person_name: str = ""
    name_error: str = ""

    @rx.event
    def load_invitation(self) -> None:
        self.load()
        self.name_error = ""
        # A write unit: the invitation's lookup locks its row (SELECT ... FOR UPDATE on PostgreSQL).
        with session_scope() as db:
            found = signed_in(db, self.router.headers.cookie)
            invitation = invitations.describe_invitation(db, token=self.link_token, viewer=found[1] if found else None)
        self.found = invitation is not None
        invitation = invitation or {}
        self.email = str(invitation.get("email") or "")
        self.organization = str(invitation.get("organization") or "")
        self.inviter = str(invitation.get("inviter") or "")
        self.role = str(invitation.get("role") or "")
        self.has_account = bool(invitation.get("has_account"))
        self.needs_sign_in = bool(invitation.get("needs_sign_in"))
        self.loaded = True

    @rx.event
    def set_person_name(self, name: str) -> None:
        self.person_name = name
        if name.strip():
            self.name_error = ""

    @rx.event
    def check_person_name(self, _value: str = "") -> None:
        self.name_error = "" if self.person_name.strip() else ENTER_NAME

    @rx.event
    def check_invited_password(self, password: str) -> None:
        """The policy with the details the account will have: the name typed, the address, the organization."""
        self._judge(password, name=self.person_name, email=self.email, company=self.organization)
