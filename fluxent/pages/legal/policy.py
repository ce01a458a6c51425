"""The four legal pages, each rendered from its Markdown file under ``content/legal``."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import public_page
from fluxent.services import content

ROUTES = {
    "privacy": routes.PRIVACY_POLICY,
    "terms": routes.TERMS_OF_SERVICE,
    "cookies": routes.COOKIE_POLICY,
    "fulfillment": routes.FULFILLMENT_POLICY,
}


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
                    style={"margin": f"{theme.SPACE_5} 0 0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_SEMIBOLD},
                ),
            ),
            marketing.section(rx.el.article(marketing.prose(document.body_html)), label=document.title),
        )

    return page


def pages() -> list:
    return [policy_page(slug, route) for slug, route in ROUTES.items()]
