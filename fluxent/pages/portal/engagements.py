"""Portal engagements: each build with its price, progress and milestones; owners decide here."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.portal_parts import (
    MUTED,
    SECTION_HEADING,
    empty,
    intro,
    progress_bar,
)
from fluxent.state.portal import EngagementRow, EngagementsState, MilestoneRow


def _decision(milestone: MilestoneRow) -> rx.Component:
    return rx.el.div(
        rx.el.button(
            "Accept milestone",
            type="button",
            on_click=EngagementsState.accept(milestone.engagement_id, milestone.id),
            style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM},
        ),
        rx.el.form(
            rx.el.input(type="hidden", name="engagement_id", value=milestone.engagement_id.to_string()),
            rx.el.input(type="hidden", name="milestone_id", value=milestone.id.to_string()),
            rx.el.label("What should change?", html_for=f"reason-{milestone.id}", style=theme.VISUALLY_HIDDEN),
            rx.el.input(
                name="reason",
                id=f"reason-{milestone.id}",
                placeholder="What should change?",
                required=True,
                style={**theme.CONTROL, "flex": "1 1 14rem", "width": "auto", "height": theme.CONTROL_HEIGHT_SM},
            ),
            rx.el.button(
                "Request changes", type="submit", style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM}
            ),
            on_submit=EngagementsState.request_changes,
            reset_on_submit=True,
            style={"display": "flex", "gap": theme.SPACE_2, "flex": "1 1 18rem", "flex_wrap": "wrap"},
        ),
        style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap", "margin_top": theme.SPACE_3},
    )


def _milestone(milestone: MilestoneRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.p(
                    milestone.title, style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}
                ),
                rx.el.p(
                    milestone.amount,
                    rx.cond(milestone.due != "", rx.el.span(" · due ", milestone.due)),
                    style=MUTED,
                ),
                style={"flex": "1 1 14rem", "min_width": "0"},
            ),
            forms.badge(milestone.status_label),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start", "flex_wrap": "wrap"},
        ),
        rx.cond(
            milestone.note != "", rx.el.p("Your note: ", milestone.note, style={**MUTED, "margin_top": theme.SPACE_2})
        ),
        rx.cond(milestone.can_decide & CAN_CHANGE, _decision(milestone)),
        style={"padding": f"{theme.SPACE_4} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _progress(engagement: EngagementRow) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.span(engagement.accepted, " accepted of ", engagement.price),
            rx.el.span(engagement.progress.to_string(), "%"),
            style={**MUTED, "display": "flex", "justify_content": "space-between", "gap": theme.SPACE_3},
        ),
        progress_bar(engagement.progress, "Accepted share of the fixed price"),
        style={"margin": f"{theme.SPACE_4} 0"},
    )


def _engagement(engagement: EngagementRow) -> rx.Component:
    return rx.el.article(
        rx.el.div(
            rx.el.div(
                rx.el.h2(engagement.title, style={**SECTION_HEADING, "margin": "0"}),
                rx.el.p(engagement.organization, " · fixed price ", engagement.price, style=MUTED),
                style={"flex": "1 1 14rem", "min_width": "0"},
            ),
            forms.badge(engagement.status_label),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start", "flex_wrap": "wrap"},
        ),
        _progress(engagement),
        rx.el.ul(
            rx.foreach(engagement.milestones, _milestone), style={"list_style": "none", "margin": "0", "padding": "0"}
        ),
        id="engagement-" + engagement.id.to_string(),
        style={
            **theme.CARD,
            "margin_top": theme.SPACE_6,
            "scroll_margin_top": f"calc({theme.TOPBAR_HEIGHT} + {theme.SPACE_4})",
        },
    )


@portal_page(
    routes.PORTAL_ENGAGEMENTS,
    title="Engagements",
    description="Your fixed-price builds with Fluxent and their milestones.",
    on_load=(EngagementsState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        intro(
            "Engagements",
            "Each build's fixed price, what has been accepted so far, and the milestones waiting for you.",
        ),
        rx.cond(
            EngagementsState.rows.length() > 0,  # type: ignore[attr-defined]
            rx.foreach(EngagementsState.rows, _engagement),
            rx.cond(
                EngagementsState.loaded,
                empty("No engagements yet. Your delivery lead adds them when a build is scoped."),
            ),
        ),
    )
