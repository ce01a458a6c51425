"""The public site's frame: skip link, header with navigation, ``main``, footer.

A page becomes a public page in one line::

    @public_page(routes.TEAM, title="Team", description="Who builds your software.")
    def page() -> rx.Component: ...

Below 1024px the navigation collapses into a ``<details>`` disclosure: keyboard
usable, labelled, and working before (or without) JavaScript.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import reflex as rx
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.inline import A

from fluxent import routes
from fluxent.components import brand, theme
from fluxent.components.newsletter import signup_form
from fluxent.components.notices import notice_strip
from fluxent.core.settings import get_settings
from fluxent.state.session import SessionState

MAIN_ID = "main-content"
SITE_NAME = "Fluxent"
COMPANY_BLURB = (
    "Forward Deployed Engineers + AI-accelerated delivery for founders, SMBs, and operations teams. "
    "Fixed-price builds, one portal for every contract, document, and invoice."
)
COPYRIGHT = f"© 2026 {brand.COMPANY}"

PageBody = Callable[[], rx.Component]


@dataclass(frozen=True)
class PageSpec:
    """What ``register_pages`` needs to add a page: its route, head and load events."""

    route: str
    title: str
    description: str
    on_load: Any = None


def absolute_url(route: str) -> str:
    """The page's public address as served: the production server answers ``/contact`` with a
    redirect to ``/contact/``, so canonical links and the sitemap name the latter."""
    return get_settings().base_url + route.rstrip("/") + "/"


def page_title(name: str, *, suffix: str = SITE_NAME) -> str:
    return f"{name} · {suffix}" if name else suffix


def public_page(route: str, *, title: str, description: str) -> Callable[[PageBody], PageBody]:
    """Wrap a page body in the public layout and attach its :class:`PageSpec`."""

    def decorate(body: PageBody) -> PageBody:
        @functools.wraps(body)
        def page() -> rx.Component:
            # React hoists these into <head>. A page whose address carries a token
            # (an e-mailed link) has no address worth indexing.
            head = (
                rx.el.meta(name="robots", content="noindex")
                if routes.has_parameter(route)
                else rx.el.link(rel="canonical", href=absolute_url(route))
            )
            return rx.fragment(head, public_layout(body(), current=route))

        page.spec = PageSpec(route=route, title=title, description=description)  # type: ignore[attr-defined]
        return page

    return decorate


# Building blocks shared with the portal layout -------------------------------


def plain_link(
    *children: rx.Component | str, href: str, style: dict[str, Any] | None = None, **props: Any
) -> rx.Component:
    """A native ``<a>`` (no client-side routing): mailto, fragments, HTTP routes."""
    return A.create(*children, href=href, style=style or {}, **props)


def route_link(
    label: str, route: str, *, current: str | None = None, style: dict[str, Any] | None = None, **props: Any
) -> rx.Component:
    """A link to one of our pages (client-side navigation), marked current when it is."""
    if current == route:
        props["aria_current"] = "page"
    return rx.el.a(label, href=route, style=style or {}, **props)


def back_link(label: str, href: str | Var, *, style: dict[str, Any] | None = None) -> rx.Component:
    """An arrow and ``label`` leading back (to sign-in, the site, a list), muted until hovered."""
    return rx.el.a(
        rx.icon("arrow-left", size=14, aria_hidden="true"),
        label,
        href=href,
        style={
            "display": "inline-flex",
            "align_items": "center",
            "gap": theme.SPACE_2,
            "color": theme.TEXT_MUTED,
            "text_decoration": "none",
            "&:hover": {"color": theme.INK},
            **(style or {}),
        },
    )


def skip_link() -> rx.Component:
    return plain_link("Skip to content", href=f"#{MAIN_ID}", style=theme.SKIP_LINK)


def page_frame(*children: rx.Component) -> rx.Component:
    """The root styles every page runs inside."""
    return rx.el.div(skip_link(), *children, style=theme.ROOT_STYLE)


def main_region(*children: rx.Component, style: dict[str, Any] | None = None) -> rx.Component:
    """The page's ``main`` landmark; focusable so the skip link moves focus into it."""
    return rx.el.main(
        *children,
        id=MAIN_ID,
        tab_index=-1,
        style={"flex": "1", "outline": "none", **(style or {})},
    )


def arrow_label(text: str) -> rx.Component:
    """``text →`` with the arrow hidden from screen readers."""
    return rx.fragment(text, rx.el.span(" →", aria_hidden="true"))


def scope_button(*, large: bool = False, full_width: bool = False) -> rx.Component:
    style = {**theme.BUTTON_PRIMARY, **(theme.BUTTON_LARGE if large else {})}
    if full_width:
        style["width"] = "100%"
    return rx.el.a(arrow_label("Scope a build"), href=routes.SCOPE, style=style)


# Header ----------------------------------------------------------------------


def _desktop_nav(current: str | None) -> rx.Component:
    return rx.el.nav(
        rx.el.ul(
            *[
                rx.el.li(route_link(item.label, item.route, current=current, style=theme.NAV_LINK))
                for item in routes.MAIN_NAV
            ],
            style={
                "display": "flex",
                "align_items": "center",
                "gap": theme.SPACE_1,
                "list_style": "none",
                "margin": "0",
                "padding": "0",
            },
        ),
        aria_label="Main",
        style={"display": "none", theme.DESKTOP: {"display": "block"}},
    )


def account_link(style: dict[str, Any]) -> rx.Component:
    """ "Client Login" for visitors; a signed-in person's way back in: "Portal", or "Console" for staff."""
    return rx.cond(
        SessionState.home == "",
        route_link("Client Login", routes.LOGIN, style=style),
        rx.el.a(
            rx.cond(SessionState.home == routes.ADMIN, "Console", "Portal"),
            href=SessionState.home,
            style=style,
            data_testid="account-link",
        ),
    )


def _desktop_actions() -> rx.Component:
    return rx.el.div(
        account_link({**theme.NAV_LINK, "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
        scope_button(),
        style={"display": "none", "align_items": "center", "gap": theme.SPACE_2, theme.DESKTOP: {"display": "flex"}},
    )


_MENU_LINK: dict[str, Any] = {
    "display": "flex",
    "align_items": "center",
    "justify_content": "space-between",
    "padding": f"{theme.SPACE_3} {theme.SPACE_2}",
    "border_bottom": f"1px solid {theme.LINE}",
    "color": theme.INK,
    "font_size": theme.TEXT_MD,
    "font_weight": theme.WEIGHT_MEDIUM,
    "text_decoration": "none",
    "&:hover": {"color": theme.ACCENT},
    "&[aria-current='page']": {"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
}


def disclosure_menu(
    *panel: rx.Component,
    label: str,
    summary_label: str,
    bar_height: str,
    padding: str,
    style: dict[str, Any] | None = None,
) -> rx.Component:
    """A menu button that opens a panel below it: ``<details>``/``<summary>``, no script needed.

    ``label`` is the accessible name of the button; ``summary_label`` its visible text. The
    panel spans the bar it opens from (``bar_height`` high) and scrolls within the window.
    """
    panel_style = {
        "position": "absolute",
        "top": "100%",
        "left": "0",
        "right": "0",
        "background": theme.SURFACE,
        "border_bottom": f"1px solid {theme.LINE}",
        "box_shadow": theme.SHADOW_LG,
        "padding": padding,
        "max_height": f"calc(100vh - {bar_height})",
        "overflow_y": "auto",
    }
    return rx.el.details(
        rx.el.summary(
            rx.el.span(
                rx.icon("menu", size=18, class_name="fx-menu-open"),
                rx.icon("x", size=18, class_name="fx-menu-close"),
                aria_hidden="true",
                style={"display": "inline-flex"},
            ),
            rx.el.span(summary_label),
            aria_label=label,
            style=theme.DISCLOSURE_SUMMARY,
        ),
        rx.el.div(*panel, style=panel_style),
        style={
            "& .fx-menu-close": {"display": "none"},
            "&[open] .fx-menu-close": {"display": "block"},
            "&[open] .fx-menu-open": {"display": "none"},
            "&[open] > summary": {"border_color": theme.INK, "background": theme.CANVAS},
            **(style or {}),
        },
    )


def _mobile_menu(current: str | None) -> rx.Component:
    return disclosure_menu(
        rx.el.nav(
            rx.el.ul(
                *[
                    rx.el.li(route_link(item.label, item.route, current=current, style=_MENU_LINK))
                    for item in routes.MAIN_NAV
                ],
                style={"list_style": "none", "margin": "0", "padding": "0"},
            ),
            aria_label="Main",
        ),
        rx.el.div(
            account_link({**theme.BUTTON_SECONDARY, "width": "100%"}),
            scope_button(full_width=True),
            style={"display": "grid", "gap": theme.SPACE_3, "padding_top": theme.SPACE_5},
        ),
        label="Menu",
        summary_label="Menu",
        bar_height=theme.HEADER_HEIGHT,
        padding=f"{theme.SPACE_2} {theme.GUTTER} {theme.SPACE_6}",
        style={theme.DESKTOP: {"display": "none"}},
    )


def site_header(current: str | None = None) -> rx.Component:
    return rx.el.header(
        rx.el.div(
            brand.logo(),
            _desktop_nav(current),
            rx.el.div(
                _desktop_actions(),
                rx.el.div(
                    scope_button(),
                    style={
                        "display": "none",
                        theme.TABLET_UP: {"display": "block"},
                        theme.DESKTOP: {"display": "none"},
                    },
                ),
                _mobile_menu(current),
                style={"display": "flex", "align_items": "center", "gap": theme.SPACE_3},
            ),
            style={
                **theme.CONTAINER,
                "height": theme.HEADER_HEIGHT,
                "display": "flex",
                "align_items": "center",
                "justify_content": "space-between",
                "gap": theme.SPACE_6,
            },
        ),
        style={
            "position": "sticky",
            "top": "0",
            "z_index": "50",
            "background": theme.GLASS,
            "backdrop_filter": theme.GLASS_BLUR,
            "border_bottom": f"1px solid {theme.LINE}",
        },
        on_mount=SessionState.recognise,
    )


# Footer ----------------------------------------------------------------------

_FOOTER_HEADING: dict[str, Any] = {**theme.EYEBROW, "color": theme.ON_INK_SUBTLE, "margin": f"0 0 {theme.SPACE_4}"}
_FOOTER_LINK: dict[str, Any] = {
    "color": theme.ON_INK_MUTED,
    "font_size": theme.TEXT_SM,
    "text_decoration": "none",
    "&:hover": {"color": theme.ON_INK, "text_decoration": "underline"},
}


# Below desktop the footer is two columns: brand and newsletter take a whole row each.
_FULL_ROW_BELOW_DESKTOP: dict[str, Any] = {"grid_column": "1 / -1", theme.DESKTOP: {"grid_column": "auto"}}


def _footer_column(heading: str, items: Sequence[routes.NavItem]) -> rx.Component:
    return rx.el.nav(
        rx.el.h2(heading, style=_FOOTER_HEADING),
        rx.el.ul(
            *[rx.el.li(rx.el.a(item.label, href=item.route, style=_FOOTER_LINK)) for item in items],
            style={"list_style": "none", "margin": "0", "padding": "0", "display": "grid", "gap": theme.SPACE_3},
        ),
        aria_label=heading,
    )


def newsletter_slot() -> rx.Component:
    """The footer's newsletter sign-up (double opt-in, see ``services/marketing/newsletter``)."""
    return rx.el.div(
        rx.el.h2("The Delivery Brief", style=_FOOTER_HEADING),
        rx.el.p(
            "One e-mail a month on shipping fixed-price software with forward-deployed engineers. No spam.",
            style={"color": theme.ON_INK_MUTED, "font_size": theme.TEXT_SM, "margin": f"0 0 {theme.SPACE_4}"},
        ),
        signup_form(on_dark=True, field_id="newsletter-email"),
    )


def _contact_line(*children: rx.Component | str) -> rx.Component:
    return rx.el.span(*children, style={"display": "inline-flex", "align_items": "center", "gap": theme.SPACE_2})


def site_footer() -> rx.Component:
    return rx.el.footer(
        rx.el.div(
            rx.el.div(
                rx.el.div(
                    brand.logo(on_dark=True),
                    rx.el.p(
                        COMPANY_BLURB,
                        style={
                            "color": theme.ON_INK_MUTED,
                            "font_size": theme.TEXT_SM,
                            "line_height": theme.LEADING_BODY,
                            "margin": f"{theme.SPACE_5} 0 0",
                            "max_width": "40ch",
                        },
                    ),
                    style=_FULL_ROW_BELOW_DESKTOP,
                ),
                _footer_column("Company", routes.MAIN_NAV[1:]),
                _footer_column("Legal", routes.LEGAL_NAV),
                rx.el.div(newsletter_slot(), style=_FULL_ROW_BELOW_DESKTOP),
                style={
                    "display": "grid",
                    "gap": f"{theme.SPACE_10} {theme.SPACE_6}",
                    "grid_template_columns": "1fr 1fr",
                    theme.DESKTOP: {"grid_template_columns": "1.5fr 0.8fr 0.9fr 1.6fr", "gap": theme.SPACE_12},
                },
            ),
            rx.el.div(
                rx.el.p(COPYRIGHT, style={"margin": "0"}),
                rx.el.div(
                    _contact_line(
                        rx.icon("mail", size=15, aria_hidden="true"),
                        plain_link(brand.SUPPORT_EMAIL, href=f"mailto:{brand.SUPPORT_EMAIL}", style=_FOOTER_LINK),
                    ),
                    _contact_line(rx.icon("map-pin", size=15, aria_hidden="true"), brand.LOCATION),
                    style={"display": "flex", "flex_wrap": "wrap", "gap": f"{theme.SPACE_3} {theme.SPACE_6}"},
                ),
                style={
                    "display": "flex",
                    "flex_wrap": "wrap",
                    "align_items": "center",
                    "justify_content": "space-between",
                    "gap": theme.SPACE_4,
                    "margin_top": theme.SPACE_12,
                    "padding_top": theme.SPACE_6,
                    "border_top": f"1px solid {theme.INK_LINE}",
                    "color": theme.ON_INK_SUBTLE,
                    "font_size": theme.TEXT_SM,
                },
            ),
            style={**theme.CONTAINER, "padding_top": theme.SPACE_16, "padding_bottom": theme.SPACE_10},
        ),
        style={"background": theme.INK, "color": theme.ON_INK, "margin_top": "auto"},
    )


def public_layout(*children: rx.Component, current: str | None = None) -> rx.Component:
    return page_frame(site_header(current), main_region(notice_strip(), *children), site_footer())
