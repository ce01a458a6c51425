"""``/portal/vault``: the credential vault of each engagement, its items, and its access log."""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import forms, theme
from fluxent.components.portal_layout import portal_page
from fluxent.components.theme import MUTED
from fluxent.components.view_as import unless_viewing
from fluxent.pages.portal.portal_parts import SECTION_HEADING, intro
from fluxent.pages.portal.vault_parts import LIST, ROW, SMALL_BUTTON, item_list, secret_input, step_up_dialog
from fluxent.state.vault import (
    ADD_LABELS,
    KIND_CHOICES,
    KIND_FIELDS,
    ActivityLine,
    VaultEngagement,
    VaultState,
)

PANEL = {**theme.CARD, "padding": theme.SPACE_6}


def _engagement(row: VaultEngagement) -> rx.Component:
    return rx.el.li(
        rx.el.span(rx.icon("vault", size=20), aria_hidden="true", style=theme.icon_tile(theme.ICON_TILE_SM)),
        rx.el.div(
            rx.el.a(
                row.title,
                href=row.href,
                style={"color": theme.INK, "font_weight": theme.WEIGHT_SEMIBOLD},
            ),
            rx.el.p(row.organization, " · ", row.item_count, " item(s)", style={**MUTED, "margin": "0"}),
            style={"flex": "1 1 12rem", "min_width": "0"},
        ),
        style=ROW,
    )


@portal_page(
    routes.PORTAL_VAULT,
    title="Vault",
    description="Credentials you share with Fluxent's engineers, encrypted per engagement.",
    on_load=(VaultState.load_index,),
)
def index_page() -> rx.Component:
    return rx.el.div(
        intro(
            "Vault",
            "Credentials your build needs, encrypted per engagement. Fluxent's assigned engineers reveal them "
            "after confirming it is them; you see every reveal, and the vault is destroyed when the engagement closes.",
        ),
        rx.el.section(
            rx.cond(
                VaultState.engagements.length() > 0,
                rx.el.ul(rx.foreach(VaultState.engagements, _engagement), style=LIST),
                rx.el.p("No open engagement has a vault for you.", style=MUTED),
            ),
            style=PANEL,
        ),
        style={"display": "grid", "gap": theme.SPACE_6},
    )


def _add_form() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Add a credential", style=SECTION_HEADING),
        forms.select(
            "Kind", "kind", KIND_CHOICES, value=VaultState.new_kind, on_change=VaultState.set_new_kind, form_id="add"
        ),
        forms.form(
            forms.alert(VaultState.errors, fields=ADD_LABELS, form_id="add"),
            forms.field("Name", "name", VaultState.errors, form_id="add", required=True, hint="e.g. AWS production"),
            rx.match(
                VaultState.new_kind,
                *[
                    (kind, rx.fragment(*[secret_input(n, VaultState.errors, "add") for n in names]))
                    for kind, names in KIND_FIELDS.items()
                ],
                rx.fragment(),
            ),
            forms.field("Tags", "tags", VaultState.errors, form_id="add", hint="Comma-separated, optional"),
            forms.submit_button("Save encrypted", VaultState.busy == "add", "Saving…"),
            key=VaultState.new_kind + VaultState.form_version.to_string(),
            on_submit=VaultState.add_item,
            reset_on_submit=True,
            aria_label="Add a credential",
            style={"display": "grid", "gap": theme.SPACE_4, "margin_top": theme.SPACE_4},
        ),
        style=PANEL,
    )


def _delete_vault() -> rx.Component:
    return rx.el.section(
        rx.el.h2("Delete this vault", style=SECTION_HEADING),
        rx.el.p(
            "Every item and earlier value is destroyed for good; the owners get the offboarding report of what "
            "Fluxent revealed. Type the engagement's title to confirm.",
            style={**MUTED, "margin": f"0 0 {theme.SPACE_4}"},
        ),
        forms.form(
            forms.field("Engagement title", "confirm", VaultState.errors, form_id="delete-vault", required=True),
            forms.submit_button("Delete the vault", VaultState.busy == "delete_vault", "Deleting…", danger=True),
            on_submit=VaultState.delete_vault,
            aria_label="Delete this vault",
            style={"display": "grid", "gap": theme.SPACE_4, "max_width": "480px"},
        ),
        style={**PANEL, "border_color": theme.DANGER_LINE},
    )


def _missing() -> rx.Component:
    return rx.el.p(
        "There is no vault here for you. Staff see an engagement's vault once assigned to it.",
        role="status",
        style={**theme.CARD, **MUTED},
    )


def _vault_links() -> rx.Component:
    return rx.el.div(
        rx.el.a("All vaults", href=routes.PORTAL_VAULT, style=SMALL_BUTTON),
        rx.el.a("Items", href=VaultState.vault_href, style=SMALL_BUTTON),
        rx.el.a("Activity", href=VaultState.activity_href, style=SMALL_BUTTON),
        style={"display": "flex", "gap": theme.SPACE_3, "flex_wrap": "wrap"},
    )


@portal_page(
    routes.PORTAL_VAULT_ENGAGEMENT,
    title="Vault",
    description="One engagement's credential vault.",
    on_load=(VaultState.load_vault,),
)
def engagement_page() -> rx.Component:
    return rx.match(
        VaultState.access,
        ("missing", _missing()),
        (
            "ok",
            rx.el.div(
                intro("Vault", "Credentials for this engagement, encrypted. Reveals are logged and shown here."),
                rx.el.h2(VaultState.engagement_title, style={**theme.HEADING_2, "margin": "0"}),
                _vault_links(),
                rx.el.section(rx.el.h2("Items", style=SECTION_HEADING), item_list(), style=PANEL),
                unless_viewing(rx.cond(VaultState.manages, _add_form())),
                unless_viewing(rx.cond(VaultState.is_owner, _delete_vault())),
                step_up_dialog(),
                style={"display": "grid", "gap": theme.SPACE_6},
            ),
        ),
        rx.el.p("Loading…", style=MUTED),
    )


def _event(line: ActivityLine) -> rx.Component:
    return rx.el.li(
        rx.el.span(
            rx.icon(rx.cond(line.by_fluxent, "building-2", "user-round"), size=18),
            aria_hidden="true",
            style=theme.icon_tile(theme.ICON_TILE_SM),
        ),
        rx.el.div(
            rx.el.p(
                rx.el.strong(line.who),
                rx.cond(line.by_fluxent, " (Fluxent)", ""),
                " ",
                line.what,
                " ",
                rx.el.strong(line.item),
                style={"margin": "0", "color": theme.INK, "overflow_wrap": "anywhere"},
            ),
            rx.el.p(line.when, style={**MUTED, "margin": "0", "font_size": theme.TEXT_SM}),
            style={"flex": "1 1 12rem", "min_width": "0"},
        ),
        style=ROW,
    )


@portal_page(
    routes.PORTAL_VAULT_ACTIVITY,
    title="Vault activity",
    description="Who revealed, copied or changed which vault item, and who was assigned.",
    on_load=(VaultState.load_activity,),
)
def activity_page() -> rx.Component:
    return rx.match(
        VaultState.access,
        ("missing", _missing()),
        (
            "ok",
            rx.el.div(
                intro(
                    "Vault activity", "Who revealed or copied which item and when, who changed what, and assignments."
                ),
                rx.el.h2(VaultState.engagement_title, style={**theme.HEADING_2, "margin": "0"}),
                _vault_links(),
                rx.el.section(
                    rx.cond(
                        VaultState.activity.length() > 0,
                        rx.el.ul(rx.foreach(VaultState.activity, _event), style=LIST, aria_label="Vault activity"),
                        rx.el.p("Nothing yet.", style=MUTED),
                    ),
                    style=PANEL,
                ),
                style={"display": "grid", "gap": theme.SPACE_6},
            ),
        ),
        rx.el.p("Loading…", style=MUTED),
    )


def pages() -> list:
    return [index_page, engagement_page, activity_page]
