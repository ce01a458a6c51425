"""An engagement's conversation as a panel: the messages (a reply quotes what it answers), a
composer with an optional attachment from the engagement's documents, and the hidden clock that
brings new messages in while the panel is open. Shared by the portal and the staff console."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.view_as import CAN_CHANGE
from fluxent.state.messages import POLL_EVERY_MS, Attachable, MessageRow, ThreadState

MUTED = theme.MUTED
_TEXT = {"margin": f"{theme.SPACE_2} 0 0", "white_space": "pre-line", "overflow_wrap": "anywhere", "color": theme.INK}
_SMALL_BUTTON = {**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM}


def _message(row: MessageRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.strong(row.author, style={"color": theme.INK}),
            rx.el.span(row.when, style={**MUTED, "font_size": theme.TEXT_XS}),
            rx.cond(row.unread, forms.badge("New")),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "baseline", "flex_wrap": "wrap"},
        ),
        rx.cond(
            row.quoted != "",
            rx.el.blockquote(
                rx.el.span(row.quoted_author, ": ", style={"font_weight": theme.WEIGHT_SEMIBOLD}),
                row.quoted,
                style={
                    **MUTED,
                    "margin": f"{theme.SPACE_2} 0 0",
                    "padding": f"{theme.SPACE_1} {theme.SPACE_3}",
                    "border_left": f"3px solid {theme.LINE}",
                    "overflow_wrap": "anywhere",
                },
            ),
        ),
        rx.el.p(row.body, style=_TEXT, data_testid="message-body"),
        rx.cond(
            row.attachment != "",
            rx.el.a(
                rx.icon("paperclip", size=14, aria_hidden="true"),
                row.attachment,
                href=row.download_url,
                style={
                    "display": "inline-flex",
                    "gap": theme.SPACE_1,
                    "color": theme.ACCENT,
                    "margin_top": theme.SPACE_2,
                },
            ),
        ),
        rx.cond(
            CAN_CHANGE & ThreadState.can_post,
            rx.el.div(
                rx.el.button(
                    "Reply",
                    type="button",
                    on_click=ThreadState.reply_to(row.id),
                    aria_label="Reply to " + row.author,
                    style=_SMALL_BUTTON,
                ),
                style={"margin_top": theme.SPACE_2},
            ),
        ),
        id="message-" + row.id.to_string(),
        style={
            "padding": f"{theme.SPACE_4} 0",
            "border_top": f"1px solid {theme.LINE}",
            "margin_left": rx.cond(row.mine, theme.SPACE_6, "0"),  # one's own messages sit indented
        },
    )


def _attachment_choice(option: Attachable) -> rx.Component:
    return rx.el.option(option.label, value=option.value)


def _composer() -> rx.Component:
    return forms.form(
        rx.cond(
            ThreadState.replying_to != 0,
            rx.el.div(
                rx.el.span("Replying to ", ThreadState.replying_quote, style={**MUTED, "overflow_wrap": "anywhere"}),
                rx.el.button("Cancel reply", type="button", on_click=ThreadState.cancel_reply, style=_SMALL_BUTTON),
                style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center", "flex_wrap": "wrap"},
            ),
        ),
        forms.textarea("Your message", "body", ThreadState.body_error, input_id="message-body", rows=4),
        rx.el.div(
            rx.el.label("Attach a document (optional)", html_for="message-document", style=theme.LABEL),
            rx.el.select(
                rx.el.option("No attachment", value=""),
                rx.foreach(ThreadState.attachable, _attachment_choice),
                id="message-document",
                name="document_id",
                default_value="",
                style=theme.SELECT,
            ),
            rx.el.p(
                "Documents of this engagement. ",
                rx.el.a(
                    "Upload a new one",
                    href=routes.PORTAL_DOCUMENTS + "?engagement=" + ThreadState.engagement_id.to_string(),
                    style={"color": theme.ACCENT},
                ),
                " first to attach it.",
                style={**MUTED, "font_size": theme.TEXT_XS, "margin": "0"},
            ),
            style={"display": "grid", "gap": theme.SPACE_2},
        ),
        rx.el.div(
            forms.submit_button("Send", ThreadState.busy == "message", "Sending…"),
        ),
        key=ThreadState.composer_version.to_string(),
        on_submit=ThreadState.send,
        aria_label="New message",
        style={"display": "grid", "gap": theme.SPACE_3, "margin_top": theme.SPACE_4},
    )


def conversation_panel(*, poll: Sequence[Any] = ()) -> rx.Component:
    """The open conversation; ``poll`` adds the page's own events to the panel's clock."""
    return rx.el.section(
        rx.moment(
            interval=POLL_EVERY_MS, format="mm:ss", on_change=[ThreadState.poll, *poll], style={"display": "none"}
        ),
        rx.el.div(
            rx.el.h2(
                ThreadState.title,
                id="conversation-heading",
                style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": "0"},
            ),
            rx.cond(
                ThreadState.unread_when_opened > 0,
                rx.el.span(
                    forms.badge(ThreadState.unread_when_opened.to_string() + " unread"),
                    data_testid="thread-unread",
                ),
            ),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "center", "flex_wrap": "wrap"},
        ),
        rx.cond(
            ThreadState.total > ThreadState.rows.length(),  # type: ignore[attr-defined]
            rx.el.p(
                "The latest ",
                ThreadState.rows.length().to_string(),  # type: ignore[attr-defined]
                " of ",
                ThreadState.total.to_string(),
                " messages.",
                style=MUTED,
            ),
        ),
        rx.cond(
            ThreadState.rows.length() > 0,  # type: ignore[attr-defined]
            rx.el.ol(
                rx.foreach(ThreadState.rows, _message),
                aria_live="polite",
                style={"list_style": "none", "margin": f"{theme.SPACE_4} 0 0", "padding": "0"},
            ),
            rx.el.p("No messages yet. Start the conversation below.", style={**MUTED, "margin_top": theme.SPACE_4}),
        ),
        rx.cond(
            CAN_CHANGE,
            rx.cond(
                ThreadState.can_post,
                _composer(),
                rx.el.p("This engagement is closed: its messages can be read but not answered.", style=MUTED),
            ),
            rx.el.p("Viewing as a client: messages can be read here, not sent.", style=MUTED),
        ),
        aria_labelledby="conversation-heading",
        style={**theme.CARD, "min_width": "0"},
    )
