"""Portal engagements: each build with its scope, price, progress and milestones (what each
delivers and when); owners accept (after a confirmation naming the amount) or ask for changes here."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.acceptance_dialog import PRE_LINE, accept_dialog, milestone_terms
from fluxent.pages.portal.portal_parts import (
    MUTED,
    SECTION_HEADING,
    empty,
    intro,
    progress_bar,
)
from fluxent.state.portal import REASON_FIELD, EngagementRow, EngagementsState, MilestoneRow


def _decision(milestone: MilestoneRow) -> rx.Component:
    reason_id = REASON_FIELD + milestone.id.to_string()
    return rx.el.div(
        rx.el.button(
            "Accept milestone",
            type="button",
            on_click=EngagementsState.ask_accept(milestone.engagement_id, milestone.id),
            aria_haspopup="dialog",
            style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM, "align_self": "flex-start"},
        ),
        forms.form(
            rx.el.input(type="hidden", name="engagement_id", value=milestone.engagement_id.to_string()),
            rx.el.input(type="hidden", name="milestone_id", value=milestone.id.to_string()),
            forms.textarea(
                "What should change?",
                "reason",
                rx.cond(EngagementsState.reason_for == milestone.id, EngagementsState.reason_error, ""),
                input_id=reason_id,
                rows=4,
                hint="One item a line, e.g. \u201c- The export misses the totals row\u201d.",
            ),
            rx.el.button(
                "Request changes",
                type="submit",
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "justify_self": "start"},
            ),
            on_submit=EngagementsState.request_changes,
            style={"display": "grid", "gap": theme.SPACE_2, "flex": "1 1 18rem", "min_width": "0"},
        ),
        style={"display": "flex", "gap": theme.SPACE_4, "flex_wrap": "wrap", "margin_top": theme.SPACE_3},
    )


def _milestone(milestone: MilestoneRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.div(
                rx.el.p(
                    milestone.title, style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}
                ),
                rx.el.p(
                    rx.el.span(milestone.amount, style={"white_space": "nowrap"}),
                    rx.cond(milestone.due != "", rx.el.span(" · due ", milestone.due)),
                    style=MUTED,
                ),
                style={"flex": "1 1 14rem", "min_width": "0"},
            ),
            rx.el.span(forms.badge(milestone.status_label, tone=milestone.tone), data_testid="milestone-status"),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start", "flex_wrap": "wrap"},
        ),
        rx.cond(milestone.description != "", rx.el.p(milestone.description, style=PRE_LINE)),
        milestone_terms(milestone.acceptance_criteria, milestone.deliverables),
        rx.cond(
            milestone.note != "",
            rx.el.p("Your note: ", milestone.note, style={**PRE_LINE, "margin_top": theme.SPACE_2}),
        ),
        rx.cond(milestone.can_decide & CAN_CHANGE, _decision(milestone)),
        style={"padding": f"{theme.SPACE_4} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _progress(engagement: EngagementRow) -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.span(
                rx.el.span(engagement.accepted, style=theme.FIGURE),
                " accepted of ",
                rx.el.span(engagement.price, style=theme.FIGURE),
            ),
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
                rx.el.p(
                    engagement.organization,
                    " · fixed price ",
                    rx.el.span(engagement.price, style={"white_space": "nowrap"}),
                    style=MUTED,
                ),
                style={"flex": "1 1 14rem", "min_width": "0"},
            ),
            forms.badge(engagement.status_label),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start", "flex_wrap": "wrap"},
        ),
        rx.cond(
            engagement.scope_summary != "",
            rx.el.div(
                rx.el.h3("Scope", style={**theme.LABEL, "margin": f"{theme.SPACE_4} 0 0"}),
                rx.el.p(engagement.scope_summary, style=PRE_LINE),
            ),
        ),
        _progress(engagement),
        rx.el.div(
            rx.el.a(
                rx.icon("messages-square", size=16, aria_hidden="true"),
                "Messages",
                rx.cond(
                    engagement.unread_messages > 0, forms.badge(engagement.unread_messages.to_string() + " unread")
                ),
                href=engagement.messages_href,
                data_testid="engagement-messages",
                style={"display": "inline-flex", "gap": theme.SPACE_2, "align_items": "center", "color": theme.ACCENT},
            ),
            rx.cond(
                CAN_CHANGE,
                rx.el.a(
                    "Share a document for this engagement",
                    href=routes.PORTAL_DOCUMENTS + "?engagement=" + engagement.id.to_string(),
                    style={"color": theme.ACCENT},
                ),
            ),
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "align_items": "center",
                "gap": f"{theme.SPACE_2} {theme.SPACE_6}",
                "margin_top": theme.SPACE_4,
            },
        ),
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
        accept_dialog(EngagementsState),
        rx.cond(
            EngagementsState.rows.length() > 0,  # type: ignore[attr-defined]
            rx.foreach(EngagementsState.rows, _engagement),
            rx.cond(
                EngagementsState.loaded,
                empty("No engagements yet. Your delivery lead adds them when a build is scoped."),
            ),
        ),
    )
