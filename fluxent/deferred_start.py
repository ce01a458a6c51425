"""Start the app's JavaScript after the prerendered page has painted.

Every page is prerendered, so its text needs no JavaScript to appear. React
Router's pages still begin fetching and running about 170 kB (gzip) of scripts
while the browser lays the page out (``<link rel="modulepreload">`` hints and a
module script with static imports), so on a phone the first paint waits for
them. After the production build this plugin rewrites each page's start-up: the
same modules, imported in the same order and preloaded in parallel, but only
once the first frame is on screen (``requestAnimationFrame`` then a task).
The content security policy hashes inline scripts per response, so the rewritten
script is allowed like the original.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import reflex as rx

_PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)"/>')
_BOOT = re.compile(r'<script type="module" async="">(.*?)</script>', re.S)
_SIDE_EFFECT = re.compile(r'^import "([^"]+)";$')
_NAMED = re.compile(r'^import \* as (\w+) from "([^"]+)";$')
_ROUTES = re.compile(r"^window\.__reactRouterRouteModules = (\{.*\});$")
_ENTRY = re.compile(r'^import\("([^"]+)"\);$')


class UnknownStartup(RuntimeError):
    """The build's start-up script is not the one this plugin knows (check the Reflex upgrade)."""


def deferred_boot(script: str, preloads: list[str]) -> str:
    """React Router's start-up module, run after the first paint."""
    steps = [
        f"for (const href of {json.dumps(preloads)}) {{ "
        'const link = document.createElement("link"); link.rel = "modulepreload"; '
        "link.href = href; document.head.append(link); }"
    ]
    for line in filter(None, (line.strip() for line in script.splitlines())):
        if found := _SIDE_EFFECT.match(line):
            steps.append(f"await import({json.dumps(found.group(1))});")
        elif found := _NAMED.match(line):
            steps.append(f"const {found.group(1)} = await import({json.dumps(found.group(2))});")
        elif found := _ROUTES.match(line):
            steps.append(f"window.__reactRouterRouteModules = {found.group(1)};")
        elif found := _ENTRY.match(line):
            steps.append(f"await import({json.dumps(found.group(1))});")
        else:
            raise UnknownStartup(f"unexpected start-up line: {line[:120]}")
    body = "\n".join(f"  {step}" for step in steps)
    return f"const start = async () => {{\n{body}\n}};\nrequestAnimationFrame(() => setTimeout(start));"


def defer_startup(html: str) -> str:
    """The page with its module preloads and start-up script moved after the first paint."""
    boots = _BOOT.findall(html)
    if not boots:  # not a page of the app
        return html
    if len(boots) > 1:
        raise UnknownStartup(f"expected one start-up module script, found {len(boots)}")
    preloads = _PRELOAD.findall(html)
    html = _PRELOAD.sub("", html)
    script = deferred_boot(boots[0], preloads)
    return _BOOT.sub(lambda _: f'<script type="module">{script}</script>', html)


class StartAfterFirstPaint(rx.plugins.Plugin):
    def post_build(self, **context) -> None:
        static_dir: Path = context["static_dir"]
        for page in static_dir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            page.write_text(defer_startup(html), encoding="utf-8")
