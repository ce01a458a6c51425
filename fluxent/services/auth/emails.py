"""The sign-in e-mails: codes, links, invitations and notices, in the branded layout (``core.email_layout``).

Links are built from the base URL. Paths are spelled here once for the service
layer; the pages that answer them live under the same paths.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from fluxent.core import email_layout
from fluxent.core.email import Attachment, Email, send_after_commit
from fluxent.core.email_layout import Content
from fluxent.core.settings import get_settings

MAGIC_LINK_PATH = "/auth/magic/{token}"
PASSWORD_RESET_PATH = "/reset-password/{token}"
INVITATION_PATH = "/invite/{token}"
SIGN_IN_PATH = "/login"
IGNORE_LINE = "If you didn't ask for this, you can ignore this e-mail; nothing changes until it is used."


def url(path: str, **params: str) -> str:
    return get_settings().base_url + path.format(**params)


def send_code(session: Session, to: str, code: str, *, minutes: int) -> None:
    _deliver(
        to,
        "Your Fluxent sign-in code",
        [f"Your sign-in code is {code}.", f"It works once, within {minutes} minutes.", IGNORE_LINE],
        highlight=code,
        session=session,
    )


def send_code_blocked(session: Session, to: str, *, until: datetime) -> None:
    _deliver(
        to,
        "Fluxent sign-in code not sent",
        [
            "Someone (perhaps you) entered too many wrong sign-in codes for this address, "
            "so we are not sending a new one yet.",
            f"You can ask for a new code after {until:%H:%M} UTC, or sign in with your password.",
        ],
        session=session,
    )


def send_magic_link(session: Session, to: str, token: str, *, minutes: int) -> None:
    _deliver(
        to,
        "Your Fluxent sign-in link",
        ["Use this link to sign in to Fluxent.", f"It works once, within {minutes} minutes.", IGNORE_LINE],
        link=(url(MAGIC_LINK_PATH, token=token), "Sign in to Fluxent"),
        session=session,
    )


def send_password_reset(session: Session, to: str, token: str, *, minutes: int) -> None:
    _deliver(
        to,
        "Reset your Fluxent password",
        [
            "Use this link to choose a new password.",
            f"It works once, within {minutes} minutes. Choosing a new password signs you out everywhere.",
            IGNORE_LINE,
        ],
        link=(url(PASSWORD_RESET_PATH, token=token), "Choose a new password"),
        session=session,
    )


def send_no_account(session: Session, to: str) -> None:
    """The answer for an address without an active account: the same kind of e-mail, sent the same way."""
    _deliver(
        to,
        "Signing in to Fluxent",
        [
            "Someone (perhaps you) asked to sign in to Fluxent or reset a password with this e-mail "
            "address, but there is no active account for it.",
            "If you work with us, ask your Fluxent contact for an invitation. " + IGNORE_LINE,
        ],
        session=session,
    )


def send_use_sso(session: Session, to: str) -> None:
    """For staff who must sign in through the company's identity provider: no code or link is sent."""
    _deliver(
        to,
        "Signing in to Fluxent",
        [
            "Someone (perhaps you) asked for a sign-in code, link or password reset for this address.",
            'Fluxent staff sign in with their company account: choose "Sign in with your company account" '
            "on the sign-in page. " + IGNORE_LINE,
        ],
        link=(url(SIGN_IN_PATH), "Go to the sign-in page"),
        session=session,
    )


def send_password_changed(session: Session, to: str) -> None:
    _deliver(
        to,
        "Your Fluxent password was changed",
        [
            "The password of your Fluxent account was just changed, and other sessions were signed out.",
            "If this wasn't you, reset your password now and tell us at support@fluxent.tech.",
        ],
        link=(url(SIGN_IN_PATH), "Go to Fluxent"),
        session=session,
    )


def send_two_step_changed(session: Session, to: str, *, enabled: bool) -> None:
    what = "switched on" if enabled else "switched off"
    _deliver(
        to,
        f"Two-step sign-in was {what}",
        [
            f"Two-step sign-in with an authenticator app was just {what} for your Fluxent account.",
            "If this wasn't you, reset your password now and tell us at support@fluxent.tech.",
        ],
        link=(url(SIGN_IN_PATH), "Go to Fluxent"),
        session=session,
    )


def send_two_step_removed_by_staff(session: Session, to: str) -> None:
    _deliver(
        to,
        "Fluxent staff removed your two-step sign-in",
        [
            "After checking your identity, a Fluxent administrator removed the second sign-in step "
            "from your account, as you asked. You can now sign in with your password or an e-mailed code alone.",
            "Set up an authenticator app again under Security in the portal.",
            "If you did not ask for this, tell us at once at support@fluxent.tech.",
        ],
        link=(url(SIGN_IN_PATH), "Go to Fluxent"),
        session=session,
    )


def send_invitation(
    session: Session, to: str, token: str, *, inviter: str, organization: str | None, days: int
) -> None:
    where = f"{organization} on Fluxent" if organization else "the Fluxent client portal"
    _deliver(
        to,
        f"{inviter} invited you to {where}",
        [
            f"{inviter} invited you to join {where}.",
            f"Accept within {days} days to set up your account.",
            IGNORE_LINE,
        ],
        link=(url(INVITATION_PATH, token=token), "Accept the invitation"),
        session=session,
    )


def compose(
    to: str,
    subject: str,
    paragraphs: list[str],
    *,
    link: tuple[str, str] | None = None,
    highlight: str | None = None,
    details: tuple[tuple[str, str], ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> Email:
    """The message in the branded layout, headed by its subject: paragraphs, an optional code and link."""
    button = (link[1], link[0]) if link else None
    content = Content(subject, tuple(paragraphs), button=button, code=highlight, details=details)
    return email_layout.compose(to, subject, content, attachments=attachments)


def _deliver(
    to: str,
    subject: str,
    paragraphs: list[str],
    *,
    link: tuple[str, str] | None = None,
    highlight: str | None = None,
    details: tuple[tuple[str, str], ...] = (),
    session: Session,
    attachments: tuple[Attachment, ...] = (),
) -> None:
    """Queue the message on ``session``: it goes once the caller's transaction commits."""
    message = compose(to, subject, paragraphs, link=link, highlight=highlight, details=details, attachments=attachments)
    send_after_commit(session, message)


def send_email_change_code(session: Session, to: str, code: str, *, minutes: int) -> None:
    """Sent to the NEW address: only someone who reads it can move the account there."""
    _deliver(
        to,
        "Confirm your new Fluxent e-mail address",
        [
            f"Your confirmation code is {code}.",
            f"Enter it on your account page within {minutes} minutes to sign in with this address from now on.",
            IGNORE_LINE,
        ],
        highlight=code,
        session=session,
    )


def send_email_in_use(session: Session, to: str) -> None:
    """Sent instead of a code when the new address already belongs to an account."""
    _deliver(
        to,
        "Fluxent e-mail address not changed",
        [
            "Someone (perhaps you) asked to move a Fluxent account to this e-mail address, "
            "but an account already uses it, so nothing was changed.",
            "If you have two accounts, ask us at support@fluxent.tech to merge them.",
        ],
        session=session,
    )


def send_email_changed(session: Session, to: str) -> None:
    """Sent to the OLD address once the change is done."""
    _deliver(
        to,
        "Your Fluxent e-mail address was changed",
        [
            "The e-mail address of your Fluxent account was just changed; this address no longer signs in.",
            "If this wasn't you, tell us at support@fluxent.tech straight away.",
        ],
        session=session,
    )


def send_reauth_code(session: Session, to: str, code: str, *, minutes: int) -> None:
    _deliver(
        to,
        "Your Fluxent confirmation code",
        [
            f"Your confirmation code is {code}.",
            f"It confirms it is you for {minutes} minutes: to delete your account, or to reveal a "
            "secret in a credential vault.",
            "If you didn't ask for this, sign in and change your password: someone else may be signed in as you.",
        ],
        highlight=code,
        session=session,
    )


def send_account_erased(session: Session, to: str) -> None:
    _deliver(
        to,
        "Your Fluxent account was deleted",
        [
            "Your Fluxent account and the personal data it held were deleted, as you asked.",
            "Records we must keep (such as invoices) no longer name you. This is the last e-mail "
            "we send to this address about the account.",
        ],
        session=session,
    )
