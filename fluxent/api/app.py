"""FastAPI application factory for ``/api/v1``."""

from __future__ import annotations

from fastapi import FastAPI

from fluxent.api import health

API_PREFIX = "/api/v1"


def create_api() -> FastAPI:
    """A fresh API app. Reflex adds its CORS middleware to the instance it is given,
    so each app gets its own."""
    api = FastAPI(
        title="Fluxent API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
    )
    api.include_router(health.router, prefix=API_PREFIX)
    return api
