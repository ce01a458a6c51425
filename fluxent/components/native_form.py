"""A ``<form>`` the browser submits itself, for the API routes that set cookies.

``rx.form`` always prevents the browser's submit, but signing in and out must be
real POSTs so the server can set or clear the HttpOnly ``sessionid`` and answer
with a redirect. Every such form carries the CSRF token in a hidden field.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.components.component import field
from reflex_base.event import EventHandler, no_args_event_spec
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML

from fluxent import routes
from fluxent.core.cookies import CSRF_FIELD
from fluxent.state.csrf import CsrfState


class NativeForm(BaseHTML):
    """The plain HTML ``form`` element."""

    tag = "form"

    action: Var[str] = field(doc="Where the browser posts the form.")
    method: Var[str] = field(doc="HTTP method: post.")
    enc_type: Var[str] = field(doc="multipart/form-data for a file upload.")
    no_validate: Var[bool] = field(doc="True: no browser bubbles; the API checks and answers inline.")

    # Runs as the browser submits; never prevents it.
    on_submit: EventHandler[no_args_event_spec]


def api_form(*children: rx.Component, api_path: str, **props: Any) -> rx.Component:
    """A POST to one of our API routes, with the CSRF field; ``api_path`` is a ``routes.API_*`` path.
    The browser's validation bubbles stay off: the route checks, and the page shows its answer."""
    return NativeForm.create(
        rx.el.input(type="hidden", name=CSRF_FIELD, value=CsrfState.csrf_token),
        *children,
        action=routes.api_url(api_path),
        method="post",
        no_validate=True,
        **props,
    )
