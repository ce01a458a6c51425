"""What a page shows when the server sheds an event under overload (``core.errors.Busy``)."""

from __future__ import annotations

import logging

from reflex.app import default_backend_exception_handler
from reflex.event import EventSpec
from reflex_components_sonner.toast import toast

from fluxent.core.errors import Busy

logger = logging.getLogger(__name__)


def backend_exception_handler(exception: Exception) -> EventSpec:
    """A busy server gets a friendly "try again" note (no stack trace in the log); anything
    else gets Reflex's own handling."""
    if isinstance(exception, Busy):
        logger.warning("An event was refused under overload: %s", exception.reason)
        return toast(exception.message, level="warning", fallback_to_alert=True, id="busy", position="top-center")
    return default_backend_exception_handler(exception)
