"""Staff tools: the leads list and one lead's detail with its status."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.portal_layout import portal_page
from fluxent.state.admin_leads import STATUSES, AdminLeadsState
from fluxent.state.session import SessionState

_CELL: dict[str, Any] = {"text_align": "left", "padding": f"{theme.SPACE_3} {theme.SPACE_4}", "border_bottom": f"1px solid {theme.LINE}", "font_size": theme.TEXT_SM, "vertical_align": "top"}
_BADGE: dict[str, Any] = {"display": "inline-block", "padding": f"2px {theme.SPACE_3}", "border_radius": theme.RADIUS_PILL, "background": theme.ACCENT_SOFT, "color": theme.ACCENT, "font_size": theme.TEXT_XS, "font_weight": theme.WEIGHT_BOLD, "text_transform": "capitalize"}


def _gate(body: rx.Component) -> rx.Component:
    return rx.match(
        AdminLeadsState.access,
        ("ok", body),
        ("denied", rx.el.p("Only Fluxent staff can see leads.", role="alert", style={**theme.CARD, "margin": "0"})),
        ("missing", rx.el.p("No such lead.", role="alert", style={**theme.CARD, "margin": "0"})),
        rx.el.p("Loading…", style={"color": theme.TEXT_MUTED}),
    )


def _row(lead: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(rx.el.a(lead["name"], href=routes.ADMIN_LEADS + "/" + lead["id"], style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD}), rx.el.br(), lead["email"], style=_CELL),
        rx.el.td(lead["company"], style=_CELL),
        rx.el.td(lead["source"], style=_CELL),
        rx.el.td(rx.el.span(lead["status"], style=_BADGE), style=_CELL),
        rx.el.td(lead["last_activity"], style=_CELL),
    )


def _list() -> rx.Component:
    head = [rx.el.th(label, scope="col", style={**_CELL, "color": theme.TEXT_SUBTLE, "background": theme.CANVAS}) for label in ("Name", "Company", "Form", "Status", "Last activity")]
    return rx.cond(
        AdminLeadsState.rows.length() > 0,
        rx.el.div(
            rx.el.table(
                rx.el.caption("Leads, most recent activity first", style=theme.VISUALLY_HIDDEN),
                rx.el.thead(rx.el.tr(*head)),
                rx.el.tbody(rx.foreach(AdminLeadsState.rows, _row)),
                style={"width": "100%", "border_collapse": "collapse"},
            ),
            style={**theme.CARD, "padding": "0", "overflow_x": "auto"},
        ),
        rx.el.p("No leads yet.", style={**theme.CARD, "margin": "0"}),
    )


@portal_page(routes.ADMIN_LEADS, title="Leads", description="Inquiries from the contact and scope forms.")
def list_page() -> rx.Component:
    return rx.el.div(
        rx.el.h1("Leads", style={**theme.HEADING_1, "font_size": theme.HEADING_MD, "margin": f"0 0 {theme.SPACE_6}"}),
        _gate(_list()),
    )


def _fact(label: str, key: str) -> rx.Component:
    return rx.el.div(
        rx.el.dt(label, style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE}),
        rx.el.dd(AdminLeadsState.lead[key], style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.INK, "white_space": "pre-wrap", "overflow_wrap": "anywhere"}),
        style={"padding": f"{theme.SPACE_3} 0", "border_bottom": f"1px solid {theme.LINE}"},
    )


def _detail() -> rx.Component:
    facts = [("E-mail", "email"), ("Phone", "phone"), ("Company", "company"), ("Country", "country"), ("Form", "source"), ("Received", "created"), ("Last activity", "last_activity"), ("Who it is for", "audience"), ("Timeline", "timeline"), ("Budget", "budget"), ("Message", "message")]
    return rx.el.div(
        rx.el.h2(AdminLeadsState.lead["name"], style={**theme.HEADING_2, "margin": "0"}),
        rx.form(
            rx.el.label("Status", html_for="lead-status", style={"font_weight": theme.WEIGHT_SEMIBOLD, "font_size": theme.TEXT_SM}),
            rx.el.select(*[rx.el.option(status.title(), value=status) for status in STATUSES], id="lead-status", name="status", value=AdminLeadsState.lead["status"], on_change=lambda value: AdminLeadsState.change_status({"status": value}), style={**theme.INPUT, "flex": "0", "min_width": "180px", "border": f"1px solid {theme.LINE_STRONG}"}),
            rx.el.p(AdminLeadsState.notice, role="status", style={"margin": "0", "color": theme.SUCCESS, "font_size": theme.TEXT_SM}),
            on_submit=AdminLeadsState.change_status,
            style={"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3, "margin": f"{theme.SPACE_5} 0"},
        ),
        rx.el.dl(*[_fact(*fact) for fact in facts], style={"margin": "0"}),
        style={**theme.CARD, "padding": theme.SPACE_8},
    )


@portal_page(routes.ADMIN_LEAD, title="Lead", description="One lead and its status.")
def detail_page() -> rx.Component:
    return rx.el.div(
        rx.el.p(rx.el.a("← All leads", href=routes.ADMIN_LEADS, style={"color": theme.ACCENT}), style={"margin": f"0 0 {theme.SPACE_4}"}),
        _gate(_detail()),
    )


list_page.spec = dataclasses.replace(list_page.spec, on_load=[SessionState.load_portal, AdminLeadsState.load_list])
detail_page.spec = dataclasses.replace(detail_page.spec, on_load=[SessionState.load_portal, AdminLeadsState.load_lead])


def pages() -> list:
    return [list_page, detail_page]
