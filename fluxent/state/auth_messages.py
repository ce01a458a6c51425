"""What the sign-in pages say for the ``?error=`` and ``?notice=`` codes in their URL.

The API redirects back to a page with a short code (never an address, token or
password); this is the one table that turns codes into sentences.
"""

from __future__ import annotations

import reflex as rx

from fluxent.services.auth import passkeys, password_policy, sign_in, sso, two_step

ERROR_MESSAGES: dict[str, str] = {
    "invalid_credentials": sign_in.BAD_CREDENTIALS,
    "throttled": "Too many attempts. Wait a few minutes, then try again.",
    "csrf_failed": "Your form had expired. Please try again.",
    "invalid_code": sign_in.BAD_CODE,
    "invalid_second_step": two_step.BAD_CODE,
    "passkey_refused": passkeys.BAD_PASSKEY,
    "link_invalid": "This link is invalid, used or expired. Ask for a new one.",
    "weak_password": (
        f"Choose a stronger password: at least {password_policy.MIN_LENGTH} characters, "
        "hard to guess, and without your name, e-mail address or company."
    ),
    "invalid_input": "Some details were missing or not valid. Check the form and try again.",
    "sso_failed": sso.SSO_FAILED,
    "sso_required": sign_in.USE_SSO,
}
UNKNOWN_ERROR = "Something went wrong. Please try again."

NOTICE_MESSAGES: dict[str, str] = {
    "signed_out": "You're signed out. See you soon.",
    "password_reset": "Your password was changed. Sign in with your new password.",
    "code_sent": "If an account uses that address, a sign-in code is on its way.",
    "link_sent": "If an account uses that address, a sign-in link is on its way.",
    "reset_sent": "If an account uses that address, a link to reset the password is on its way.",
}


def error_message(code: str) -> str:
    """The sentence for an error code; "" for none, a general one for a code we don't know."""
    if not code:
        return ""
    return ERROR_MESSAGES.get(code, UNKNOWN_ERROR)


def notice_message(code: str) -> str:
    return NOTICE_MESSAGES.get(code, "")


class AuthMessagesState(rx.State):
    """The current page's ``?error=`` and ``?notice=``, as sentences."""

    @rx.var
    def error(self) -> str:
        return error_message(self.router.url.query_parameters.get("error", ""))

    @rx.var
    def notice(self) -> str:
        return notice_message(self.router.url.query_parameters.get("notice", ""))
