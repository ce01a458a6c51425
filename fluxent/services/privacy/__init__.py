"""Privacy: the registry of personal data, the data export, and account erasure.

- ``registry``: how each table with personal data is exported, erased and justified.
- ``export``: :func:`export_user_data`, its JSON Schema, :func:`validate_export`.
- ``erasure``: :func:`erase_user` and its report.
- :func:`privacy_summary`: the categories of data held, for the portal's privacy page.
- :func:`erasure_keeps`: what an erasure keeps and why, told before the person confirms.

The entries themselves live in ``fluxent/services/privacy_registry.py``.
"""

from __future__ import annotations

from fluxent.services.privacy.erasure import ErasureReport, erase_user, refuse_sole_owner
from fluxent.services.privacy.export import (
    SCHEMA_VERSION,
    export_schema,
    export_user_data,
    stream_export,
    validate_export,
    write_export_schema,
)
from fluxent.services.privacy.registry import (
    CategorySummary,
    KeptRecord,
    Registry,
    coverage_problems,
    default_registry,
    kept_after_erasure,
    summarize,
)


def privacy_summary(registry: Registry | None = None) -> list[CategorySummary]:
    """Categories of personal data held, with legal basis and retention, from the registry."""
    return summarize(registry or default_registry())


def erasure_keeps(registry: Registry | None = None) -> list[KeptRecord]:
    """What erasing an account keeps (retained or anonymized records), with reasons and retention."""
    return kept_after_erasure(registry or default_registry())


__all__ = [
    "SCHEMA_VERSION",
    "CategorySummary",
    "ErasureReport",
    "KeptRecord",
    "Registry",
    "coverage_problems",
    "default_registry",
    "erase_user",
    "erasure_keeps",
    "export_schema",
    "export_user_data",
    "stream_export",
    "privacy_summary",
    "refuse_sole_owner",
    "validate_export",
    "write_export_schema",
]
