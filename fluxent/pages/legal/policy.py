"""The four legal pages, each rendered from its Markdown file under ``content/legal``, and
their earlier versions (``/legal/<doc>/versions/<n>``), each page listing the versions and what changed."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import marketing, theme
from fluxent.components.public_layout import plain_link, public_page
from fluxent.services.policies.versions import PolicyVersion, display_date, versions

_META_LINE = {
    "margin": f"{theme.SPACE_5} 0 0",
    "color": theme.TEXT_SUBTLE,
    "font_size": theme.TEXT_SM,
    "font_weight": theme.WEIGHT_SEMIBOLD,
}
_LINK = {
    "color": theme.ACCENT,
    "font_weight": theme.WEIGHT_SEMIBOLD,
    "text_decoration": "none",
    "&:hover": {"text_decoration": "underline"},
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


_CONTENTS_LINK = {
    "display": "block",
    "padding": f"{theme.SPACE_1} 0",
    "color": theme.TEXT_MUTED,
    "font_size": theme.TEXT_SM,
    "text_decoration": "none",
    "&:hover": {"color": theme.ACCENT, "text_decoration": "underline"},
}


def _links(contents: tuple[tuple[str, str], ...]) -> rx.Component:
    return rx.el.ul(
        *[rx.el.li(plain_link(text, href=f"#{ident}", style=_CONTENTS_LINK)) for ident, text in contents],
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


def _version_line(shown: PolicyVersion) -> rx.Component:
    return rx.el.p(
        f"Version {shown.number} · Effective Date: {display_date(shown.effective)} · "
        f"Last Updated: {display_date(shown.updated)}",
        style=_META_LINE,
    )


def _superseded_note(shown: PolicyVersion, successor: PolicyVersion) -> rx.Component:
    """At the top of an earlier version: it is not the current text, and where that is."""
    return rx.el.p(
        f"This is an earlier version. Version {successor.number} replaces it from {display_date(successor.effective)}. ",
        plain_link("Read the current version", href=routes.LEGAL_DOCUMENTS[shown.document], style=_LINK),
        role="note",
        style={
            **_META_LINE,
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.ACCENT_SOFT,
        },
    )


def _history(every: tuple[PolicyVersion, ...], shown: PolicyVersion) -> rx.Component:
    """Every version, newest first, with what changed; each other one links to its page."""
    items = []
    for version in every:
        href = (
            routes.LEGAL_DOCUMENTS[version.document]
            if version is every[0]
            else routes.legal_version(version.document, version.number)
        )
        label = f"Version {version.number}, effective {display_date(version.effective)}"
        items.append(
            rx.el.li(
                rx.el.strong(label) if version is shown else plain_link(label, href=href, style=_LINK),
                rx.el.p(
                    version.changes or "First published version.",
                    style={"margin": f"{theme.SPACE_1} 0 0", "color": theme.TEXT_MUTED},
                ),
                style={"padding": f"{theme.SPACE_3} 0", "border_top": f"1px solid {theme.LINE}"},
            )
        )
    return rx.el.section(
        rx.el.h2("Version history", id="version-history", style={**theme.HEADING_2, "font_size": theme.HEADING_SM}),
        rx.el.ul(*items, style={"list_style": "none", "margin": "0", "padding": "0"}),
        aria_labelledby="version-history",
        data_testid="version-history",
        style={"margin_top": theme.SPACE_12},
    )


def policy_page(slug: str, number: int | None = None):
    """The page of a legal document: its newest version, or the earlier version ``number``."""
    every = versions(slug)
    shown = every[0] if number is None else next(version for version in every if version.number == number)
    document = shown.text
    route = routes.LEGAL_DOCUMENTS[slug] if number is None else routes.legal_version(slug, number)
    title = document.title if number is None else f"{document.title}, version {number}"
    notes = [] if number is None else [_superseded_note(shown, every[every.index(shown) - 1])]

    @public_page(route, title=f"{title} · Fluxent", description=document.summary)
    def page() -> rx.Component:
        return rx.fragment(
            marketing.page_head("Legal", title, document.summary, _version_line(shown), *notes, *_further(slug)),
            marketing.section(
                rx.el.div(
                    _contents(document.contents),
                    rx.el.article(
                        marketing.prose(document.body_html),
                        *([_history(every, shown)] if len(every) > 1 else []),
                        style={theme.DESKTOP: {"grid_row": "1"}},
                    ),
                    style={
                        "display": "grid",
                        "gap": theme.SPACE_12,
                        "align_items": "start",
                        theme.DESKTOP: {"grid_template_columns": "minmax(0, 1fr) 280px"},
                    },
                ),
                label=title,
            ),
        )

    return page


def pages() -> list:
    return [
        policy_page(slug, version.number if version is not versions(slug)[0] else None)
        for slug in routes.LEGAL_DOCUMENTS
        for version in versions(slug)
    ]
