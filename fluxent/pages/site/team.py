"""Team: the staff who chose to be listed, read from the database when the page loads."""

from __future__ import annotations

import dataclasses

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import public_page
from fluxent.state.formatting import LinkItem
from fluxent.state.marketing import TeamCard, TeamState

VALUES = (
    (
        "compass",
        "Engineers first",
        "Everyone who scopes your build can also build it. You never talk to a layer of account managers.",
    ),
    (
        "handshake",
        "Inside your team",
        "We work in your tools and at your pace, and we leave your people able to run what we built.",
    ),
    ("shield-check", "Careful with data", "Least access, encrypted secrets, audited actions. Your data stays yours."),
)


def _portrait(member: TeamCard) -> rx.Component:
    """The photo, or the initials where there is none."""
    return rx.cond(
        member.photo_url != "",
        rx.el.img(
            src=member.photo_url,
            alt=member.name,
            loading="lazy",
            style={
                "display": "block",
                "width": "96px",
                "height": "96px",
                "border_radius": theme.RADIUS_PILL,
                "object_fit": "cover",
            },
        ),
        rx.el.span(
            member.initials,
            aria_hidden="true",
            style={
                **theme.icon_tile("56px", background=theme.INK, color=theme.MINT),
                "font_size": theme.TEXT_XL,
                "font_weight": theme.WEIGHT_BOLD,
            },
        ),
    )


def _link(link: LinkItem) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            link.label,
            href=link.url,
            rel="noopener noreferrer nofollow",
            target="_blank",
            style={"color": theme.ACCENT, "font_size": theme.TEXT_SM, "overflow_wrap": "anywhere"},
        )
    )


def _member(member: TeamCard) -> rx.Component:
    return rx.el.li(
        _portrait(member),
        rx.el.h3(
            member.name,
            style={
                "margin": f"{theme.SPACE_5} 0 {theme.SPACE_1}",
                "font_size": theme.TEXT_XL,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "color": theme.INK,
            },
        ),
        rx.el.p(member.title, style={"margin": "0", "color": theme.TEXT, "font_weight": theme.WEIGHT_MEDIUM}),
        rx.el.p(
            member.team,
            style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM},
        ),
        rx.cond(
            member.bio != "",
            rx.el.p(
                member.bio,
                style={"margin": f"{theme.SPACE_4} 0 0", "color": theme.TEXT, "white_space": "pre-line"},
            ),
        ),
        rx.cond(
            member.links.length() > 0,  # type: ignore[attr-defined]
            rx.el.ul(
                rx.foreach(member.links, _link),
                aria_label="Links",
                style={"list_style": "none", "margin": f"{theme.SPACE_4} 0 0", "padding": "0"},
            ),
        ),
        data_testid="team-member",
        style={**theme.CARD, "padding": theme.SPACE_8, "min_width": "0"},
    )


def _grid(*cards: rx.Component) -> rx.Component:
    """As many equal columns as fit (one on a phone): every cell holds a card, rows stretch to the tallest."""
    return rx.el.ul(
        *cards,
        style={
            "list_style": "none",
            "margin": "0",
            "padding": "0",
            "display": "grid",
            "gap": theme.SPACE_6,
            "grid_template_columns": "repeat(auto-fit, minmax(min(100%, 17rem), 1fr))",
        },
    )


@public_page(
    routes.TEAM,
    title="Team · Fluxent",
    description="The forward-deployed engineers and delivery leads behind every Fluxent build.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Team",
            "The people who build your software",
            "Senior engineers and delivery leads who scope, build and support every engagement themselves. "
            "Listed here are the team members who chose to appear on this page.",
        ),
        marketing.section(
            marketing.section_heading("Who we are", "Meet the team"),
            rx.cond(
                TeamState.loaded,
                rx.cond(
                    TeamState.members.length() > 0,
                    _grid(rx.foreach(TeamState.members, _member)),
                    rx.el.p(
                        "Our team page is being updated. Write to us and an engineer will reply.",
                        style={"margin": "0", "color": theme.TEXT_MUTED},
                    ),
                ),
                rx.el.p("Loading the team…", style={"margin": "0", "color": theme.TEXT_MUTED}),
            ),
            label="Team members",
            tinted=True,
        ),
        marketing.section(
            marketing.section_heading("How we work", "What you can count on"),
            marketing.card_grid(*[marketing.feature_card(*value) for value in VALUES]),
            label="How we work",
        ),
        marketing.cta_band(),
    )


page.spec = dataclasses.replace(page.spec, on_load=TeamState.load)
