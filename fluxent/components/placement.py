"""Page images with fields on them: an image that reports where it was clicked, relative to
its own size (0..1 from the top-left corner), where the field editor puts a field; a
placed field's marker that takes the keyboard (arrow keys, Delete, Escape); and the box
that shows a placed field (the editor's and the signer's page)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventHandler
from reflex_base.vars.base import Var
from reflex_base.vars.function import FunctionVar
from reflex_base.vars.object import ObjectVar
from reflex_components_core.el.elements.forms import Button
from reflex_components_core.el.elements.media import Img

from fluxent.components import theme


def _relative_click(event: ObjectVar[Any]) -> tuple[Var[float], Var[float]]:
    event = event.to(dict)
    native, target = event.nativeEvent.to(dict), event.currentTarget.to(dict)
    return (
        (native.offsetX.to(float) / target.clientWidth.to(float)),
        (native.offsetY.to(float) / target.clientHeight.to(float)),
    )


class PlacementImage(Img):
    """An ``img`` whose click hands the handler (x, y) as fractions of the image's width and height."""

    on_click: EventHandler[_relative_click]


def placement_image(*, src: Var, alt: Var, on_place: Any, **props: Any) -> rx.Component:
    return PlacementImage.create(src=src, alt=alt, on_click=on_place, **props)


def _field_key(event: ObjectVar[Any]) -> tuple[Var[str], Var[bool]]:
    """The key pressed and whether Shift was held. For an arrow key the browser's own action
    (scrolling the page) is prevented: the arrows move the field, not the page."""
    event = event.to(dict)
    key = event.key.to(str)
    prevented = Var.create([event.preventDefault.to(FunctionVar).call(), key]).to(list)[1].to(str)
    return rx.cond(key.startswith("Arrow"), prevented, key), event.shiftKey.to(bool)


class FieldMarker(Button):
    """A placed field's button whose key presses hand the handler (key, shift)."""

    on_key_down: EventHandler[_field_key]


def field_marker(*children: Any, on_key: Any, **props: Any) -> rx.Component:
    return FieldMarker.create(*children, on_key_down=on_key, **props)


def placed_box(left: Var, top: Var, width: Var, height: Var) -> dict[str, Any]:
    """Where a field sits on its page image: percentages of the image, from its top-left corner."""
    return {
        "position": "absolute",
        "left": left,
        "top": top,
        "width": width,
        "height": height,
        "border": f"2px solid {theme.ACCENT}",
        "background": theme.ACCENT_SOFT,
        "overflow": "hidden",
    }
