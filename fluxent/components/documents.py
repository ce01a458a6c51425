"""Documents on the portal's and the staff console's pages: a document's details line, and the
uploader (a drop zone, the chosen file's name and the button that streams it, ``state/uploads.py``)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import theme
from fluxent.components.theme import MUTED
from fluxent.core.filetypes import ALLOWED_LABELS
from fluxent.state.portal import DocumentRow


def document_details(document: DocumentRow) -> rx.Component:
    """Where a document belongs, its version, size and day: "General · v2 · 1.2 MB · 05 Mar 2026"."""
    return rx.el.p(
        document.where,
        " · v",
        document.version.to_string(),
        " · ",
        document.size,
        " · ",
        document.updated,
        style=MUTED,
    )


def document_uploader(upload_id: str, *, label: str, uploading: rx.Var, on_upload: Any) -> rx.Component:
    """One file at a time into ``upload_id``; ``on_upload`` starts the upload, ``uploading`` shows it running."""
    return rx.fragment(
        rx.upload.root(
            rx.el.div(
                rx.icon("upload", size=22, aria_hidden="true"),
                rx.el.p(
                    "Drop a file here or choose one",
                    style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD},
                ),
                rx.el.p(ALLOWED_LABELS, style=MUTED),
                style={
                    "display": "flex",
                    "flex_direction": "column",
                    "align_items": "center",
                    "gap": theme.SPACE_2,
                    "text_align": "center",
                },
            ),
            id=upload_id,
            max_files=1,
            style={
                "margin_top": theme.SPACE_4,
                "padding": theme.SPACE_6,
                "border": f"2px dashed {theme.LINE_STRONG}",
                "border_radius": theme.RADIUS_LG,
                "cursor": "pointer",
            },
        ),
        rx.el.p(
            rx.foreach(rx.selected_files(upload_id), lambda name: rx.el.span(name)),
            style={**MUTED, "margin_top": theme.SPACE_2},
        ),
        rx.el.button(
            rx.cond(uploading, "Uploading…", label),
            type="button",
            disabled=uploading,
            aria_busy=uploading,
            on_click=on_upload,
            style={**theme.BUTTON_PRIMARY, "margin_top": theme.SPACE_4},
        ),
    )
