"""Every route of the site as a constant, so no path is typed twice.

Pages, layouts, links and tests import these names; a route that takes a
parameter gets a small builder function here as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from fluxent.core.settings import get_settings

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
# The policy's promises, the code that keeps each and the tests that prove it.
PRIVACY_COMMITMENTS = "/legal/privacy/commitments"
TERMS_OF_SERVICE = "/legal/terms"
COOKIE_POLICY = "/legal/cookies"
FULFILLMENT_POLICY = "/legal/fulfillment"
# Each legal document's page, by the slug of its file under content/legal.
LEGAL_DOCUMENTS = {
    "privacy": PRIVACY_POLICY,
    "terms": TERMS_OF_SERVICE,
    "cookies": COOKIE_POLICY,
    "fulfillment": FULFILLMENT_POLICY,
}
# Asking us to act on your personal data (access, deletion, correction, ...), and confirming it by code.
PRIVACY_REQUEST = "/legal/privacy/request"

# The public pages with fixed routes, for the sitemap (case studies and articles are added from content).
SITEMAP_ROUTES: tuple[str, ...] = (
    HOME,
    CLIENT_JOURNEY,
    CASE_STUDIES,
    RESOURCES,
    TEAM,
    CONTACT,
    SCOPE,
    NEWSLETTER,
    PRIVACY_POLICY,
    PRIVACY_COMMITMENTS,
    TERMS_OF_SERVICE,
    COOKIE_POLICY,
    FULFILLMENT_POLICY,
    PRIVACY_REQUEST,
)
# Pages whose address carries a token are prerendered once, at the address with
# PATH_PLACEHOLDER for the token, and that HTML answers for every token. Unknown
# addresses get the prerendered HTML of NOT_FOUND_PRERENDER (an address no page has).
PATH_PLACEHOLDER = "_"
PRERENDERED_WITH_TOKEN: tuple[str, ...] = (NEWSLETTER_CONFIRM, NEWSLETTER_UNSUBSCRIBE)
NOT_FOUND_PRERENDER = "/not-found"
# Kept out of search engines (robots.txt).
PRIVATE_PREFIXES: tuple[str, ...] = ("/portal", "/admin", "/api")

# Sign-in and the client portal
LOGIN = "/login"
PORTAL = "/portal"
PORTAL_ENGAGEMENTS = "/portal/engagements"
PORTAL_MESSAGES = "/portal/messages"
PORTAL_DOCUMENTS = "/portal/documents"
PORTAL_TEAM = "/portal/team"
PORTAL_ACCOUNT = "/portal/account"
PORTAL_SECURITY = "/portal/security"
PORTAL_PRIVACY = "/portal/privacy"
PORTAL_INVOICES = "/portal/invoices"
PORTAL_INVOICE = "/portal/invoices/[invoice_id]"
PORTAL_BILLING = "/portal/billing"
PORTAL_PAYMENT_SUCCESS = "/portal/billing/paid"
PORTAL_PAYMENT_CANCELLED = "/portal/billing/cancelled"
PORTAL_SIGNATURES = "/portal/signatures"
PORTAL_VAULT = "/portal/vault"
PORTAL_NOTIFICATIONS = "/portal/notifications"
PORTAL_NOTIFICATION_SETTINGS = "/portal/notifications/settings"
PORTAL_VAULT_ENGAGEMENT = "/portal/vault/[engagement_id]"
PORTAL_VAULT_ACTIVITY = "/portal/vault/[engagement_id]/activity"

# E-signature: the signer's page (reached from the e-mailed link) and public verification.
SIGN = "/sign/[token]"
VERIFY = "/verify"

# Staff tools
ADMIN = "/admin"
ADMIN_LEADS = "/admin/leads"
ADMIN_LEAD = "/admin/leads/[lead_id]"
ADMIN_ORGANIZATIONS = "/admin/organizations"
ADMIN_ORGANIZATION = "/admin/organizations/[organization_id]"
ADMIN_ENGAGEMENT = "/admin/engagements/[engagement_id]"
ADMIN_STAFF = "/admin/staff"
ADMIN_BILLING = "/admin/billing"
ADMIN_ENVELOPES = "/admin/envelopes"
ADMIN_AUDIT = "/admin/audit"
ADMIN_PRIVACY_REQUESTS = "/admin/privacy-requests"

# Sign-in pages the API sends browsers back to (``[token]`` is the page's path parameter).
LOGIN_VERIFY = "/login/verify"
# The second step of a sign-in; the token is the login ticket the first step gave.
LOGIN_TWO_STEP = "/login/two-step/[token]"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password/[token]"
INVITATION = "/invite/[token]"
MAGIC_LINK = "/auth/magic/[token]"

# HTTP routes served by the API (not Reflex pages): reach them with a full page load or a form post.
API = "/api/v1"
API_HEALTH = f"{API}/health/"
API_EXPORT_SCHEMA = f"{API}/schemas/export.json"
API_AUTH = f"{API}/auth"
API_CSRF = f"{API_AUTH}/csrf/"
API_LOGIN = f"{API_AUTH}/login/"
API_LOGOUT = f"{API_AUTH}/logout/"
API_OTP_REQUEST = f"{API_AUTH}/otp/request/"
API_OTP_VERIFY = f"{API_AUTH}/otp/verify/"
API_MAGIC_LINK_REQUEST = f"{API_AUTH}/magic-link/request/"
API_MAGIC_LINK_CONSUME = f"{API_AUTH}/magic-link/consume/"
API_PASSWORD_RESET_REQUEST = f"{API_AUTH}/password/reset/request/"
API_PASSWORD_RESET_CONFIRM = f"{API_AUTH}/password/reset/confirm/"
API_PASSWORD_CHANGE = f"{API_AUTH}/password/change/"
API_SESSIONS = f"{API_AUTH}/sessions/"
API_SESSION = f"{API_AUTH}/sessions/{{session_id}}/"
API_SESSIONS_REVOKE_OTHERS = f"{API_AUTH}/sessions/revoke-others/"
API_INVITATIONS = f"{API_AUTH}/invitations/"
API_INVITATION_ACCEPT = f"{API_AUTH}/invitations/accept/"
API_ME = f"{API_AUTH}/me/"
API_ME_EMAIL_VERIFY = f"{API_AUTH}/me/email/verify/"
API_ME_EXPORT = f"{API_AUTH}/me/export/"
API_ME_ERASURE_CODE = f"{API_AUTH}/me/erasure-code/"
API_VIEW_AS = f"{API_AUTH}/view-as/"
API_ME_POLICY_NOTICES = f"{API_AUTH}/me/policy-notices/"
API_ME_POLICY_NOTICE_ACKNOWLEDGE = f"{API_AUTH}/me/policy-notices/{{announcement_id}}/acknowledge/"
API_SSO_START = f"{API_AUTH}/sso/start/"
API_SSO_CALLBACK = f"{API_AUTH}/sso/callback/"
API_TWO_STEP = f"{API_AUTH}/two-step/"
API_TWO_STEP_PASSKEY = f"{API_AUTH}/two-step/passkey/"
API_TWO_STEP_PASSKEY_OPTIONS = f"{API_AUTH}/two-step/passkey/options/"
API_PERSON_TWO_STEP_REMOVE = f"{API}/people/{{user_id}}/two-step/remove/"
API_REAUTH = f"{API_AUTH}/reauth/"
API_REAUTH_CODE = f"{API_AUTH}/reauth/code/"


# Notices a page shows after a full page load (``?notice=``).
NOTICE_ACCOUNT_DELETED = "account_deleted"


def home_with_notice(notice: str) -> str:
    return f"{HOME}?notice={notice}"


API_DOCUMENTS = f"{API}/documents/"
API_DOCUMENT_DOWNLOAD = f"{API_DOCUMENTS}{{document_id}}/download/"


def api_document_download(document_id: int, version: int | None = None) -> str:
    """The API route that streams a document's current version, or ``version`` of it."""
    path = API_DOCUMENT_DOWNLOAD.format(document_id=document_id)
    return path if version is None else f"{path}?version={version}"


API_DOCUMENT_PAGE = f"{API_DOCUMENTS}{{document_id}}/pages/{{page}}/"


def api_document_inline(document_id: int) -> str:
    """The download route answering with the current version shown in place (images only)."""
    return API_DOCUMENT_DOWNLOAD.format(document_id=document_id) + "?inline=1"


def api_document_page(document_id: int, page: int) -> str:
    """A page (0-based) of a document's current version, a PDF, as an image."""
    return API_DOCUMENT_PAGE.format(document_id=document_id, page=page)


API_TEAM_PHOTO = f"{API}/team/{{user_id}}/photo/"


def api_team_photo(user_id: int, version: str = "") -> str:
    """A staff member's photo; ``version`` (when it last changed) makes a new photo a new URL for caches."""
    path = API_TEAM_PHOTO.format(user_id=user_id)
    return f"{path}?v={version}" if version else path


API_INVOICES = f"{API}/invoices/"
API_INVOICE = f"{API_INVOICES}{{invoice_id}}/"
API_INVOICE_PDF = f"{API_INVOICE}pdf/"
API_ORGANIZATION_BILLING = f"{API}/organizations/{{organization_id}}/billing/"
API_STRIPE_WEBHOOK = f"{API}/webhooks/stripe/"


def api_invoice_pdf(invoice_id: int) -> str:
    return API_INVOICE_PDF.format(invoice_id=invoice_id)


API_ENVELOPES = f"{API}/envelopes/"
API_ENVELOPE_DOWNLOAD = f"{API_ENVELOPES}{{envelope_id}}/download/"
API_ENVELOPE_PAGE = f"{API_ENVELOPES}{{envelope_id}}/pages/{{page}}/"
API_VERIFY = f"{API}/verify/"


def api_envelope_download(envelope_id: int) -> str:
    """The API route that streams an envelope's sealed PDF."""
    return API_ENVELOPE_DOWNLOAD.format(envelope_id=envelope_id)


API_AUDIT_EVENTS = f"{API}/audit-events/"
API_AUDIT_EXPORT = f"{API_AUDIT_EVENTS}export/"
API_ENGAGEMENT_MESSAGES = f"{API}/engagements/{{engagement_id}}/messages/"
API_VAULT = f"{API}/vault/"
API_VAULT_ITEMS = f"{API_VAULT}items/"
API_VAULT_ITEM = f"{API_VAULT_ITEMS}{{item_id}}/"
API_VAULT_ITEM_REVEAL = f"{API_VAULT_ITEM}reveal/"
API_VAULT_ITEM_VERSIONS = f"{API_VAULT_ITEM}versions/"
API_VAULT_ACCESS_LOG = f"{API_VAULT}access-log/"
API_VAULT_ENGAGEMENT = f"{API_VAULT}engagements/{{engagement_id}}/"


def api_envelope_page(envelope_id: int, page: int, grant: str) -> str:
    """The API route that serves page ``page`` (0-based) of an envelope's document as an image."""
    return API_ENVELOPE_PAGE.format(envelope_id=envelope_id, page=page) + f"?grant={grant}"


API_NOTIFICATIONS = f"{API}/notifications/"
API_NOTIFICATIONS_READ = f"{API_NOTIFICATIONS}read/"
API_FORM_STAMP = f"{API}/forms/stamp/"
API_LEADS = f"{API}/leads/"
API_LEADS_EXPORT = f"{API_LEADS}export/"
API_NEWSLETTER_SUBSCRIBE = f"{API}/newsletter/subscribe/"
API_NEWSLETTER_UNSUBSCRIBE = f"{API}/newsletter/unsubscribe/{{token}}/"
API_PRIVACY_REQUESTS = f"{API}/privacy-requests/"
API_PRIVACY_REQUEST = f"{API_PRIVACY_REQUESTS}{{request_id}}/"
API_PRIVACY_REQUEST_EXTEND = f"{API_PRIVACY_REQUEST}extend/"
API_PRIVACY_REQUEST_CLOSE = f"{API_PRIVACY_REQUEST}close/"
API_PRIVACY_EXPORT = f"{API_PRIVACY_REQUESTS}exports/{{token}}/"


def api_privacy_export(token: str) -> str:
    """The e-mailed link that downloads a privacy request's data export."""
    return API_PRIVACY_EXPORT.format(token=token)


def privacy_request_confirm(request_id: int) -> str:
    """The request page at its code step for request ``request_id``."""
    return f"{PRIVACY_REQUEST}?{urlencode({'request': request_id})}"


def has_parameter(route: str) -> bool:
    return "[" in route


def placeholder_path(route: str) -> str:
    """``/newsletter/confirm/[token]`` -> ``/newsletter/confirm/_``: where such a page is prerendered."""
    return re.sub(r"\[\w+\]", PATH_PLACEHOLDER, route)


def case_study(slug: str) -> str:
    return f"{CASE_STUDIES}/{slug}"


def legal_version(slug: str, number: int) -> str:
    """An earlier version of a legal document, kept readable after a newer one replaced it."""
    return f"{LEGAL_DOCUMENTS[slug]}/versions/{number}"


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


def admin_organization(organization_id: int) -> str:
    return ADMIN_ORGANIZATION.replace("[organization_id]", str(organization_id))


def portal_invoice(invoice_id: int) -> str:
    return PORTAL_INVOICE.replace("[invoice_id]", str(invoice_id))


def portal_vault(engagement_id: int) -> str:
    return PORTAL_VAULT_ENGAGEMENT.replace("[engagement_id]", str(engagement_id))


def portal_vault_activity(engagement_id: int) -> str:
    return PORTAL_VAULT_ACTIVITY.replace("[engagement_id]", str(engagement_id))


def portal_messages(engagement_id: int) -> str:
    """The portal's messages page, open at one engagement's conversation."""
    return f"{PORTAL_MESSAGES}?{urlencode({'engagement': engagement_id})}"


def admin_engagement(engagement_id: int) -> str:
    return ADMIN_ENGAGEMENT.replace("[engagement_id]", str(engagement_id))


def login_then(next_route: str) -> str:
    """The sign-in page, coming back to ``next_route`` (a path with its query) afterwards."""
    return f"{LOGIN}?{urlencode({'next': next_route})}"


def with_token(route: str, token: str) -> str:
    """A page route with its ``[token]`` filled in (``token`` must be URL-safe already)."""
    return route.replace("[token]", token)


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
    NavItem("Messages", PORTAL_MESSAGES, "messages-square"),
    NavItem("Documents", PORTAL_DOCUMENTS, "file-text"),
    NavItem("Invoices", PORTAL_INVOICES, "receipt"),
    NavItem("Billing", PORTAL_BILLING, "credit-card"),
    NavItem("Signatures", PORTAL_SIGNATURES, "signature"),
    NavItem("Vault", PORTAL_VAULT, "key-round"),
    NavItem("Team", PORTAL_TEAM, "users"),
    NavItem("Account", PORTAL_ACCOUNT, "user-round"),
    NavItem("Security", PORTAL_SECURITY, "shield-check"),
    NavItem("Privacy", PORTAL_PRIVACY, "lock-keyhole"),
)

# Shown to staff and admins under the portal sidebar (the pages check the role themselves).
STAFF_NAV: tuple[NavItem, ...] = (
    NavItem("Console", ADMIN, "gauge"),
    NavItem("Organizations", ADMIN_ORGANIZATIONS, "building-2"),
    NavItem("Leads", ADMIN_LEADS, "inbox"),
    NavItem("Billing", ADMIN_BILLING, "receipt"),
    NavItem("Envelopes", ADMIN_ENVELOPES, "signature"),
    NavItem("Privacy requests", ADMIN_PRIVACY_REQUESTS, "shield-question"),
)
# Shown to administrators only, after STAFF_NAV.
ADMIN_NAV: tuple[NavItem, ...] = (
    NavItem("Staff", ADMIN_STAFF, "users"),
    NavItem("Audit log", ADMIN_AUDIT, "scroll-text"),
)

# Development and test only: the e-mails the file backend wrote.
DEV_OUTBOX = "/dev/outbox"


def api_url(path: str) -> str:
    """Where a native form posts to reach an API route (``path`` is one of the ``API_*`` constants).

    The backend's own origin when it is not the site's (development: pages on
    port 3000, API on 8000), otherwise just the path (production, one port).
    """
    settings = get_settings()
    backend = urlsplit(settings.backend_url)
    if f"{backend.scheme}://{backend.netloc}" == settings.origin:
        return path
    return settings.backend_url + path
