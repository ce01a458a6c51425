"""The JSON API v1, mounted in front of Reflex's own routes (see ``fluxent/fluxent.py``)."""

from fluxent.api.app import create_api, wrap_asgi

__all__ = ["create_api", "wrap_asgi"]
