"""A choice from a long list that people narrow by typing: a search box above a select.

Every long list of choices (the administrator's view-as organization, the staff to assign
to an engagement, the organization a console list is filtered by, where an upload goes)
uses it. The state narrows ``choices`` on the server as the text changes (``on_narrow``
gets the text), so a list of thousands still sends a few dozen options; each choice is a
``{"id": ..., "name": ...}`` dict.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

from fluxent.components import theme


def searchable_select(
    select_id: str,
    label: str | rx.Component,
    *,
    choices: Var,
    query: Var,
    on_narrow: Any,
    placeholder: str,
    search_label: str = "",
    name: str | None = None,
    value: Var | None = None,
    on_change: Any = None,
    first: tuple[str, str] | None = None,
    first_disabled: bool = False,
    keys: tuple[str, str] = ("id", "name"),
    searchable: Var | bool = True,
    disabled: Var | bool = False,
    test_id: str = "",
    select_style: dict[str, Any] | None = None,
    label_style: dict[str, Any] | None = None,
    style: dict[str, Any] | None = None,
) -> rx.Component:
    """The label, a search box (``query`` its text) and the select of ``choices``.

    ``searchable``: False (or a false Var) leaves the search box out, for a list short enough to read;
    ``first``: a (value, text) option above the choices ("Any organization", "Your own view"),
    not choosable with ``first_disabled``; ``keys``: the choices' value and text keys (or fields);
    ``name``: the select's form field; ``value``/``on_change``: a select the state controls.
    The search box has no name: submitting the form sends the choice only."""
    control = {**theme.SELECT, **(select_style or {})}
    selected: dict[str, Any] = {"value": value} if value is not None else {}
    if on_change is not None:
        selected["on_change"] = on_change
    if name is not None:
        selected["name"] = name
    return rx.el.div(
        rx.el.label(label, html_for=select_id, style=label_style or theme.VISUALLY_HIDDEN),
        rx.cond(
            searchable,
            rx.el.input(
                type="search",
                placeholder=placeholder,
                aria_label=search_label or placeholder,
                aria_controls=select_id,
                default_value=query,
                max_length=200,
                auto_complete="off",
                on_change=on_narrow,
                data_testid=f"{test_id}-filter" if test_id else None,
                style={
                    **control,
                    "background_image": "none",
                    "padding_right": theme.SPACE_3,
                    "cursor": "text",
                    "margin_bottom": theme.SPACE_2,
                },
            ),
        ),
        rx.el.select(
            rx.el.option(first[1], value=first[0], disabled=first_disabled) if first is not None else rx.fragment(),
            rx.foreach(choices, lambda choice: rx.el.option(choice[keys[1]], value=choice[keys[0]])),
            id=select_id,
            disabled=disabled,
            data_testid=test_id or None,
            style=control,
            **selected,
        ),
        style={"display": "flex", "flex_direction": "column", "min_width": "0", **(style or {})},
    )
