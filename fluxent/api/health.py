"""Liveness and readiness for load balancers and operators."""

from __future__ import annotations

from sqlalchemy import text

from fluxent.api.routing import APIRouter
from fluxent.core.db import session_scope

router = APIRouter(tags=["health"])


@router.get("/health/")
def health() -> dict[str, str]:
    """``ok`` when the database answers."""
    with session_scope() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok"}
