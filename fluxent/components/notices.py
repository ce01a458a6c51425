"""Notices: what the last portal action did, and a one-line notice at the top of a
public page after a full page load (``?notice=``).

Only known notice codes show anything, as fixed text: the query string never puts
words of its own on the page.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.state.session import SessionState

PUBLIC_NOTICES = {
    routes.NOTICE_ACCOUNT_DELETED: "Your account is deleted and you are signed out. Thank you for working with Fluxent.",
}


def _strip(text: str) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            rx.icon("circle-check", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
            text,
            style={
                "display": "flex",
                "align_items": "center",
                "gap": theme.SPACE_2,
                "margin": "0 auto",
                "max_width": theme.CONTENT_MAX_WIDTH,
            },
        ),
        role="status",
        data_testid="page-notice",
        style={
            "padding": f"{theme.SPACE_3} {theme.GUTTER}",
            "background": theme.SUCCESS_SOFT,
            "color": theme.SUCCESS,
            "font_size": theme.TEXT_SM,
            "font_weight": theme.WEIGHT_MEDIUM,
            "border_bottom": f"1px solid {theme.SUCCESS_LINE}",
        },
    )


def notice_strip() -> rx.Component:
    notice = rx.State.router.url.query_parameters["notice"].to(str)  # type: ignore[attr-defined]
    return rx.match(notice, *[(code, _strip(text)) for code, text in PUBLIC_NOTICES.items()], rx.fragment())


def action_notice() -> rx.Component:
    """What the last action did, in a live region so screen readers hear it too."""
    return rx.el.div(
        rx.cond(
            SessionState.notice != "",
            rx.el.div(
                rx.cond(
                    SessionState.notice_is_error,
                    rx.icon("circle-alert", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
                    rx.icon("circle-check", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
                ),
                rx.el.p(SessionState.notice, style={"margin": "0", "flex": "1", "min_width": "0"}),
                rx.el.button(
                    rx.icon("x", size=16, aria_hidden="true"),
                    type="button",
                    aria_label="Dismiss",
                    on_click=SessionState.dismiss_notice,
                    style={
                        "display": "inline-flex",
                        "padding": theme.SPACE_1,
                        "border": "none",
                        "border_radius": theme.RADIUS_SM,
                        "background": theme.TRANSPARENT,
                        "color": "inherit",
                        "cursor": "pointer",
                    },
                ),
                # An error is also an alert, as the forms' own error messages are.
                role=rx.cond(SessionState.notice_is_error, "alert", "none"),
                data_testid="action-notice",
                style={
                    "display": "flex",
                    "align_items": "center",
                    "gap": theme.SPACE_3,
                    "margin_bottom": theme.SPACE_6,
                    "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
                    "border": rx.cond(
                        SessionState.notice_is_error, f"1px solid {theme.DANGER}", f"1px solid {theme.SUCCESS_LINE}"
                    ),
                    "border_radius": theme.RADIUS_MD,
                    "background": rx.cond(SessionState.notice_is_error, theme.DANGER_SOFT, theme.SUCCESS_SOFT),
                    "color": rx.cond(SessionState.notice_is_error, theme.DANGER, theme.SUCCESS),
                    "font_size": theme.TEXT_SM,
                    "font_weight": theme.WEIGHT_MEDIUM,
                },
            ),
        ),
        role="status",
    )
