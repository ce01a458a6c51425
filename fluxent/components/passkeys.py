"""The browser side of passkeys: SimpleWebAuthn's browser library (npm ``@simplewebauthn/browser``),
imported into the pages that use it, and the two calls the pages make of it.

Each call is an event-chain step run in the browser: it hands the options the server made
(kept in the page's state) to the library, which asks the person's device, and resolves
with what the server needs. Adding a passkey passes the device's answer (JSON text) back to
an event; signing in puts it in the second-step form and submits the form, so the API can
set the session cookie. A refusal or a cancel resolves with the error's name instead.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars import FunctionStringVar, Var, VarData
from reflex_base.utils import format

LIBRARY = "@simplewebauthn/browser@13.3.0"
# The sign-in page's hidden form and its field for the device's answer.
SIGN_IN_FORM_ID = "passkey-sign-in"
CREDENTIAL_FIELD = "credential"

_IMPORTS = VarData(imports={LIBRARY: [ImportVar(tag="startRegistration"), ImportVar(tag="startAuthentication")]})

# Resolves with {"response": <JSON text>} or {"error": <name>}.
_REGISTER = FunctionStringVar.create(
    "((optionsJSON) => startRegistration({ optionsJSON }).then("
    "(answer) => ({ response: JSON.stringify(answer) }),"
    " (error) => ({ error: String((error && error.name) || error) })))",
    _var_data=_IMPORTS,
)

# Fills the sign-in form with the answer and submits it; resolves with "" then, or the error's name.
_AUTHENTICATE = FunctionStringVar.create(
    "((optionsJSON) => startAuthentication({ optionsJSON }).then((answer) => {"
    f" const form = document.getElementById({SIGN_IN_FORM_ID!r});"
    f" form.elements[{CREDENTIAL_FIELD!r}].value = JSON.stringify(answer);"
    " form.requestSubmit(); return ''; },"
    " (error) => String((error && error.name) || error)))",
    _var_data=_IMPORTS,
)


def _then(call: Var, handler: Any) -> Any:
    """Run ``call`` (a promise) in the browser and queue ``handler`` with what it resolves to.

    ``rx.call_function``'s own callback is sent as text the page would ``eval``, which the
    site's Content-Security-Policy forbids; here the handler is compiled into the page.
    """
    queued = format.format_queue_events(handler, args_spec=lambda result: [result])
    data = VarData.merge(call._get_all_var_data(), queued._get_all_var_data())
    return rx.call_function(FunctionStringVar.create(f"(() => ({call}).then({queued}))", _var_data=data))


def create_passkey(options: rx.Var, *, then: Any) -> Any:
    """Ask the device for a new passkey with the server's registration ``options``; ``then`` gets the outcome."""
    return _then(_REGISTER.call(options), then)


def sign_in_with_passkey(options: rx.Var, *, failed: Any) -> Any:
    """Ask the device to answer the server's sign-in ``options`` and post the form; ``failed`` gets a refusal."""
    return _then(_AUTHENTICATE.call(options), failed)
