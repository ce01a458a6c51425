"""Notifications: what concerns the signed-in person (newest first, unread marked), and their
e-mail preferences per category. Staff see their own here too, from the same bell."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.state.notifications import NotificationRow, NotificationsState, PreferenceRow

DELIVERY_OPTIONS = (("immediately", "Immediately"), ("digest", "Daily digest"), ("off", "Off"))
_MUTED = {"margin": "0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM, "line_height": theme.LEADING_BODY}


def _item(row: NotificationRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.button(
                row.title,
                type="button",
                on_click=NotificationsState.open(row.id),
                data_testid="notification-title",
                style={
                    "all": "unset",
                    "cursor": "pointer",
                    "color": theme.INK,
                    "font_weight": rx.cond(row.unread, theme.WEIGHT_SEMIBOLD, theme.WEIGHT_MEDIUM),
                    "&:hover": {"text_decoration": "underline"},
                    "&:focus-visible": {"outline": f"2px solid {theme.ACCENT}", "outline_offset": "2px"},
                },
            ),
            rx.el.p(row.at, style={**_MUTED, "font_size": theme.TEXT_XS}),
            style={"display": "grid", "gap": theme.SPACE_1, "min_width": "0"},
        ),
        rx.cond(
            row.unread,
            rx.el.button(
                "Mark read",
                type="button",
                on_click=NotificationsState.mark_read(row.id),
                aria_label="Mark read: " + row.title,
                style={**theme.BUTTON_SECONDARY, "padding": f"{theme.SPACE_1} {theme.SPACE_3}"},
            ),
            forms.badge("Read", tone="neutral"),
        ),
        data_unread=rx.cond(row.unread, "true", "false"),
        data_testid="notification",
        style={
            "display": "flex",
            "align_items": "center",
            "justify_content": "space-between",
            "gap": theme.SPACE_4,
            "padding": f"{theme.SPACE_4} 0",
            "border_bottom": f"1px solid {theme.LINE}",
            "box_shadow": rx.cond(row.unread, f"inset 3px 0 0 {theme.ACCENT}", "none"),
            "padding_left": theme.SPACE_4,
        },
    )


@portal_page(
    routes.PORTAL_NOTIFICATIONS,
    title="Notifications",
    description="Milestones waiting for you, new documents, signature requests, invoices and messages.",
    on_load=(NotificationsState.load,),
)
def list_page() -> rx.Component:
    return rx.fragment(
        forms.page_heading("Notifications", "What needs you, and what changed, across your engagements."),
        forms.section_card(
            "Your notifications",
            "Unread ones are marked. Open one to go to it.",
            rx.el.div(
                rx.el.p(NotificationsState.unread, " unread", data_testid="unread-count", style=_MUTED),
                rx.el.div(
                    rx.el.a(
                        "E-mail preferences", href=routes.PORTAL_NOTIFICATION_SETTINGS, style=theme.BUTTON_SECONDARY
                    ),
                    rx.cond(
                        NotificationsState.unread > 0,
                        rx.el.button(
                            "Mark all read",
                            type="button",
                            on_click=NotificationsState.mark_all_read,
                            style=theme.BUTTON_SECONDARY,
                        ),
                    ),
                    style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap"},
                ),
                style={
                    "display": "flex",
                    "justify_content": "space-between",
                    "align_items": "center",
                    "gap": theme.SPACE_4,
                    "margin_bottom": theme.SPACE_4,
                },
            ),
            rx.cond(
                NotificationsState.items.length() > 0,
                rx.el.ul(
                    rx.foreach(NotificationsState.items, _item),
                    aria_label="Notifications",
                    style={"list_style": "none", "margin": "0", "padding": "0"},
                ),
                rx.el.p(rx.cond(NotificationsState.loaded, "Nothing yet.", "Loading…"), style=_MUTED),
            ),
            section_id="notifications",
            icon="bell",
        ),
    )


def _choice(row: PreferenceRow) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.p(row.label, style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
            rx.el.p(row.description, style=_MUTED),
            style={"min_width": "0"},
        ),
        rx.cond(
            row.locked,
            rx.el.span(
                rx.icon("lock", size=14, aria_hidden="true"),
                "Always sent",
                data_testid="locked-" + row.category,
                style={"display": "inline-flex", "align_items": "center", "gap": theme.SPACE_2, **_MUTED},
            ),
            forms.select(
                "E-mail for " + row.label,
                row.category,
                DELIVERY_OPTIONS,
                NotificationsState.errors,
                default_value=row.delivery,
                form_id="preferences",
            ),
        ),
        data_testid="preference",
        style={
            "display": "flex",
            "justify_content": "space-between",
            "align_items": "center",
            "gap": theme.SPACE_4,
            "padding": f"{theme.SPACE_4} 0",
            "border_bottom": f"1px solid {theme.LINE}",
        },
    )


@portal_page(
    routes.PORTAL_NOTIFICATION_SETTINGS,
    title="E-mail preferences",
    description="Choose per category whether e-mail comes at once, in a daily digest, or not at all.",
    on_load=(NotificationsState.load_preferences,),
    own_account=True,
)
def settings_page() -> rx.Component:
    return rx.fragment(
        forms.page_heading(
            "E-mail preferences",
            "Everything stays in your notifications; choose which e-mails you get and when. "
            "Security and legal e-mail always goes.",
        ),
        forms.section_card(
            "E-mail per category",
            "The daily digest gathers what happened since the last one into one e-mail.",
            forms.form(
                forms.alert(NotificationsState.errors),
                rx.foreach(NotificationsState.choices, _choice),
                rx.el.div(
                    forms.submit_button("Save preferences", NotificationsState.busy == "preferences", "Saving…"),
                    rx.el.a("Back to notifications", href=routes.PORTAL_NOTIFICATIONS, style=theme.BUTTON_SECONDARY),
                    style={"display": "flex", "gap": theme.SPACE_3, "margin_top": theme.SPACE_6, "flex_wrap": "wrap"},
                ),
                key=NotificationsState.choices_version,
                on_submit=NotificationsState.save_preferences,
                aria_label="E-mail preferences",
            ),
            section_id="email-preferences",
            icon="mail",
        ),
    )


def pages() -> list:
    return [list_page, settings_page]
