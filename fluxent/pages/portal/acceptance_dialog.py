"""The confirmation before a milestone is accepted (dashboard and engagements page), and the
milestone's acceptance criteria and deliverables as both show them."""

from __future__ import annotations

import reflex as rx

from fluxent.components import theme
from fluxent.pages.portal.portal_parts import MUTED
from fluxent.state.acceptance import DeliverableRow, MilestoneAcceptanceMixin

PRE_LINE = {**MUTED, "white_space": "pre-line", "overflow_wrap": "anywhere", "margin": f"{theme.SPACE_2} 0 0"}
_LABEL = {**theme.LABEL, "margin": f"{theme.SPACE_3} 0 0"}


def _deliverable(item: DeliverableRow) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            item.label,
            href=item.href,
            # Links lead elsewhere; a document downloads through the portal.
            target=rx.cond(item.is_document, "_self", "_blank"),
            rel="noopener noreferrer",
            style={"color": theme.ACCENT, "overflow_wrap": "anywhere"},
        ),
        rx.cond(item.is_document, rx.el.span(" (document)", style=MUTED)),
    )


def milestone_terms(criteria: rx.Var, deliverables: rx.Var) -> rx.Component:
    """What the client checks (acceptance criteria) and what is handed over (deliverables)."""
    return rx.fragment(
        rx.cond(
            criteria != "",
            rx.el.div(
                rx.el.h4("Acceptance criteria", style=_LABEL),
                rx.el.p(criteria, style=PRE_LINE, data_testid="acceptance-criteria"),
            ),
        ),
        rx.cond(
            deliverables.length() > 0,  # type: ignore[attr-defined]
            rx.el.div(
                rx.el.h4("Deliverables", style=_LABEL),
                rx.el.ul(
                    rx.foreach(deliverables, _deliverable),
                    style={"margin": f"{theme.SPACE_2} 0 0", "padding": "0", "display": "grid"},
                    data_testid="deliverables",
                ),
            ),
        ),
    )


def accept_dialog(state: type[MilestoneAcceptanceMixin]) -> rx.Component:
    """Names the milestone, what it was to deliver, its amount and what follows, before anything is accepted."""
    return rx.cond(
        state.confirming != 0,
        rx.el.div(
            rx.el.div(
                rx.el.h2(
                    "Accept \u201c",
                    state.confirm_title,
                    "\u201d?",
                    id="accept-heading",
                    style={**theme.HEADING_2, "font_size": theme.TEXT_LG, "margin": "0"},
                ),
                rx.el.div(
                    rx.el.p(
                        state.confirm_engagement_title,
                        rx.cond(state.confirm_due != "", rx.el.span(" · due ", state.confirm_due)),
                        style={**MUTED, "margin": "0"},
                    ),
                    rx.cond(
                        state.confirm_scope != "",
                        rx.el.div(rx.el.h3("Scope", style=_LABEL), rx.el.p(state.confirm_scope, style=PRE_LINE)),
                    ),
                    rx.cond(
                        state.confirm_description != "",
                        rx.el.div(
                            rx.el.h3("This milestone", style=_LABEL),
                            rx.el.p(state.confirm_description, style=PRE_LINE),
                        ),
                    ),
                    milestone_terms(state.confirm_criteria, state.confirm_deliverables),
                    style={"display": "grid", "gap": theme.SPACE_1},
                ),
                rx.el.p(
                    "Accepting confirms the work meets its acceptance criteria. ",
                    rx.el.strong(state.confirm_amount, " will be invoiced", style={"color": theme.INK}),
                    ", and you get a receipt by e-mail. This cannot be undone.",
                    id="accept-text",
                    style={**MUTED, "margin": "0"},
                ),
                rx.el.div(
                    rx.el.button(
                        "Accept and invoice",
                        type="button",
                        on_click=state.accept,
                        auto_focus=True,
                        style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM},
                    ),
                    rx.el.button(
                        "Cancel",
                        type="button",
                        on_click=state.cancel_accept,
                        style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
                    ),
                    style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap"},
                ),
                role="alertdialog",
                aria_modal="true",
                aria_labelledby="accept-heading",
                aria_describedby="accept-text",
                style={
                    **theme.CARD,
                    "display": "grid",
                    "gap": theme.SPACE_4,
                    "width": "min(520px, 100%)",
                    "max_height": "calc(100vh - 2rem)",
                    "overflow_y": "auto",
                },
            ),
            style=theme.MODAL_BACKDROP,
        ),
    )
