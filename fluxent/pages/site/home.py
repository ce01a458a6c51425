"""Home page: the promise, how an engagement works, what the portal gives a client, proof, and a call to action."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import arrow_label, public_page, scope_button
from fluxent.services.marketing import content

_NO_WRAP = {"white_space": "nowrap"}

PROMISES = (
    ("badge-check", "Fixed price, agreed up front", "Scope, milestones and price are signed before work starts."),
    ("users-round", "Engineers inside your team", "Forward-deployed engineers work in your tools, with your people."),
    ("folder-lock", "One portal for everything", "Every contract, document and invoice in one secure place."),
)

# The illustrative build plan in the hero card.
PLAN = (
    ("Discovery & scope", "Week 1", True),
    ("Workflow automation", "Weeks 2–4", True),
    ("Operator dashboard", "Weeks 5–6", False),
    ("Launch & handover", "Week 7", False),
)


def _eyebrow() -> rx.Component:
    return rx.el.p(
        rx.el.span(
            aria_hidden="true",
            style={
                "width": "8px",
                "height": "8px",
                "border_radius": theme.RADIUS_PILL,
                "background": theme.MINT,
                "box_shadow": f"0 0 0 4px {theme.MINT_HALO}",
            },
        ),
        "Forward Deployed Engineering",
        style={
            **theme.EYEBROW,
            "display": "inline-flex",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "margin": "0",
            "padding": f"{theme.SPACE_2} {theme.SPACE_4}",
            "border_radius": theme.RADIUS_PILL,
            "background": theme.SURFACE,
            "border": f"1px solid {theme.LINE}",
            "color": theme.INK,
            "box_shadow": theme.SHADOW_SM,
        },
    )


def _plan_row(name: str, when: str, done: bool) -> rx.Component:
    mark: dict[str, Any] = {
        "display": "inline-flex",
        "align_items": "center",
        "justify_content": "center",
        "width": "24px",
        "height": "24px",
        "border_radius": theme.RADIUS_PILL,
        "flex_shrink": "0",
        "background": theme.SUCCESS_SOFT if done else theme.CANVAS,
        "color": theme.SUCCESS if done else theme.TEXT_SUBTLE,
        "border": f"1px solid {theme.SUCCESS_SOFT if done else theme.LINE}",
    }
    return rx.el.li(
        rx.el.span(rx.icon("check" if done else "circle-dashed", size=14), style=mark),
        rx.el.span(name, style={"flex": "1", "color": theme.INK, "font_weight": theme.WEIGHT_MEDIUM}),
        rx.el.span(when, style={"color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_XS}),
        style={
            "display": "flex",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "padding": f"{theme.SPACE_3} 0",
            "border_bottom": f"1px solid {theme.LINE}",
            "font_size": theme.TEXT_SM,
        },
    )


def _plan_card() -> rx.Component:
    """An illustration of a fixed-price build plan (decorative, not live data)."""
    return rx.el.figure(
        rx.el.div(
            rx.el.div(
                rx.el.p("Fixed-price build", style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE, "margin": "0"}),
                rx.el.p(
                    "Operations platform",
                    style={
                        "margin": f"{theme.SPACE_1} 0 0",
                        "line_height": theme.LEADING_SNUG,
                        "color": theme.INK,
                        "font_size": theme.TEXT_XL,
                        "font_weight": theme.WEIGHT_BOLD,
                        "letter_spacing": theme.TRACKING_TIGHT,
                    },
                ),
            ),
            rx.el.span(
                "On track",
                style={
                    **_NO_WRAP,
                    "padding": f"{theme.SPACE_1} {theme.SPACE_3}",
                    "border_radius": theme.RADIUS_PILL,
                    "background": theme.SUCCESS_SOFT,
                    "color": theme.SUCCESS,
                    "font_size": theme.TEXT_XS,
                    "font_weight": theme.WEIGHT_BOLD,
                },
            ),
            style={
                "display": "flex",
                "align_items": "flex-start",
                "justify_content": "space-between",
                "gap": theme.SPACE_4,
            },
        ),
        rx.el.div(
            rx.el.div(
                style={
                    "width": "50%",
                    "height": "100%",
                    "border_radius": theme.RADIUS_PILL,
                    "background": f"linear-gradient(90deg, {theme.MINT}, {theme.ACCENT})",
                }
            ),
            aria_hidden="true",
            style={
                "height": "8px",
                "border_radius": theme.RADIUS_PILL,
                "background": theme.CANVAS,
                "margin": f"{theme.SPACE_5} 0 {theme.SPACE_2}",
            },
        ),
        rx.el.ul(*[_plan_row(*row) for row in PLAN], style={"list_style": "none", "margin": "0", "padding": "0"}),
        rx.el.div(
            rx.el.span("Price", style={"color": theme.TEXT_SUBTLE}),
            rx.el.span(
                "Fixed · billed per milestone",
                style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "text_align": "right"},
            ),
            style={
                "display": "flex",
                "justify_content": "space-between",
                "gap": theme.SPACE_4,
                "padding_top": theme.SPACE_4,
                "font_size": theme.TEXT_SM,
            },
        ),
        rx.el.figcaption("An example build plan, as clients follow it in the portal.", style=theme.VISUALLY_HIDDEN),
        style={
            **theme.CARD,
            "box_shadow": theme.SHADOW_LG,
            "padding": theme.SPACE_8,
            "margin": "0",
            "width": "100%",
            "max_width": theme.PANEL_MAX_WIDTH,
            "justify_self": "center",
        },
    )


def _promise(icon: str, title: str, text: str) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon(icon, size=20), aria_hidden="true", style=theme.icon_tile()),
        rx.el.div(
            rx.el.h2(title, style={**theme.HEADING_2, "font_size": theme.TEXT_MD, "letter_spacing": "normal"}),
            rx.el.p(
                text, style={"margin": f"{theme.SPACE_1} 0 0", "font_size": theme.TEXT_SM, "color": theme.TEXT_MUTED}
            ),
        ),
        style={"display": "flex", "gap": theme.SPACE_4, "align_items": "flex-start"},
    )


def _hero() -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.div(
                _eyebrow(),
                rx.el.h1(
                    rx.el.span("Forward-deployed", style=_NO_WRAP),
                    " engineers. ",
                    rx.el.span(rx.el.span("Fixed-price", style=_NO_WRAP), " builds.", style={"color": theme.ACCENT}),
                    style={
                        **theme.HEADING_1,
                        "margin": f"{theme.SPACE_6} 0 {theme.SPACE_5}",
                        "font_size": theme.HEADING_LG,
                        "letter_spacing": theme.TRACKING_TIGHTER,
                        "max_width": "16ch",
                    },
                ),
                rx.el.p(
                    "We embed senior engineers with your team, scope the work to a fixed price, and ship "
                    "production software in weeks — with AI-accelerated delivery and every contract, "
                    "document and invoice in one client portal.",
                    style={"margin": "0", "font_size": theme.TEXT_LG, "color": theme.TEXT_MUTED, "max_width": "56ch"},
                ),
                rx.el.div(
                    scope_button(large=True),
                    rx.el.a(
                        arrow_label("See the client journey"),
                        href=routes.CLIENT_JOURNEY,
                        style={**theme.BUTTON_SECONDARY, **theme.BUTTON_LARGE},
                    ),
                    style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin_top": theme.SPACE_8},
                ),
            ),
            _plan_card(),
            style={
                **theme.CONTAINER,
                "display": "grid",
                "gap": theme.SPACE_12,
                "align_items": "center",
                "padding_top": theme.SPACE_16,
                "padding_bottom": theme.SPACE_16,
                theme.DESKTOP: {
                    "grid_template_columns": "1.15fr 0.85fr",
                    "padding_top": theme.SPACE_24,
                    "padding_bottom": theme.SPACE_20,
                },
            },
        ),
        aria_label="Introduction",
        style={
            "background": (
                f"radial-gradient(900px 420px at 85% 10%, {theme.ACCENT_GLOW}, {theme.TRANSPARENT} 70%), "
                f"radial-gradient(700px 380px at 0% 0%, {theme.MINT_GLOW}, {theme.TRANSPARENT} 70%), {theme.CANVAS}"
            ),
            "border_bottom": f"1px solid {theme.LINE}",
        },
    )


def _promises() -> rx.Component:
    return rx.el.section(
        rx.el.ul(
            *[_promise(*item) for item in PROMISES],
            style={
                **theme.CONTAINER,
                "list_style": "none",
                "display": "grid",
                "gap": theme.SPACE_8,
                "padding_top": theme.SPACE_12,
                "padding_bottom": theme.SPACE_16,
                theme.TABLET_UP: {"grid_template_columns": "repeat(3, 1fr)"},
            },
        ),
        aria_label="How we work",
    )


STEPS = (
    (
        "messages-square",
        "Scope",
        "Tell us the problem. An engineer asks the right questions and writes down what done looks like.",
    ),
    (
        "file-pen-line",
        "Fixed-price proposal",
        "Milestones, acceptance criteria, dates and one price per milestone, signed in the portal.",
    ),
    ("hammer", "Build", "Forward-deployed engineers ship working software every week, inside your team and tools."),
    (
        "circle-check-big",
        "Accept and pay",
        "You accept each milestone against its checklist. Only then is it invoiced.",
    ),
)

PORTAL_FEATURES = (
    ("Proposals and contracts", "Review the scope and sign the statement of work without printing anything."),
    ("Milestones and progress", "See what is done, what is next, and whether dates are at risk — every week."),
    ("Documents in one place", "Designs, specs, release notes and handover documents, versioned and private."),
    (
        "Invoices tied to acceptance",
        "Each invoice points at the milestone you accepted. Pay securely by card or transfer.",
    ),
)


def _engagement() -> rx.Component:
    return marketing.section(
        marketing.section_heading(
            "How an engagement works",
            "From a conversation to software in production, at a price agreed up front",
            "Most builds take four to twelve weeks. You always know what is being built, when it lands and what it costs.",
        ),
        marketing.card_grid(
            *[
                marketing.feature_card(icon, title, text, step=f"Step {i}")
                for i, (icon, title, text) in enumerate(STEPS, 1)
            ],
            columns=4,
        ),
        rx.el.p(
            rx.el.a(
                arrow_label("Follow the full client journey"),
                href=routes.CLIENT_JOURNEY,
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD, "text_decoration": "none"},
            ),
            style={"margin": f"{theme.SPACE_8} 0 0"},
        ),
        label="How an engagement works",
        tinted=True,
    )


def _portal_item(title: str, text: str) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.icon("check", size=16),
            aria_hidden="true",
            style={**theme.icon_tile("28px", background=theme.SUCCESS_SOFT, color=theme.SUCCESS), "flex_shrink": "0"},
        ),
        rx.el.div(
            rx.el.h3(title, style={"margin": "0", "font_size": theme.TEXT_MD, "color": theme.INK}),
            rx.el.p(
                text,
                style={
                    "margin": f"{theme.SPACE_1} 0 0",
                    "color": theme.TEXT_MUTED,
                    "font_size": theme.TEXT_SM,
                    "line_height": theme.LEADING_BODY,
                },
            ),
        ),
        style={"display": "flex", "gap": theme.SPACE_4, "align_items": "flex-start"},
    )


def _portal() -> rx.Component:
    return marketing.section(
        rx.el.div(
            rx.el.div(
                marketing.section_heading(
                    "The client portal",
                    "One place for every contract, document and invoice",
                    "No more digging through e-mail for the latest statement of work. Everyone on your side sees the same truth.",
                ),
                rx.el.ul(
                    *[_portal_item(*item) for item in PORTAL_FEATURES],
                    style={
                        "list_style": "none",
                        "margin": "0",
                        "padding": "0",
                        "display": "grid",
                        "gap": theme.SPACE_5,
                    },
                ),
            ),
            rx.el.img(
                src="/illustrations/portal.svg",
                alt="",
                width="520",
                height="380",
                loading="lazy",
                style={"width": "100%", "height": "auto", "display": "block", "filter": theme.DROP_SHADOW_ILLUSTRATION},
            ),
            style={
                "display": "grid",
                "gap": theme.SPACE_12,
                "align_items": "center",
                theme.DESKTOP: {"grid_template_columns": "1fr 1fr"},
            },
        ),
        label="The client portal",
    )


def _proof() -> rx.Component:
    studies = content.collection(content.CASE_STUDIES)[:3]
    return marketing.section(
        marketing.section_heading(
            "Proof", "Builds that changed how teams work", "Three recent fixed-price engagements, in numbers."
        ),
        marketing.card_grid(
            *[
                marketing.link_card(
                    href=routes.case_study(study.slug),
                    kicker=study.meta["industry"],
                    title=study.title,
                    text=study.summary,
                    footer=study.meta["outcome"],
                    link_label="Read the case study",
                )
                for study in studies
            ]
        ),
        label="Case studies",
        tinted=True,
    )


@public_page(
    routes.HOME,
    title="Fluxent · Forward-deployed engineers, fixed-price builds",
    description=(
        "Fluxent embeds forward-deployed engineers with founders, SMBs and operations teams "
        "to ship fixed-price software builds, with one portal for every contract, document and invoice."
    ),
)
def page() -> rx.Component:
    return rx.fragment(_hero(), _promises(), _engagement(), _portal(), _proof(), marketing.cta_band())
