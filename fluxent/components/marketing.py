"""Building blocks of the marketing pages: page heads, sections, cards, prose, call to action.

Pages compose these; colours, type and spacing come from ``theme``.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.public_layout import arrow_label, scope_button
from fluxent.core.promises import REPLY_TIME

SECTION_PAD = {
    "padding_top": theme.SPACE_16,
    "padding_bottom": theme.SPACE_16,
    theme.DESKTOP: {"padding_top": theme.SPACE_24, "padding_bottom": theme.SPACE_24},
}
LEAD_TEXT: dict[str, Any] = {
    "margin": "0",
    "font_size": theme.TEXT_LG,
    "color": theme.TEXT_MUTED,
    "max_width": "62ch",
    "line_height": theme.LEADING_BODY,
}
HERO_BACKGROUND = (
    f"radial-gradient(900px 420px at 85% 0%, {theme.ACCENT_GLOW}, {theme.TRANSPARENT} 70%), "
    f"radial-gradient(700px 380px at 0% 0%, {theme.MINT_GLOW}, {theme.TRANSPARENT} 70%), {theme.CANVAS}"
)


def eyebrow(text: str, *, on_dark: bool = False) -> rx.Component:
    return rx.el.p(
        text,
        style={
            **theme.EYEBROW,
            "margin": f"0 0 {theme.SPACE_3}",
            "color": theme.ACCENT_ON_INK if on_dark else theme.ACCENT,
        },
    )


def page_head(
    kicker: str, title: str, lead: str, *extra: rx.Component, art: rx.Component | None = None
) -> rx.Component:
    """The top of an inner page: eyebrow, the page's one h1, a lead paragraph, optional art."""
    text = rx.el.div(
        eyebrow(kicker),
        rx.el.h1(
            title,
            style={
                **theme.HEADING_1,
                "font_size": theme.HEADING_XL,
                "letter_spacing": theme.TRACKING_TIGHTER,
                "margin": f"0 0 {theme.SPACE_5}",
                "max_width": "20ch",
            },
        ),
        rx.el.p(lead, style=LEAD_TEXT),
        *extra,
    )
    grid: dict[str, Any] = {
        **theme.CONTAINER,
        "display": "grid",
        "gap": theme.SPACE_10,
        "align_items": "center",
        "padding_top": theme.SPACE_16,
        "padding_bottom": theme.SPACE_16,
    }
    if art is not None:
        grid[theme.DESKTOP] = {"grid_template_columns": "1.2fr 0.8fr"}
    children = (
        [text]
        if art is None
        else [text, rx.el.div(art, style={"display": "none", theme.DESKTOP: {"display": "block"}})]
    )
    return rx.el.section(
        rx.el.div(*children, style=grid),
        style={"background": HERO_BACKGROUND, "border_bottom": f"1px solid {theme.LINE}"},
    )


def section(
    *children: rx.Component, label: str, tinted: bool = False, dark: bool = False, style: dict[str, Any] | None = None
) -> rx.Component:
    background = theme.INK if dark else (theme.CANVAS if tinted else theme.SURFACE)
    return rx.el.section(
        rx.el.div(*children, style={**theme.CONTAINER, **SECTION_PAD, **(style or {})}),
        aria_label=label,
        style={"background": background, "color": theme.ON_INK if dark else theme.TEXT},
    )


def section_heading(
    kicker: str, title: str, lead: str = "", *, on_dark: bool = False, level: str = "h2"
) -> rx.Component:
    heading = rx.el.h2 if level == "h2" else rx.el.h3
    return rx.el.div(
        eyebrow(kicker, on_dark=on_dark),
        heading(
            title,
            style={
                **theme.HEADING_2,
                "font_size": theme.HEADING_MD,
                "margin": "0",
                "color": theme.ON_INK if on_dark else theme.INK,
                "max_width": "28ch",
            },
        ),
        rx.el.p(
            lead,
            style={
                **LEAD_TEXT,
                "margin_top": theme.SPACE_4,
                "color": theme.ON_INK_MUTED if on_dark else theme.TEXT_MUTED,
            },
        )
        if lead
        else rx.fragment(),
        style={"margin_bottom": theme.SPACE_10},
    )


def card_grid(*cards: rx.Component, columns: int = 3, as_list: bool = True) -> rx.Component:
    tag = rx.el.ul if as_list else rx.el.div
    return tag(
        *cards,
        style={
            "list_style": "none",
            "margin": "0",
            "padding": "0",
            "display": "grid",
            "gap": theme.SPACE_6,
            theme.TABLET_UP: {"grid_template_columns": "repeat(2, 1fr)"},
            theme.DESKTOP: {"grid_template_columns": f"repeat({columns}, 1fr)"},
        },
    )


def feature_card(icon: str, title: str, text: str, *, step: str = "") -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(rx.icon(icon, size=20), aria_hidden="true", style=theme.icon_tile()),
            rx.el.span(step, style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE}) if step else rx.fragment(),
            style={"display": "flex", "align_items": "center", "justify_content": "space-between"},
        ),
        rx.el.h3(
            title,
            style={
                "margin": f"{theme.SPACE_5} 0 {theme.SPACE_2}",
                "font_size": theme.TEXT_XL,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "color": theme.INK,
                "line_height": theme.LEADING_SNUG,
                "letter_spacing": theme.TRACKING_TIGHT,
            },
        ),
        rx.el.p(
            text,
            style={
                "margin": "0",
                "color": theme.TEXT_MUTED,
                "font_size": theme.TEXT_MD,
                "line_height": theme.LEADING_BODY,
            },
        ),
        style={**theme.CARD, "padding": theme.SPACE_8, "height": "100%"},
    )


def client_quote(text: str, author: str, role: str, *, compact: bool = False) -> rx.Component:
    """A client's words with who said them; ``compact`` for a card."""
    return rx.el.figure(
        rx.el.blockquote(
            rx.el.p(f"“{text}”", style={"margin": "0"}),
            style={
                "margin": "0",
                "color": theme.INK,
                "font_size": theme.TEXT_MD if compact else theme.TEXT_XL,
                "line_height": theme.LEADING_SNUG,
                "font_weight": theme.WEIGHT_MEDIUM,
            },
        ),
        rx.el.figcaption(
            rx.el.span(author, style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
            rx.el.span(f", {role}" if role else "", style={"color": theme.TEXT_MUTED}),
            style={"margin_top": theme.SPACE_3, "font_size": theme.TEXT_SM},
        ),
        data_testid="client-quote",
        style={
            "margin": f"{theme.SPACE_5} 0 0" if compact else f"0 0 {theme.SPACE_8}",
            "padding": f"{theme.SPACE_4} {theme.SPACE_5}" if compact else f"{theme.SPACE_6} {theme.SPACE_8}",
            "border_left": f"4px solid {theme.ACCENT}",
            "background": theme.ACCENT_SOFT,
            "border_radius": f"0 {theme.RADIUS_MD} {theme.RADIUS_MD} 0",
        },
    )


def link_card(
    *, href: str, kicker: str, title: str, text: str, footer: str, link_label: str, quote: rx.Component | None = None
) -> rx.Component:
    """A card whose title links to a page (case study, article); ``quote`` goes under the text."""
    return rx.el.li(
        rx.el.article(
            rx.el.p(kicker, style={**theme.EYEBROW, "margin": "0", "color": theme.ACCENT}),
            rx.el.h3(
                rx.el.a(
                    title,
                    href=href,
                    style={
                        "color": theme.INK,
                        "text_decoration": "none",
                        "&:hover": {"color": theme.ACCENT, "text_decoration": "underline"},
                    },
                ),
                style={
                    "margin": f"{theme.SPACE_3} 0 {theme.SPACE_3}",
                    "font_size": theme.TEXT_XL,
                    "line_height": theme.LEADING_SNUG,
                    "letter_spacing": theme.TRACKING_TIGHT,
                },
            ),
            rx.el.p(
                text, style={"margin": "0", "color": theme.TEXT_MUTED, "line_height": theme.LEADING_BODY, "flex": "1"}
            ),
            quote if quote is not None else rx.fragment(),
            rx.el.p(
                footer,
                style={
                    "margin": f"{theme.SPACE_5} 0 0",
                    "padding_top": theme.SPACE_4,
                    "border_top": f"1px solid {theme.LINE}",
                    "color": theme.SUCCESS,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "font_size": theme.TEXT_SM,
                },
            ),
            rx.el.a(
                arrow_label(link_label),
                href=href,
                aria_hidden="true",
                tab_index=-1,
                style={
                    "margin_top": theme.SPACE_4,
                    "color": theme.ACCENT,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "font_size": theme.TEXT_SM,
                    "text_decoration": "none",
                },
            ),
            style={
                **theme.CARD,
                "padding": theme.SPACE_8,
                "height": "100%",
                "display": "flex",
                "flex_direction": "column",
            },
        ),
    )


PROSE: dict[str, Any] = {
    "max_width": "72ch",
    "color": theme.TEXT,
    "font_size": theme.TEXT_MD,
    "line_height": theme.LEADING_BODY,
    "& h2": {
        **theme.HEADING_2,
        "font_size": theme.HEADING_SM,
        "margin": f"{theme.SPACE_12} 0 {theme.SPACE_4}",
        "color": theme.INK,
        "scroll_margin_top": f"calc({theme.HEADER_HEIGHT} + {theme.SPACE_6})",
    },
    "& h3": {
        "font_size": theme.TEXT_XL,
        "margin": f"{theme.SPACE_10} 0 {theme.SPACE_3}",
        "color": theme.INK,
        "letter_spacing": theme.TRACKING_TIGHT,
    },
    "& h4": {"font_size": theme.TEXT_LG, "margin": f"{theme.SPACE_8} 0 {theme.SPACE_2}", "color": theme.INK},
    "& p": {"margin": f"0 0 {theme.SPACE_4}"},
    "& ul, & ol": {"margin": f"0 0 {theme.SPACE_5}", "padding_left": theme.SPACE_6},
    # The page's reset removes list markers; an article's lists keep their bullets and numbers.
    "& ul": {"list_style": "disc outside"},
    "& ol": {"list_style": "decimal outside"},
    "& ul ul": {"list_style_type": "circle", "margin": f"{theme.SPACE_2} 0 0"},
    "& li": {"margin_bottom": theme.SPACE_2, "padding_left": theme.SPACE_1},
    "& li::marker": {"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
    "& li > p": {"margin": "0"},
    "& a": {"color": theme.ACCENT, "text_decoration": "underline", "text_underline_offset": "3px"},
    "& strong": {"color": theme.INK},
    "& code": {
        "font_family": theme.FONT_MONO,
        "font_size": "0.9em",
        "background": theme.CANVAS,
        "padding": "2px 6px",
        "border_radius": theme.RADIUS_SM,
        "border": f"1px solid {theme.LINE}",
        "overflow_wrap": "anywhere",
    },
    "& blockquote": {
        "margin": f"{theme.SPACE_8} 0",
        "padding": f"{theme.SPACE_5} {theme.SPACE_6}",
        "border_left": f"4px solid {theme.ACCENT}",
        "background": theme.ACCENT_SOFT,
        "border_radius": f"0 {theme.RADIUS_MD} {theme.RADIUS_MD} 0",
        "font_size": theme.TEXT_LG,
        "color": theme.INK,
    },
    "& blockquote p:last-child": {"margin": "0"},
    "& table": {
        "width": "100%",
        "border_collapse": "collapse",
        "margin": f"{theme.SPACE_4} 0 {theme.SPACE_8}",
        "font_size": theme.TEXT_SM,
        "display": "block",
        "overflow_x": "auto",
    },
    "& th, & td": {
        "text_align": "left",
        "vertical_align": "top",
        "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
        "border_bottom": f"1px solid {theme.LINE}",
    },
    "& th": {"background": theme.CANVAS, "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD},
    "& > :first-child": {"margin_top": "0"},
}


def prose(html: str) -> rx.Component:
    """Rendered Markdown from our own content files (raw HTML is disabled in the loader)."""
    return rx.html(html, style=PROSE)


def meta_list(items: list[tuple[str, str]]) -> rx.Component:
    """Key facts (client, duration, outcome) as a definition list."""
    return rx.el.dl(
        *[
            rx.el.div(
                rx.el.dt(label, style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE}),
                rx.el.dd(
                    value,
                    style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.INK, "font_weight": theme.WEIGHT_MEDIUM},
                ),
                style={"padding": f"{theme.SPACE_4} 0", "border_bottom": f"1px solid {theme.LINE}"},
            )
            for label, value in items
        ],
        style={**theme.CARD, "padding": f"{theme.SPACE_2} {theme.SPACE_6}", "margin": "0"},
    )


def cta_band(
    title: str = "Have something to build?",
    text: str = f"Tell us what you need. Within {REPLY_TIME} an engineer reads it and we reply with questions or a fixed-price proposal.",
) -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.div(
                rx.el.h2(
                    title,
                    style={**theme.HEADING_2, "font_size": theme.HEADING_MD, "color": theme.ON_INK, "margin": "0"},
                ),
                rx.el.p(
                    text,
                    style={
                        "margin": f"{theme.SPACE_4} 0 0",
                        "color": theme.ON_INK_MUTED,
                        "font_size": theme.TEXT_LG,
                        "max_width": "56ch",
                    },
                ),
            ),
            rx.el.div(
                scope_button(large=True),
                rx.el.a("Contact us", href=routes.CONTACT, style={**theme.BUTTON_ON_INK, **theme.BUTTON_LARGE}),
                style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3},
            ),
            style={
                "display": "grid",
                "gap": theme.SPACE_8,
                "align_items": "center",
                "padding": theme.SPACE_10,
                "border_radius": theme.RADIUS_XL,
                "background": f"radial-gradient(600px 300px at 100% 0%, {theme.MINT_WASH}, {theme.TRANSPARENT} 70%), {theme.INK}",
                theme.DESKTOP: {"grid_template_columns": "1.4fr auto", "padding": theme.SPACE_16},
            },
        ),
        aria_label="Start a project",
        style={**theme.CONTAINER, "padding_top": theme.SPACE_16, "padding_bottom": theme.SPACE_16},
    )
