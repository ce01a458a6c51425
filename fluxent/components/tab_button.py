"""A ``<button>`` that also reports key presses, for tab lists moved with the arrow keys."""

from __future__ import annotations

from reflex_base.event import EventHandler, key_event
from reflex_components_core.el.elements.forms import Button


class TabButton(Button):
    """Reflex's button offers no ``on_key_down``; the WAI-ARIA tabs pattern needs it."""

    on_key_down: EventHandler[key_event]
