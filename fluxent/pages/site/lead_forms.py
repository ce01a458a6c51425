"""Contact and "Scope a build": two forms over one lead service, each with its own page."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import brand, forms, marketing, public_forms, theme
from fluxent.components.public_layout import PageSpec, public_page
from fluxent.core.promises import REPLY_TIME
from fluxent.models.marketing import LeadSource
from fluxent.services.marketing import consent, emails, leads
from fluxent.state.marketing import LeadFormState

errors = LeadFormState.errors

FORM_GRID: dict[str, Any] = {
    "display": "grid",
    "gap": f"{theme.SPACE_5} {theme.SPACE_5}",
    theme.TABLET_UP: {"grid_template_columns": "1fr 1fr"},
}

NEXT_STEPS = emails.lead_next_steps(brand.SUPPORT_EMAIL)


def _check(source: LeadSource, name: str):
    """Has the lead service check one field as the visitor leaves it (a select: as it changes)."""
    return lambda value: LeadFormState.check_field(name, value, source.value)


def _field(
    source: LeadSource, name: str, label: str, *, kind: str = "text", required: bool = True, **props: Any
) -> rx.Component:
    return forms.field(
        label, name, errors, type=kind, required=required, optional=not required, on_blur=_check(source, name), **props
    )


def _textarea(source: LeadSource, name: str, label: str, **props: Any) -> rx.Component:
    return forms.textarea(label, name, errors, rows=6, required=True, on_blur=_check(source, name), **props)


def _select(source: LeadSource, name: str, label: str, options: tuple[str, ...]) -> rx.Component:
    return forms.select(
        label,
        name,
        [(option, option) for option in options],
        errors,
        placeholder="Choose one",
        required=True,
        on_change=_check(source, name),
    )


def _contact_fields(source: LeadSource) -> list[rx.Component]:
    return [
        _field(source, "name", "Your name", auto_complete="name", max_length=200),
        _field(source, "email", "Work e-mail", kind="email", auto_complete="email", max_length=254),
        _field(source, "phone", "Phone", kind="tel", required=False, auto_complete="tel", max_length=40),
        _field(source, "company", "Company", required=False, auto_complete="organization", max_length=200),
        _field(source, "country", "Country", auto_complete="country-name", max_length=80),
    ]


# How the error summary names each field, in the order of the service's checks.
FIELD_LABELS = (
    ("name", "Your name"),
    ("email", "Work e-mail"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("country", "Country"),
    ("message", "Your message"),
    ("audience", "Who it is for"),
    ("timeline", "Timeline"),
    ("budget", "Budget band"),
    ("agree", "Agreement to the privacy policy"),
)


def _form(*fields: rx.Component, on_submit: Any, button: str, label: str) -> rx.Component:
    return forms.form(
        forms.alert(
            LeadFormState.form_error, fields=FIELD_LABELS, field_errors=errors, style={"grid_column": "1 / -1"}
        ),
        *fields,
        public_forms.consent_checkbox(errors, consent.CONTACT_STATEMENT, routes.PRIVACY_POLICY),
        public_forms.honeypot(),
        rx.el.div(
            rx.el.button(
                button,
                type="submit",
                style={**theme.BUTTON_PRIMARY, **theme.BUTTON_LARGE, "border": "none", "cursor": "pointer"},
            ),
            rx.el.p(
                "We never add you to a mailing list from this form.",
                style={"margin": "0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM},
            ),
            style={
                "grid_column": "1 / -1",
                "display": "flex",
                "flex_wrap": "wrap",
                "gap": theme.SPACE_4,
                "align_items": "center",
            },
        ),
        on_submit=on_submit,
        aria_label=label,
        # Before the page is interactive a submit posts nowhere useful, but never puts the fields in the URL.
        method="post",
        style={**FORM_GRID, "position": "relative"},
    )


def _success() -> rx.Component:
    return forms.confirmation(
        rx.el.span(
            rx.icon("circle-check-big", size=24),
            aria_hidden="true",
            style=theme.icon_tile("52px", background=theme.SUCCESS_SOFT, color=theme.SUCCESS),
        ),
        rx.el.h2(
            "Thank you, ",
            LeadFormState.sent_name,
            ". Your message is with us.",
            style={**theme.HEADING_2, "font_size": theme.HEADING_SM, "margin": f"{theme.SPACE_5} 0 {theme.SPACE_4}"},
        ),
        rx.el.p("What happens next:", style={"margin": "0", "font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK}),
        rx.el.ol(
            *[rx.el.li(step, style={"margin_bottom": theme.SPACE_2}) for step in NEXT_STEPS],
            style={
                "margin": f"{theme.SPACE_3} 0 0",
                "padding_left": theme.SPACE_6,
                "color": theme.TEXT,
                "line_height": theme.LEADING_BODY,
            },
        ),
        element_id="lead-sent",
        style={"outline": "none"},
    )


def _panel(form: rx.Component) -> rx.Component:
    return rx.el.div(
        rx.cond(LeadFormState.sent, _success(), form),
        style={**theme.CARD, "padding": theme.SPACE_8, theme.DESKTOP: {"padding": theme.SPACE_10}},
    )


def _aside(title: str, points: tuple[str, ...]) -> rx.Component:
    return rx.el.aside(
        rx.el.h2(title, style={**theme.HEADING_2, "font_size": theme.TEXT_XL, "margin": f"0 0 {theme.SPACE_4}"}),
        rx.el.ul(
            *[
                rx.el.li(
                    rx.icon(
                        "check",
                        size=16,
                        aria_hidden="true",
                        style={"color": theme.SUCCESS, "flex_shrink": "0", "margin_top": "4px"},
                    ),
                    point,
                    style={
                        "display": "flex",
                        "gap": theme.SPACE_3,
                        "margin_bottom": theme.SPACE_3,
                        "color": theme.TEXT,
                        "line_height": theme.LEADING_BODY,
                    },
                )
                for point in points
            ],
            style={"list_style": "none", "margin": "0", "padding": "0"},
        ),
        rx.el.div(
            rx.el.p("Prefer e-mail?", style={"margin": "0", "font_weight": theme.WEIGHT_SEMIBOLD, "color": theme.INK}),
            rx.el.a(brand.SUPPORT_EMAIL, href=f"mailto:{brand.SUPPORT_EMAIL}", style={"color": theme.ACCENT}),
            rx.el.p(
                brand.COMPANY,
                rx.el.br(),
                "1024 Peninsula Blvd",
                rx.el.br(),
                "Woodmere, NY 11598, USA",
                style={"margin": f"{theme.SPACE_4} 0 0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM},
            ),
            style={"margin_top": theme.SPACE_8, "padding_top": theme.SPACE_6, "border_top": f"1px solid {theme.LINE}"},
        ),
        aria_label=title,
    )


def _layout(panel: rx.Component, aside: rx.Component) -> rx.Component:
    return marketing.section(
        rx.el.div(
            panel,
            aside,
            style={
                "display": "grid",
                "gap": theme.SPACE_12,
                "align_items": "start",
                theme.DESKTOP: {"grid_template_columns": "minmax(0, 1.6fr) minmax(0, 1fr)"},
            },
        ),
        label="Form",
        tinted=True,
    )


def _with_prepare(page):
    page.spec = PageSpec(
        route=page.spec.route, title=page.spec.title, description=page.spec.description, on_load=LeadFormState.prepare
    )
    return page


@_with_prepare
@public_page(
    routes.CONTACT,
    title="Contact · Fluxent",
    description=f"Write to Fluxent Technologies. An engineer reads every message and replies within {REPLY_TIME}.",
)
def contact_page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Contact",
            "Talk to an engineer",
            f"Questions about a build, the portal or an invoice? Write to us. A person replies within {REPLY_TIME}.",
        ),
        _layout(
            _panel(
                _form(
                    *_contact_fields(LeadSource.CONTACT),
                    _textarea(LeadSource.CONTACT, "message", "How can we help?", max_length=5000),
                    on_submit=LeadFormState.submit_contact,
                    button="Send message",
                    label="Contact form",
                )
            ),
            _aside(
                "Why teams write to us",
                (
                    "Fixed prices, agreed before work starts.",
                    "Senior engineers inside your team.",
                    "Every contract, document and invoice in one portal.",
                ),
            ),
        ),
    )


@_with_prepare
@public_page(
    routes.SCOPE,
    title="Scope a build · Fluxent",
    description="Tell us what you want to build, who it is for, your timeline and budget band. We reply with questions or a fixed-price proposal.",
)
def scope_page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Scope a build",
            "Tell us what you want to build",
            "Four questions and your contact details. You do not need a specification: describe the work and the people, and we will ask the rest.",
        ),
        _layout(
            _panel(
                _form(
                    _textarea(
                        LeadSource.SCOPE,
                        "message",
                        "1. What do you want to build?",
                        hint="The problem, the work people do today, what done looks like.",
                        max_length=5000,
                    ),
                    _field(
                        LeadSource.SCOPE,
                        "audience",
                        "2. Who is it for?",
                        full=True,
                        hint="For example: 12 dispatchers and 300 field technicians.",
                        max_length=1000,
                    ),
                    _select(LeadSource.SCOPE, "timeline", "3. Timeline", leads.TIMELINES),
                    _select(LeadSource.SCOPE, "budget", "4. Budget band", leads.BUDGETS),
                    *_contact_fields(LeadSource.SCOPE),
                    on_submit=LeadFormState.submit_scope,
                    button="Send for scoping",
                    label="Scope a build form",
                )
            ),
            _aside(
                "What you get back",
                (
                    f"Questions from an engineer within {REPLY_TIME}.",
                    "A fixed-price proposal with milestones and acceptance criteria.",
                    "No obligation, and no mailing list.",
                ),
            ),
        ),
    )
