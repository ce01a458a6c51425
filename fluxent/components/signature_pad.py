"""The drawn-signature pad: the npm ``react-signature-canvas`` component wrapped for Reflex.

``on_end`` fires when a stroke ends and hands the handler the drawing so far as a PNG
data URL, read from the component's own ``toDataURL`` through its React ref.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import no_args_event_spec
from reflex_base.vars.base import Var
from reflex_base.vars.function import FunctionVar

from fluxent.components import theme

PAD_ID = "signature_pad"


class SignatureCanvas(rx.Component):
    library = "react-signature-canvas@1.1.0-alpha.2"
    tag = "SignatureCanvas"
    is_default = True

    pen_color: rx.Var[str]
    background_color: rx.Var[str]
    canvas_props: rx.Var[dict[str, Any]]
    clear_on_resize: rx.Var[bool]
    # signature_pad calls it with the pointer event; the handler gets the drawing instead.
    on_end: rx.EventHandler[no_args_event_spec]


def _drawing() -> Var[str]:
    """The pad's PNG as a data URL: ``toDataURL`` of the SignatureCanvas behind the component's React ref."""
    canvas = Var(_js_expr=f"ref_{PAD_ID}")._as_ref().to(dict).current.to(dict)
    return canvas.toDataURL.to(FunctionVar).call("image/png").to(str)


def signature_pad(*, on_drawn: Any, label: str) -> rx.Component:
    """A pad that reports each finished stroke to ``on_drawn(data_url)``."""
    return rx.el.div(
        SignatureCanvas.create(
            id=PAD_ID,
            pen_color=theme.INK,
            clear_on_resize=False,
            canvas_props={
                "aria-label": label,
                "role": "img",
                "width": 560,
                "height": 180,
                "style": {"width": "100%", "height": "180px", "touch-action": "none", "display": "block"},
            },
            on_end=lambda: on_drawn(_drawing()),
        ),
        style={
            "border": f"1px dashed {theme.LINE_STRONG}",
            "border_radius": theme.RADIUS_MD,
            "background": theme.SURFACE,
            "max_width": "560px",
        },
    )
