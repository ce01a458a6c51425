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

# A policy page may point past its text: the privacy policy to the promises code keeps.
FURTHER = {"privacy": ("How we keep these promises, with the tests that prove them", routes.PRIVACY_COMMITMENTS)}


def _further(slug: str) -> list[rx.Component]:
    if slug not in FURTHER:
        return []
    label, href = FURTHER[slug]
    return [
        rx.el.p(
            rx.el.a(label, href=href, style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD}),
            style={"margin": f"{theme.SPACE_3} 0 0", "font_size": theme.TEXT_SM},
        )
    ]


def _contents(contents: tuple[tuple[str, str], ...]) -> rx.Component:
    """The policy's sections as jump links, beside the text on wide screens."""
    link = {
        "display": "block",
        "padding": f"{theme.SPACE_1} 0",
        "color": theme.TEXT_MUTED,
        "font_size": theme.TEXT_SM,
        "text_decoration": "none",
        "&:hover": {"color": theme.ACCENT, "text_decoration": "underline"},
    }
    return rx.el.nav(
        rx.el.h2("On this page", style={**theme.EYEBROW, "color": theme.TEXT_SUBTLE, "margin": f"0 0 {theme.SPACE_3}"}),
        rx.el.ul(
            *[rx.el.li(plain_link(text, href=f"#{ident}", style=link)) for ident, text in contents],
            style={"list_style": "none", "margin": "0", "padding": "0"},
        ),
        aria_label="On this page",
        style={
            "display": "none",
            theme.DESKTOP: {
                "display": "block",
                "position": "sticky",
                "top": f"calc({theme.HEADER_HEIGHT} + {theme.SPACE_6})",
                "padding": theme.SPACE_6,
                "border_left": f"2px solid {theme.LINE}",
            },
        },
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
                *_further(slug),
            ),
            marketing.section(
                rx.el.div(
                    rx.el.article(marketing.prose(document.body_html)),
                    _contents(document.contents),
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
