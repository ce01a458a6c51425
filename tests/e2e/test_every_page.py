"""Every page, at phone and desktop width, as the person it is for: it renders its heading,
nothing scrolls sideways, and a screenshot goes to ``tests/e2e/artifacts/pages/``.

The list is built from ``fluxent.routes``, so a new page is covered without touching this
file; pages with an id in their path are reached by following the first link to one.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fluxent import routes
from fluxent.services.seed import DEMO_ADMIN, DEMO_CLIENT
from tests.support.pages import DESKTOP, PHONE, session_cookie, sideways_overflow

pytestmark = pytest.mark.e2e

# Pages with a token in their path answer only a real e-mailed link; their flows have tests of their own.
NOT_BROWSABLE = ("/api", "/sign/", "/newsletter/confirm", "/newsletter/unsubscribe", "/reset-password/", "/invite/")
NOT_PAGES = (routes.SITEMAP, routes.ROBOTS, routes.NOT_FOUND_PRERENDER)
# Pages with an id in their path: from a list page, follow the first link to each prefix in turn.
FOLLOWED = (
    (routes.PORTAL_INVOICES, "/portal/invoices/"),
    (routes.PORTAL_VAULT, "/portal/vault/"),
    (routes.ADMIN_ORGANIZATIONS, "/admin/organizations/", "/admin/engagements/"),
)


def _static_pages() -> list[str]:
    paths = {
        value
        for name, value in vars(routes).items()
        if name.isupper() and isinstance(value, str) and value.startswith("/") and "[" not in value
    }
    return sorted(p for p in paths if not p.startswith(NOT_BROWSABLE) and p not in NOT_PAGES and "." not in p)


def _reader(path: str) -> str | None:
    """Who the page is for: the demo admin for the console, the demo client for the portal, else a visitor."""
    if path.startswith("/admin"):
        return DEMO_ADMIN.email
    if path.startswith("/portal"):
        return DEMO_CLIENT.email
    return None


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_page_renders_without_sideways_scroll(server, new_page, artifacts, width):
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    cookies = {email: session_cookie(server, email) for email in (DEMO_ADMIN.email, DEMO_CLIENT.email)}
    pages = {reader: new_page(width, session_cookie=cookies.get(reader)) for reader in (None, *cookies)}
    problems: list[str] = []

    def visit(path: str) -> None:
        page = pages[_reader(path)]
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{path} at {width}px scrolls {overflow}px sideways")
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)

    for path in _static_pages():
        visit(path)
    for listing, *prefixes in FOLLOWED:
        page = pages[_reader(listing)]
        page.goto(listing)
        for prefix in prefixes:
            link = page.locator(f'main a[href^="{prefix}"]').first
            expect(link).to_be_visible()
            visit(link.get_attribute("href"))
    assert not problems, "\n".join(problems)
