"""The Reflex app: pages, the JSON API in front, and HTTP hardening around both."""

from __future__ import annotations

import reflex as rx
from reflex.utils.prerequisites import get_web_dir

from fluxent.api import create_api, wrap_asgi
from fluxent.api.prerendered_pages import prerendered_pages
from fluxent.api.upload_guard import UploadGuard
from fluxent.core import log_redaction
from fluxent.core.settings import check_production, get_settings
from fluxent.pages import register_pages
from fluxent.services.billing import receipts, webhook_queue
from fluxent.services.privacy import retention
from fluxent.state.busy import backend_exception_handler
from fluxent.state.event_arguments import CheckedArguments
from fluxent.state.tab_binding import SessionBinding, bound_session

check_production(get_settings())
# Reflex's and the server's log records lose session cookies and client tokens.
log_redaction.install(("reflex", "reflex_base", "granian", "_granian", "uvicorn", "socketio", "engineio"))

app = rx.App(
    # In order: Reflex mounts itself inside the API app, prerendered token and 404 pages
    # stand in for the bare app shell, uploads must carry their own session, then the
    # hardening wraps everything.
    api_transformer=[
        create_api(),
        prerendered_pages(get_web_dir() / rx.constants.Dirs.STATIC),
        UploadGuard.around(lambda token: bound_session(app, token)),
        wrap_asgi,
    ],
    backend_exception_handler=backend_exception_handler,
    # The script font of typed signatures, served by the site itself.
    stylesheets=["/fonts/signature.css"],
)
# Before any event (the reconnect's hydrate included): a tab's personal state is reset
# unless it was built for the session of the websocket handshake; then arguments that do
# not fit the handler stop the event.
app.add_middleware(SessionBinding(), index=0)
app.add_middleware(CheckedArguments(), index=1)
register_pages(app)
# Receipts left in the outbox by a stopped process go out now; new ones as payments commit.
app.register_lifespan_task(receipts.sending)
# Stripe events the webhook stored are processed in the background: waiting ones at start,
# new ones as each is stored.
app.register_lifespan_task(webhook_queue.draining)
if get_settings().retention_every_hours > 0:
    app.register_lifespan_task(retention.run_every, hours=get_settings().retention_every_hours)
