"""The newsletter: its sign-up page, and the pages its e-mailed links open (confirm, unsubscribe)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.newsletter import signup_form
from fluxent.components.public_layout import public_page
from fluxent.services.marketing import content
from fluxent.state.marketing import NewsletterState


@public_page(
    routes.NEWSLETTER,
    title="The Delivery Brief · Fluxent newsletter",
    description="One e-mail a month on shipping fixed-price software with forward-deployed engineers. Double opt-in, one-click unsubscribe.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Newsletter",
            "The Delivery Brief",
            "One e-mail a month: a case study, a scoping tip and what we learned shipping fixed-price builds. "
            "We send nothing until you confirm, and every issue has a one-click unsubscribe link.",
        ),
        marketing.section(
            rx.el.div(
                signup_form(on_dark=False, field_id="newsletter-page-email", label="Subscribe to The Delivery Brief"),
                style={**theme.CARD, "padding": theme.SPACE_8, "max_width": "640px"},
            ),
            label="Subscribe",
            tinted=True,
        ),
        _latest_issue(),
    )


def _latest_issue() -> rx.Component:
    """The newest issue (by its ``date``) from ``content/newsletter``, in full."""
    issues = content.collection(content.NEWSLETTER)
    if not issues:
        return rx.fragment()
    issue = issues[0]
    return marketing.section(
        marketing.section_heading("Latest issue", issue.title, issue.summary),
        rx.el.p(
            "Sent ",
            rx.el.time(issue.meta["date"], date_time=issue.meta["date"]),
            style={"margin": f"0 0 {theme.SPACE_6}", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM},
        ),
        rx.el.article(marketing.prose(issue.body_html), data_testid="latest-issue", style=theme.CARD),
        label="Latest issue",
    )


def _link_page(
    route: str, *, title: str, description: str, prompt: str, action: str, outcomes: dict[str, tuple[str, str]], on_act
):
    """A page for the token in its path: opening it changes nothing; its button acts, then the page says what happened."""

    def outcome(status: str) -> rx.Component:
        heading, text = outcomes[status]
        return rx.el.div(
            rx.el.h2(
                heading, style={**theme.HEADING_2, "font_size": theme.HEADING_SM, "margin": f"0 0 {theme.SPACE_3}"}
            ),
            rx.el.p(text, style={"margin": "0", "color": theme.TEXT_MUTED, "line_height": theme.LEADING_BODY}),
        )

    @public_page(route, title=f"{title} · Fluxent", description=description)
    def page() -> rx.Component:
        return rx.fragment(
            marketing.page_head("The Delivery Brief", title, description),
            marketing.section(
                rx.el.div(
                    rx.match(
                        NewsletterState.link_status,
                        *[(status, outcome(status)) for status in outcomes],
                        rx.el.div(
                            rx.el.p(
                                prompt,
                                style={
                                    "margin": f"0 0 {theme.SPACE_6}",
                                    "color": theme.TEXT_MUTED,
                                    "line_height": theme.LEADING_BODY,
                                },
                            ),
                            rx.el.button(
                                action,
                                type="button",
                                on_click=on_act,
                                # Until the page is connected a press would go nowhere.
                                disabled=~rx.State.is_hydrated,
                                style={
                                    **theme.BUTTON_PRIMARY,
                                    "&:disabled": {"opacity": "0.75", "cursor": "progress", "transform": "none"},
                                },
                            ),
                        ),
                    ),
                    role="status",
                    style={**theme.CARD, "padding": theme.SPACE_8, "max_width": "640px"},
                ),
                rx.el.p(
                    rx.el.a(
                        "Back to the home page",
                        href=routes.HOME,
                        style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
                    ),
                    style={"margin": f"{theme.SPACE_6} 0 0"},
                ),
                label=title,
                tinted=True,
            ),
        )

    page.spec = dataclasses.replace(page.spec, on_load=NewsletterState.open_link)
    return page


INVALID = (
    "This link does not work",
    "It may have expired, been used already, or been copied incompletely. You can sign up again from any page's footer.",
)

confirm_page = _link_page(
    routes.NEWSLETTER_CONFIRM,
    title="Confirm your subscription",
    description="Confirm your subscription to The Delivery Brief.",
    prompt="Confirm that you want The Delivery Brief at this address. Nothing changes until you press the button.",
    action="Confirm my subscription",
    outcomes={
        "confirmed": (
            "You're subscribed",
            "Thank you. The next Delivery Brief arrives at the start of the month. Every issue has a one-click unsubscribe link.",
        ),
        "invalid": INVALID,
    },
    on_act=NewsletterState.confirm,
)

unsubscribe_page = _link_page(
    routes.NEWSLETTER_UNSUBSCRIBE,
    title="Unsubscribe",
    description="Unsubscribe from The Delivery Brief.",
    prompt="Stop The Delivery Brief at this address? Nothing changes until you press the button.",
    action="Unsubscribe",
    outcomes={
        "unsubscribed": (
            "You're unsubscribed",
            "We will not e-mail you again. We deleted your subscription and keep only a one-way hash of your address so it stays off our list.",
        ),
        "invalid": (
            "Nothing to unsubscribe",
            "This link matches no subscription: you may already be unsubscribed. If you still receive e-mails, write to support@fluxent.tech.",
        ),
    },
    on_act=NewsletterState.unsubscribe,
)


def pages() -> list:
    return [page, confirm_page, unsubscribe_page]
