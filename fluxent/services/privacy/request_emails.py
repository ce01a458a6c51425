"""The e-mails of a privacy rights request: the confirmation code, the extension notice,
the link to the data export and the closing answer. Each goes to one address only,
and none repeats what the requester wrote (anyone can type any address into the form)."""

from __future__ import annotations

from datetime import datetime

from fluxent import routes
from fluxent.core.email import Email
from fluxent.core.email_layout import Content, compose
from fluxent.core.settings import get_settings
from fluxent.models.privacy import PrivacyRequest, RequestOutcome

IGNORE_LINE = "If you did not ask us for this, ignore this e-mail: nothing will happen."
OUTCOME_WORDS = {
    RequestOutcome.FULFILLED: "We have done what you asked.",
    RequestOutcome.PARTLY_FULFILLED: "We have done part of what you asked; the note below says which part and why.",
    RequestOutcome.DENIED: "We could not do what you asked; the note below says why.",
    RequestOutcome.NOTHING_HELD: "We hold no personal data about this address, so there was nothing to act on.",
}


def reference(request: PrivacyRequest) -> str:
    return f"PR-{request.id}"


def _absolute(path: str) -> str:
    location = routes.api_url(path) if path.startswith(routes.API) else path
    return location if location.startswith("http") else get_settings().base_url + location


def _date(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment:%Y}"


def confirmation_code(to: str, request: PrivacyRequest, code: str, *, minutes: int, for_subject: bool) -> Email:
    """The code that proves control of ``to``: the requester's address, or the subject's when an agent asked."""
    why = (
        f"Someone says they act for you and asked Fluxent about your personal data (request {reference(request)}). "
        "Nothing about you is released or changed until you confirm it is you."
        if for_subject
        else f"Your privacy request {reference(request)} reached Fluxent. Confirm this address to send it on."
    )
    return compose(
        to,
        f"Your confirmation code for privacy request {reference(request)}",
        Content(
            "Confirm your privacy request",
            (
                f"Your confirmation code is {code}.",
                why,
                f"Enter it on the request page within {minutes} minutes.",
                IGNORE_LINE,
            ),
            code=code,
            button=("Open the request page", _absolute(routes.privacy_request_confirm(request.id or 0))),
        ),
    )


def extension_notice(to: str, request: PrivacyRequest) -> Email:
    return compose(
        to,
        f"More time for your privacy request {reference(request)}",
        Content(
            "We need a little more time",
            (
                f"We will answer your privacy request {reference(request)} by {_date(request.due_at)}, "
                "instead of within the usual 45 days.",
                f"Why: {request.extension_reason}",
                "This is the one extension the law allows; we will not ask for another.",
            ),
        ),
    )


def export_link(to: str, request: PrivacyRequest, token: str, *, hours: int) -> Email:
    return compose(
        to,
        f"Your personal data from Fluxent ({reference(request)})",
        Content(
            "Your data is ready",
            (
                f"Here is a copy of the personal data Fluxent holds about you, for request {reference(request)}.",
                f"The link works for {hours} hours. The file is JSON, a format any program can read.",
                "Keep this e-mail to yourself: anyone with the link can download the file until it expires.",
            ),
            button=("Download my data", _absolute(routes.api_privacy_export(token))),
        ),
    )


def closing_answer(to: str, request: PrivacyRequest) -> Email:
    paragraphs = [
        f"Your privacy request {reference(request)} is closed.",
        OUTCOME_WORDS[RequestOutcome(request.outcome)],
    ]
    if request.outcome_note:
        paragraphs.append(f"Note: {request.outcome_note}")
    if request.outcome in (RequestOutcome.DENIED, RequestOutcome.PARTLY_FULFILLED) and request.appeal_of_id is None:
        paragraphs.append(
            "You may appeal: reply to this e-mail, or send the request form again choosing "
            f'"Appeal a decision" with the reference {reference(request)}. We answer appeals within 60 days.'
        )
    elif request.appeal_of_id is not None and request.outcome == RequestOutcome.DENIED:
        paragraphs.append(
            "If you are a Virginia resident you may contact the Virginia Attorney General at "
            "oag.state.va.us/consumercomplaint; in the EEA, UK or Switzerland, your data protection authority."
        )
    return compose(
        to, f"Your privacy request {reference(request)} is closed", Content("Request closed", tuple(paragraphs))
    )
