"""``/login/two-step/<ticket>``: the second step of a sign-in.

The page's form posts the ticket and the code to the API, which sets the session
cookie. A person with a passkey also gets "Use a passkey": the page holds the challenge
the service made for this ticket, the browser's passkey answers it, and a second form
posts the answer to the API. When the ticket says the person must set up an app first (staff, when the
site requires it), the page shows the app's QR code and secret, made by the service
when the page loads. Opening the page uses nothing up.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.core.errors import DomainError
from fluxent.services.auth import passkeys, two_step
from fluxent.state.link_token import LinkTokenState

# Where a person who just set up an app goes: the security page, to make recovery codes.
AFTER_ENROLMENT = routes.PORTAL_SECURITY + "#two-step"
PASSKEY_NOT_USED = "The passkey was not used. Try again, or enter a code."


class SecondStepState(LinkTokenState):
    next_route: str = ""
    checked: bool = False
    ticket_live: bool = False
    enrol: bool = False
    qr_code: str = ""
    secret: str = ""
    # Which second steps the person has: an authenticator app (or recovery codes), passkeys.
    has_app: bool = True
    has_passkey: bool = False
    passkey_options: dict[str, Any] = {}
    passkey_error: str = ""

    @rx.event
    def load(self) -> None:
        self.busy, self.checked = False, False
        self.qr_code = self.secret = ""
        token = self.link_token
        self.next_route = self.router.url.query_parameters.get("next", "")
        with session_scope() as db:
            ticket = two_step.open_ticket(db, token)
            self.ticket_live = ticket is not None
            self.enrol = ticket is not None and ticket.enrol
            self.has_app, self.has_passkey, self.passkey_options, self.passkey_error = True, False, {}, ""
            if ticket is not None and not ticket.enrol:
                self.has_app = two_step.active_method(db, ticket.user.id) is not None
                if passkeys.has_passkey(db, ticket.user.id):
                    self.passkey_options = passkeys.sign_in_options(db, ticket=ticket)
                    self.has_passkey = True
            if self.enrol:
                try:
                    enrolment = two_step.begin_enrolment_with_ticket(db, token=token)
                except DomainError:
                    self.ticket_live = False
                else:
                    self.qr_code, self.secret = enrolment.qr_data_uri, enrolment.secret
                    self.next_route = AFTER_ENROLMENT
        self.checked = True

    @rx.event
    def passkey_failed(self, error: str) -> None:
        """The device did not answer (cancelled, timed out, no such passkey here): a fresh challenge to try again."""
        if not error:
            return  # answered: the form is on its way
        self.passkey_error = PASSKEY_NOT_USED
        with session_scope() as db:
            ticket = two_step.open_ticket(db, self.link_token)
            if ticket is None:
                self.ticket_live = False
                return
            self.passkey_options = passkeys.sign_in_options(db, ticket=ticket)
