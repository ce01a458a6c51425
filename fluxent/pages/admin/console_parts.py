"""Pieces the staff console's pages share: the access gate, small row buttons, lists and
empty states. Form fields come from ``components.forms``."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

from fluxent.components import forms, theme
from fluxent.components.public_layout import back_link
from fluxent.components.searchable_select import searchable_select
from fluxent.components.spinner import spinner
from fluxent.components.theme import MUTED
from fluxent.state.admin_console import ConsoleState, InvitationRow

SMALL_BUTTON: dict[str, Any] = {**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_4}
DANGER_SMALL: dict[str, Any] = {
    **SMALL_BUTTON,
    "color": theme.DANGER,
    "border_color": theme.DANGER,
    "&:hover": {"background": theme.DANGER_SOFT},
}
# A small button that looks unavailable while disabled (a pager's ends).
PAGER_BUTTON: dict[str, Any] = {
    **theme.BUTTON_SECONDARY,
    "height": theme.CONTROL_HEIGHT_SM,
    "padding_x": theme.SPACE_3,
    "&:disabled": {"opacity": "0.5", "cursor": "not-allowed"},
}
# An engagement status choice in a list's filters (after the list's own "any" choice).
ENGAGEMENT_STATUSES: list[tuple[str, str]] = [
    ("scoping", "Scoping"),
    ("proposed", "Proposed"),
    ("active", "Active"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
]
ROW: dict[str, Any] = {
    "display": "flex",
    "flex_wrap": "wrap",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "padding": f"{theme.SPACE_4} 0",
    "border_top": f"1px solid {theme.LINE}",
}
GRID_2: dict[str, Any] = {
    "display": "grid",
    "gap": theme.SPACE_5,
    theme.TABLET_UP: {"grid_template_columns": "repeat(2, minmax(0, 1fr))"},
}
# The main text of a row (a name, an address, a link) and the part of the row it fills.
NAME: dict[str, Any] = {
    "margin": "0",
    "color": theme.INK,
    "font_weight": theme.WEIGHT_SEMIBOLD,
    "overflow_wrap": "anywhere",
}
LINK: dict[str, Any] = {**NAME, "color": theme.ACCENT, "text_decoration": "none"}
GROW: dict[str, Any] = {"flex": "1 1 14rem", "min_width": "0"}
ACTIONS: dict[str, Any] = {
    "display": "flex",
    "flex_wrap": "wrap",
    "align_items": "center",
    "gap": theme.SPACE_3,
    "margin_top": theme.SPACE_5,
}


def gate(
    body: rx.Component, *, denied: str = "Only Fluxent staff can use the staff console.", missing: str = "Not found."
) -> rx.Component:
    """The page's content once its load said the person may see it; a clear message otherwise."""
    box = {**theme.CARD, "margin": "0"}
    return rx.match(
        ConsoleState.access,
        ("ok", body),
        ("denied", rx.el.p(denied, role="alert", data_testid="console-denied", style=box)),
        ("missing", rx.el.p(missing, role="alert", style=box)),
        rx.el.div(
            spinner("3"),
            role="status",
            aria_label="Loading",
            style={"display": "flex", "justify_content": "center", "padding": theme.SPACE_10},
        ),
    )


def row_button(label: str | Var, on_click: Any, *, danger: bool = False, **props: Any) -> rx.Component:
    return rx.el.button(
        label, type="button", on_click=on_click, style=DANGER_SMALL if danger else SMALL_BUTTON, **props
    )


def empty_line(text: str) -> rx.Component:
    return rx.el.p(text, style={**MUTED, "padding": f"{theme.SPACE_4} 0", "border_top": f"1px solid {theme.LINE}"})


def listing(items: Var, render: Any, empty: str) -> rx.Component:
    """A plain list of rows, or ``empty`` when there are none."""
    return rx.cond(
        items.length() > 0,  # type: ignore[attr-defined]
        rx.el.ul(rx.foreach(items, render), style={"list_style": "none", "margin": "0", "padding": "0"}),
        empty_line(empty),
    )


def subheading(text: str) -> rx.Component:
    """A heading inside a section card ("Invite someone", "Pending invitations")."""
    return rx.el.h3(
        text, style={**theme.HEADING_2, "font_size": theme.TEXT_MD, "margin": f"{theme.SPACE_6} 0 {theme.SPACE_3}"}
    )


def invitation_row(invitation: InvitationRow, on_revoke: Any, *detail: str | Var) -> rx.Component:
    """A pending invitation: its address, ``detail`` below it, and the button that revokes it."""
    return rx.el.li(
        rx.el.div(rx.el.p(invitation.email, style=NAME), rx.el.p(*detail, style=MUTED), style=GROW),
        row_button("Revoke", on_revoke, aria_label="Revoke the invitation to " + invitation.email),
        style=ROW,
    )


def back_to(label: str, href: str | Var) -> rx.Component:
    """The way back to the list a console page belongs to."""
    return rx.el.p(
        back_link(
            label,
            href,
            style={"color": theme.ACCENT, "font_size": theme.TEXT_SM, "font_weight": theme.WEIGHT_SEMIBOLD},
        ),
        style={"margin": f"0 0 {theme.SPACE_4}"},
    )


def stack(*children: rx.Component) -> rx.Component:
    """One column as wide as the page, never wider: a wide table scrolls inside its own box."""
    return rx.el.div(
        *children, style={"display": "grid", "grid_template_columns": "minmax(0, 1fr)", "gap": theme.SPACE_6}
    )


def pager(page: Var, pages: Var, go_to: Any) -> rx.Component:
    """Previous, "Page 2 of 5", Next under a list; ``go_to(number)`` is the state's event."""
    return rx.el.nav(
        rx.el.button("← Previous", type="button", disabled=page <= 1, on_click=go_to(page - 1), style=PAGER_BUTTON),
        rx.el.p("Page ", page, " of ", pages, style={**MUTED, "white_space": "nowrap"}),
        rx.el.button("Next →", type="button", disabled=page >= pages, on_click=go_to(page + 1), style=PAGER_BUTTON),
        aria_label="Pages",
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "justify_content": "space-between",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "padding": f"{theme.SPACE_4} 0",
            theme.TABLET_UP: {"padding_x": theme.SPACE_5},
            "border_top": f"1px solid {theme.LINE}",
        },
    )


def total_line(total: Var, one: str, many: str, test_id: str) -> rx.Component:
    """ "23 organizations" above a paged list: how many match its filters."""
    return rx.el.p(total.to_string(), rx.cond(total == 1, f" {one}", f" {many}"), data_testid=test_id, style=MUTED)


def organization_choice(state: Any, select_id: str, *, space_below: bool = True) -> rx.Component:
    """The searchable "Organization" choice that narrows a page's lists (``state`` mixes in
    ``OrganizationFilterMixin``); choosing reads the lists again at once."""
    return searchable_select(
        select_id,
        "Organization",
        choices=state.organization_choices,
        query=state.organization_query,
        on_narrow=state.narrow_organizations,
        placeholder="Find an organization",
        search_label="Find an organization to narrow the list to",
        value=state.organization_filter,
        on_change=state.choose_organization,
        first=("", "Any organization"),
        test_id=select_id,
        label_style={**theme.LABEL, "margin_bottom": theme.SPACE_2},
        style={"max_width": "24rem", "margin_bottom": theme.SPACE_4 if space_below else "0"},
    )


def filter_bar(
    input_id: str,
    placeholder: str,
    query: Var,
    on_submit: Any,
    *,
    status: tuple[str, list[tuple[str, str]], Var] | None = None,
) -> rx.Component:
    """Search text (field ``q``) and, where a list has one, a status choice (``status``: the
    field's name, its (value, text) options, the current value); submitting asks the server again."""
    control = {**theme.CONTROL, "flex": "1 1 14rem", "width": "auto"}
    choice = rx.fragment()
    if status is not None:
        name, options, current = status
        choice = rx.fragment(
            rx.el.label(name.title(), html_for=f"{input_id}-{name}", style=theme.VISUALLY_HIDDEN),
            rx.el.select(
                *[rx.el.option(text, value=value) for value, text in options],
                id=f"{input_id}-{name}",
                name=name,
                default_value=current,
                style={**theme.SELECT, "flex": "0 1 12rem", "width": "auto"},
            ),
        )
    return forms.form(
        rx.el.label(placeholder, html_for=input_id, style=theme.VISUALLY_HIDDEN),
        rx.el.input(
            id=input_id,
            name="q",
            type="search",
            placeholder=placeholder,
            default_value=query,
            max_length=200,
            style=control,
        ),
        choice,
        rx.el.button("Filter", type="submit", style=theme.BUTTON_SECONDARY),
        on_submit=on_submit,
        role="search",
        style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "margin_bottom": theme.SPACE_2},
    )
