"""The privacy desk: rights requests soonest due first, coloured near (under 7 days) and overdue;
one request's identity status, clock, actions and audited steps."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.models.privacy import RequestOutcome
from fluxent.pages.admin.console_parts import (
    ACTIONS,
    GRID_2,
    GROW,
    MUTED,
    NAME,
    ROW,
    filter_bar,
    gate,
    listing,
    pager,
    row_button,
    stack,
    subheading,
    total_line,
)
from fluxent.state.admin_privacy import AdminPrivacyState, RequestRow

TONES = {"on_time": "success", "due_soon": "warning", "overdue": "danger", "closed": "neutral"}
OUTCOMES = [(outcome.value, outcome.value.replace("_", " ").capitalize()) for outcome in RequestOutcome]


def _tone(clock) -> rx.Var:
    return rx.match(clock, *TONES.items(), "neutral")


def _row(row: RequestRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(row.reference, " · ", row.kind, style=NAME),
            rx.el.p(row.subject, " · ", row.verification, style=MUTED),
            style=GROW,
        ),
        rx.el.div(
            forms.badge(row.clock_label, tone=_tone(row.clock)),
            rx.el.p("Due ", row.due, style={**MUTED, "margin": "0"}),
            style={"display": "grid", "justify_items": "end", "gap": theme.SPACE_1},
        ),
        row_button("Open", AdminPrivacyState.open_request(row.id), aria_label="Open " + row.reference),
        data_testid="privacy-request-row",
        data_clock=row.clock,
        style=ROW,
    )


def _facts() -> rx.Component:
    detail = AdminPrivacyState.detail
    lines = (
        ("Subject", detail["subject"]),
        ("Name", detail["name"]),
        ("Identity", detail["verification"]),
        ("Received", detail["received"]),
        ("Due", detail["due"]),
        ("Details", detail["details"]),
    )
    return rx.el.dl(
        *[
            rx.fragment(rx.el.dt(label, style={**MUTED, "margin": "0"}), rx.el.dd(value, style={"margin": "0"}))
            for label, value in lines
        ],
        rx.cond(detail["agent"] != "", rx.el.dd("Agent or parent: ", detail["agent"], " — ", detail["authority"])),
        rx.cond(
            detail["extended"] != "", rx.el.dd("Extended on ", detail["extended"], ": ", detail["extension_reason"])
        ),
        rx.cond(detail["appeal_of"] != "", rx.el.dd("Appeal of ", detail["appeal_of"])),
        rx.cond(detail["outcome"] != "", rx.el.dd("Outcome: ", detail["outcome"], " — ", detail["outcome_note"])),
        style={
            "display": "grid",
            "grid_template_columns": "max-content 1fr",
            "gap": f"{theme.SPACE_2} {theme.SPACE_5}",
        },
    )


def _actions() -> rx.Component:
    errors = AdminPrivacyState.errors
    return rx.fragment(
        forms.alert(errors, "act.form"),
        rx.el.div(
            row_button("E-mail the subject a code", AdminPrivacyState.send_code),
            row_button("E-mail the data export", AdminPrivacyState.send_export),
            row_button("Restrict processing", AdminPrivacyState.restrict),
            row_button("Lift the restriction", AdminPrivacyState.lift_restriction),
            row_button("Unsubscribe and suppress", AdminPrivacyState.object_to_marketing),
            row_button("Erase the subject's data", AdminPrivacyState.erase, danger=True),
            style=ACTIONS,
        ),
        subheading("Correct"),
        forms.form(
            forms.alert(errors, "correct.form"),
            rx.el.div(
                *[
                    forms.field(label, name, errors, form_id="correct", max_length=200)
                    for name, label in (
                        ("name", "Name"),
                        ("phone", "Phone"),
                        ("company", "Company"),
                        ("country", "Country"),
                    )
                ],
                style=GRID_2,
            ),
            rx.el.div(rx.el.button("Correct", type="submit", style=theme.BUTTON_SECONDARY), style=ACTIONS),
            key=AdminPrivacyState.form_version,
            on_submit=AdminPrivacyState.correct,
            aria_label="Correct the subject's data",
        ),
        subheading("Extend (once, by 45 days)"),
        forms.form(
            forms.alert(errors, "extend.form"),
            forms.field("Reason, told to the requester", "reason", errors, form_id="extend", max_length=1000),
            rx.el.div(rx.el.button("Extend", type="submit", style=theme.BUTTON_SECONDARY), style=ACTIONS),
            key=AdminPrivacyState.form_version,
            on_submit=AdminPrivacyState.extend,
            aria_label="Extend the due date",
        ),
        subheading("Close"),
        forms.form(
            forms.alert(errors, "close.form"),
            rx.el.div(
                forms.select("Outcome", "outcome", OUTCOMES, errors, form_id="close", placeholder="Choose one"),
                forms.field("Note to the requester", "note", errors, form_id="close", max_length=5000),
                style=GRID_2,
            ),
            rx.el.div(rx.el.button("Close the request", type="submit", style=theme.BUTTON_PRIMARY), style=ACTIONS),
            key=AdminPrivacyState.form_version,
            on_submit=AdminPrivacyState.close,
            aria_label="Close the request",
        ),
    )


def _step(step: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(step["at"], style=MUTED), " ", rx.el.code(step["action"]), " by ", step["actor"], style=ROW
    )


def _detail() -> rx.Component:
    detail = AdminPrivacyState.detail
    return forms.section_card(
        "Request " + detail["reference"].to(str),
        detail["kind"].to(str),
        rx.el.p(
            forms.badge(detail["clock_label"], tone=_tone(detail["clock"])), " ", detail["days_left"], " days left"
        ),
        _facts(),
        rx.cond(detail["status"] == "closed", rx.fragment(), _actions()),
        subheading("Steps"),
        listing(AdminPrivacyState.steps, _step, "No steps yet."),
        section_id="privacy-request",
        icon="shield-question",
    )


REQUEST_STATUSES = [("", "Open and closed"), ("open", "Open"), ("closed", "Closed"), ("unconfirmed", "Unconfirmed")]


def _body() -> rx.Component:
    return stack(
        forms.section_card(
            "Queue",
            "Every request is answered within 45 days (appeals: 60); one 45-day extension may be taken in time.",
            filter_bar(
                "request-search",
                "Search by e-mail or name",
                AdminPrivacyState.request_query,
                AdminPrivacyState.search_requests,
                status=("status", REQUEST_STATUSES, AdminPrivacyState.request_status),
            ),
            total_line(AdminPrivacyState.request_total, "request", "requests", "request-total"),
            listing(AdminPrivacyState.rows, _row, "No privacy requests match."),
            pager(AdminPrivacyState.request_page, AdminPrivacyState.request_pages, AdminPrivacyState.requests_go_to),
            section_id="privacy-queue",
            icon="inbox",
        ),
        rx.cond(AdminPrivacyState.selected > 0, _detail()),
    )


@portal_page(
    routes.ADMIN_PRIVACY_REQUESTS,
    title="Privacy requests",
    description="Privacy rights requests: access, deletion, correction, restriction, objection and appeals.",
    on_load=(AdminPrivacyState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading(
            "Privacy requests", "Rights requests and their clocks, answered through the same services as self-service."
        ),
        gate(_body()),
    )
