"""A side sheet: a panel from the right edge over a dimmed page, for editing one row of a list.

No dialog library is bundled, so it is plain elements: ``role="dialog"``, the close button takes
the focus when it opens, Escape (a key press anywhere inside), the close button and the backdrop
close it.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventHandler, key_event
from reflex_components_core.el.elements.typography import Div

from fluxent.components import theme


class KeyedDiv(Div):
    """Reflex's ``div`` offers no ``on_key_down``; the sheet closes on Escape."""

    on_key_down: EventHandler[key_event]


def side_sheet(title: rx.Var | str, *children: rx.Component, on_close: Any, on_key: Any, sheet_id: str) -> rx.Component:
    """The open sheet (render it under an ``rx.cond``); ``on_key(key, modifiers)`` hears every key."""
    title_id = f"{sheet_id}-title"
    return KeyedDiv.create(
        rx.el.div(
            on_click=on_close,
            aria_hidden="true",
            style={"position": "fixed", "inset": "0", "background": theme.SCRIM},
        ),
        rx.el.aside(
            rx.el.div(
                rx.el.h2(
                    title,
                    id=title_id,
                    style={**theme.HEADING_2, "font_size": theme.TEXT_XL, "margin": "0", "overflow_wrap": "anywhere"},
                ),
                rx.el.button(
                    rx.icon("x", size=20),
                    type="button",
                    on_click=on_close,
                    aria_label="Close",
                    auto_focus=True,
                    style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM, "padding_x": theme.SPACE_3},
                ),
                style={
                    "display": "flex",
                    "justify_content": "space-between",
                    "align_items": "center",
                    "gap": theme.SPACE_3,
                    "margin_bottom": theme.SPACE_5,
                },
            ),
            *children,
            role="dialog",
            aria_modal="true",
            aria_labelledby=title_id,
            data_testid=sheet_id,
            style={
                "position": "fixed",
                "top": "0",
                "right": "0",
                "bottom": "0",
                "width": "min(100%, 32rem)",
                "overflow_y": "auto",
                "background": theme.SURFACE,
                "box_shadow": theme.SHADOW_LG,
                "padding": theme.SPACE_6,
            },
        ),
        on_key_down=on_key,
        style={"position": "fixed", "inset": "0", "z_index": "60"},
    )
