"""Privacy centre: what we hold and why, when each part goes, a copy of your data, and deleting your account."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.public_layout import plain_link
from fluxent.components.spinner import spinner
from fluxent.pages.portal.portal_parts import card_grid
from fluxent.state.privacy import CONFIRM_WORD, ERASE_FORM, ERASE_LABELS, PrivacyState

_SMALL: dict[str, Any] = {
    "margin": "0",
    "color": theme.TEXT_MUTED,
    "font_size": theme.TEXT_SM,
    "line_height": theme.LEADING_BODY,
}
_TERM: dict[str, Any] = {
    "color": theme.TEXT_SUBTLE,
    "font_size": theme.TEXT_XS,
    "font_weight": theme.WEIGHT_BOLD,
    "letter_spacing": theme.TRACKING_WIDE,
    "text_transform": "uppercase",
    "margin_top": theme.SPACE_4,
}


def _bullets(items: rx.Var) -> rx.Component:
    return rx.el.ul(
        rx.foreach(items.to(list[str]), lambda item: rx.el.li(item)),
        style={**_SMALL, "list_style": "disc", "padding_left": theme.SPACE_5, "margin": f"{theme.SPACE_1} 0 0"},
    )


def _category(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.h3(item["title"], style={**theme.HEADING_2, "font_size": theme.TEXT_MD}),
        rx.el.p(item["description"], style={**_SMALL, "margin_top": theme.SPACE_1}),
        rx.el.dl(
            rx.el.dt("Held as", style=_TERM),
            rx.el.dd(_bullets(item["held_as"]), style={"margin": "0"}),
            rx.el.dt("Legal basis", style=_TERM),
            rx.el.dd(_bullets(item["legal_bases"]), style={"margin": "0"}),
            rx.el.dt("Kept for", style=_TERM),
            rx.el.dd(_bullets(item["retention"]), style={"margin": "0"}),
            style={"margin": "0"},
        ),
        style={
            "padding": theme.SPACE_5,
            "border": f"1px solid {theme.LINE}",
            "border_radius": theme.RADIUS_MD,
            "background": theme.SURFACE,
            "min_width": "0",
        },
    )


def _what_we_hold() -> rx.Component:
    return forms.section_card(
        "What we hold about you",
        "Every kind of personal data the portal keeps, why we may keep it, and for how long, as the privacy policy says.",
        card_grid(rx.foreach(PrivacyState.categories, _category)),
        rx.el.p(
            "Read the full ",
            rx.el.a(
                "privacy policy",
                href=routes.PRIVACY_POLICY,
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            ". To restrict or object to how we use your data, or to appeal an answer, ",
            rx.el.a(
                "send a privacy request",
                href=routes.PRIVACY_REQUEST,
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            ".",
            style={**_SMALL, "margin_top": theme.SPACE_5},
        ),
        section_id="held",
        icon="database",
    )


def _dated_part(part: rx.Var) -> rx.Component:
    return rx.el.li(
        part["label"],
        rx.cond(part["on"] != "", rx.fragment(" ", rx.el.strong(part["on"], style={"color": theme.INK}))),
    )


def _dated_category(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.h3(item["title"], style={**theme.HEADING_2, "font_size": theme.TEXT_MD}),
        rx.el.p("Legal basis: ", item["basis"], style={**_SMALL, "margin_top": theme.SPACE_1}),
        rx.el.p(item["rule"], style={**_SMALL, "margin_top": theme.SPACE_1}),
        rx.el.ul(
            rx.foreach(item["parts"].to(list[dict[str, str]]), _dated_part),
            style={**_SMALL, "list_style": "disc", "padding_left": theme.SPACE_5, "margin": f"{theme.SPACE_2} 0 0"},
        ),
        data_testid="dated-category",
        style={"padding": f"{theme.SPACE_4} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _when_it_goes() -> rx.Component:
    return forms.section_card(
        "When your data goes",
        "What we hold about you, why, and the date each part is deleted or archived under our retention rules.",
        rx.el.ul(
            rx.foreach(PrivacyState.dated, _dated_category),
            data_testid="dated-list",
            style={"list_style": "none", "margin": "0", "padding": "0"},
        ),
        section_id="dates",
        icon="calendar-clock",
    )


def _request_row(request: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            request["kind"],
            " · received ",
            request["received"],
            style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "font_size": theme.TEXT_SM},
        ),
        rx.el.p(request["status"], style=_SMALL),
        style={"padding": f"{theme.SPACE_3} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _your_requests() -> rx.Component:
    return forms.section_card(
        "Your privacy requests",
        "Requests you made about your data (access, correction, restriction and the others), and where each stands.",
        rx.cond(
            PrivacyState.past_requests.length() > 0,
            rx.el.ul(
                rx.foreach(PrivacyState.past_requests, _request_row),
                data_testid="past-requests",
                style={"list_style": "none", "margin": "0", "padding": "0"},
            ),
            rx.el.p("You have not made a privacy request.", style=_SMALL),
        ),
        plain_link("Make a privacy request", href=routes.PRIVACY_REQUEST, style={"color": theme.ACCENT}),
        section_id="requests",
        icon="inbox",
    )


def _download() -> rx.Component:
    return forms.section_card(
        "Download my data",
        "A JSON file with your profile, organizations, sessions, sign-ins and audit entries about you, described by a published schema.",
        plain_link(
            rx.icon("download", size=16, aria_hidden="true"),
            "Download my data",
            href=routes.api_url(routes.API_ME_EXPORT),
            # A download, not a navigation: without it the browser's beforeunload closes the page's websocket.
            download="",
            data_testid="export-link",
            style={**theme.BUTTON_PRIMARY, "width": "fit-content"},
        ),
        rx.el.p(
            "To delete your account instead, ",
            plain_link("go to Delete my account", href="#delete", style={"color": theme.ACCENT}),
            " at the end of this page.",
            style={**_SMALL, "margin_top": theme.SPACE_4},
        ),
        section_id="download",
        icon="file-down",
    )


def _kept_item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(
            item["description"],
            style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD, "font_size": theme.TEXT_SM},
        ),
        rx.el.p(item["how"], " · ", item["reason"], style={**_SMALL, "font_size": theme.TEXT_XS}),
        rx.el.p(item["retention"], style={**_SMALL, "font_size": theme.TEXT_XS}),
        style={"padding": f"{theme.SPACE_3} 0", "border_top": f"1px solid {theme.LINE}"},
    )


def _method_tab(label: str, method: str) -> rx.Component:
    chosen = PrivacyState.method == method
    return rx.el.button(
        label,
        type="button",
        aria_pressed=rx.cond(chosen, "true", "false"),
        on_click=PrivacyState.use_method(method),
        style={
            "flex": "1",
            "height": theme.CONTROL_HEIGHT_SM,
            "padding_x": theme.SPACE_3,
            "border": "none",
            "border_radius": theme.RADIUS_PILL,
            "font_family": theme.FONT_SANS,
            "font_size": theme.TEXT_SM,
            "font_weight": theme.WEIGHT_SEMIBOLD,
            "cursor": "pointer",
            "background": rx.cond(chosen, theme.SURFACE, theme.TRANSPARENT),
            "color": rx.cond(chosen, theme.INK, theme.TEXT_MUTED),
            "box_shadow": rx.cond(chosen, theme.SHADOW_SM, "none"),
        },
    )


def _delete_form() -> rx.Component:
    errors = PrivacyState.errors
    secret_by_code = rx.fragment(
        rx.el.div(
            rx.el.button(
                rx.cond(PrivacyState.busy == "code", spinner(size="1"), rx.icon("mail", size=14, aria_hidden="true")),
                rx.cond(PrivacyState.code_sent, "Send a new code", "E-mail me a code"),
                type="button",
                on_click=PrivacyState.send_code,
                disabled=PrivacyState.busy == "code",
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
            ),
            rx.el.p(
                rx.cond(PrivacyState.code_sent, "Code sent to ", "We send it to "),
                PrivacyState.user_email,
                ".",
                style=_SMALL,
            ),
            style={"display": "flex", "flex_wrap": "wrap", "align_items": "center", "gap": theme.SPACE_3},
        ),
        forms.field(
            "6-digit code",
            "secret",
            errors,
            form_id="erase",
            auto_complete="one-time-code",
            input_mode="numeric",
            max_length=6,
            input_style={"font_family": theme.FONT_MONO, "letter_spacing": "0.3em", "max_width": "220px"},
        ),
    )
    return forms.form(
        forms.alert(errors, fields=ERASE_LABELS, form_id=ERASE_FORM),
        rx.el.div(
            rx.el.p(
                "Confirm it's you",
                style={
                    "margin": f"0 0 {theme.SPACE_2}",
                    "color": theme.INK,
                    "font_size": theme.TEXT_SM,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                },
            ),
            rx.el.div(
                _method_tab("Password", "password"),
                _method_tab("E-mail code", "code"),
                role="group",
                aria_label="Confirm with",
                style={
                    "display": "flex",
                    "gap": theme.SPACE_1,
                    "padding": theme.SPACE_1,
                    "border_radius": theme.RADIUS_PILL,
                    "background": theme.CANVAS,
                    "border": f"1px solid {theme.LINE}",
                    "max_width": "360px",
                },
            ),
        ),
        rx.cond(
            PrivacyState.method == "code",
            secret_by_code,
            forms.field(
                "Password", "secret", errors, form_id="erase", type="password", auto_complete="current-password"
            ),
        ),
        forms.field(
            f"Type {CONFIRM_WORD} or your e-mail address",
            "confirmation",
            errors,
            form_id="erase",
            auto_complete="off",
            required=True,
            hint="This cannot be undone.",
        ),
        rx.el.div(
            forms.submit_button("Delete my account", PrivacyState.busy == "delete", "Deleting…", danger=True),
            style={"margin_top": theme.SPACE_2},
        ),
        key=PrivacyState.method,
        on_submit=PrivacyState.delete_account,
        aria_label="Delete my account",
        style={"display": "grid", "gap": theme.SPACE_5, "max_width": "560px"},
    )


def _delete() -> rx.Component:
    return rx.el.section(
        rx.el.div(
            rx.el.span(
                rx.icon("trash-2", size=20),
                aria_hidden="true",
                style=theme.icon_tile(theme.ICON_TILE_SM, background=theme.DANGER_SOFT, color=theme.DANGER),
            ),
            rx.el.div(
                rx.el.h2(
                    "Delete my account", id="delete-heading", style={**theme.HEADING_2, "font_size": theme.TEXT_LG}
                ),
                rx.el.p(
                    "We erase your profile, memberships, sessions and sign-in codes and sign you out everywhere. "
                    "If you are the only owner of an organization, make someone else an owner first.",
                    style={**_SMALL, "margin_top": theme.SPACE_1},
                ),
            ),
            style={
                "display": "flex",
                "gap": theme.SPACE_4,
                "align_items": "flex-start",
                "margin_bottom": theme.SPACE_5,
            },
        ),
        rx.el.div(
            rx.el.h3("What we keep, and why", style={**theme.HEADING_2, "font_size": theme.TEXT_SM}),
            rx.el.ul(
                rx.foreach(PrivacyState.kept, _kept_item),
                data_testid="kept-list",
                style={"list_style": "none", "margin": f"{theme.SPACE_2} 0 0", "padding": "0"},
            ),
            style={
                "padding": theme.SPACE_4,
                "border_radius": theme.RADIUS_MD,
                "background": theme.CANVAS,
                "margin_bottom": theme.SPACE_6,
            },
        ),
        _delete_form(),
        id="delete",
        aria_labelledby="delete-heading",
        style={
            **theme.CARD,
            "border_color": theme.DANGER_LINE,
            "padding": f"clamp({theme.SPACE_5}, 3vw, {theme.SPACE_8})",
        },
    )


def _account_deleted() -> rx.Component:
    """Shown for the moment before the browser leaves; the refresh is a full page load."""
    return rx.el.div(
        rx.el.meta(http_equiv="refresh", content="0;url=" + routes.home_with_notice(routes.NOTICE_ACCOUNT_DELETED)),
        rx.el.h1("Your account is deleted", style={**theme.HEADING_1, "font_size": theme.HEADING_SM}),
        rx.el.p(
            "You are signed out. ",
            plain_link(
                "Continue to the home page",
                href=routes.home_with_notice(routes.NOTICE_ACCOUNT_DELETED),
                style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            style={**_SMALL, "margin_top": theme.SPACE_2},
        ),
        role="status",
        style=theme.CARD,
    )


@portal_page(
    routes.PORTAL_PRIVACY,
    title="Privacy",
    description="What we hold about you, a copy of your data, and deleting your account.",
    on_load=(PrivacyState.load,),
    own_account=True,
)
def page() -> rx.Component:
    return rx.cond(
        PrivacyState.leave_to != "",
        _account_deleted(),
        rx.fragment(
            forms.page_heading(
                "Privacy",
                "What we hold about you and why, when each part goes, a copy of all of it, and how to delete your account.",
            ),
            rx.el.div(
                _download(),
                _when_it_goes(),
                _your_requests(),
                _what_we_hold(),
                _delete(),
                style={"display": "grid", "gap": theme.SPACE_6},
            ),
        ),
    )
