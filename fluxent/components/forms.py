"""The form kit every page uses: a labelled field, select, text area and checkbox with
inline errors, a submit button that shows progress, and an alert; plus the section card,
heading and badge of the portal's settings pages.

Errors come either as one message (a string Var, empty when there is none) or as a
state's ``dict[str, str]`` of messages by field name (a service's
``ValidationFailed.fields``), looked up by the control's ``name``. A control given an
``error`` is marked ``aria-invalid`` and described by its error line (and its hint), and
the line is announced (``role="alert"``) when a message appears in it. Controls are
identified by ``input_id``, else ``{form_id}-{name}``, else ``name``; the hint and the
error line are ``{id}-hint`` and ``{id}-error``. Styles come from ``components.theme``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex_base import constants
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import Var, VarData
from reflex_base.vars.object import ObjectVar

from fluxent.components import theme
from fluxent.components.spinner import spinner
from fluxent.state.form_focus import control_id

Text = str | Var

# A form laid out as one column: auth cards, short portal forms.
FORM_STACK: dict[str, Any] = {"display": "flex", "flex_direction": "column", "gap": theme.SPACE_5}


def form(*children: rx.Component, **props: Any) -> rx.Component:
    """A form handled by its state. The browser's own validation bubbles stay off: the
    server's checks are the rule, and their messages show inline beside each field."""
    return rx.el.form(*children, no_validate=True, **props)


def message(error: Var, key: Text) -> Var:
    """The message for ``key``: ``error`` is that message itself, or a form's messages by name."""
    if isinstance(error, ObjectVar):
        return rx.cond(error.contains(key), error[key].to(str), "")
    return error


def _given(value: Text) -> bool:
    return isinstance(value, Var) or value != ""


def _control_id(name: Text, form_id: Text, input_id: Text) -> Text:
    if _given(input_id):
        return input_id
    return control_id(name, form_id)


def error_line(text: Var, error_id: Text) -> rx.Component:
    """Always in the page (the input points at it); the message inside is announced when it appears."""
    return rx.el.div(
        rx.cond(
            text != "",
            rx.el.p(
                rx.icon("circle-alert", size=14, aria_hidden="true", style={"flex_shrink": "0", "margin_top": "2px"}),
                text,
                role="alert",
                style=theme.FIELD_ERROR,
            ),
        ),
        id=error_id,
    )


# What a value that cannot be changed here looks like, in an input (``read_only``, ``disabled``)
# or shown as text (``read_only_value``): no border to type into, a muted background.
READ_ONLY: dict[str, Any] = {
    "border_color": theme.CANVAS,
    "background": theme.CANVAS,
    "color": theme.TEXT_MUTED,
    "box_shadow": "none",
    "cursor": "default",
}
_READ_ONLY_SELECTOR = "&[readonly], &:disabled, &[readonly]:hover, &:disabled:hover, &[readonly]:focus"


def read_only_value(label: Text, value: Text | Var, **props: Any) -> rx.Component:
    """A labelled value shown where a form cannot change it (an e-mail address, a fixed price)."""
    return rx.el.div(
        rx.el.p(label, style=theme.LABEL),
        rx.el.p(
            value,
            style={
                **READ_ONLY,
                "margin": "0",
                "min_height": theme.CONTROL_HEIGHT,
                "display": "flex",
                "align_items": "center",
                "padding_x": theme.SPACE_4,
                "border_radius": theme.RADIUS_MD,
                "overflow_wrap": "anywhere",
            },
            **props,
        ),
        style={"min_width": "0"},
    )


# What places a labelled control, with its default: ``form_id`` / ``input_id`` name it (see
# above), ``hint`` goes under it, ``optional`` adds "(optional)" to the label, ``full`` spans a
# form grid, ``style`` is the wrapper's. Every other keyword goes to the control itself
# (``required``, ``max_length``, ``default_value``, ...).
_PLACEMENT: dict[str, Any] = {
    "form_id": "",
    "input_id": "",
    "hint": None,
    "optional": False,
    "full": False,
    "style": None,
}


def _ref(element_id: Var) -> Var:
    """A React ref that files the element under the name ``rx.set_focus(id)`` looks for:
    Reflex files only elements with a fixed id, and a control in a list has one per row."""
    name = f'"ref_" + String({element_id}).replace(/[^\\w]+/g, "_")'
    return Var(
        _js_expr=f"((element) => {{ refs[{name}] = {{ current: element }}; }})",
        _var_data=VarData.merge(
            element_id._get_all_var_data(),
            VarData(imports={f"$/{constants.Dirs.STATE_PATH}": [ImportVar(tag="refs")]}),
        ),
    )


def _labelled(
    make: Any,
    children: Sequence[rx.Component],
    label: Text | rx.Component,
    name: Text,
    error: Var | None,
    control_style: dict[str, Any],
    options: dict[str, Any],
) -> rx.Component:
    """Label, control, hint and error line, wired together; ``options`` as ``_PLACEMENT`` says."""
    place = {key: options.pop(key, default) for key, default in _PLACEMENT.items()}
    props = options
    control_id = _control_id(name, place["form_id"], place["input_id"])
    hint_id, error_id = f"{control_id}-hint", f"{control_id}-error"
    hint = place["hint"]
    described = [hint_id] if hint is not None else []
    text = None
    if error is not None:
        text = message(error, name)
        described.append(error_id)
        props["aria_invalid"] = rx.cond(text != "", "true", "false")
    if described:
        props["aria_describedby"] = " ".join(described)
    if isinstance(control_id, Var):
        props.setdefault("ref", _ref(control_id))
    suffix = (
        rx.el.span(" (optional)", style={"color": theme.TEXT_SUBTLE, "font_weight": theme.WEIGHT_REGULAR})
        if place["optional"]
        else rx.fragment()
    )
    return rx.el.div(
        rx.el.label(label, suffix, html_for=control_id, style=theme.LABEL),
        make(*children, id=control_id, name=name, style={**control_style, _READ_ONLY_SELECTOR: READ_ONLY}, **props),
        rx.el.div(hint, id=hint_id, style=theme.HINT) if hint is not None else rx.fragment(),
        error_line(text, error_id) if text is not None else rx.fragment(),
        style={"min_width": "0", **({"grid_column": "1 / -1"} if place["full"] else {}), **(place["style"] or {})},
    )


def field(
    label: Text,
    name: Text,
    error: Var | None = None,
    *,
    type: str = "text",
    input_style: dict[str, Any] | None = None,
    **options: Any,
) -> rx.Component:
    """A labelled input (placed as ``_PLACEMENT`` says; ``input_style`` adds to the input's style).
    The browser offers no suggestions unless ``auto_complete`` says what the field holds."""
    options.setdefault("auto_complete", "off")
    return _labelled(
        rx.el.input, (), label, name, error, {**theme.CONTROL, **(input_style or {})}, {"type": type, **options}
    )


def select(
    label: Text,
    name: Text,
    options: Sequence[tuple[str, str]],
    error: Var | None = None,
    *,
    placeholder: str = "",
    **select_options: Any,
) -> rx.Component:
    """A labelled dropdown of (value, text) ``options``; a ``placeholder`` is an empty first choice that cannot be picked again."""
    choices = [rx.el.option(text, value=value) for value, text in options]
    if placeholder:
        choices.insert(0, rx.el.option(placeholder, value="", disabled=True))
        select_options.setdefault("default_value", "")
    return _labelled(rx.el.select, choices, label, name, error, theme.SELECT, select_options)


def textarea(label: Text, name: Text, error: Var | None = None, *, rows: int = 3, **options: Any) -> rx.Component:
    """A labelled text area; it spans a form grid unless ``full=False``."""
    options.setdefault("full", True)
    return _labelled(rx.el.textarea, (), label, name, error, theme.TEXTAREA, {"rows": rows, **options})


def checkbox(
    label: Text | rx.Component,
    name: Text,
    error: Var | None = None,
    *,
    form_id: Text = "",
    input_id: Text = "",
    default_checked: bool | Var = False,
    style: dict[str, Any] | None = None,
) -> rx.Component:
    """A box with its label beside it. Unticked unless ``default_checked`` says otherwise:
    a consent box must never be ticked for the person."""
    control_id = _control_id(name, form_id, input_id)
    error_id = f"{control_id}-error"
    props: dict[str, Any] = {"default_checked": default_checked} if default_checked is not False else {}
    text = None
    if error is not None:
        text = message(error, name)
        props.update(aria_invalid=rx.cond(text != "", "true", "false"), aria_describedby=error_id)
    return rx.el.div(
        rx.el.div(
            rx.el.input(type="checkbox", id=control_id, name=name, style=theme.CHECKBOX, **props),
            rx.el.label(
                label,
                html_for=control_id,
                style={
                    "color": theme.TEXT,
                    "font_size": theme.TEXT_SM,
                    "line_height": theme.LEADING_BODY,
                    "cursor": "pointer",
                },
            ),
            style={"display": "flex", "gap": theme.SPACE_3, "align_items": "flex-start"},
        ),
        error_line(text, error_id) if text is not None else rx.fragment(),
        style={"min_width": "0", **(style or {})},
    )


def submit_button(
    label: Text, busy: Var, busy_label: str, *, danger: bool = False, full_width: bool = False, **props: Any
) -> rx.Component:
    """A submit button that says what is happening and cannot be pressed twice.

    It stays disabled until the page is connected, so nothing is sent before Reflex
    handles the form or before a native form has its CSRF token.
    """
    style = {
        **theme.BUTTON_PRIMARY,
        **(DANGER_BUTTON if danger else {}),
        **({"width": "100%"} if full_width else {}),
        "&:disabled": {"opacity": "0.7", "cursor": "progress", "transform": "none"},
        **props.pop("style", {}),
    }
    return rx.el.button(
        rx.cond(busy, rx.fragment(spinner(size="2"), busy_label), label),
        type="submit",
        disabled=busy | ~rx.State.is_hydrated,
        aria_busy=rx.cond(busy, "true", "false"),
        style=style,
        **props,
    )


DANGER_BUTTON: dict[str, Any] = {
    "background": theme.DANGER,
    "box_shadow": "none",
    "&:hover": {"background": theme.DANGER_HOVER, "color": theme.ON_INK, "transform": "translateY(-1px)"},
}

_TONES = {
    "error": ("alert", "circle-alert", theme.DANGER, theme.DANGER_SOFT, theme.DANGER_LINE),
    "notice": ("status", "circle-check", theme.SUCCESS, theme.SUCCESS_SOFT, theme.SUCCESS_LINE),
}


def _summary(errors: Var, fields: Sequence[tuple[str, str]], form_id: str) -> rx.Component:
    """The fields in error, by label, each a link to its control."""
    return rx.el.ul(
        *[
            rx.cond(
                message(errors, name) != "",
                rx.el.li(rx.el.a(label, href=f"#{control_id(name, form_id)}", style={"color": "inherit"})),
            )
            for name, label in fields
        ],
        style={"margin": f"{theme.SPACE_2} 0 0", "padding_left": theme.SPACE_5},
    )


def alert(
    error: Var,
    key: str = "form",
    *,
    tone: str = "error",
    fields: Sequence[tuple[str, str]] = (),
    field_errors: Var | None = None,
    form_id: str = "",
    style: dict[str, Any] | None = None,
    **props: Any,
) -> rx.Component:
    """A message about the whole form or page, shown only when there is one: an error
    (``role="alert"``) or a notice (``role="status"``). ``error`` is the message, or a
    form's messages by name, of which this shows ``key``. Given the form's ``fields``
    as (name, label), an error summary also names each field in error (in ``field_errors``,
    else in ``error``), linked to it."""
    role, icon, colour, background, line = _TONES[tone]
    text = message(error, key)
    return rx.cond(
        text != "",
        rx.el.div(
            rx.icon(icon, size=18, aria_hidden="true", style={"flex_shrink": "0", "margin_top": "1px"}),
            rx.el.div(
                rx.el.p(text, style={"margin": "0"}),
                _summary(error if field_errors is None else field_errors, fields, form_id) if fields else rx.fragment(),
            ),
            role=role,
            style={
                "display": "flex",
                "gap": theme.SPACE_3,
                "align_items": "flex-start",
                "padding": f"{theme.SPACE_3} {theme.SPACE_4}",
                "border_radius": theme.RADIUS_MD,
                "border": f"1px solid {line}",
                "background": background,
                "color": colour,
                "font_size": theme.TEXT_SM,
                "font_weight": theme.WEIGHT_MEDIUM,
                "line_height": theme.LEADING_SNUG,
                **(style or {}),
            },
            **props,
        ),
    )


def confirmation(*children: rx.Component, element_id: str, **props: Any) -> rx.Component:
    """What replaces a form once it is sent: announced, and focused (so scrolled into view)
    as it appears."""
    return rx.el.div(
        *children,
        id=element_id,
        role="status",
        tab_index=-1,
        on_mount=rx.set_focus(element_id),
        **props,
    )


def section_card(heading: str, text: str, *children: rx.Component, section_id: str, icon: str = "") -> rx.Component:
    """A settings section: heading and explanation, then its content, in one card."""
    heading_id = f"{section_id}-heading"
    return rx.el.section(
        rx.el.div(
            rx.el.span(rx.icon(icon, size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM))
            if icon
            else rx.fragment(),
            rx.el.div(
                rx.el.h2(heading, id=heading_id, style={**theme.HEADING_2, "font_size": theme.TEXT_LG}),
                rx.el.p(
                    text,
                    style={
                        "margin": f"{theme.SPACE_1} 0 0",
                        "color": theme.TEXT_MUTED,
                        "font_size": theme.TEXT_SM,
                        "line_height": theme.LEADING_BODY,
                    },
                ),
                style={"min_width": "0"},
            ),
            style={
                "display": "flex",
                "gap": theme.SPACE_4,
                "align_items": "flex-start",
                "margin_bottom": theme.SPACE_6,
            },
        ),
        *children,
        id=section_id,
        aria_labelledby=heading_id,
        style={**theme.CARD, "padding": f"clamp({theme.SPACE_5}, 3vw, {theme.SPACE_8})"},
    )


def page_heading(title: str, text: str) -> rx.Component:
    return rx.el.div(
        rx.el.h1(title, style={**theme.HEADING_1, "margin": f"0 0 {theme.SPACE_3}", "font_size": theme.HEADING_MD}),
        rx.el.p(text, style={"margin": "0", "color": theme.TEXT_MUTED, "max_width": "62ch"}),
        style={"margin_bottom": theme.SPACE_8},
    )


BADGE_TONES = {
    "accent": (theme.ACCENT_SOFT, theme.ACCENT),
    "success": (theme.SUCCESS_SOFT, theme.SUCCESS),
    "danger": (theme.DANGER_SOFT, theme.DANGER),
    "warning": (theme.WARNING_SOFT, theme.WARNING),
    "neutral": (theme.LINE, theme.TEXT_MUTED),
}


def badge(text: Text, *, tone: Text = "accent") -> rx.Component:
    """A status pill; ``tone`` names its colours (one of ``BADGE_TONES``), also as a state's Var."""
    if isinstance(tone, Var):
        background = rx.match(tone, *((name, pair[0]) for name, pair in BADGE_TONES.items()), theme.ACCENT_SOFT)
        colour = rx.match(tone, *((name, pair[1]) for name, pair in BADGE_TONES.items()), theme.ACCENT)
    else:
        background, colour = BADGE_TONES[tone]
    return rx.el.span(
        text,
        style={
            "display": "inline-flex",
            "align_items": "center",
            "padding": f"2px {theme.SPACE_3}",
            "border_radius": theme.RADIUS_PILL,
            "background": background,
            "color": colour,
            "font_size": theme.TEXT_XS,
            "font_weight": theme.WEIGHT_BOLD,
            "white_space": "nowrap",
        },
    )
