"""Every page is built from plain elements: no Radix Themes component, whose stylesheet
(about 80 kB gzip, render-blocking) the app does not load."""

from __future__ import annotations

from reflex_base.components.component import Component
from reflex_components_radix.themes.base import RadixThemesComponent

from fluxent.pages import all_pages
from fluxent.pages.site import not_found


def _components(component: Component):
    yield component
    for child in component.children:
        if isinstance(child, Component):
            yield from _components(child)
    for value in vars(component).values():  # components passed as props (e.g. rx.cond branches)
        if isinstance(value, Component):
            yield from _components(value)


def test_no_page_uses_a_radix_themes_component():
    offenders = {
        f"{page.__module__}.{page.__name__}: {type(found).__name__}"
        for page in [*all_pages(), not_found.page]
        for found in _components(page())
        if isinstance(found, RadixThemesComponent)
    }
    assert not offenders, "Radix Themes components (use plain elements and components/theme.py):\n" + "\n".join(sorted(offenders))
