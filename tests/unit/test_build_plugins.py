"""The build plugins' rewrites of React Router's output, on samples of that output."""

from __future__ import annotations

import pytest

from fluxent.deferred_start import UnknownStartup, defer_startup

PAGE = (
    '<html><head><link rel="modulepreload" href="/assets/manifest-1.js"/><link rel="modulepreload" href="/assets/entry.client-2.js"/>'
    '<link rel="preload" as="image" href="/logo.svg"/></head><body><h1>Terms</h1>'
    '<script type="module" async="">import "/assets/manifest-1.js";\n'
    'import * as route0 from "/assets/root-3.js";\n'
    'import * as route1 from "/assets/_legal_-4.js";\n  \n'
    '  window.__reactRouterRouteModules = {"root":route0,"routes/[legal]._index":route1};\n\n'
    'import("/assets/entry.client-2.js");</script></body></html>'
)


def test_the_app_starts_after_the_first_paint_with_the_same_modules_in_order():
    html = defer_startup(PAGE)
    assert 'rel="modulepreload"' not in html.split("<script")[0], "no preload may start before the first paint"
    assert '<link rel="preload" as="image" href="/logo.svg"/>' in html and "<h1>Terms</h1>" in html
    script = html.split('<script type="module">', 1)[1]
    order = [
        '["/assets/manifest-1.js", "/assets/entry.client-2.js"]',
        'await import("/assets/manifest-1.js");',
        'const route0 = await import("/assets/root-3.js");',
        'const route1 = await import("/assets/_legal_-4.js");',
        'window.__reactRouterRouteModules = {"root":route0,"routes/[legal]._index":route1};',
        'await import("/assets/entry.client-2.js");',
        "requestAnimationFrame(() => setTimeout(start));",
    ]
    positions = [script.index(part) for part in order]
    assert positions == sorted(positions)
    assert 'async=""' not in html


def test_a_start_up_it_does_not_know_stops_the_build():
    with pytest.raises(UnknownStartup):
        defer_startup(PAGE.replace('import("/assets/entry.client-2.js");', 'eval("x");'))
    with pytest.raises(UnknownStartup):
        defer_startup(PAGE + PAGE)


def test_files_that_are_not_pages_are_left_alone():
    assert defer_startup("<html><body>static</body></html>") == "<html><body>static</body></html>"
