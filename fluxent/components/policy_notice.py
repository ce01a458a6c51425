"""The banner at the top of every portal page while a policy change awaits the person's acknowledgement."""

from __future__ import annotations

import reflex as rx

from fluxent.components import theme
from fluxent.state.policy_notice import FORM, NoticeRow, PolicyNoticeState

_LINK = {"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD}


def _notice(notice: NoticeRow) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.p(
                rx.icon("scroll-text", size=18, aria_hidden="true", style={"flex_shrink": "0"}),
                rx.el.strong(
                    "Our ",
                    notice.title,
                    " changes on ",
                    notice.effective,
                    " (version ",
                    notice.version.to_string(),
                    ")",
                ),
                style={"display": "flex", "align_items": "center", "gap": theme.SPACE_2, "margin": "0"},
            ),
            rx.el.p(
                notice.changes,
                " ",
                rx.el.a("Read the new version", href=notice.href, style=_LINK),
                style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_MUTED, "font_size": theme.TEXT_SM},
            ),
            style={"min_width": "0", "flex": "1 1 320px"},
        ),
        rx.el.button(
            "Acknowledge",
            type="button",
            on_click=PolicyNoticeState.acknowledge(notice.announcement_id),
            disabled=PolicyNoticeState.busy == FORM,
            style={**theme.BUTTON_SECONDARY, "height": "32px", "padding_x": theme.SPACE_4, "background": theme.SURFACE},
        ),
        role="region",
        aria_label="Policy update",
        data_testid="policy-notice",
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "align_items": "center",
            "justify_content": "space-between",
            "gap": theme.SPACE_3,
            "padding": f"{theme.SPACE_3} {theme.GUTTER}",
            "background": theme.ACCENT_SOFT,
            "border_bottom": f"1px solid {theme.LINE}",
            "color": theme.INK,
        },
    )


def policy_notice_banner() -> rx.Component:
    return rx.foreach(PolicyNoticeState.notices, _notice)
