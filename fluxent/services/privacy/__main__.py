"""``python -m fluxent.services.privacy``: regenerate ``export_schema.json`` from the registry."""

from fluxent.services.privacy.export import write_export_schema

print(f"wrote {write_export_schema()}")
