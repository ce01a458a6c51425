"""The administrator's "view as client" controls: the organization picker and the banner.

The picker appears only for administrators (the state fills its choices for them
alone); the banner only when the server agreed to the stored choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from fluxent.components import theme
from fluxent.components.searchable_select import searchable_select
from fluxent.state.view_as import ViewAsState

# False while the tab views the portal as a client: every action control is hidden then
# (the server refuses the changes anyway, see ``SessionState._acting``).
CAN_CHANGE = ViewAsState.viewing_id == ""


def unless_viewing(component: rx.Component) -> rx.Component:
    """``component`` (an action control), left out while the tab views the portal as a client."""
    return rx.cond(CAN_CHANGE, component)


def view_as_picker(*, on_ink: bool, reload: Sequence[Any] = ()) -> rx.Component:
    """Administrators only: pick an organization to view the portal as its owner does.

    ``reload``: the page's load events, run again once the view changed (as after every switch below)."""
    select_style: dict[str, Any] = {
        **theme.SELECT,
        "height": theme.CONTROL_HEIGHT_SM,
        "padding_left": theme.SPACE_3,
        "font_size": theme.TEXT_SM,
        **(
            {
                "background_color": theme.INK_RAISED,
                "color": theme.ON_INK,
                "border_color": theme.INK_LINE,
                "&:hover": {"border_color": theme.ON_INK_SUBTLE},
            }
            if on_ink
            else {}
        ),
    }
    select_id = "view-as-select-sidebar" if on_ink else "view-as-select-menu"
    return rx.cond(
        ViewAsState.choices.length() > 0,  # type: ignore[attr-defined]
        searchable_select(
            select_id,
            rx.fragment(rx.icon("eye", size=14, aria_hidden="true"), "View as client"),
            choices=ViewAsState.choices,
            query=ViewAsState.choice_query,
            on_narrow=ViewAsState.narrow,
            placeholder="Find an organization",
            search_label="Find an organization to view as",
            value=ViewAsState.viewing_id,
            on_change=[ViewAsState.start, *reload],
            first=("", "Your own view"),
            disabled=ViewAsState.busy == "view_as",
            test_id="view-as-select",
            select_style=select_style,
            label_style={
                "display": "flex",
                "align_items": "center",
                "gap": theme.SPACE_2,
                "margin_bottom": theme.SPACE_2,
                "color": theme.ON_INK_SUBTLE if on_ink else theme.TEXT_SUBTLE,
                **theme.EYEBROW,
            },
            style={
                "padding": theme.SPACE_4 if on_ink else "0",
                "border_radius": theme.RADIUS_MD,
                "border": f"1px solid {theme.INK_LINE}" if on_ink else "none",
            },
        ),
    )


def view_as_banner(reload: Sequence[Any] = ()) -> rx.Component:
    """Says, on every portal page, which organization's portal an administrator is looking at,
    with the one button that leaves it."""
    return rx.cond(
        ViewAsState.viewing_name != "",
        rx.el.div(
            rx.el.p(
                rx.icon("eye", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
                rx.el.span(
                    "Viewing ",
                    rx.el.strong(ViewAsState.viewing_name),
                    " as its owner sees it — read only",
                ),
                style={
                    "display": "flex",
                    "align_items": "center",
                    "gap": theme.SPACE_2,
                    "margin": "0",
                    "min_width": "0",
                },
            ),
            rx.el.button(
                rx.icon("log-out", size=14, aria_hidden="true"),
                "Leave client view",
                type="button",
                on_click=[ViewAsState.stop, *reload],
                disabled=ViewAsState.busy == "view_as",
                style={
                    **theme.BUTTON_SECONDARY,
                    "height": "32px",
                    "padding_x": theme.SPACE_4,
                    "border_color": theme.WARNING_LINE,
                    "background": theme.SURFACE,
                },
            ),
            role="status",
            data_testid="view-as-banner",
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "align_items": "center",
                "justify_content": "space-between",
                "gap": theme.SPACE_3,
                "padding": f"{theme.SPACE_3} {theme.GUTTER}",
                "background": theme.WARNING_SOFT,
                "border_bottom": f"1px solid {theme.WARNING_LINE}",
                "color": theme.WARNING,
                "font_size": theme.TEXT_SM,
            },
        ),
    )


def own_account_paused(reload: Sequence[Any] = ()) -> rx.Component:
    return rx.el.div(
        rx.el.h1(
            "Your own account",
            style={**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD},
        ),
        rx.el.p(
            "You are viewing the portal as ",
            rx.el.strong(ViewAsState.viewing_name),
            ", read only. Exit the client view to change your own account.",
            style={"margin": f"0 0 {theme.SPACE_6}", "color": theme.TEXT_MUTED, "max_width": "60ch"},
        ),
        rx.el.button(
            "Exit client view", type="button", on_click=[ViewAsState.stop, *reload], style=theme.BUTTON_PRIMARY
        ),
        style=theme.CARD,
    )
