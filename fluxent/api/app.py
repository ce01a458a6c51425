"""FastAPI application factory for ``/api/v1``, and the HTTP hardening around the whole app."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp

from fluxent import routes
from fluxent.api import (
    account,
    audit_events,
    auth,
    billing_profiles,
    documents,
    engagements,
    envelopes,
    health,
    invitations,
    invoices,
    leads,
    marketing,
    messages,
    notifications,
    organizations,
    privacy_requests,
    schemas,
    seo,
    sso,
    staff,
    stripe_webhooks,
    team,
    two_step,
    vault,
    verify,
)
from fluxent.api.body_guard import BodyGuard
from fluxent.api.docs import add_docs
from fluxent.api.errors import register_error_handlers
from fluxent.api.overload import ShedOverload
from fluxent.api.routing import ContentTypeRoute, add_api_fallback, require_content_type_routes
from fluxent.api.security_headers import SecurityHeaders

API_PREFIX = routes.API
# The API's own routers, in the order their paths appear in the documentation.
BUILT_IN_ROUTERS = (
    health.router,
    auth.router,
    sso.router,
    two_step.router,
    account.router,
    invitations.router,
    schemas.router,
    marketing.router,
    team.router,
    # The client portal and the staff console.
    organizations.router,
    engagements.router,
    documents.router,
    staff.router,
    leads.router,
    # Billing: invoices, billing profiles, Stripe's webhooks.
    invoices.router,
    billing_profiles.router,
    stripe_webhooks.router,
    # E-signature.
    envelopes.router,
    verify.router,
    # Administrators: the audit log.
    audit_events.router,
    # The credential vault.
    vault.router,
    # Each engagement's conversation.
    messages.router,
    # The notification centre.
    notifications.router,
    # The privacy desk: rights requests and their e-mailed export links.
    privacy_requests.router,
)


def create_api(*routers: object) -> FastAPI:
    """A fresh API app. Reflex adds its CORS middleware to the instance it is given,
    so each app gets its own.

    It serves every production router (``BUILT_IN_ROUTERS``). Extra ``routers``
    (``fluxent.api.routing.APIRouter``) are included under ``/api/v1`` after them;
    tests use this to add their own routes.
    """
    api = FastAPI(
        title="Fluxent API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.router.route_class = ContentTypeRoute
    register_error_handlers(api)
    add_docs(api, prefix=API_PREFIX)
    for router in (*BUILT_IN_ROUTERS, *routers):
        api.include_router(router, prefix=API_PREFIX)  # type: ignore[arg-type]
    api.include_router(seo.router)  # /sitemap.xml and /robots.txt, at the site's root
    require_content_type_routes(api)
    add_api_fallback(api)
    return api


def wrap_asgi(app: ASGIApp) -> ASGIApp:
    """The middleware around everything the process serves (a Reflex ``api_transformer``).

    Security headers are outermost, so the body guard's own 413 answers and the
    overload guard's 503 carry them too; overload is shed before a body is read.
    """
    return SecurityHeaders(ShedOverload(BodyGuard(app)))
