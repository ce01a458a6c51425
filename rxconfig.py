"""Reflex configuration, derived from Fluxent's settings (FLUXENT_* variables)."""

import os
from pathlib import Path

import reflex as rx

from fluxent.browser_storage import NoThemeStorage
from fluxent.core.settings import get_settings
from fluxent.deferred_start import StartAfterFirstPaint
from fluxent.prerendering import PrerenderTokenAndNotFoundPages

settings = get_settings()

# Development hot reload watches every folder at the project root. The app writes into its
# data directory as it runs (SQLite journal, outbox, private files), so watching it reloads
# the server over and over; tests, bench and docs are not part of the app. Reflex reads this
# list after loading this file, in the process that sets up the watcher; it compares each
# entry with `samefile`, so only existing folders are listed (settings creates the data
# directory in development).
_root = Path(__file__).resolve().parent
_unwatched = [settings.data_dir, _root / "tests", _root / "bench", _root / "docs"]
os.environ["REFLEX_HOT_RELOAD_EXCLUDE_PATHS"] = ":".join(
    dict.fromkeys(
        [
            *filter(None, os.environ.get("REFLEX_HOT_RELOAD_EXCLUDE_PATHS", "").split(":")),
            *(str(path.resolve()) for path in _unwatched if path.is_dir()),
        ]
    )
)

# Where tab state lives. With REFLEX_REDIS_URL Reflex picks Redis itself (several workers),
# so the mode is only chosen without it. Reflex's default then is the disk manager, which
# pickles every changed substate to a file after each event so that tabs survive a restart:
# about a quarter of the server's CPU for a portal page open (docs/performance.md). Only
# development's hot reload needs that; elsewhere one process keeps tab state in memory, and
# a tab that reconnects after a restart loads its page afresh.
_state_manager = {}
if not os.environ.get("REFLEX_REDIS_URL") and settings.env != "development":
    _state_manager = {"state_manager_mode": rx.constants.StateManagerMode.MEMORY}

config = rx.Config(
    **_state_manager,
    app_name="fluxent",
    # The websocket and CORS accept exactly the site's own origin(s), never "*".
    cors_allowed_origins=settings.cors_origins,
    api_url=settings.backend_url,
    deploy_url=settings.base_url,
    backend_port=settings.port,
    # Reflex's client_ip stays the direct peer: fluxent/core/client_address.py decides,
    # for every door alike, whether X-Forwarded-For counts (FLUXENT_TRUSTED_PROXIES).
    trusted_proxy_hops=0,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    frontend_compression_formats=["gzip"],
    # /sitemap.xml is served by fluxent/api/seo.py (public pages only, served addresses).
    # No Radix Themes: the site styles plain elements itself (components/theme.py), which
    # keeps the theme's 80 kB (gzip) render-blocking stylesheet off every page.
    disable_plugins=[rx.plugins.SitemapPlugin, rx.plugins.RadixThemesPlugin],
    plugins=[
        NoThemeStorage(),  # the privacy policy allows one localStorage key, view_as_role
        PrerenderTokenAndNotFoundPages(),  # real text in the HTML of token pages and the 404 page
        StartAfterFirstPaint(),  # the prerendered text paints before the app's JavaScript loads
    ],
)
