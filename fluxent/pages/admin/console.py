"""The staff console's home: the numbers that need attention and where to go next."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.pages.admin.console_parts import MUTED, gate
from fluxent.state.admin_console import ConsoleHomeState
from fluxent.state.session import SessionState


def _stat(label: str, key: str, href: str, icon: str, hint: str) -> rx.Component:
    return rx.el.a(
        rx.el.span(rx.icon(icon, size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        rx.el.span(
            ConsoleHomeState.numbers[key].to_string(),
            data_testid=f"stat-{key}",
            style={
                "display": "block",
                "margin_top": theme.SPACE_4,
                "font_size": theme.HEADING_SM,
                "font_weight": theme.WEIGHT_BOLD,
                "color": theme.INK,
                "line_height": "1",
            },
        ),
        rx.el.span(
            label,
            style={
                "display": "block",
                "margin_top": theme.SPACE_2,
                "color": theme.INK,
                "font_weight": theme.WEIGHT_SEMIBOLD,
            },
        ),
        rx.el.span(hint, style={**MUTED, "display": "block"}),
        href=href,
        style={
            **theme.CARD,
            "display": "block",
            "text_decoration": "none",
            "transition": theme.TRANSITION,
            "&:hover": {"border_color": theme.ACCENT, "box_shadow": theme.SHADOW_MD},
        },
    )


def _link(label: str, href: str, text: str) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            label,
            href=href,
            style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD, "text_decoration": "none"},
        ),
        rx.el.p(text, style=MUTED),
        style={"padding": f"{theme.SPACE_3} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _body() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            _stat(
                "Organizations",
                "organizations",
                routes.ADMIN_ORGANIZATIONS,
                "building-2",
                "Client companies and their people",
            ),
            _stat(
                "Active engagements", "active_engagements", routes.PORTAL_ENGAGEMENTS, "briefcase", "Builds under way"
            ),
            _stat(
                "Waiting for the client",
                "waiting_for_client",
                routes.PORTAL_ENGAGEMENTS,
                "hourglass",
                "Submitted milestones to accept",
            ),
            _stat("New leads", "new_leads", routes.ADMIN_LEADS, "inbox", "Inquiries nobody answered yet"),
            style={
                "display": "grid",
                "gap": theme.SPACE_4,
                "grid_template_columns": "repeat(auto-fit, minmax(min(100%, 200px), 1fr))",
            },
        ),
        rx.el.section(
            rx.el.h2("Go to", style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": f"0 0 {theme.SPACE_2}"}),
            rx.el.ul(
                _link(
                    "Organizations",
                    routes.ADMIN_ORGANIZATIONS,
                    "Create organizations, invite their people, start engagements, share documents.",
                ),
                _link("Leads", routes.ADMIN_LEADS, "Inquiries from the contact and scope forms."),
                rx.cond(
                    SessionState.is_admin,
                    _link("Staff", routes.ADMIN_STAFF, "Roles, titles, teams and who appears on the Team page."),
                ),
                style={"list_style": "none", "margin": "0", "padding": "0"},
            ),
            style={**theme.CARD, "margin_top": theme.SPACE_6},
        ),
    )


@portal_page(
    routes.ADMIN,
    title="Staff console",
    description="Organizations, engagements and leads at a glance.",
    on_load=(ConsoleHomeState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Staff console", "What needs attention across every client, and where to act on it."),
        gate(_body()),
    )
