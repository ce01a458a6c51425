"""Portal messages: the person's engagements with their unread counts, and the open engagement's
conversation with Fluxent (``?engagement=<id>`` opens one)."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.messages import conversation_panel
from fluxent.components.portal_layout import portal_page
from fluxent.pages.portal.portal_parts import MUTED, empty, intro
from fluxent.state.messages import MessagesState, ThreadOption, ThreadState, UnreadState


def _thread(option: ThreadOption) -> rx.Component:
    current = option.engagement_id == ThreadState.engagement_id
    return rx.el.li(
        rx.el.button(
            rx.el.span(
                rx.el.span(option.title, style={"display": "block", "font_weight": theme.WEIGHT_SEMIBOLD}),
                rx.el.span(option.organization, style={**MUTED, "display": "block", "font_size": theme.TEXT_XS}),
                style={"flex": "1", "min_width": "0", "text_align": "left"},
            ),
            rx.cond(option.unread > 0, forms.badge(option.unread.to_string() + " unread")),
            type="button",
            on_click=MessagesState.choose(option.engagement_id),
            aria_current=rx.cond(current, "true", "false"),
            style={
                **theme.BUTTON_SECONDARY,
                "width": "100%",
                "height": "auto",
                "padding": theme.SPACE_3,
                "display": "flex",
                "gap": theme.SPACE_3,
                "align_items": "center",
                "&[aria-current='true']": {"border_color": theme.ACCENT, "background": theme.ACCENT_SOFT},
            },
        ),
        data_testid="thread-" + option.engagement_id.to_string(),
    )


@portal_page(
    routes.PORTAL_MESSAGES,
    title="Messages",
    description="Your conversations with Fluxent about each engagement.",
    on_load=(MessagesState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        intro(
            "Messages", "Talk with your Fluxent team about each engagement. Everyone in your organization sees these."
        ),
        rx.cond(
            MessagesState.threads.length() > 0,  # type: ignore[attr-defined]
            rx.el.div(
                rx.el.nav(
                    rx.el.ul(
                        rx.foreach(MessagesState.threads, _thread),
                        style={
                            "list_style": "none",
                            "margin": "0",
                            "padding": "0",
                            "display": "grid",
                            "gap": theme.SPACE_2,
                        },
                    ),
                    aria_label="Conversations",
                ),
                rx.cond(
                    ThreadState.engagement_id != 0,
                    conversation_panel(poll=(MessagesState.refresh, UnreadState.refresh)),
                ),
                style={
                    "display": "grid",
                    "gap": theme.SPACE_6,
                    "margin_top": theme.SPACE_6,
                    theme.DESKTOP: {
                        "grid_template_columns": "minmax(14rem, 18rem) minmax(0, 1fr)",
                        "align_items": "start",
                    },
                },
            ),
            rx.cond(MessagesState.loaded, empty("No engagements yet, so no conversations either.")),
        ),
    )
