"""``/login/two-step/<ticket>``: the second step of a sign-in.

The page's form posts the ticket and the code to the API, which sets the session
cookie. When the ticket says the person must set up an app first (staff, when the
site requires it), the page shows the app's QR code and secret, made by the service
when the page loads. Opening the page uses nothing up.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.core.db import session_scope
from fluxent.core.errors import DomainError
from fluxent.services.auth import two_step
from fluxent.state.link_token import LinkTokenState

# Where a person who just set up an app goes: the security page, to make recovery codes.
AFTER_ENROLMENT = routes.PORTAL_SECURITY + "#two-step"


class SecondStepState(LinkTokenState):
    next_route: str = ""
    checked: bool = False
    ticket_live: bool = False
    enrol: bool = False
    qr_code: str = ""
    secret: str = ""

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
            if self.enrol:
                try:
                    enrolment = two_step.begin_enrolment_with_ticket(db, token=token)
                except DomainError:
                    self.ticket_live = False
                else:
                    self.qr_code, self.secret = enrolment.qr_data_uri, enrolment.secret
                    self.next_route = AFTER_ENROLMENT
        self.checked = True
