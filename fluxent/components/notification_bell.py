"""The bell in the portal's top bar: a link to the notification centre with the unread count."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.state.notifications import NotificationsState


def notification_bell() -> rx.Component:
    return rx.el.a(
        rx.icon("bell", size=20, aria_hidden="true"),
        rx.cond(
            NotificationsState.unread > 0,
            rx.el.span(
                NotificationsState.unread,
                data_testid="bell-count",
                aria_hidden="true",
                style={
                    "position": "absolute",
                    "top": "-2px",
                    "right": "-4px",
                    "min_width": "18px",
                    "height": "18px",
                    "padding": "0 5px",
                    "border_radius": theme.RADIUS_PILL,
                    "background": theme.DANGER,
                    "color": theme.SURFACE,
                    "font_size": theme.TEXT_XS,
                    "font_weight": theme.WEIGHT_BOLD,
                    "line_height": "18px",
                    "text_align": "center",
                },
            ),
        ),
        href=routes.PORTAL_NOTIFICATIONS,
        aria_label=NotificationsState.bell_label,
        title=NotificationsState.bell_label,
        data_testid="notification-bell",
        style={
            "position": "relative",
            "display": "inline-flex",
            "align_items": "center",
            "justify_content": "center",
            "width": "40px",
            "height": "40px",
            "border_radius": theme.RADIUS_MD,
            "color": theme.TEXT_MUTED,
            "&:hover": {"background": theme.CANVAS, "color": theme.INK},
        },
    )
