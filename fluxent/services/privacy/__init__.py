"""Privacy: the registry of personal data, the data export, and account erasure.

- ``registry``: how each table with personal data is exported, erased and justified.
- ``export``: :func:`export_user_data`, its JSON Schema, :func:`validate_export`.
- ``erasure``: :func:`erase_user` and its report.
- :func:`privacy_summary`: the categories of data held, for the portal's privacy page.

The entries themselves live in ``fluxent/services/privacy_registry.py``.
"""

from __future__ import annotations

from fluxent.services.privacy.erasure import ErasureReport, erase_user, refuse_sole_owner
from fluxent.services.privacy.export import (
    SCHEMA_VERSION,
    export_schema,
    export_user_data,
    validate_export,
    write_export_schema,
)
from fluxent.services.privacy.registry import (
    CategorySummary,
    Registry,
    coverage_problems,
    default_registry,
    summarize,
)


def privacy_summary(registry: Registry | None = None) -> list[CategorySummary]:
    """Categories of personal data held, with legal basis and retention, from the registry."""
    return summarize(registry or default_registry())


__all__ = [
    "SCHEMA_VERSION",
    "CategorySummary",
    "ErasureReport",
    "Registry",
    "coverage_problems",
    "default_registry",
    "erase_user",
    "export_schema",
    "export_user_data",
    "privacy_summary",
    "refuse_sole_owner",
    "validate_export",
    "write_export_schema",
]
