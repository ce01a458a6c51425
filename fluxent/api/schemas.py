"""Published JSON Schemas: what a personal data export contains, for anyone to validate against."""

from __future__ import annotations

from typing import Any

from fluxent import routes
from fluxent.api.routing import APIRouter, api_path
from fluxent.services.privacy import export

router = APIRouter(tags=["schemas"])


@router.get(api_path(routes.API_EXPORT_SCHEMA))
def export_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``GET /api/v1/auth/me/export/``."""
    return export.export_schema()
