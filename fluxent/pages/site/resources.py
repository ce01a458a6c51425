"""Resources: the index and one prerendered page per Markdown article in ``content/resources``."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import arrow_label, public_page
from fluxent.services.marketing import content
from fluxent.services.marketing.content import Document


def _byline(article: Document) -> str:
    return f"{article.meta['author']} · {article.meta['reading_time']}"


@public_page(
    routes.RESOURCES,
    title="Resources · Fluxent",
    description="Practical guides on scoping fixed-price software, working with forward-deployed engineers and accepting milestones.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Resources",
            "Guides for buying software that ships",
            "What we have learned from fixed-price builds, written for founders and operations leads. Free to copy and share.",
        ),
        marketing.section(
            marketing.section_heading(
                "Guides", "Scope, build, accept", "Short, practical reads for each stage of a fixed-price engagement."
            ),
            marketing.card_grid(
                *[
                    marketing.link_card(
                        href=routes.resource(article.slug),
                        kicker="Guide",
                        title=article.title,
                        text=article.summary,
                        footer=_byline(article),
                        link_label="Read the guide",
                    )
                    for article in content.collection(content.RESOURCES)
                ]
            ),
            label="All guides",
            tinted=True,
        ),
        marketing.cta_band(),
    )


def article_page(article: Document):
    @public_page(routes.resource(article.slug), title=f"{article.title} · Fluxent", description=article.summary)
    def page() -> rx.Component:
        return rx.fragment(
            marketing.page_head(
                "Guide",
                article.title,
                article.summary,
                rx.el.p(
                    _byline(article),
                    style={"margin": f"{theme.SPACE_5} 0 0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM},
                ),
            ),
            marketing.section(
                rx.el.article(marketing.prose(article.body_html)),
                rx.el.a(
                    arrow_label("All guides"),
                    href=routes.RESOURCES,
                    style={
                        "display": "inline-block",
                        "margin_top": theme.SPACE_8,
                        "color": theme.ACCENT,
                        "font_weight": theme.WEIGHT_SEMIBOLD,
                        "text_decoration": "none",
                    },
                ),
                label="Article",
            ),
            marketing.cta_band(),
        )

    return page


def pages() -> list:
    return [page, *[article_page(article) for article in content.collection(content.RESOURCES)]]
