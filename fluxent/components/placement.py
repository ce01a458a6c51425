"""A page image that reports where it was clicked, relative to its own size (0..1 from the
top-left corner): the field placement editor puts a field there."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventHandler
from reflex_base.vars.base import Var
from reflex_base.vars.object import ObjectVar
from reflex_components_core.el.elements.media import Img


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
