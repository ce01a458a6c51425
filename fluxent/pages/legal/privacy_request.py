"""``/legal/privacy/request``: ask us to act on your personal data (policy sections 6, 7 and 11),
then confirm the request with the code we e-mail. Agents and parents say who they act for."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, marketing, public_forms, theme
from fluxent.components.public_layout import PageSpec, public_page
from fluxent.services.privacy.requests import KIND_LABELS
from fluxent.state.privacy_request_form import PrivacyRequestFormState

errors = PrivacyRequestFormState.errors
GRID: dict[str, Any] = {
    "display": "grid",
    "gap": theme.SPACE_5,
    theme.TABLET_UP: {"grid_template_columns": "1fr 1fr"},
}
FIELD_LABELS = (
    ("kind", "What you would like us to do"),
    ("email", "Your e-mail address"),
    ("name", "Your name"),
    ("details", "Details"),
    ("appeal_of", "Reference of our answer"),
    ("child", "A child's data"),
    ("agent_name", "Agent's or parent's name"),
    ("agent_email", "Agent's or parent's e-mail"),
    ("agent_authority", "Authority to act"),
)
BOX = {
    "grid_column": "1 / -1",
    "padding": theme.SPACE_4,
    "border_radius": theme.RADIUS_MD,
    "background": theme.CANVAS,
    "border": f"1px solid {theme.LINE}",
}


def _request_form() -> rx.Component:
    return forms.form(
        forms.alert(
            PrivacyRequestFormState.form_error,
            fields=FIELD_LABELS,
            field_errors=errors,
            style={"grid_column": "1 / -1"},
        ),
        forms.select(
            "What you would like us to do",
            "kind",
            [(kind.value, label) for kind, label in KIND_LABELS.items()],
            errors,
            placeholder="Choose one",
            required=True,
        ),
        forms.field(
            "Your e-mail address",
            "email",
            errors,
            type="email",
            required=True,
            auto_complete="email",
            max_length=254,
            hint="The person the data is about. We e-mail a code here (or to the agent below).",
        ),
        forms.field("Your name", "name", errors, required=False, optional=True, auto_complete="name", max_length=200),
        forms.field(
            "Reference of our answer (appeals only)", "appeal_of", errors, required=False, optional=True, max_length=20
        ),
        forms.textarea(
            "Details",
            "details",
            errors,
            rows=4,
            max_length=5000,
            hint="For a correction: what is wrong and what it should say.",
        ),
        rx.el.fieldset(
            rx.el.legend("Asking for someone else?", style=theme.LABEL),
            forms.checkbox("I am an authorized agent acting for this person", "agent", errors),
            forms.checkbox("I am a parent or guardian reporting my child's data (we delete it)", "child", errors),
            rx.el.div(
                forms.field(
                    "Agent's or parent's name", "agent_name", errors, required=False, optional=True, max_length=200
                ),
                forms.field(
                    "Agent's or parent's e-mail",
                    "agent_email",
                    errors,
                    type="email",
                    required=False,
                    optional=True,
                    max_length=254,
                ),
                forms.textarea(
                    "Authority to act (agents)",
                    "agent_authority",
                    errors,
                    rows=3,
                    max_length=5000,
                    hint="Describe the signed permission or power of attorney; we may ask for a copy.",
                ),
                style=GRID,
            ),
            style={**BOX, "display": "grid", "gap": theme.SPACE_3},
        ),
        public_forms.honeypot(),
        rx.el.div(
            rx.el.button(
                "Send request", type="submit", style={**theme.BUTTON_PRIMARY, "border": "none", "cursor": "pointer"}
            ),
            style={"grid_column": "1 / -1"},
        ),
        on_submit=PrivacyRequestFormState.submit,
        aria_label="Privacy request form",
        method="post",
        style={**GRID, "position": "relative"},
    )


def _code_form() -> rx.Component:
    return forms.form(
        rx.el.p(
            rx.cond(
                PrivacyRequestFormState.code_sent_to != "",
                rx.fragment(
                    "We e-mailed a six-digit code to ", rx.el.strong(PrivacyRequestFormState.code_sent_to), "."
                ),
                "Enter the six-digit code from our e-mail, and the address it was sent to.",
            ),
            " It works for 10 minutes.",
            style={"grid_column": "1 / -1", "margin": "0"},
        ),
        forms.alert(
            PrivacyRequestFormState.form_error,
            fields=(("email", "E-mail"), ("code", "Code")),
            field_errors=errors,
            style={"grid_column": "1 / -1"},
        ),
        forms.field(
            "E-mail the code was sent to",
            "email",
            errors,
            type="email",
            required=True,
            default_value=PrivacyRequestFormState.code_sent_to,
            max_length=254,
        ),
        forms.field(
            "Code", "code", errors, required=True, input_mode="numeric", auto_complete="one-time-code", max_length=12
        ),
        rx.el.div(rx.el.button("Confirm", type="submit", style=theme.BUTTON_PRIMARY), style={"grid_column": "1 / -1"}),
        key=PrivacyRequestFormState.code_sent_to,
        on_submit=PrivacyRequestFormState.confirm,
        aria_label="Confirm with the code",
        style=GRID,
    )


def _done() -> rx.Component:
    return forms.confirmation(
        rx.el.h2("Thank you", style={**theme.HEADING_2, "font_size": theme.HEADING_SM}),
        rx.el.p(PrivacyRequestFormState.outcome, data_testid="privacy-request-done"),
        element_id="privacy-request-confirmed",
    )


@public_page(
    routes.PRIVACY_REQUEST,
    title="Privacy request · Fluxent",
    description="Ask Fluxent for a copy of your data, to correct or delete it, to restrict or object to its use, or to appeal our answer.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Privacy",
            "Your privacy rights",
            "Get a copy of your data, correct or delete it, restrict or object to its use, or appeal our answer. "
            "We confirm your e-mail address with a code and answer within 45 days. There is no fee.",
        ),
        marketing.section(
            rx.el.div(
                rx.match(
                    PrivacyRequestFormState.step,
                    ("code", _code_form()),
                    ("done", _done()),
                    _request_form(),
                ),
                style={**theme.CARD, "padding": theme.SPACE_8},
            ),
            label="Privacy request",
            tinted=True,
        ),
    )


page.spec = PageSpec(
    route=page.spec.route,
    title=page.spec.title,
    description=page.spec.description,
    on_load=PrivacyRequestFormState.prepare,
)
