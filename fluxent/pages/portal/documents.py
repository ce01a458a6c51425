"""Portal documents: what Fluxent and your team shared, and an upload that streams to private storage."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.document_preview import preview_button, preview_dialog
from fluxent.components.documents import document_details, document_uploader, document_versions, versions_button
from fluxent.components.portal_layout import portal_page
from fluxent.components.searchable_select import searchable_select
from fluxent.components.view_as import CAN_CHANGE
from fluxent.pages.portal.portal_parts import SECTION_HEADING, empty, intro, progress_bar
from fluxent.state.portal import UPLOAD_ID, DocumentRow, DocumentsState


def _document(document: DocumentRow) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon("file-text", size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        rx.el.div(
            rx.el.p(
                document.filename,
                style={
                    "margin": "0",
                    "color": theme.INK,
                    "font_weight": theme.WEIGHT_SEMIBOLD,
                    "overflow_wrap": "anywhere",
                },
            ),
            document_details(document),
            style={"flex": "1 1 12rem", "min_width": "0"},
        ),
        rx.el.div(
            preview_button(DocumentsState, document),
            versions_button(DocumentsState, document),
            rx.el.a(
                "Download",
                href=document.download_url,
                download="",
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
            ),
            style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_2},
        ),
        document_versions(DocumentsState, document),
        data_testid="document-row",
        style={
            "display": "flex",
            "align_items": "center",
            "gap": theme.SPACE_4,
            "padding": f"{theme.SPACE_4} 0",
            "border_top": f"1px solid {theme.LINE}",
            "flex_wrap": "wrap",
        },
    )


def _uploader() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Share a document", id="upload-heading", style=SECTION_HEADING),
        searchable_select(
            "upload-target",
            "Where it belongs",
            choices=DocumentsState.targets,
            query=DocumentsState.target_query,
            on_narrow=DocumentsState.narrow_targets,
            placeholder="Find an organization or engagement",
            value=DocumentsState.target,
            on_change=DocumentsState.set_target,
            first=("", "Choose where it belongs"),
            first_disabled=True,
            keys=("value", "label"),
            searchable=DocumentsState.many_targets,
            test_id="upload-target",
            label_style=theme.LABEL,
        ),
        document_uploader(
            UPLOAD_ID,
            label="Upload",
            uploading=DocumentsState.uploading,
            uploaded=DocumentsState.uploaded,
            error=DocumentsState.upload_error,
            on_upload=DocumentsState.upload(
                rx.upload_files_chunk(upload_id=UPLOAD_ID, on_upload_progress=DocumentsState.upload_progress)
            ),
        ),
        rx.cond(
            DocumentsState.uploading | (DocumentsState.progress > 0),
            rx.el.div(progress_bar(DocumentsState.progress, "Upload progress"), style={"margin_top": theme.SPACE_4}),
        ),
        aria_labelledby="upload-heading",
        style={**theme.CARD, "margin_top": theme.SPACE_8},
    )


@portal_page(
    routes.PORTAL_DOCUMENTS,
    title="Documents",
    description="Documents shared between you and Fluxent.",
    on_load=(DocumentsState.load,),
)
def page() -> rx.Component:
    return rx.fragment(
        intro(
            "Documents",
            "Statements of work, designs and hand-over notes, shared privately between your team and Fluxent.",
        ),
        preview_dialog(DocumentsState),
        rx.cond(
            DocumentsState.rows.length() > 0,  # type: ignore[attr-defined]
            rx.el.section(
                rx.el.h2("Shared documents", id="documents-heading", style=SECTION_HEADING),
                rx.el.ul(
                    rx.foreach(DocumentsState.rows, _document),
                    style={"list_style": "none", "margin": "0", "padding": "0"},
                ),
                aria_labelledby="documents-heading",
                style={**theme.CARD, "margin_top": theme.SPACE_8},
            ),
            rx.cond(DocumentsState.loaded, empty("No documents yet.")),
        ),
        rx.cond((DocumentsState.targets.length() > 0) & CAN_CHANGE, _uploader()),  # type: ignore[attr-defined]
    )
