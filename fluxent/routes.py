"""Every route of the site as a constant, so no path is typed twice.

Pages, layouts, links and tests import these names; a route that takes a
parameter gets a small builder function here as well.
"""

from __future__ import annotations

from dataclasses import dataclass

# Public site
HOME = "/"
CLIENT_JOURNEY = "/client-journey"
CASE_STUDIES = "/case-studies"
RESOURCES = "/resources"
TEAM = "/team"
CONTACT = "/contact"
SCOPE = "/scope"
NEWSLETTER = "/newsletter"
NEWSLETTER_CONFIRM = "/newsletter/confirm/[token]"
NEWSLETTER_UNSUBSCRIBE = "/newsletter/unsubscribe/[token]"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"

# Legal
PRIVACY_POLICY = "/legal/privacy"
TERMS_OF_SERVICE = "/legal/terms"
COOKIE_POLICY = "/legal/cookies"
FULFILLMENT_POLICY = "/legal/fulfillment"

# The public pages with fixed routes, for the sitemap (case studies and articles are added from content).
SITEMAP_ROUTES: tuple[str, ...] = (
    HOME, CLIENT_JOURNEY, CASE_STUDIES, RESOURCES, TEAM, CONTACT, SCOPE, NEWSLETTER,
    PRIVACY_POLICY, TERMS_OF_SERVICE, COOKIE_POLICY, FULFILLMENT_POLICY,
)
# Kept out of search engines (robots.txt).
PRIVATE_PREFIXES: tuple[str, ...] = ("/portal", "/admin", "/api")

# Sign-in and the client portal
LOGIN = "/login"
PORTAL = "/portal"
PORTAL_ENGAGEMENTS = "/portal/engagements"
PORTAL_DOCUMENTS = "/portal/documents"
PORTAL_INVOICES = "/portal/invoices"
PORTAL_ACCOUNT = "/portal/account"
PORTAL_SECURITY = "/portal/security"
PORTAL_PRIVACY = "/portal/privacy"

# Staff tools
ADMIN = "/admin"
ADMIN_LEADS = "/admin/leads"
ADMIN_LEAD = "/admin/leads/[lead_id]"

# HTTP routes served by the API (not Reflex pages): reach them with a full page load or a form post.
API_LOGOUT = "/api/v1/auth/logout/"
API_HEALTH = "/api/v1/health/"
API_FORM_STAMP = "/api/v1/forms/stamp/"
API_LEADS = "/api/v1/leads/"
API_NEWSLETTER_SUBSCRIBE = "/api/v1/newsletter/subscribe/"
API_NEWSLETTER_UNSUBSCRIBE = "/api/v1/newsletter/unsubscribe/{token}/"


def case_study(slug: str) -> str:
    return f"{CASE_STUDIES}/{slug}"


def resource(slug: str) -> str:
    return f"{RESOURCES}/{slug}"


def newsletter_confirm(token: str) -> str:
    return NEWSLETTER_CONFIRM.replace("[token]", token)


def newsletter_unsubscribe(token: str) -> str:
    return NEWSLETTER_UNSUBSCRIBE.replace("[token]", token)


def api_newsletter_unsubscribe(token: str) -> str:
    return API_NEWSLETTER_UNSUBSCRIBE.format(token=token)


def admin_lead(lead_id: int) -> str:
    return ADMIN_LEAD.replace("[lead_id]", str(lead_id))


def login_then(next_route: str) -> str:
    """The sign-in page, coming back to ``next_route`` afterwards."""
    return f"{LOGIN}?next={next_route}"


@dataclass(frozen=True)
class NavItem:
    label: str
    route: str
    icon: str = ""  # a lucide icon name, for menus that show one


# The public header, in display order.
MAIN_NAV: tuple[NavItem, ...] = (
    NavItem("Home", HOME),
    NavItem("Client Journey", CLIENT_JOURNEY),
    NavItem("Case Studies", CASE_STUDIES),
    NavItem("Resources", RESOURCES),
    NavItem("Team", TEAM),
    NavItem("Contact", CONTACT),
)

# The footer's legal column.
LEGAL_NAV: tuple[NavItem, ...] = (
    NavItem("Privacy Policy", PRIVACY_POLICY),
    NavItem("Terms of Service", TERMS_OF_SERVICE),
    NavItem("Cookie Policy", COOKIE_POLICY),
    NavItem("Fulfillment Policy", FULFILLMENT_POLICY),
)

# The portal sidebar, in display order.
PORTAL_NAV: tuple[NavItem, ...] = (
    NavItem("Dashboard", PORTAL, "layout-dashboard"),
    NavItem("Engagements", PORTAL_ENGAGEMENTS, "briefcase"),
    NavItem("Documents", PORTAL_DOCUMENTS, "file-text"),
    NavItem("Invoices", PORTAL_INVOICES, "receipt"),
    NavItem("Account", PORTAL_ACCOUNT, "user-round"),
    NavItem("Security", PORTAL_SECURITY, "shield-check"),
    NavItem("Privacy", PORTAL_PRIVACY, "lock-keyhole"),
)
