"""``/portal/signatures``: documents waiting for your signature, and the signed ones to download."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.view_as import unless_viewing
from fluxent.pages.portal.portal_parts import MUTED, SECTION_HEADING, empty, intro
from fluxent.state.signatures import SignatureItem, SignaturesState

ROW = {
    "display": "flex",
    "align_items": "center",
    "gap": theme.SPACE_4,
    "padding": f"{theme.SPACE_4} 0",
    "border_top": f"1px solid {theme.LINE}",
    "flex_wrap": "wrap",
}


def _details(item: SignatureItem) -> rx.Component:
    return rx.el.div(
        rx.el.p(
            item.title,
            style={
                "margin": "0",
                "color": theme.INK,
                "font_weight": theme.WEIGHT_SEMIBOLD,
                "overflow_wrap": "anywhere",
            },
        ),
        rx.el.p(item.organization, " · ", item.status, " · ", item.when, style=MUTED),
        style={"flex": "1 1 12rem", "min_width": "0"},
    )


def _waiting(item: SignatureItem) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon("signature", size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        _details(item),
        unless_viewing(
            rx.el.button(
                "Review and sign",
                type="button",
                on_click=SignaturesState.open_signing(item.signer_id),
                style={**theme.BUTTON_PRIMARY, "height": theme.CONTROL_HEIGHT_SM},
            )
        ),
        style=ROW,
    )


def _done(item: SignatureItem) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon("file-check", size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        _details(item),
        rx.cond(
            item.download_url != "",
            rx.el.a(
                "Download signed PDF",
                href=item.download_url,
                download="",
                style={**theme.BUTTON_SECONDARY, "height": theme.CONTROL_HEIGHT_SM},
            ),
        ),
        style=ROW,
    )


def _section(heading: str, items: rx.Var, render, none: str) -> rx.Component:
    return rx.el.section(
        rx.el.h2(heading, style=SECTION_HEADING),
        rx.cond(
            items.length() > 0,
            rx.el.ul(rx.foreach(items, render), style={"margin": "0", "padding": "0", "list_style": "none"}),
            empty(none),
        ),
        style={**theme.CARD, "padding": theme.SPACE_6},
    )


@portal_page(
    routes.PORTAL_SIGNATURES,
    title="Signatures",
    description="Documents waiting for your signature, and the signed ones.",
    on_load=(SignaturesState.load,),
)
def page() -> rx.Component:
    return rx.el.div(
        intro("Signatures", "Statements of work and change orders to sign, and the signed copies."),
        _section("Waiting for you", SignaturesState.waiting, _waiting, "Nothing waits for your signature."),
        _section("Sent and signed", SignaturesState.finished, _done, "No signed documents yet."),
        style={"display": "grid", "gap": theme.SPACE_6},
    )
