"""Fluxent's look in one place: brand colours, type, spacing, radii, shadows, breakpoints.

Components take their styling from the names here (or from the ready-made style
dicts at the bottom) and never type a colour or a size of their own. The brand
is a deep ink navy with one vivid cobalt accent and a mint spark used only for
decoration on dark backgrounds. Every text colour below meets WCAG AA (4.5:1) on
the background it is paired with; the ratios are noted where the pairing matters.

Fonts are the visitor's own system fonts: nothing is downloaded.
"""

from __future__ import annotations

from typing import Any

# Colours ------------------------------------------------------------------

INK = "#0B1736"  # headings, body text, dark surfaces (17.6:1 on white)
INK_RAISED = "#13214A"  # a card or hover on an INK surface
INK_LINE = "#24335E"  # hairlines on INK
TEXT = "#1B2642"  # long-form text on light surfaces
TEXT_MUTED = "#4A5672"  # secondary text (7.3:1 on white)
TEXT_SUBTLE = "#5B6785"  # captions, labels (5.6:1 on white, 5.3:1 on CANVAS)
ON_INK = "#FFFFFF"
ON_INK_MUTED = "#C9D2E6"  # secondary text on INK (11.6:1)
ON_INK_SUBTLE = "#A9B5D1"  # captions on INK (8.6:1)

ACCENT = "#2F4FF0"  # cobalt: primary actions, links (6.0:1 with white)
ACCENT_HOVER = "#2540D6"
ACCENT_SOFT = "#ECEFFE"  # tinted backgrounds: active nav item, badges
ACCENT_ON_INK = "#8FA3FF"  # links on INK (7.4:1)
MINT = "#2EE6B6"  # decoration on INK only (logo spark, rules), never text on white

SURFACE = "#FFFFFF"
CANVAS = "#F6F8FC"  # page background behind cards
LINE = "#E3E8F2"  # hairlines and borders on light surfaces
LINE_STRONG = "#CBD3E3"  # input borders (visible against white)
ACCENT_LINE = "#D5DCFD"  # border of an ACCENT_SOFT card
FOCUS_RING = "#2F4FF0"

SUCCESS = "#0F7A55"
SUCCESS_SOFT = "#E3F6EE"
SUCCESS_LINE = "#BFE6D4"  # border of a SUCCESS_SOFT box
DANGER = "#B42318"  # errors (6.5:1 on white, 6.0:1 on DANGER_SOFT)
DANGER_SOFT = "#FEF3F2"
DANGER_HOVER = "#912018"
DANGER_LINE = "#F4C7C1"  # border of a DANGER_SOFT box, or of a card holding a destructive action
DANGER_ON_INK = "#FFB4A8"  # error text on INK (10.4:1)
WARNING = "#8A4B00"  # text on WARNING_SOFT (7.0:1)
WARNING_SOFT = "#FFF4DB"
WARNING_LINE = "#F2C46D"

# Translucent tints for glows, halos and glass surfaces.
ACCENT_GLOW = "rgba(47, 79, 240, 0.10)"
MINT_GLOW = "rgba(46, 230, 182, 0.12)"
MINT_HALO = "rgba(46, 230, 182, 0.22)"
GLASS = "rgba(255, 255, 255, 0.92)"  # sticky bars over scrolling content
ON_INK_RING = "rgba(255, 255, 255, 0.16)"  # outlines a dark mark on a dark surface
MINT_WASH = "rgba(46, 230, 182, 0.18)"  # the corner glow of a dark call-to-action band
SCRIM = "rgba(15, 23, 42, 0.45)"  # behind a dialog
TRANSPARENT = "transparent"

# Type ---------------------------------------------------------------------

# Installed fonts only, best first: Inter if the visitor has it, then each platform's UI font.
FONT_SANS = (
    'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Liberation Sans", system-ui, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"'
)
# Typed signatures (assets/fonts/signature.css; the PDF stamps the same font).
FONT_SIGNATURE = '"Fluxent Signature", cursive'
FONT_MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace'

TEXT_XS = "0.75rem"  # 12px: eyebrows, badges
TEXT_SM = "0.875rem"  # 14px: nav, captions, buttons
TEXT_MD = "1rem"  # 16px: body
TEXT_LG = "1.125rem"  # 18px: lead paragraphs
TEXT_XL = "1.375rem"  # 22px: card titles
HEADING_SM = "1.5rem"
HEADING_MD = "clamp(1.75rem, 1.4rem + 1.2vw, 2.25rem)"
HEADING_LG = "clamp(2.25rem, 1.6rem + 2.8vw, 3.75rem)"  # the one hero h1
HEADING_XL = "clamp(2rem, 1.5rem + 2.2vw, 3.25rem)"  # inner pages' h1

WEIGHT_REGULAR = "400"
WEIGHT_MEDIUM = "500"
WEIGHT_SEMIBOLD = "600"
WEIGHT_BOLD = "700"

LEADING_TIGHT = "1.1"
LEADING_SNUG = "1.3"
LEADING_BODY = "1.6"
TRACKING_TIGHT = "-0.02em"
TRACKING_TIGHTER = "-0.035em"  # display headings
TRACKING_WIDE = "0.08em"

# Spacing (a 4px grid) -----------------------------------------------------

SPACE_1 = "4px"
SPACE_2 = "8px"
SPACE_3 = "12px"
SPACE_4 = "16px"
SPACE_5 = "20px"
SPACE_6 = "24px"
SPACE_8 = "32px"
SPACE_10 = "40px"
SPACE_12 = "48px"
SPACE_16 = "64px"
SPACE_20 = "80px"
SPACE_24 = "96px"

CONTENT_MAX_WIDTH = "1200px"
PORTAL_MAX_WIDTH = "1080px"  # portal page content beside the sidebar
PANEL_MAX_WIDTH = "440px"  # a single centred card: sign-in, signed-out, forms
GUTTER = "clamp(20px, 4vw, 40px)"  # page side padding
HEADER_HEIGHT = "72px"
SIDEBAR_WIDTH = "256px"
TOPBAR_HEIGHT = "68px"
CONTROL_HEIGHT = "44px"  # buttons and inputs: a comfortable touch target
CONTROL_HEIGHT_SM = "38px"  # compact buttons in bars
ICON_TILE = "44px"
ICON_TILE_SM = "40px"
AVATAR = "36px"

# Radii and shadows --------------------------------------------------------

RADIUS_SM = "6px"
RADIUS_MD = "10px"
RADIUS_LG = "16px"
RADIUS_XL = "24px"
RADIUS_PILL = "999px"

SHADOW_SM = "0 1px 2px rgba(11, 23, 54, 0.06)"
SHADOW_MD = "0 4px 12px rgba(11, 23, 54, 0.08), 0 1px 3px rgba(11, 23, 54, 0.06)"
SHADOW_LG = "0 24px 48px -12px rgba(11, 23, 54, 0.18), 0 4px 12px rgba(11, 23, 54, 0.06)"
SHADOW_ACCENT = "0 8px 20px -6px rgba(47, 79, 240, 0.45)"
DROP_SHADOW_ILLUSTRATION = "drop-shadow(0 24px 48px rgba(11, 23, 54, 0.14))"  # a CSS filter: follows the image's shape
GLASS_BLUR = "saturate(180%) blur(12px)"

TRANSITION = "all 160ms ease"

# An amount, a size or a date that must not break across lines ("€ 24,000.00", "1.2 MB").
FIGURE: dict[str, Any] = {"white_space": "nowrap"}

# Breakpoints (layouts switch between a phone/tablet menu and the full bar) --

DESKTOP = "@media (min-width: 1024px)"
BELOW_DESKTOP = "@media (max-width: 1023.98px)"
TABLET_UP = "@media (min-width: 640px)"
PHONE = "@media (max-width: 639.98px)"

# Ready-made style dicts ---------------------------------------------------

HEADING_1: dict[str, Any] = {
    "margin": "0",
    "color": INK,
    "font_weight": WEIGHT_BOLD,
    "line_height": LEADING_TIGHT,
    "letter_spacing": TRACKING_TIGHT,
    "text_wrap": "balance",
}

HEADING_2: dict[str, Any] = {
    "margin": "0",
    "color": INK,
    "font_weight": WEIGHT_SEMIBOLD,
    "line_height": LEADING_SNUG,
    "letter_spacing": TRACKING_TIGHT,
}

FOCUS_VISIBLE: dict[str, Any] = {
    "outline": f"3px solid {FOCUS_RING}",
    "outline_offset": "2px",
}

# The root of every page: font, colours, and the document-wide focus ring.
ROOT_STYLE: dict[str, Any] = {
    "font_family": FONT_SANS,
    "color": TEXT,
    "background": SURFACE,
    "min_height": "100vh",
    "display": "flex",
    "flex_direction": "column",
    "line_height": LEADING_BODY,
    "-webkit-font-smoothing": "antialiased",
    "-moz-osx-font-smoothing": "grayscale",
    "text_rendering": "optimizeLegibility",
    "& *:focus-visible": FOCUS_VISIBLE,
    "& ::selection": {"background": ACCENT_SOFT, "color": INK},
}

CONTAINER: dict[str, Any] = {
    "width": "100%",
    "max_width": CONTENT_MAX_WIDTH,
    "margin_x": "auto",
    "padding_x": GUTTER,
}

_BUTTON_BASE: dict[str, Any] = {
    "display": "inline-flex",
    "align_items": "center",
    "justify_content": "center",
    "gap": SPACE_2,
    "height": CONTROL_HEIGHT,
    "padding_x": SPACE_5,
    "border_radius": RADIUS_PILL,
    "font_family": FONT_SANS,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_SEMIBOLD,
    "line_height": "1",
    "white_space": "nowrap",
    "text_decoration": "none",
    "cursor": "pointer",
    "transition": TRANSITION,
    "border": "1px solid transparent",
}

BUTTON_PRIMARY: dict[str, Any] = {
    **_BUTTON_BASE,
    "background": ACCENT,
    "color": ON_INK,
    "box_shadow": SHADOW_ACCENT,
    "&:hover": {"background": ACCENT_HOVER, "color": ON_INK, "transform": "translateY(-1px)"},
    "&:active": {"transform": "translateY(0)"},
}

BUTTON_SECONDARY: dict[str, Any] = {
    **_BUTTON_BASE,
    "background": SURFACE,
    "color": INK,
    "border": f"1px solid {LINE_STRONG}",
    "&:hover": {"border_color": INK, "color": INK},
}

BUTTON_ON_INK: dict[str, Any] = {
    **_BUTTON_BASE,
    "background": ACCENT,
    "color": ON_INK,
    "&:hover": {"background": ACCENT_HOVER, "color": ON_INK},
}

BUTTON_LARGE: dict[str, Any] = {"height": "52px", "padding_x": SPACE_8, "font_size": TEXT_MD}

NAV_LINK: dict[str, Any] = {
    "color": TEXT_MUTED,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_MEDIUM,
    "text_decoration": "none",
    "padding_x": SPACE_3,
    "padding_y": SPACE_2,
    "border_radius": RADIUS_PILL,
    "white_space": "nowrap",
    "transition": TRANSITION,
    "&:hover": {"color": INK, "background": CANVAS, "text_decoration": "none"},
    "&[aria-current='page']": {"color": INK, "background": ACCENT_SOFT},
}

# Secondary text: captions, hints, meta lines.
MUTED: dict[str, Any] = {"margin": "0", "color": TEXT_MUTED, "font_size": TEXT_SM, "line_height": LEADING_BODY}

# Form controls: every labelled input, select and text area (components/forms.py) and the
# few inline ones (search bars, pickers) share these, so they line up in any row.

LABEL: dict[str, Any] = {
    "display": "block",
    "margin_bottom": SPACE_2,
    "color": INK,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_SEMIBOLD,
}

CONTROL: dict[str, Any] = {
    "display": "block",
    "width": "100%",
    "min_width": "0",
    "height": CONTROL_HEIGHT,
    "padding_x": SPACE_4,
    "border": f"1px solid {LINE_STRONG}",
    "border_radius": RADIUS_MD,
    "background": SURFACE,
    "color": INK,
    "font_family": FONT_SANS,
    "font_size": TEXT_MD,
    "transition": TRANSITION,
    "&::placeholder": {"color": TEXT_SUBTLE},
    "&:hover": {"border_color": TEXT_SUBTLE},
    "&:focus": {"outline": "none", "border_color": ACCENT, "box_shadow": f"0 0 0 3px {ACCENT_GLOW}"},
    "&[aria-invalid='true']": {"border_color": DANGER},
}

# A chevron drawn in TEXT_SUBTLE ("#" written "%23" inside the data URL).
_CHEVRON = (
    "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 24 24' "
    f"fill='none' stroke='{TEXT_SUBTLE.replace('#', '%23')}' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'%3E"
    "%3Cpath d='m6 9 6 6 6-6'/%3E%3C/svg%3E\")"
)

# A dropdown with the text field's height, border and radius, and its own chevron.
SELECT: dict[str, Any] = {
    **CONTROL,
    "appearance": "none",
    "padding_right": SPACE_10,
    "background": f"{SURFACE} {_CHEVRON} no-repeat right {SPACE_3} center",
    "cursor": "pointer",
}

TEXTAREA: dict[str, Any] = {
    **CONTROL,
    "height": "auto",
    "padding": f"{SPACE_3} {SPACE_4}",
    "line_height": LEADING_BODY,
    "resize": "vertical",
}

CHECKBOX: dict[str, Any] = {
    "width": "20px",
    "height": "20px",
    "margin": "2px 0 0",
    "flex_shrink": "0",
    "accent_color": ACCENT,
    "cursor": "pointer",
}

HINT: dict[str, Any] = {
    "margin": f"{SPACE_2} 0 0",
    "color": TEXT_SUBTLE,
    "font_size": TEXT_SM,
    "line_height": LEADING_SNUG,
}

FIELD_ERROR: dict[str, Any] = {
    "display": "flex",
    "align_items": "flex-start",
    "gap": SPACE_2,
    "margin": f"{SPACE_2} 0 0",
    "color": DANGER,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_MEDIUM,
    "line_height": LEADING_SNUG,
}

EYEBROW: dict[str, Any] = {
    "font_size": TEXT_XS,
    "font_weight": WEIGHT_BOLD,
    "letter_spacing": TRACKING_WIDE,
    "text_transform": "uppercase",
}


def icon_tile(size: str = ICON_TILE, *, background: str = ACCENT_SOFT, color: str = ACCENT) -> dict[str, Any]:
    """A rounded square holding one icon (feature lists, cards)."""
    return {
        "display": "inline-flex",
        "align_items": "center",
        "justify_content": "center",
        "width": size,
        "height": size,
        "flex_shrink": "0",
        "border_radius": RADIUS_MD,
        "background": background,
        "color": color,
    }


CARD: dict[str, Any] = {
    "background": SURFACE,
    "border": f"1px solid {LINE}",
    "border_radius": RADIUS_LG,
    "box_shadow": SHADOW_SM,
    "padding": SPACE_6,
}

# Text meant for screen readers only.
VISUALLY_HIDDEN: dict[str, Any] = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}

SKIP_LINK: dict[str, Any] = {
    "position": "absolute",
    "left": SPACE_4,
    "top": "-100px",
    "z_index": "100",
    "padding": f"{SPACE_3} {SPACE_5}",
    "border_radius": RADIUS_MD,
    "background": INK,
    "color": ON_INK,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_SEMIBOLD,
    "text_decoration": "none",
    "box_shadow": SHADOW_LG,
    "&:focus": {"top": SPACE_3},
}

# The disclosure used for phone menus: a <details> whose <summary> is the button.
DISCLOSURE_SUMMARY: dict[str, Any] = {
    "list_style": "none",
    "display": "inline-flex",
    "align_items": "center",
    "gap": SPACE_2,
    "height": "40px",
    "padding_x": SPACE_4,
    "border_radius": RADIUS_PILL,
    "border": f"1px solid {LINE_STRONG}",
    "background": SURFACE,
    "color": INK,
    "font_size": TEXT_SM,
    "font_weight": WEIGHT_SEMIBOLD,
    "cursor": "pointer",
    "user_select": "none",
    "&::-webkit-details-marker": {"display": "none"},
    "&::marker": {"content": "''"},
    "&:hover": {"border_color": INK},
}


# The whole window behind a dialog, dimmed, with the dialog centred in it.
MODAL_BACKDROP: dict[str, Any] = {
    "position": "fixed",
    "inset": "0",
    "z_index": "50",
    "display": "flex",
    "align_items": "center",
    "justify_content": "center",
    "padding": SPACE_4,
    "background": SCRIM,
}
