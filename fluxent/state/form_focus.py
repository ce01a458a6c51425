"""Where focus goes after a form is sent: the first field in error, or the thank-you.

Forms name their controls as the form kit does (``components.forms``): ``{form_id}-{name}``,
else ``name``. Focus moves with Reflex's own ``set_focus`` (no script: the site's
Content-Security-Policy forbids ``eval``); focusing an element also scrolls it into view.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.vars.base import Var

# Keys of a service's messages that belong to the whole form, not to a control.
FORM_KEYS = frozenset({"form"})


def control_id(name: Any, form_id: Any = "") -> Any:
    """The id the form kit gives a control named ``name`` in ``form_id`` (each a string, or a Var)."""
    return f"{form_id}-{name}" if isinstance(form_id, Var) or form_id else name


def first_error(errors: Mapping[str, str], *, form_id: str = "") -> EventSpec | None:
    """After a refused submit: focus the first field in error (the service lists them in
    the form's order), or nothing when no field is named."""
    for name, text in errors.items():
        if text and name not in FORM_KEYS:
            return rx.set_focus(control_id(name, form_id))
    return None
