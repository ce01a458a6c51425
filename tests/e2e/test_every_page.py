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
from tests.support.pages import DESKTOP, PHONE, session_cookie, sideways_overflow, sticking_out

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


# Who each page is for: the console's pages as the demo admin, the portal's as the demo client,
# the rest as a visitor.
READERS = {"/admin": DEMO_ADMIN.email, "/portal": DEMO_CLIENT.email, "": None}


def _reader(path: str) -> str:
    return next(prefix for prefix in READERS if path.startswith(prefix))


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("area", list(READERS), ids=["console", "portal", "site"])
def test_every_page_renders_without_sideways_scroll(server, new_page, artifacts, area, width):
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    email = READERS[area]
    page = new_page(width, session_cookie=session_cookie(server, email) if email else None)
    problems: list[str] = []

    def visit(path: str) -> None:
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        overflow = sideways_overflow(page)
        if overflow > 0:
            problems.append(f"{path} at {width}px scrolls {overflow}px sideways: {sticking_out(page)}")
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)

    for path in _static_pages():
        if _reader(path) == area:
            visit(path)
    for listing, *prefixes in FOLLOWED:
        if _reader(listing) == area:
            page.goto(listing)
            for prefix in prefixes:
                link = page.locator(f'main a[href^="{prefix}"]').first
                expect(link).to_be_visible()
                visit(link.get_attribute("href"))
    assert not problems, "\n".join(problems)
