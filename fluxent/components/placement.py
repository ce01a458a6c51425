"""Page images with fields on them: an image that reports where it was clicked, relative to
its own size (0..1 from the top-left corner), where the field editor puts a field; and the
box that shows a placed field (the editor's and the signer's page)."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventHandler
from reflex_base.vars.base import Var
from reflex_base.vars.object import ObjectVar
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
