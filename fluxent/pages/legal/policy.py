"""The four legal pages, each rendered from its Markdown file under ``content/legal``."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import plain_link, public_page
from fluxent.services.marketing import content

ROUTES = {
    "privacy": routes.PRIVACY_POLICY,
    "terms": routes.TERMS_OF_SERVICE,
    "cookies": routes.COOKIE_POLICY,
    "fulfillment": routes.FULFILLMENT_POLICY,
}


_LINK = {
    "display": "block",
    "padding": f"{theme.SPACE_1} 0",
    "color": theme.TEXT_MUTED,
    "font_size": theme.TEXT_SM,
    "text_decoration": "none",
    "&:hover": {"color": theme.ACCENT, "text_decoration": "underline"},
}


def _links(contents: tuple[tuple[str, str], ...]) -> rx.Component:
    return rx.el.ul(
        *[rx.el.li(plain_link(text, href=f"#{ident}", style=_LINK)) for ident, text in contents],
        style={"list_style": "none", "margin": "0", "padding": "0"},
    )


def _contents(contents: tuple[tuple[str, str], ...]) -> rx.Component:
    """The policy's sections as jump links: beside the text on wide screens, a folded list
    above it on phones and tablets."""
    heading = {**theme.EYEBROW, "color": theme.TEXT_SUBTLE, "margin": f"0 0 {theme.SPACE_3}"}
    return rx.fragment(
        rx.el.details(
            rx.el.summary("On this page", style={**theme.DISCLOSURE_SUMMARY, "cursor": "pointer"}),
            rx.el.nav(_links(contents), aria_label="On this page", style={"padding": f"{theme.SPACE_4} 0 0"}),
            data_testid="policy-contents-folded",
            style={theme.DESKTOP: {"display": "none"}},
        ),
        rx.el.nav(
            rx.el.h2("On this page", style=heading),
            _links(contents),
            aria_label="On this page",
            style={
                "display": "none",
                theme.DESKTOP: {
                    "display": "block",
                    "grid_column": "2",
                    "grid_row": "1",
                    "position": "sticky",
                    "top": f"calc({theme.HEADER_HEIGHT} + {theme.SPACE_6})",
                    "padding": theme.SPACE_6,
                    "border_left": f"2px solid {theme.LINE}",
                },
            },
        ),
    )


def policy_page(slug: str, route: str):
    document = content.document(content.LEGAL, slug)

    @public_page(route, title=f"{document.title} · Fluxent", description=document.summary)
    def page() -> rx.Component:
        return rx.fragment(
            marketing.page_head(
                "Legal",
                document.title,
                document.summary,
                rx.el.p(
                    f"Effective Date: {document.meta['effective']} · Last Updated: {document.meta['updated']}",
                    style={
                        "margin": f"{theme.SPACE_5} 0 0",
                        "color": theme.TEXT_SUBTLE,
                        "font_size": theme.TEXT_SM,
                        "font_weight": theme.WEIGHT_SEMIBOLD,
                    },
                ),
            ),
            marketing.section(
                rx.el.div(
                    _contents(document.contents),
                    rx.el.article(marketing.prose(document.body_html), style={theme.DESKTOP: {"grid_row": "1"}}),
                    style={
                        "display": "grid",
                        "gap": theme.SPACE_12,
                        "align_items": "start",
                        theme.DESKTOP: {"grid_template_columns": "minmax(0, 1fr) 280px"},
                    },
                ),
                label=document.title,
            ),
        )

    return page


def pages() -> list:
    return [policy_page(slug, route) for slug, route in ROUTES.items()]
