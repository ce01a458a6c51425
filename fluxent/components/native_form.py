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
from reflex_base.vars.object import ObjectVar
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


def _blank_required(event: ObjectVar[Any]) -> tuple[Var[list[str]]]:
    """The names of the form's required controls (``aria-required="true"``: the browser's own
    ``required`` would bring its bubbles back) left blank, in the form's order. When there are
    any, the browser's post is stopped (and the handler says what is missing)."""
    blank = (
        f"Array.from({event}.currentTarget.elements)"
        '.filter((control) => control.getAttribute("aria-required") === "true" && !String(control.value).trim())'
        ".map((control) => control.name)"
    )
    stop = f"((names) => {{ if (names.length) {{ {event}.preventDefault(); }} return names; }})"
    return (Var(_js_expr=f"{stop}({blank})", _var_type=list[str]),)


class CheckedNativeForm(NativeForm):
    """A native form that posts only when its required controls are filled in; its submit
    handler gets the names of those left blank (none: the browser is posting)."""

    on_submit: EventHandler[_blank_required]


def api_form(*children: rx.Component, api_path: str, checked: bool = False, **props: Any) -> rx.Component:
    """A POST to one of our API routes, with the CSRF field; ``api_path`` is a ``routes.API_*`` path.
    The browser's validation bubbles stay off: the route checks, and the page shows its answer.
    ``checked``: blank required fields stop the post, and ``on_submit`` gets their names, so the
    page says what is missing at once (see ``CheckedNativeForm``)."""
    return (CheckedNativeForm if checked else NativeForm).create(
        rx.el.input(type="hidden", name=CSRF_FIELD, value=CsrfState.csrf_token),
        *children,
        action=routes.api_url(api_path),
        method="post",
        no_validate=True,
        **props,
    )
