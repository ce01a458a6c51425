"""The marketing area's e-mails: lead notifications to staff, the sender's confirmation,
newsletter confirmation and newsletter issues (each issue with one-click unsubscribe headers, RFC 8058)."""

from __future__ import annotations

from email.utils import parseaddr

from fluxent import routes
from fluxent.core.email import send
from fluxent.core.email_layout import Content, compose
from fluxent.core.promises import REPLY_TIME
from fluxent.core.settings import get_settings
from fluxent.models.marketing import Lead


def url(path: str) -> str:
    return get_settings().base_url + path


def staff_inbox() -> str:
    return parseaddr(get_settings().email_from)[1]


def send_lead_notification(lead: Lead) -> None:
    """Tell staff a lead arrived. The sender's words go in as text, escaped in the HTML part."""
    kind = "Scope request" if lead.source == "scope" else "Contact message"
    details = [("Company", lead.company or "—"), ("Country", lead.country), ("Phone", lead.phone or "—")]
    if lead.source == "scope":
        details += [("For", lead.audience), ("Timeline", lead.timeline), ("Budget", lead.budget)]
    _deliver(
        staff_inbox(),
        f"New lead: {lead.name}",
        [f"{kind} from {lead.name} <{lead.email}>", lead.message],
        link=(url(routes.admin_lead(lead.id or 0)), "Open the lead"),
        details=tuple(details),
    )


def lead_next_steps(reply_from: str) -> tuple[str, ...]:
    """What happens after someone writes to us: on the thank-you and in the sender's confirmation."""
    return (
        f"An engineer — not a salesperson — reads your message within {REPLY_TIME}.",
        f"We reply from {reply_from} with questions, or a time to talk.",
        "If it is a fit, you receive a fixed-price proposal in your client portal.",
    )


def send_lead_confirmation(lead: Lead) -> None:
    """Tell the sender their message arrived and what happens next. Their own words are not
    repeated: anyone can type someone else's address into the form."""
    steps = lead_next_steps(staff_inbox())
    _deliver(
        lead.email,
        "We have your message — Fluxent",
        [
            f"Thank you, {lead.name.split(' ')[0]}. Your message reached Fluxent.",
            "What happens next:",
            *[f"{number}. {step}" for number, step in enumerate(steps, 1)],
            "If you did not write to us, ignore this e-mail: nothing else will be sent.",
        ],
    )


def send_newsletter_confirmation(to: str, token: str) -> None:
    _deliver(
        to,
        "Confirm your subscription to The Delivery Brief",
        [
            "Someone — hopefully you — asked to receive The Delivery Brief, Fluxent's monthly e-mail.",
            "Nothing will be sent until you confirm. The link works for 7 days. "
            "If you didn't ask for this, ignore this e-mail and you won't hear from us.",
        ],
        link=(url(routes.newsletter_confirm(token)), "Confirm my subscription"),
    )


def send_newsletter_issue(to: str, unsubscribe_token: str, *, subject: str, paragraphs: list[str]) -> None:
    page = url(routes.newsletter_unsubscribe(unsubscribe_token))
    one_click = url(routes.api_newsletter_unsubscribe(unsubscribe_token))
    _deliver(
        to,
        subject,
        [*paragraphs, f"Unsubscribe with one click: {page}"],
        headers={"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _deliver(
    to: str,
    subject: str,
    paragraphs: list[str],
    *,
    link: tuple[str, str] | None = None,
    details: tuple[tuple[str, str], ...] = (),
    headers: dict[str, str] | None = None,
) -> None:
    """Send at once: the callers write nothing that could roll back."""
    button = (link[1], link[0]) if link else None
    content = Content(subject, tuple(paragraphs), button=button, details=details)
    send(compose(to, subject, content, headers=headers))
