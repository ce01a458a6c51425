"""Client Journey: the phases of an engagement and what the client sees in the portal at each."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import public_page, scope_button
from fluxent.core.promises import PROPOSAL_TIME

# (icon, phase, what happens, what the client sees in the portal)
PHASES = (
    (
        "messages-square",
        "Scope",
        "You describe the problem through the scope form or a call. A forward-deployed engineer — not a salesperson — "
        "asks questions, often watches the work being done today, and writes down what done looks like. Scoping is free.",
        "Your scope request and our written summary of it, so you can correct anything we misunderstood.",
    ),
    (
        "file-text",
        "Fixed-price proposal",
        f"Within {PROPOSAL_TIME} you receive a proposal: scope, a \u201cnot included\u201d list, milestones with "
        "acceptance criteria, target dates and one price per milestone. Ask for changes until it is right.",
        "The proposal as a document with every version kept, comments, and the total price broken down by milestone.",
    ),
    (
        "file-pen-line",
        "Contract signed in the portal",
        "When the proposal is right, you sign the statement of work in the portal. The price is fixed from that moment: "
        "it does not change with the hours we spend.",
        "The signed contract with its signature record, available to everyone in your organization you invite.",
    ),
    (
        "hammer",
        "Build by forward-deployed engineers",
        "Our engineers join your chat and stand-ups and demo working software every week, on real data. "
        "If a date is at risk you hear it in writing the day we know, with the reason.",
        "Milestones with progress, weekly notes, demo recordings and documents such as designs and specifications.",
    ),
    (
        "circle-check-big",
        "Delivery and milestone acceptance",
        "Each milestone is delivered to a staging environment. You check it against its acceptance criteria; what is "
        "missing we fix at no extra cost. Only an accepted milestone is invoiced.",
        "An acceptance checklist per milestone, the accept button, and the invoice that follows it — payable by card.",
    ),
    (
        "life-buoy",
        "Support",
        "After the final milestone we hand over code, deployment notes and documentation. A 30-day warranty covers "
        "defects; optional monthly support covers monitoring, fixes and small improvements.",
        "Handover documents, the warranty end date, support requests and every past invoice, kept in one place.",
    ),
)


def _phase(number: int, icon: str, title: str, text: str, portal: str) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(
                rx.icon(icon, size=22),
                aria_hidden="true",
                style=theme.icon_tile("52px", background=theme.INK, color=theme.MINT),
            ),
            rx.el.span(
                aria_hidden="true",
                style={"flex": "1", "width": "2px", "background": theme.LINE, "margin_top": theme.SPACE_3},
            ),
            style={"display": "flex", "flex_direction": "column", "align_items": "center"},
        ),
        rx.el.div(
            rx.el.p(f"Phase {number}", style={**theme.EYEBROW, "margin": "0", "color": theme.ACCENT}),
            rx.el.h2(
                title,
                style={
                    **theme.HEADING_2,
                    "font_size": theme.HEADING_SM,
                    "margin": f"{theme.SPACE_2} 0 {theme.SPACE_3}",
                },
            ),
            rx.el.p(
                text,
                style={
                    "margin": "0",
                    "color": theme.TEXT_MUTED,
                    "line_height": theme.LEADING_BODY,
                    "max_width": "62ch",
                },
            ),
            rx.el.div(
                rx.el.p(
                    rx.icon("monitor-smartphone", size=16, aria_hidden="true"),
                    "In the portal",
                    style={
                        **theme.EYEBROW,
                        "display": "flex",
                        "align_items": "center",
                        "gap": theme.SPACE_2,
                        "margin": "0",
                        "color": theme.INK,
                    },
                ),
                rx.el.p(
                    portal,
                    style={
                        "margin": f"{theme.SPACE_2} 0 0",
                        "color": theme.TEXT,
                        "font_size": theme.TEXT_SM,
                        "line_height": theme.LEADING_BODY,
                    },
                ),
                style={
                    "margin_top": theme.SPACE_5,
                    "padding": theme.SPACE_5,
                    "border_radius": theme.RADIUS_LG,
                    "background": theme.ACCENT_SOFT,
                    "max_width": "62ch",
                },
            ),
            style={"padding_bottom": theme.SPACE_12},
        ),
        style={"display": "grid", "grid_template_columns": "52px 1fr", "gap": theme.SPACE_6},
    )


@public_page(
    routes.CLIENT_JOURNEY,
    title="Client Journey · Fluxent",
    description=(
        "The six phases of a Fluxent engagement — scope, fixed-price proposal, contract, build, acceptance "
        "and support — and what you see in the client portal at each."
    ),
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Client journey",
            "What working with Fluxent looks like, step by step",
            "Six phases from the first conversation to support after launch. At every step you know what is happening, "
            "what it costs, and where to find it in your client portal.",
            rx.el.div(scope_button(large=True), style={"margin_top": theme.SPACE_8}),
            art=rx.el.img(
                src="/illustrations/journey.svg",
                alt="",
                width="440",
                height="360",
                style={"width": "100%", "height": "auto", "border_radius": theme.RADIUS_XL},
            ),
        ),
        marketing.section(
            rx.el.ol(
                *[_phase(i, *phase) for i, phase in enumerate(PHASES, 1)],
                style={"list_style": "none", "margin": "0", "padding": "0", "max_width": "860px"},
            ),
            label="The six phases",
        ),
        marketing.cta_band("Ready for phase one?"),
    )
