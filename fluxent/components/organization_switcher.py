"""The organization switcher of the portal's top bar and phone menu.

Shown only to a person in more than one organization (and not while an
administrator views the portal as a client). Picking one re-runs the page's own
load events, so the page shows that organization at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from fluxent.components import theme
from fluxent.state.organization import OrganizationState
from fluxent.state.session import SessionState
from fluxent.state.view_as import ViewAsState

ALL_ORGANIZATIONS = "All organizations"


def organization_switcher(reload: Sequence[Any], *, in_menu: bool) -> rx.Component:
    """``reload``: the page's load events, run after the choice is made."""
    select_id = "organization-switcher-menu" if in_menu else "organization-switcher"
    label_style: dict[str, Any] = (
        {**theme.EYEBROW, "display": "block", "margin_bottom": theme.SPACE_2, "color": theme.TEXT_SUBTLE}
        if in_menu
        else theme.VISUALLY_HIDDEN
    )
    return rx.cond(
        (SessionState.organizations.length() > 1) & (ViewAsState.viewing_name == ""),  # type: ignore[attr-defined]
        rx.el.div(
            rx.el.label("Organization", html_for=select_id, style=label_style),
            rx.el.div(
                rx.icon(
                    "building-2",
                    size=16,
                    aria_hidden="true",
                    style={
                        "position": "absolute",
                        "left": theme.SPACE_3,
                        "top": "50%",
                        "transform": "translateY(-50%)",
                        "color": theme.TEXT_SUBTLE,
                        "pointer_events": "none",
                    },
                ),
                rx.el.select(
                    rx.el.option(ALL_ORGANIZATIONS, value=""),
                    rx.foreach(SessionState.organizations, lambda org: rx.el.option(org["name"], value=org["id"])),
                    id=select_id,
                    value=OrganizationState.organization_id,
                    on_change=[OrganizationState.choose_organization, *reload],
                    data_testid="organization-switcher",
                    style={
                        **theme.SELECT,
                        "max_width": "100%" if in_menu else "15rem",
                        "height": theme.CONTROL_HEIGHT_SM,
                        "padding_left": theme.SPACE_8,
                        "font_size": theme.TEXT_SM,
                        "font_weight": theme.WEIGHT_MEDIUM,
                        "text_overflow": "ellipsis",
                    },
                ),
                style={"position": "relative"},
            ),
            style={"min_width": "0"}
            if in_menu
            else {"display": "none", "min_width": "0", theme.DESKTOP: {"display": "block"}},
        ),
    )
