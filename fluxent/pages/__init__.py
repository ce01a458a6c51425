"""Every page of the app, registered in one place.

Each page module exposes ``page`` (or ``pages()`` for a module with several), made
by ``public_page`` or ``portal_page``, which carries its route, title, description
and load events (``page.spec``). Every page gets OpenGraph tags for sharing.
"""

from __future__ import annotations

import reflex as rx

from fluxent import routes
from fluxent.components import brand, theme
from fluxent.components.public_layout import absolute_url
from fluxent.core.settings import get_settings

SOCIAL_IMAGE = "/social.png"


def _configure_document(app: rx.App) -> None:
    """What every page's ``<html>`` and ``<head>`` share: language, icon, theme colour."""
    app.html_lang = "en"
    app.head_components = [
        *app.head_components,
        rx.el.link(rel="icon", href=brand.FAVICON, type="image/svg+xml"),
        rx.el.meta(name="theme-color", content=theme.INK),
    ]


def _social_image() -> str:
    return get_settings().base_url + SOCIAL_IMAGE


def _social_meta(route: str, title: str, description: str) -> list[dict[str, str]]:
    """Besides ``og:image``, which ``add_page`` writes from its ``image`` argument.
    A page whose address carries a token has no shareable address (no ``og:url``)."""
    address = [] if routes.has_parameter(route) else [{"property": "og:url", "content": absolute_url(route)}]
    return [
        {"property": "og:type", "content": "website"},
        {"property": "og:site_name", "content": "Fluxent"},
        {"property": "og:title", "content": title},
        {"property": "og:description", "content": description},
        *address,
        {"property": "og:image:width", "content": "1200"},
        {"property": "og:image:height", "content": "630"},
        {"name": "twitter:card", "content": "summary_large_image"},
    ]


def all_pages() -> list:
    from fluxent.pages.admin import audit as admin_audit
    from fluxent.pages.admin import billing as admin_billing
    from fluxent.pages.admin import console as admin_console
    from fluxent.pages.admin import engagement as admin_engagement
    from fluxent.pages.admin import envelopes as admin_envelopes
    from fluxent.pages.admin import leads as admin_leads
    from fluxent.pages.admin import organizations as admin_organizations
    from fluxent.pages.admin import privacy_requests as admin_privacy_requests
    from fluxent.pages.admin import staff as admin_staff
    from fluxent.pages.auth import (
        forgot_password,
        invitation,
        login,
        magic_link,
        reset_password,
        two_step,
        verify_code,
    )
    from fluxent.pages.dev import outbox
    from fluxent.pages.legal import commitments, policy, privacy_request
    from fluxent.pages.portal import (
        account,
        billing,
        dashboard,
        documents,
        engagements,
        invoices,
        messages,
        notifications,
        privacy,
        security,
        signatures,
        vault,
    )
    from fluxent.pages.portal import (
        team as portal_team,
    )
    from fluxent.pages.site import case_studies, home, journey, lead_forms, newsletter, resources, sign, team, verify

    return [
        home.page,
        journey.page,
        *case_studies.pages(),
        *resources.pages(),
        team.page,
        lead_forms.contact_page,
        lead_forms.scope_page,
        *newsletter.pages(),
        *policy.pages(),
        commitments.page,
        privacy_request.page,
        login.page,
        verify_code.page,
        two_step.page,
        forgot_password.page,
        reset_password.page,
        invitation.page,
        magic_link.page,
        sign.page,
        verify.page,
        dashboard.page,
        engagements.page,
        messages.page,
        documents.page,
        *invoices.pages(),
        *billing.pages(),
        signatures.page,
        *vault.pages(),
        portal_team.page,
        account.page,
        security.page,
        privacy.page,
        *notifications.pages(),
        *admin_leads.pages(),
        admin_console.page,
        *admin_organizations.pages(),
        admin_engagement.page,
        admin_envelopes.page,
        admin_staff.page,
        admin_audit.page,
        admin_privacy_requests.page,
        admin_billing.page,
        outbox.page,
    ]


def register_pages(app: rx.App) -> None:
    from fluxent.pages.site import not_found

    _configure_document(app)
    for page in all_pages():
        spec = page.spec
        app.add_page(
            page,
            route=spec.route,
            title=spec.title,
            description=spec.description,
            image=_social_image(),
            meta=_social_meta(spec.route, spec.title, spec.description),
            on_load=spec.on_load,
        )
    app.add_page(
        not_found.page, route="404", title=not_found.TITLE, description=not_found.DESCRIPTION, image=_social_image()
    )
