"""The one branded layout every e-mail uses, as an HTML part and a plain-text part.

Callers give a heading, paragraphs, an optional code, an optional button (label and
URL) and optional details (label and value rows); both parts are built from the
same content, so they always say the same thing. Every value is escaped in the HTML.

Mail clients ignore style sheets and most modern CSS, so the HTML is a centred
600 px table with inline styles only. The logo is a PNG served by the site (many
clients do not show SVG). Core sits below the UI, so the brand colours and the two
footer paths are spelled here; ``tests/unit/test_email_layout.py`` keeps them equal
to ``components.theme`` and ``routes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fluxent.core.email import Attachment, Email
from fluxent.core.settings import get_settings

INK = "#0B1736"
TEXT = "#1B2642"
TEXT_MUTED = "#4A5672"
ACCENT = "#2F4FF0"
ACCENT_SOFT = "#ECEFFE"
CANVAS = "#F6F8FC"
LINE = "#E3E8F2"
SURFACE = "#FFFFFF"
FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace'

LOGO_PATH = "/email-logo.png"
PRIVACY_POLICY_PATH = "/legal/privacy"
PORTAL_PATH = "/portal"
COMPANY = "Fluxent Technologies, Inc."
POSTAL_ADDRESS = "1024 Peninsula Blvd, Woodmere, NY 11598, USA"
SUPPORT_EMAIL = "support@fluxent.tech"
SIGNATURE = "— Fluxent"


@dataclass(frozen=True)
class Content:
    heading: str
    paragraphs: tuple[str, ...]
    button: tuple[str, str] | None = None  # (label, URL)
    code: str | None = None
    details: tuple[tuple[str, str], ...] = ()


def compose(
    to: str,
    subject: str,
    content: Content,
    *,
    headers: dict[str, str] | None = None,
    attachments: tuple[Attachment, ...] = (),
) -> Email:
    """The message for ``to`` in the branded layout, with its text and HTML parts."""
    base = get_settings().base_url
    return Email(
        to=to,
        subject=subject,
        text=render_text(content, base),
        html=render_html(content, base, title=subject),
        headers=headers or {},
        attachments=attachments,
    )


def _footer_links(base: str) -> list[tuple[str, str]]:
    return [("Privacy Policy", base + PRIVACY_POLICY_PATH), ("Client portal", base + PORTAL_PATH)]


def render_text(content: Content, base: str) -> str:
    blocks = [content.heading, content.paragraphs[0]] if content.paragraphs else [content.heading]
    if content.code:
        blocks.append(content.code)
    if content.button:
        label, href = content.button
        blocks.append(f"{label}: {href}")
    blocks += content.paragraphs[1:]
    if content.details:
        blocks.append("\n".join(f"{label}: {value}" for label, value in content.details))
    blocks.append(SIGNATURE)
    links = "\n".join(f"{label}: {href}" for label, href in _footer_links(base))
    blocks.append(f"-- \n{COMPANY}, {POSTAL_ADDRESS}\n{SUPPORT_EMAIL}\n{links}")
    return "\n\n".join(blocks) + "\n"


def _text(value: str) -> str:
    """Escaped, with the caller's line breaks kept."""
    return escape(value).replace("\n", "<br>")


def _paragraph(value: str) -> str:
    return f'<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:{TEXT}">{_text(value)}</p>'


def _code(value: str) -> str:
    return (
        f'<p style="margin:0 0 16px;padding:12px 16px;background:{ACCENT_SOFT};border-radius:10px;'
        f"font-family:{escape(MONO)};font-size:28px;line-height:36px;letter-spacing:6px;text-indent:6px;font-weight:700;"
        f'color:{INK};text-align:center">{escape(value)}</p>'
    )


def _button(label: str, href: str) -> str:
    link = escape(href, quote=True)
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px">'
        f'<tr><td style="background:{ACCENT};border-radius:999px">'
        f'<a href="{link}" style="display:inline-block;padding:12px 24px;font-size:16px;line-height:20px;'
        f'font-weight:700;color:{SURFACE};text-decoration:none;border-radius:999px">{escape(label)}</a>'
        "</td></tr></table>"
        f'<p style="margin:0 0 16px;font-size:13px;line-height:20px;color:{TEXT_MUTED};word-break:break-all">'
        f'Or open <a href="{link}" style="color:{ACCENT}">{escape(href)}</a></p>'
    )


def _details(rows: tuple[tuple[str, str], ...]) -> str:
    cells = "".join(
        f'<tr><td width="1%" style="padding:6px 16px 6px 0;font-size:14px;color:{TEXT_MUTED};vertical-align:top;'
        f'white-space:nowrap">{escape(label)}</td>'
        f'<td style="padding:6px 0;font-size:14px;line-height:20px;color:{TEXT};vertical-align:top">{_text(value)}</td></tr>'
        for label, value in rows
    )
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        f'style="margin:0 0 16px;border-top:1px solid {LINE};border-bottom:1px solid {LINE}">{cells}</table>'
    )


def render_html(content: Content, base: str, *, title: str) -> str:
    body = [f'<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;color:{INK}">{escape(content.heading)}</h1>']
    if content.paragraphs:
        body.append(_paragraph(content.paragraphs[0]))
    if content.code:
        body.append(_code(content.code))
    if content.button:
        body.append(_button(*content.button))
    body += [_paragraph(paragraph) for paragraph in content.paragraphs[1:]]
    if content.details:
        body.append(_details(content.details))
    body.append(_paragraph(SIGNATURE))
    links = " · ".join(
        f'<a href="{escape(href, quote=True)}" style="color:{ACCENT}">{escape(label)}</a>'
        for label, href in _footer_links(base)
    )
    logo = escape(base + LOGO_PATH, quote=True)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="margin:0;padding:0;background:{CANVAS};font-family:{escape(FONT)}">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        f'style="background:{CANVAS}"><tr><td align="center" style="padding:24px 12px">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        'style="max-width:600px">'
        f'<tr><td style="background:{INK};border-radius:16px 16px 0 0;padding:18px 24px">'
        f'<a href="{escape(base, quote=True)}" style="text-decoration:none;color:{SURFACE}">'
        f'<img src="{logo}" width="32" height="32" alt="" '
        'style="display:inline-block;vertical-align:middle;border:0;border-radius:8px">'
        '<span style="display:inline-block;vertical-align:middle;margin-left:10px;font-size:20px;'
        f'font-weight:700;color:{SURFACE}">Fluxent</span></a></td></tr>'
        f'<tr><td style="background:{SURFACE};border:1px solid {LINE};border-top:0;'
        f'border-radius:0 0 16px 16px;padding:28px 24px 12px">{"".join(body)}</td></tr>'
        f'<tr><td style="padding:20px 24px;font-size:13px;line-height:20px;color:{TEXT_MUTED};text-align:center">'
        f"{escape(COMPANY)}<br>{escape(POSTAL_ADDRESS)}<br>"
        f'<a href="mailto:{SUPPORT_EMAIL}" style="color:{ACCENT}">{SUPPORT_EMAIL}</a><br>{links}'
        "</td></tr></table></td></tr></table></body></html>"
    )
