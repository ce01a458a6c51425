"""The sign-in page (three ways in) and the page where an e-mailed code is entered.

Signing in itself is a native form post to the API, which sets the HttpOnly
session cookie; this state only validates fields as they are left, shows a busy
button while the browser posts, and asks the services to e-mail a code or a link.
Those requests answer the same way whether or not an account has the address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import urlencode

import reflex as rx
from reflex.istate.data import RouterData

from fluxent import routes
from fluxent.core.db import read_scope, session_scope
from fluxent.core.errors import DomainError, RateLimited
from fluxent.services.auth import landing, one_time, sign_in, sso
from fluxent.state.auth_messages import error_message
from fluxent.state.form_focus import first_error
from fluxent.state.requester import requester
from fluxent.state.session import signed_in

PASSWORD_TAB, CODE_TAB, LINK_TAB = "password", "code", "link"
TABS = (PASSWORD_TAB, CODE_TAB, LINK_TAB)
CODE_LENGTH = one_time.CODE_DIGITS

ENTER_LOGIN = "Enter your e-mail address or username."
ENTER_PASSWORD = "Enter your password."
CHECK_LOGIN = "Check your e-mail address or username."
PASSWORD_AGAIN = "Enter your password again."
FILL_IN = "Fill in the fields below to sign in."
# The password form's fields, in its order, by the names the summary gives them.
PASSWORD_FIELDS = (("login", "E-mail or username"), ("password", "Password"))
# ``?error=`` codes the API sends back that are about what was typed in the password form.
WRONG_CREDENTIALS = "invalid_credentials"
ENTER_EMAIL = "Enter your e-mail address."
ENTER_CODE = f"Enter the {CODE_LENGTH}-digit code from the e-mail."
_CODE = re.compile(rf"\d{{{CODE_LENGTH}}}")


class SignInState(rx.State):
    tab: str = PASSWORD_TAB
    next_route: str = ""  # passed through to the API, which alone decides where it may lead
    busy: bool = False  # a native form is being posted

    # The password form: what was typed as the login (kept so a refused sign-in need not
    # be typed again), its message about the whole form and each field's message.
    login: str = ""
    form_error: str = ""
    login_error: str = ""
    password_error: str = ""

    code_email: str = ""  # where the code went; kept for the verify page (never put in a URL)
    code_email_error: str = ""
    code_error: str = ""
    code_busy: bool = False

    link_email: str = ""
    link_email_error: str = ""
    link_busy: bool = False
    link_sent: bool = False

    sso_offered: bool = False  # staff single sign-on is set up (FLUXENT_OIDC_*)

    @rx.event
    def load(self):
        """``on_load`` of the sign-in and verify pages: start clean, keep the address a code went to.

        A person already signed in goes straight on, to the ``next`` page or their landing.
        """
        query = self.router.url.query_parameters
        with read_scope() as db:
            found = signed_in(db, self.router.headers.cookie, touch=False)
            if found is not None:
                return rx.redirect(landing.destination(found[1], query.get("next")))
        self.tab = query.get("tab", PASSWORD_TAB) if query.get("tab") in TABS else PASSWORD_TAB
        self.next_route = query.get("next", "")
        self.sso_offered = sso.is_configured()
        self.busy = self.code_busy = self.link_busy = self.link_sent = False
        self.login_error = self.password_error = self.code_email_error = self.code_error = self.link_email_error = ""
        self.form_error = ""
        if query.get("error") != WRONG_CREDENTIALS or self.tab != PASSWORD_TAB:
            self.login = ""
            return None
        # Back from a refused sign-in: the message names both fields (which one was wrong is
        # not said), the login is as it was typed, and the focus is on it.
        self.form_error = error_message(WRONG_CREDENTIALS)
        self.login_error, self.password_error = CHECK_LOGIN, PASSWORD_AGAIN
        return [rx.set_value(PASSWORD_FIELDS[0][0], self.login), first_error(self.password_form_errors)]

    @rx.var
    def password_form_errors(self) -> dict[str, str]:
        """The password form's messages by field name (``"form"``: the whole form), for its summary."""
        return {"form": self.form_error, "login": self.login_error, "password": self.password_error}

    @rx.event
    def show_tab(self, tab: str) -> None:
        if tab in TABS:
            self.tab = tab

    @rx.event
    def move_tab(self, key: str, _modifiers: dict | None = None):
        """Arrow keys, Home and End move between the tabs (the WAI-ARIA tabs pattern)."""
        position = TABS.index(self.tab) if self.tab in TABS else 0
        moves = {"ArrowRight": position + 1, "ArrowLeft": position - 1, "Home": 0, "End": len(TABS) - 1}
        if key not in moves:
            return None
        self.tab = TABS[moves[key] % len(TABS)]
        return rx.set_focus(f"tab-{self.tab}")

    # Fields checked as they are left ---------------------------------------------

    @rx.event
    def check_login(self, value: str) -> None:
        self.login = value.strip()[:320]
        self.login_error = "" if self.login else ENTER_LOGIN

    @rx.event
    def check_password(self, value: str) -> None:
        self.password_error = "" if value else ENTER_PASSWORD

    @rx.event
    def check_code(self, value: str) -> None:
        """Only the shape; the service decides whether the code is right (and ignores spaces and dashes)."""
        self.code_error = "" if _CODE.fullmatch(re.sub(r"[\s-]", "", value)) else ENTER_CODE

    @rx.event
    def set_code_email(self, value: str) -> None:
        self.code_email = value

    @rx.event
    def posting(self) -> None:
        """The browser is submitting a native form."""
        self.busy = True

    @rx.event
    def post_password(self, blank: list[str]):
        """The password form is sent: the browser posts it, unless required fields were left
        ``blank`` (then it does not post): those are named, and the first takes the focus."""
        self.login_error = ENTER_LOGIN if "login" in blank else ""
        self.password_error = ENTER_PASSWORD if "password" in blank else ""
        if self.login_error or self.password_error:
            self.form_error = FILL_IN
            return first_error(self.password_form_errors)
        self.form_error = ""
        self.busy = True
        return None

    # E-mail requests ---------------------------------------------------------------

    @rx.event
    def request_code(self, form_data: dict) -> Iterator:
        """E-mail a sign-in code, then go to the page where it is entered."""
        address = str(form_data.get("email", "")).strip()
        self.code_email = address
        if not address:
            self.code_email_error = ENTER_EMAIL
            return
        self.code_email_error, self.code_busy = "", True
        yield
        self.code_email_error = send_request(sign_in.request_email_code, address, self.router)
        self.code_busy = False
        if not self.code_email_error:
            query = f"?{urlencode({'next': self.next_route})}" if self.next_route else ""
            yield rx.redirect(routes.LOGIN_VERIFY + query)

    @rx.event
    def request_link(self, form_data: dict) -> Iterator:
        """E-mail a sign-in link; the page then says to check the inbox."""
        address = str(form_data.get("email", "")).strip()
        self.link_email = address
        if not address:
            self.link_email_error = ENTER_EMAIL
            return
        self.link_email_error, self.link_busy = "", True
        yield
        self.link_email_error = send_request(sign_in.request_magic_link, address, self.router)
        self.link_busy = False
        self.link_sent = not self.link_email_error

    @rx.event
    def use_another_address(self) -> None:
        self.link_sent = False


def send_request(request: Callable[..., None], address: str, router: RouterData) -> str:
    """Run one of the services' e-mail requests; the e-mail field's error, or "" when sent."""
    try:
        with session_scope() as db:
            request(db, email=address, **requester(router))
    except DomainError as error:
        if isinstance(error, RateLimited):
            return error.message
        return error.fields.get("email") or error.message
    return ""
