"""Put the app's one small global stylesheet inside every prerendered page.

A ``<link rel="stylesheet">`` blocks the first paint until it arrives; by then the
browser is busy starting the app's JavaScript, so the prerendered text appears
later than it could. The stylesheet is a few kB (a reset and base rules; every
component's styles are already inline), so after the production build this plugin
replaces the link, and its preload hint, with a ``<style>`` holding the same rules.
The content security policy allows inline styles (``style-src 'unsafe-inline'``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import reflex as rx

# Inlined only while small: a larger stylesheet is better cached as a file.
MAX_INLINE_BYTES = 16 * 1024
_LINK = re.compile(r'<link(?=[^>]*\srel="(?:stylesheet|preload)")[^>]*\shref="(/assets/[^"]+\.css)"[^>]*/>')


def inline_stylesheets(html: str, read: Callable[[str], str | None]) -> str:
    """``html`` with each small ``/assets/*.css`` link replaced by a ``<style>`` (once per file)."""
    inlined: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        href = match.group(1)
        css = read(href)
        if css is None or len(css.encode()) > MAX_INLINE_BYTES or "</style" in css.lower():
            return match.group(0)
        if href in inlined:
            return ""
        inlined.add(href)
        return f"<style>{css}</style>"

    return _LINK.sub(replace, html)


class InlineGlobalStylesheet(rx.plugins.Plugin):
    def post_build(self, **context) -> None:
        static_dir: Path = context["static_dir"]

        def read(href: str) -> str | None:
            path = static_dir / href.lstrip("/")
            return path.read_text(encoding="utf-8") if path.is_file() else None

        for page in static_dir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            patched = inline_stylesheets(html, read)
            if patched != html:
                page.write_text(patched, encoding="utf-8")
