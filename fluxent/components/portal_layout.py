"""The client portal's frame: sidebar, top bar with the signed-in person, ``main``.

A page becomes a portal page in one line::

    @portal_page(routes.PORTAL_DOCUMENTS, title="Documents", description="...")
    def page() -> rx.Component: ...

which also resolves the session on every load (``SessionState.load_portal``).
Until that first check the page shows a neutral loading state (no flash of
signed-out or signed-in content); without a live session it shows a signed-out
panel. Below 1024px the sidebar collapses into a menu in the top bar.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import brand, theme
from fluxent.components.native_form import api_form
from fluxent.components.notices import action_notice
from fluxent.components.notification_bell import notification_bell
from fluxent.components.organization_switcher import organization_switcher
from fluxent.components.policy_notice import policy_notice_banner
from fluxent.components.public_layout import (
    PageBody,
    PageSpec,
    arrow_label,
    back_link,
    disclosure_menu,
    main_region,
    page_frame,
    page_title,
    plain_link,
)
from fluxent.components.view_as import own_account_paused, view_as_banner, view_as_picker
from fluxent.core.promises import REPLY_TIME
from fluxent.state.csrf import CsrfState
from fluxent.state.messages import UnreadState
from fluxent.state.notifications import NotificationsState
from fluxent.state.policy_notice import PolicyNoticeState
from fluxent.state.session import SessionState
from fluxent.state.view_as import ViewAsState

PORTAL_NAME = "Fluxent Portal"
# How often an open portal tab re-checks its session when nothing else happens.
RECHECK_EVERY_MS = 30_000


def portal_page(
    route: str, *, title: str, description: str, on_load: tuple[Any, ...] = (), own_account: bool = False
) -> Callable[[PageBody], PageBody]:
    """Wrap a page body in the portal layout, resolving the session on load.

    ``on_load`` adds the page's own load events (after the session's). An
    ``own_account`` page changes the signed-in person's own account, so while an
    administrator views the portal as a client it shows a note instead.
    """

    def decorate(body: PageBody) -> PageBody:
        @functools.wraps(body)
        def page() -> rx.Component:
            content = body()
            if own_account:
                content = rx.cond(ViewAsState.viewing_name != "", own_account_paused(on_load), content)
            return portal_layout(content, current=route, section=title, reload=on_load)

        page.spec = PageSpec(  # type: ignore[attr-defined]
            route=route,
            title=page_title(title, suffix=PORTAL_NAME),
            description=description,
            on_load=[
                CsrfState.ensure_token,
                SessionState.load_portal,
                ViewAsState.load,
                UnreadState.refresh,
                PolicyNoticeState.load,
                NotificationsState.count,
                *on_load,
            ],
        )
        return page

    return decorate


# Sidebar ---------------------------------------------------------------------

_SIDEBAR_LINK: dict[str, Any] = {
    "display": "flex",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "padding": f"10px {theme.SPACE_3}",
    "border_radius": theme.RADIUS_MD,
    "color": theme.ON_INK_MUTED,
    "font_size": theme.TEXT_SM,
    "font_weight": theme.WEIGHT_MEDIUM,
    "text_decoration": "none",
    "position": "relative",
    "transition": theme.TRANSITION,
    "&:hover": {"background": theme.INK_RAISED, "color": theme.ON_INK},
    "&[aria-current='page']": {
        "background": theme.INK_RAISED,
        "color": theme.ON_INK,
        "font_weight": theme.WEIGHT_SEMIBOLD,
        "box_shadow": f"inset 3px 0 0 {theme.MINT}",
    },
}

_MENU_LINK: dict[str, Any] = {
    **_SIDEBAR_LINK,
    "color": theme.TEXT_MUTED,
    "padding": f"{theme.SPACE_3} {theme.SPACE_3}",
    "font_size": theme.TEXT_MD,
    "&:hover": {"background": theme.CANVAS, "color": theme.INK},
    "&[aria-current='page']": {
        "background": theme.ACCENT_SOFT,
        "color": theme.INK,
        "font_weight": theme.WEIGHT_SEMIBOLD,
    },
}


def _nav_links(current: str | None, link_style: dict[str, Any]) -> rx.Component:
    return rx.fragment(
        _nav_list(routes.PORTAL_NAV, current, link_style),
        rx.cond(SessionState.is_staff, _nav_list(routes.STAFF_NAV, current, link_style, label="Staff tools")),
        rx.cond(SessionState.is_admin, _nav_list(routes.ADMIN_NAV, current, link_style)),
    )


def _nav_list(
    nav: tuple[routes.NavItem, ...], current: str | None, link_style: dict[str, Any], *, label: str = ""
) -> rx.Component:
    items = []
    for item in nav:
        props: dict[str, Any] = {"aria_current": "page"} if item.route == current else {}
        items.append(
            rx.el.li(
                rx.el.a(
                    rx.icon(item.icon, size=18, aria_hidden="true"),
                    item.label,
                    href=item.route,
                    style=link_style,
                    **props,
                ),
                # Beside the link, not in it: the link keeps its name, the count is read after it.
                *([_unread_badge()] if item.route == routes.PORTAL_MESSAGES else []),
                style={"position": "relative"},
            )
        )
    heading = (
        [
            rx.el.li(
                label,
                aria_hidden="true",
                style={
                    "margin": "16px 0 6px",
                    "padding": "0 12px",
                    "font_size": theme.TEXT_XS,
                    "letter_spacing": "0.08em",
                    "text_transform": "uppercase",
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "color": link_style["color"],
                },
            )
        ]
        if label
        else []
    )
    return rx.el.ul(
        *heading,
        *items,
        aria_label=label or None,
        style={"list_style": "none", "margin": "0", "padding": "0", "display": "grid", "gap": "2px"},
    )


def _unread_badge() -> rx.Component:
    """The unread messages across the person's engagements, beside "Messages"."""
    return rx.cond(
        UnreadState.total > 0,
        rx.el.span(
            UnreadState.total.to_string(),
            rx.el.span(" unread", style=theme.VISUALLY_HIDDEN),
            data_testid="nav-unread",
            style={
                "position": "absolute",
                "right": theme.SPACE_3,
                "top": "50%",
                "transform": "translateY(-50%)",
                "pointer_events": "none",
                "min_width": "1.5rem",
                "padding": f"0 {theme.SPACE_2}",
                "border_radius": theme.RADIUS_PILL,
                "background": theme.MINT,
                "color": theme.INK,
                "font_size": theme.TEXT_XS,
                "font_weight": theme.WEIGHT_BOLD,
                "text_align": "center",
            },
        ),
    )


def _help_card() -> rx.Component:
    return rx.el.div(
        rx.el.p(
            "Questions about a build?",
            style={
                "margin": "0",
                "color": theme.ON_INK,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "font_size": theme.TEXT_SM,
            },
        ),
        rx.el.p(
            f"Your delivery team answers within {REPLY_TIME}.",
            style={
                "margin": f"{theme.SPACE_1} 0 {theme.SPACE_3}",
                "color": theme.ON_INK_SUBTLE,
                "font_size": theme.TEXT_XS,
                "line_height": theme.LEADING_SNUG,
            },
        ),
        plain_link(
            brand.SUPPORT_EMAIL,
            href=f"mailto:{brand.SUPPORT_EMAIL}",
            style={
                "color": theme.ACCENT_ON_INK,
                "font_size": theme.TEXT_SM,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "text_decoration": "none",
                "&:hover": {"text_decoration": "underline"},
            },
        ),
        style={
            "padding": theme.SPACE_4,
            "border_radius": theme.RADIUS_MD,
            "background": theme.INK_RAISED,
            "border": f"1px solid {theme.INK_LINE}",
        },
    )


def sidebar(current: str | None, reload: tuple[Any, ...] = ()) -> rx.Component:
    return rx.el.aside(
        rx.el.div(
            brand.logo(on_dark=True, href=routes.PORTAL, label="Fluxent Portal home"),
            rx.el.p(
                "Client Portal", style={**theme.EYEBROW, "color": theme.ON_INK_SUBTLE, "margin": f"{theme.SPACE_3} 0 0"}
            ),
            style={"padding": f"{theme.SPACE_6} {theme.SPACE_3} {theme.SPACE_8}"},
        ),
        rx.el.nav(_nav_links(current, _SIDEBAR_LINK), aria_label="Portal"),
        rx.el.div(
            view_as_picker(on_ink=True, reload=reload),
            _help_card(),
            style={"margin_top": "auto", "padding_top": theme.SPACE_8, "display": "grid", "gap": theme.SPACE_4},
        ),
        style={
            "display": "none",
            theme.DESKTOP: {
                "display": "flex",
                "flex_direction": "column",
                "position": "sticky",
                "top": "0",
                "height": "100vh",
                "overflow_y": "auto",
                "width": theme.SIDEBAR_WIDTH,
                "flex_shrink": "0",
                "padding": f"0 {theme.SPACE_4} {theme.SPACE_6}",
                "background": theme.INK,
            },
        },
    )


# Top bar ---------------------------------------------------------------------


def avatar(size: str = theme.AVATAR) -> rx.Component:
    return rx.el.span(
        SessionState.user_initials,
        aria_hidden="true",
        style={
            "display": "inline-flex",
            "align_items": "center",
            "justify_content": "center",
            "width": size,
            "height": size,
            "flex_shrink": "0",
            "border_radius": theme.RADIUS_PILL,
            "background": theme.INK,
            "color": theme.ON_INK,
            "font_size": theme.TEXT_XS,
            "font_weight": theme.WEIGHT_BOLD,
            "letter_spacing": "0.02em",
            "box_shadow": f"0 0 0 2px {theme.SURFACE}, 0 0 0 4px {theme.MINT}",
        },
    )


def signed_in_person() -> rx.Component:
    """Avatar, name and role of the signed-in person."""
    return rx.el.div(
        avatar(),
        rx.el.div(
            rx.el.span(
                SessionState.user_name,
                data_testid="signed-in-name",
                style={
                    "display": "block",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "font_size": theme.TEXT_SM,
                    "line_height": theme.LEADING_SNUG,
                    "white_space": "nowrap",
                    "overflow": "hidden",
                    "text_overflow": "ellipsis",
                },
            ),
            rx.el.span(
                SessionState.user_role,
                style={
                    "display": "none",
                    "color": theme.TEXT_SUBTLE,
                    "font_size": theme.TEXT_XS,
                    "line_height": theme.LEADING_SNUG,
                    theme.TABLET_UP: {"display": "block"},
                },
            ),
            style={"min_width": "0", "max_width": "160px"},
        ),
        style={"display": "flex", "align_items": "center", "gap": theme.SPACE_3, "min_width": "0"},
    )


def sign_out_form(*, full_width: bool = False) -> rx.Component:
    """A native POST to the sign-out route (which clears the HttpOnly cookie)."""
    return api_form(
        rx.el.button(
            rx.icon("log-out", size=16, aria_hidden="true"),
            "Sign out",
            type="submit",
            style={
                **theme.BUTTON_SECONDARY,
                "height": theme.CONTROL_HEIGHT_SM,
                "padding_x": theme.SPACE_4,
                **({"width": "100%"} if full_width else {}),
            },
        ),
        api_path=routes.API_LOGOUT,
        style={"margin": "0", **({"width": "100%"} if full_width else {})},
    )


def _mobile_menu(current: str | None, reload: tuple[Any, ...]) -> rx.Component:
    return disclosure_menu(
        rx.el.div(organization_switcher(reload, in_menu=True), style={"margin_bottom": theme.SPACE_4}),
        rx.el.nav(_nav_links(current, _MENU_LINK), aria_label="Portal"),
        rx.el.div(view_as_picker(on_ink=False, reload=reload), style={"margin_top": theme.SPACE_4}),
        rx.el.div(
            rx.el.p(
                SessionState.user_email,
                style={
                    "margin": f"0 0 {theme.SPACE_3}",
                    "color": theme.TEXT_SUBTLE,
                    "font_size": theme.TEXT_SM,
                    "overflow": "hidden",
                    "text_overflow": "ellipsis",
                },
            ),
            sign_out_form(full_width=True),
            style={"margin_top": theme.SPACE_4, "padding_top": theme.SPACE_4, "border_top": f"1px solid {theme.LINE}"},
        ),
        label="Portal menu",
        summary_label="Menu",
        bar_height=theme.TOPBAR_HEIGHT,
        padding=f"{theme.SPACE_3} {theme.GUTTER} {theme.SPACE_5}",
        style={theme.DESKTOP: {"display": "none"}},
    )


def _breadcrumb(section: str) -> rx.Component:
    return rx.el.nav(
        rx.el.span("Portal", style={"color": theme.TEXT_SUBTLE}),
        rx.icon("chevron-right", size=14, aria_hidden="true", style={"color": theme.TEXT_SUBTLE}),
        rx.el.span(section, aria_current="page", style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD}),
        aria_label="Breadcrumb",
        style={
            "display": "none",
            "align_items": "center",
            "gap": theme.SPACE_2,
            "font_size": theme.TEXT_SM,
            theme.DESKTOP: {"display": "flex"},
        },
    )


def top_bar(current: str | None, section: str, reload: tuple[Any, ...] = ()) -> rx.Component:
    return rx.el.header(
        rx.el.div(
            rx.el.a(
                brand.logo_mark(),
                rx.el.span(brand.wordmark(), style={"display": "none", theme.TABLET_UP: {"display": "inline"}}),
                href=routes.PORTAL,
                aria_label="Fluxent Portal home",
                style={
                    "display": "flex",
                    "align_items": "center",
                    "gap": theme.SPACE_3,
                    "text_decoration": "none",
                    "border_radius": theme.RADIUS_SM,
                },
            ),
            style={theme.DESKTOP: {"display": "none"}},
        ),
        _breadcrumb(section),
        rx.el.div(
            organization_switcher(reload, in_menu=False),
            notification_bell(),
            signed_in_person(),
            rx.el.div(sign_out_form(), style={"display": "none", theme.DESKTOP: {"display": "block"}}),
            _mobile_menu(current, reload),
            style={"display": "flex", "align_items": "center", "gap": theme.SPACE_4, "min_width": "0"},
        ),
        style={
            "position": "sticky",
            "top": "0",
            "z_index": "40",
            "height": theme.TOPBAR_HEIGHT,
            "display": "flex",
            "align_items": "center",
            "justify_content": "space-between",
            "gap": theme.SPACE_4,
            "padding_x": theme.GUTTER,
            "background": theme.GLASS,
            "backdrop_filter": theme.GLASS_BLUR,
            "border_bottom": f"1px solid {theme.LINE}",
        },
    )


# States of a portal page -----------------------------------------------------


def _centered(*children: rx.Component) -> rx.Component:
    return main_region(
        *children,
        style={
            "display": "flex",
            "align_items": "center",
            "justify_content": "center",
            "padding": f"{theme.SPACE_12} {theme.GUTTER}",
            "background": f"radial-gradient(1200px 500px at 50% -10%, {theme.ACCENT_SOFT}, {theme.CANVAS})",
        },
    )


def loading_state() -> rx.Component:
    return _centered(
        rx.el.div(
            brand.logo_mark("40px"),
            rx.el.p(
                "Loading your portal…", style={"margin": "0", "color": theme.TEXT_SUBTLE, "font_size": theme.TEXT_SM}
            ),
            role="status",
            style={"display": "flex", "flex_direction": "column", "align_items": "center", "gap": theme.SPACE_4},
        )
    )


def signed_out_panel() -> rx.Component:
    return _centered(
        rx.el.section(
            brand.logo_mark("48px"),
            rx.el.h1(
                "You're signed out",
                id="signed-out-heading",
                style={
                    **theme.HEADING_1,
                    "margin": f"{theme.SPACE_6} 0 {theme.SPACE_2}",
                    "font_size": theme.HEADING_SM,
                },
            ),
            rx.el.p(
                "Sign in to see your engagements, documents, invoices and signatures.",
                style={"margin": f"0 0 {theme.SPACE_8}", "color": theme.TEXT_MUTED},
            ),
            rx.el.a(
                arrow_label("Sign in"),
                href=SessionState.sign_in_href,
                style={**theme.BUTTON_PRIMARY, "width": "100%"},
            ),
            rx.el.p(
                "No account yet? Your delivery lead sends an invitation when your engagement starts. ",
                plain_link(
                    "Contact support",
                    href=f"mailto:{brand.SUPPORT_EMAIL}",
                    style={
                        "color": theme.ACCENT,
                        "font_weight": theme.WEIGHT_SEMIBOLD,
                        "text_decoration": "none",
                        "&:hover": {"text_decoration": "underline"},
                    },
                ),
                style={
                    "margin": f"{theme.SPACE_6} 0 0",
                    "color": theme.TEXT_SUBTLE,
                    "font_size": theme.TEXT_SM,
                    "line_height": theme.LEADING_BODY,
                },
            ),
            back_link(
                "Back to fluxent.tech", routes.HOME, style={"margin_top": theme.SPACE_6, "font_size": theme.TEXT_SM}
            ),
            aria_labelledby="signed-out-heading",
            data_testid="signed-out-panel",
            style={
                **theme.CARD,
                "box_shadow": theme.SHADOW_LG,
                "padding": theme.SPACE_10,
                "width": "100%",
                "max_width": theme.PANEL_MAX_WIDTH,
                "text_align": "center",
                "display": "flex",
                "flex_direction": "column",
                "align_items": "center",
            },
        )
    )


def portal_layout(
    *children: rx.Component, current: str | None = None, section: str = "", reload: tuple[Any, ...] = ()
) -> rx.Component:
    """``reload``: the page's own load events, re-run when the organization switcher or the client view changes."""
    signed_in = rx.el.div(
        # A hidden clock whose tick re-resolves the session (see SessionState.recheck).
        rx.moment(
            interval=RECHECK_EVERY_MS,
            format="mm:ss",
            on_change=[SessionState.recheck, UnreadState.refresh, NotificationsState.count],
            style={"display": "none"},
        ),
        sidebar(current, reload),
        rx.el.div(
            top_bar(current, section, reload),
            view_as_banner(reload),
            policy_notice_banner(),
            main_region(
                rx.el.div(action_notice(), *children, style={"max_width": theme.PORTAL_MAX_WIDTH, "margin_x": "auto"}),
                style={"padding": f"{theme.SPACE_10} {theme.GUTTER} {theme.SPACE_16}"},
            ),
            style={
                "flex": "1",
                "min_width": "0",
                "display": "flex",
                "flex_direction": "column",
                "background": theme.CANVAS,
                "min_height": "100vh",
            },
        ),
        style={
            "display": "flex",
            "flex": "1",
            "align_items": "stretch",
            # The sticky sidebar is one screen tall; its colour continues below it on long pages.
            theme.DESKTOP: {
                "background": f"linear-gradient(to right, {theme.INK} {theme.SIDEBAR_WIDTH}, {theme.CANVAS} {theme.SIDEBAR_WIDTH})"
            },
        },
    )
    return page_frame(
        rx.cond(
            SessionState.checked,
            rx.cond(SessionState.signed_in, signed_in, signed_out_panel()),
            loading_state(),
        )
    )
