"""A document's preview (``state/document_preview.py``): the button in its row and the dialog
that shows an image, or a PDF's pages as images, with a way to download the file."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import theme
from fluxent.components.theme import MUTED
from fluxent.state.portal import DocumentRow


def preview_button(state: Any, document: DocumentRow) -> rx.Component:
    """Only for a PDF or an image; ``state`` mixes in ``DocumentPreviewMixin``."""
    return rx.cond(
        document.previewable,
        rx.el.button(
            "Preview",
            type="button",
            on_click=state.open_preview(document.id),
            aria_haspopup="dialog",
            aria_label="Preview " + document.filename,
            style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
        ),
    )


def preview_dialog(state: Any) -> rx.Component:
    """The open preview, named by the file, with its download and a way to close it."""

    def page(url: rx.Var, number: rx.Var) -> rx.Component:
        return rx.el.img(
            src=url,
            alt=rx.cond(state.preview_kind == "pdf", "Page " + (number + 1).to_string(), state.preview_filename),
            style={
                "display": "block",
                "width": "100%",
                "height": "auto",
                "background": theme.SURFACE,
                "border": f"1px solid {theme.LINE}",
                "border_radius": theme.RADIUS_MD,
            },
        )

    return rx.cond(
        state.preview_document != 0,
        rx.el.div(
            rx.el.div(
                rx.el.div(
                    rx.el.h2(
                        state.preview_filename,
                        id="preview-heading",
                        style={
                            **theme.HEADING_2,
                            "font_size": theme.TEXT_LG,
                            "margin": "0",
                            "overflow_wrap": "anywhere",
                            "flex": "1 1 12rem",
                            "min_width": "0",
                        },
                    ),
                    rx.el.a(
                        "Download",
                        href=state.preview_download,
                        download="",
                        style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
                    ),
                    rx.el.button(
                        "Close",
                        type="button",
                        on_click=state.close_preview,
                        auto_focus=True,
                        style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM},
                    ),
                    style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_3, "align_items": "center"},
                ),
                rx.cond(state.preview_more != "", rx.el.p(state.preview_more, style={**MUTED, "margin": "0"})),
                rx.el.div(
                    rx.foreach(state.preview_urls, page),
                    data_testid="preview-pages",
                    style={"display": "grid", "gap": theme.SPACE_4, "overflow_y": "auto", "min_height": "0"},
                ),
                role="dialog",
                aria_modal="true",
                aria_labelledby="preview-heading",
                style={
                    **theme.CARD,
                    "display": "grid",
                    "grid_template_rows": "auto auto minmax(0, 1fr)",
                    "gap": theme.SPACE_4,
                    "width": "min(900px, 100%)",
                    "max_height": "calc(100vh - 2rem)",
                },
            ),
            style=theme.MODAL_BACKDROP,
        ),
    )
