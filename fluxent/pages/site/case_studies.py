"""Case studies: the index and one prerendered page per Markdown file in ``content/case-studies``."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import arrow_label, public_page
from fluxent.services.marketing import content
from fluxent.services.marketing.content import Document


def _quote(study: Document, *, compact: bool = False) -> rx.Component | None:
    """The client's quote from the front matter (``quote``, ``quote_author``, ``quote_role``), if any."""
    if not study.meta.get("quote"):
        return None
    return marketing.client_quote(
        study.meta["quote"], study.meta.get("quote_author", ""), study.meta.get("quote_role", ""), compact=compact
    )


def _cards() -> rx.Component:
    return marketing.card_grid(
        *[
            marketing.link_card(
                href=routes.case_study(study.slug),
                kicker=study.meta["industry"],
                title=study.title,
                text=study.summary,
                footer=study.meta["outcome"],
                link_label="Read the case study",
                quote=_quote(study, compact=True),
            )
            for study in content.collection(content.CASE_STUDIES)
        ]
    )


@public_page(
    routes.CASE_STUDIES,
    title="Case Studies · Fluxent",
    description="Fixed-price software builds delivered by Fluxent's forward-deployed engineers, with the results in numbers.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Case studies",
            "Fixed-price builds, measured by what changed",
            "Each engagement below was scoped, priced and delivered milestone by milestone through the Fluxent portal. "
            "Clients asked us to withhold their names; the numbers are theirs.",
        ),
        marketing.section(
            marketing.section_heading(
                "Recent engagements",
                "Three builds, three industries",
                "Logistics, healthcare services and field services: scoped, priced and accepted milestone by milestone.",
            ),
            _cards(),
            label="All case studies",
            tinted=True,
        ),
        marketing.cta_band(),
    )


def study_page(study: Document):
    """The page for one case study, built when the app starts (so it is prerendered)."""

    @public_page(routes.case_study(study.slug), title=f"{study.title} · Fluxent case study", description=study.summary)
    def page() -> rx.Component:
        return rx.fragment(
            marketing.page_head("Case study · " + study.meta["industry"], study.title, study.summary),
            marketing.section(
                rx.el.div(
                    rx.el.article(_quote(study) or rx.fragment(), marketing.prose(study.body_html)),
                    rx.el.aside(
                        marketing.meta_list(
                            [
                                ("Client", study.meta["client"]),
                                ("Duration", study.meta["duration"]),
                                ("Outcome", study.meta["outcome"]),
                            ]
                        ),
                        rx.el.a(
                            arrow_label("All case studies"),
                            href=routes.CASE_STUDIES,
                            style={
                                "display": "inline-block",
                                "margin_top": theme.SPACE_5,
                                "color": theme.ACCENT,
                                "font_weight": theme.WEIGHT_SEMIBOLD,
                                "text_decoration": "none",
                            },
                        ),
                        aria_label="Engagement facts",
                        style={
                            theme.DESKTOP: {
                                "position": "sticky",
                                "top": f"calc({theme.HEADER_HEIGHT} + {theme.SPACE_6})",
                            }
                        },
                    ),
                    style={
                        "display": "grid",
                        "gap": theme.SPACE_10,
                        "align_items": "start",
                        theme.DESKTOP: {"grid_template_columns": "minmax(0, 1fr) 320px"},
                    },
                ),
                label="The engagement",
            ),
            marketing.cta_band("Want results like these?"),
        )

    return page


def pages() -> list:
    return [page, *[study_page(study) for study in content.collection(content.CASE_STUDIES)]]
