"""``/sitemap.xml`` and ``/robots.txt``, built from the routes and the content files."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi.responses import PlainTextResponse, Response

from fluxent import routes
from fluxent.api.routing import APIRouter
from fluxent.core.settings import get_settings
from fluxent.services.marketing import content

router = APIRouter(tags=["seo"], include_in_schema=False)


def public_urls() -> list[str]:
    base = get_settings().base_url
    paths = [
        *routes.SITEMAP_ROUTES,
        *[routes.case_study(doc.slug) for doc in content.collection(content.CASE_STUDIES)],
        *[routes.resource(doc.slug) for doc in content.collection(content.RESOURCES)],
    ]
    return [base + path.rstrip("/") + "/" for path in paths]


@router.get(routes.SITEMAP)
def sitemap() -> Response:
    entries = "".join(f"<url><loc>{escape(url)}</loc></url>" for url in public_urls())
    body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    return Response(body, media_type="application/xml")


@router.get(routes.ROBOTS)
def robots() -> PlainTextResponse:
    lines = [
        "User-agent: *",
        *[f"Disallow: {prefix}" for prefix in routes.PRIVATE_PREFIXES],
        "",
        f"Sitemap: {get_settings().base_url}{routes.SITEMAP}",
    ]
    return PlainTextResponse("\n".join(lines) + "\n")
