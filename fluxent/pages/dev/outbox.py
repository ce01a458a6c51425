"""``/dev/outbox``: the e-mails the file backend wrote, newest first, one opened with clickable links.

Development and test only; anywhere else the page says it is not available.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.auth_layout import auth_card, auth_page, text_link
from fluxent.components.spinner import spinner
from fluxent.state.dev_outbox import DevOutboxState

_CAPTION = {"color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS}


def _message_row(message: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.button(
            rx.el.span(
                message["subject"],
                style={
                    "display": "block",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "font_size": theme.TEXT_SM,
                },
            ),
            rx.el.span(
                message["to"],
                style={
                    "display": "block",
                    "color": theme.TEXT_MUTED,
                    "font_size": theme.TEXT_SM,
                    "word_break": "break-all",
                },
            ),
            rx.el.span(message["time"], style={"display": "block", **_CAPTION}),
            type="button",
            on_click=DevOutboxState.open_message(message["id"]),
            aria_current=rx.cond(DevOutboxState.opened_id == message["id"], "true", "false"),
            style={
                "display": "block",
                "width": "100%",
                "text_align": "left",
                "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
                "border": "none",
                "border_bottom": f"1px solid {theme.LINE}",
                "background": theme.TRANSPARENT,
                "font_family": theme.FONT_SANS,
                "cursor": "pointer",
                "&:hover": {"background": theme.CANVAS},
                "&[aria-current='true']": {
                    "background": theme.ACCENT_SOFT,
                    "box_shadow": f"inset 3px 0 0 {theme.ACCENT}",
                },
            },
        )
    )


def _message_list() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Messages", id="outbox-list-heading", style=theme.VISUALLY_HIDDEN),
        rx.cond(
            DevOutboxState.messages.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(
                rx.foreach(DevOutboxState.messages, _message_row),
                data_testid="outbox-list",
                style={"list_style": "none", "margin": "0", "padding": "0"},
            ),
            rx.el.p(
                "No e-mails yet. Ask for a sign-in code or link and it appears here.",
                style={"margin": "0", "padding": theme.SPACE_4, "color": theme.TEXT_MUTED},
            ),
        ),
        aria_labelledby="outbox-list-heading",
        style={
            "border": f"1px solid {theme.LINE}",
            "border_radius": theme.RADIUS_MD,
            "overflow": "hidden",
            "max_height": "560px",
            "overflow_y": "auto",
        },
    )


def _piece(piece: rx.Var) -> rx.Component:
    return rx.cond(
        piece["href"] != "",
        rx.el.a(piece["text"], href=piece["href"], style={"color": theme.ACCENT, "word_break": "break-all"}),
        rx.el.span(piece["text"]),
    )


def _opened_message() -> rx.Component:
    return rx.el.article(
        rx.cond(
            DevOutboxState.opened_id != "",
            rx.fragment(
                rx.el.h2(DevOutboxState.opened_subject, style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
                rx.el.p(
                    "To ",
                    DevOutboxState.opened_to,
                    " · ",
                    DevOutboxState.opened_time,
                    style={"margin": f"{theme.SPACE_1} 0 {theme.SPACE_4}", **_CAPTION, "font_size": theme.TEXT_SM},
                ),
                rx.el.pre(
                    rx.foreach(DevOutboxState.opened_pieces, _piece),
                    data_testid="outbox-text",
                    style={
                        "margin": "0",
                        "white_space": "pre-wrap",
                        "word_break": "break-word",
                        "font_family": theme.FONT_SANS,
                        "font_size": theme.TEXT_SM,
                        "line_height": theme.LEADING_BODY,
                        "color": theme.TEXT,
                    },
                ),
            ),
            rx.el.p(
                rx.cond(DevOutboxState.error != "", DevOutboxState.error, "Choose a message to read it."),
                style={"margin": "0", "color": theme.TEXT_MUTED},
            ),
        ),
        aria_live="polite",
        style={
            "padding": theme.SPACE_5,
            "border": f"1px solid {theme.LINE}",
            "border_radius": theme.RADIUS_MD,
            "background": theme.CANVAS,
            "min_width": "0",
        },
    )


def _outbox() -> rx.Component:
    return rx.fragment(
        rx.el.div(
            rx.el.button(
                rx.icon("refresh-cw", size=16, aria_hidden="true"),
                "Refresh",
                type="button",
                on_click=DevOutboxState.load,
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
            ),
            style={"display": "flex", "justify_content": "flex-end", "margin_bottom": theme.SPACE_4},
        ),
        rx.el.div(
            _message_list(),
            _opened_message(),
            style={
                "display": "grid",
                "gap": theme.SPACE_5,
                theme.DESKTOP: {"grid_template_columns": "minmax(0, 2fr) minmax(0, 3fr)", "align_items": "start"},
            },
        ),
    )


def _not_available() -> rx.Component:
    return rx.el.p(
        "There is nothing to see here. ",
        text_link("Go to the home page", routes.HOME),
        data_testid="outbox-not-available",
        style={"margin": "0", "color": theme.TEXT_MUTED},
    )


@auth_page(routes.DEV_OUTBOX, title="Outbox", description="E-mails sent in development.", on_load=DevOutboxState.load)
def page() -> rx.Component:
    return auth_card(
        rx.cond(
            DevOutboxState.checked, rx.cond(DevOutboxState.available, _outbox(), _not_available()), spinner(size="3")
        ),
        heading=rx.cond(DevOutboxState.available | ~DevOutboxState.checked, "Development outbox", "Page not available"),
        intro=rx.cond(
            DevOutboxState.available, "E-mails the file backend wrote, newest first. Development and test only.", ""
        ),
        icon="inbox",
        wide=True,
    )
