"""Documents on the portal's and the staff console's pages: a document's details line, the
uploader (a drop zone, the chosen file's name and the button that streams it, ``state/uploads.py``),
and a document's versions (``state/document_versions.py``)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from fluxent.components import forms, theme
from fluxent.components.public_layout import plain_link
from fluxent.components.theme import MUTED
from fluxent.components.view_as import CAN_CHANGE
from fluxent.core.filetypes import ACCEPT, ALLOWED_LABELS
from fluxent.state.document_versions import VERSION_UPLOAD_ID, VersionRow
from fluxent.state.portal import DocumentRow


def document_details(document: DocumentRow) -> rx.Component:
    """Where a document belongs, its version, size, day and uploader:
    "General · v2 · 1.2 MB · 05 Mar 2026 · by Dana Whitfield"."""
    return rx.el.p(
        document.where,
        " · v",
        document.version.to_string(),
        " · ",
        rx.el.span(document.size, style=theme.FIGURE),
        " · ",
        document.updated,
        " · by ",
        document.by,
        style=MUTED,
    )


def document_uploader(
    upload_id: str,
    *,
    label: str,
    uploading: rx.Var,
    uploaded: rx.Var,
    on_upload: Any,
    error: rx.Var,
    accept: dict[str, list[str]] = ACCEPT,
    types: str = ALLOWED_LABELS,
) -> rx.Component:
    """One file at a time into ``upload_id``; ``on_upload`` starts the upload, ``uploading`` shows it
    running, ``uploaded`` says the last one was accepted (the chosen file is then cleared), ``error``
    why it was refused (beside the uploader). The picker offers only the ``accept`` types (named by
    ``types``); "upload" waits for a chosen file, which can be removed. The server checks again."""
    chosen = rx.selected_files(upload_id)
    error_id = f"{upload_id}-error"
    return rx.fragment(
        rx.upload.root(
            rx.el.div(
                rx.icon("upload", size=22, aria_hidden="true"),
                rx.el.p(
                    "Drop a file here or choose one",
                    style={"margin": "0", "color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD},
                ),
                rx.el.p(types, style=MUTED),
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
            accept=accept,
            style={
                "margin_top": theme.SPACE_4,
                "padding": theme.SPACE_6,
                "border": f"2px dashed {theme.LINE_STRONG}",
                "border_radius": theme.RADIUS_LG,
                "cursor": "pointer",
            },
        ),
        rx.cond(
            chosen.length() > 0,  # type: ignore[attr-defined]
            rx.el.div(
                rx.el.p(
                    rx.foreach(chosen, lambda name: rx.el.span(name)),
                    style={**MUTED, "margin": "0", "overflow_wrap": "anywhere"},
                ),
                rx.el.button(
                    "Remove",
                    type="button",
                    on_click=rx.clear_selected_files(upload_id),
                    disabled=uploading,
                    aria_label="Remove the chosen file",
                    style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
                ),
                style={"display": "flex", "align_items": "center", "gap": theme.SPACE_3, "margin_top": theme.SPACE_2},
            ),
        ),
        # Cleared in the browser as the acceptance arrives: the page's Content-Security-Policy
        # forbids the eval that a clear sent from the server would need.
        rx.cond(uploaded, rx.el.span(on_mount=rx.clear_selected_files(upload_id), hidden=True)),
        forms.error_line(error, error_id),
        rx.el.button(
            rx.cond(uploading, "Uploading…", label),
            type="button",
            disabled=uploading | (chosen.length() == 0),  # type: ignore[attr-defined]
            aria_busy=uploading,
            on_click=on_upload,
            style={
                **theme.BUTTON_PRIMARY,
                "margin_top": theme.SPACE_4,
                "&:disabled": {"opacity": "0.6", "cursor": "not-allowed"},
            },
        ),
    )


def versions_button(state: Any, document: DocumentRow) -> rx.Component:
    """Opens (or closes) ``document``'s versions under its row; ``state`` mixes in ``DocumentVersionsMixin``."""
    is_open = state.open_document == document.id
    return rx.el.button(
        rx.cond(is_open, "Hide versions", "Versions"),
        type="button",
        on_click=state.toggle_versions(document.id),
        aria_expanded=rx.cond(is_open, "true", "false"),
        aria_controls="document-versions",
        aria_label=rx.cond(is_open, "Hide the versions of ", "Show the versions of ") + document.filename,
        style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
    )


def _version(row: VersionRow) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.p(
                rx.el.span("v", row.version.to_string(), style={"font_weight": theme.WEIGHT_BOLD}),
                " · ",
                row.filename,
                style={"margin": "0", "color": theme.INK, "overflow_wrap": "anywhere"},
            ),
            rx.el.p(
                rx.el.span(row.size, style=theme.FIGURE),
                " · ",
                "by ",
                row.by,
                " · ",
                row.when,
                style=MUTED,
            ),
            style={"flex": "1 1 14rem", "min_width": "0"},
        ),
        # A native link: a download, never a client-side route change.
        plain_link(
            "Download v",
            row.version.to_string(),
            href=row.download_url,
            download=row.filename,
            style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
        ),
        data_testid="document-version",
        style={
            "display": "flex",
            "flex_wrap": "wrap",
            "align_items": "center",
            "gap": theme.SPACE_3,
            "padding": f"{theme.SPACE_3} 0",
            "border_top": f"1px solid {theme.LINE}",
        },
    )


def document_versions(state: Any, document: DocumentRow) -> rx.Component:
    """Under ``document``'s row while it is open: its versions, newest first, each with who uploaded it
    and when and a download, then the uploader for a new version when the person may add one."""
    return rx.cond(
        state.open_document == document.id,
        rx.el.div(
            rx.el.h3(
                "Versions of ",
                state.open_filename,
                style={
                    "margin": "0",
                    "font_size": theme.TEXT_MD,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "color": theme.INK,
                    "overflow_wrap": "anywhere",
                },
            ),
            rx.el.ol(
                rx.foreach(state.version_rows, _version),
                style={"list_style": "none", "margin": f"{theme.SPACE_3} 0 0", "padding": "0"},
            ),
            rx.cond(
                state.may_add_version & CAN_CHANGE,
                document_uploader(
                    VERSION_UPLOAD_ID,
                    label="Upload new version",
                    uploading=state.version_uploading,
                    uploaded=state.version_uploaded,
                    error=state.version_upload_error,
                    on_upload=state.upload_version(rx.upload_files_chunk(upload_id=VERSION_UPLOAD_ID)),
                ),
            ),
            id="document-versions",
            style={
                "flex": "1 1 100%",
                "padding": theme.SPACE_4,
                "border_radius": theme.RADIUS_LG,
                "background": theme.CANVAS,
                "border": f"1px solid {theme.LINE}",
            },
        ),
    )
