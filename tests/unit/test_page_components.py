"""Every page is built from plain elements styled by components/theme.py: no Radix Themes
component, whose stylesheet (about 80 kB gzip, render-blocking) the app does not load; no
colour typed outside the theme; form controls from the one kit in components/forms.py."""

from __future__ import annotations

import re
from pathlib import Path

from reflex_base.components.component import Component
from reflex_base.vars.base import LiteralVar, Var
from reflex_components_core.el.elements.forms import BaseInput, Label, Select, Textarea
from reflex_components_core.el.elements.forms import Form as HtmlForm
from reflex_components_radix.themes.base import RadixThemesComponent

from fluxent.components import forms, theme
from fluxent.components.native_form import NativeForm
from fluxent.pages import all_pages
from fluxent.pages.site import lead_forms, not_found
from fluxent.state.marketing import LeadFormState

PACKAGE = Path(__file__).resolve().parents[2] / "fluxent"


def _components(component: Component):
    yield component
    for child in component.children:
        if isinstance(child, Component):
            yield from _components(child)
    for value in vars(component).values():  # components passed as props (e.g. rx.cond branches)
        if isinstance(value, Component):
            yield from _components(value)


def _pages():
    return [*all_pages(), not_found.page]


def _literal(value) -> str | None:
    """A prop's value when it is fixed text; None when it is computed in the browser."""
    if isinstance(value, str):
        return value
    if isinstance(value, LiteralVar) and isinstance(getattr(value, "_var_value", None), str):
        return value._var_value
    return None


def _style(component: Component, key: str) -> str | None:
    value = component.style.get(key)
    return _literal(value) if value is not None else None


def test_no_form_leaves_its_checks_to_the_browsers_bubbles():
    """Server checks are the rule and their messages show inline: every form says noValidate."""
    offenders = {
        f"{page.__module__}.{page.__name__}: {type(found).__name__}"
        for page in _pages()
        for found in _components(page())
        if isinstance(found, (HtmlForm, NativeForm)) and not _literal_true(getattr(found, "no_validate", None))
    }
    assert not offenders, "forms without noValidate:\n" + "\n".join(sorted(offenders))


def _literal_true(value) -> bool:
    return value is True or (isinstance(value, LiteralVar) and getattr(value, "_var_value", None) is True)


def test_no_page_uses_a_radix_themes_component():
    offenders = {
        f"{page.__module__}.{page.__name__}: {type(found).__name__}"
        for page in _pages()
        for found in _components(page())
        if isinstance(found, RadixThemesComponent)
    }
    assert not offenders, "Radix Themes components (use plain elements and components/theme.py):\n" + "\n".join(
        sorted(offenders)
    )


NAMED_COLOURS = "white|black|red|green|blue|gray|grey|silver|navy|orange|yellow|purple|pink|teal|transparent"
COLOUR_LITERAL = re.compile(
    rf"""["'][^"'\n]*(#[0-9A-Fa-f]{{3,8}}\b|\b(?:rgba?|hsla?)\(|(?<![\w-])(?:{NAMED_COLOURS})(?![\w-]))[^"'\n]*["']"""
)


def test_colours_come_only_from_the_theme():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for folder in ("components", "pages")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        if path.name != "theme.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if not line.lstrip().startswith("#") and COLOUR_LITERAL.search(line)
    ]
    assert not offenders, "Colour literals outside components/theme.py (add a theme token):\n" + "\n".join(offenders)


def test_dropdowns_match_the_text_fields_height_and_radius():
    """A select beside an input in a form row lines up with it: same radius, a control height."""
    heights = {theme.CONTROL_HEIGHT, theme.CONTROL_HEIGHT_SM}
    offenders = {
        f"{page.__module__}.{page.__name__}: select#{found.id} height={_style(found, 'height')} radius={_style(found, 'borderRadius')}"
        for page in _pages()
        for found in _components(page())
        if isinstance(found, Select)
        and (_style(found, "height") not in heights or _style(found, "borderRadius") != theme.RADIUS_MD)
    }
    assert not offenders, "\n".join(sorted(offenders))
    assert (theme.SELECT["height"], theme.SELECT["border_radius"]) == (
        theme.CONTROL["height"],
        theme.CONTROL["border_radius"],
    )


def test_every_described_and_labelled_control_points_at_an_element_of_its_page():
    """aria-describedby and <label for> name ids that exist (hint and error lines are always in the page)."""
    offenders = []
    for page in _pages():
        found = list(_components(page()))
        ids = {_literal(component.id) for component in found} - {None}
        for component in found:
            described = _literal((component.custom_attrs or {}).get("aria-describedby"))
            targets = described.split() if described else []
            if isinstance(component, Label) and _literal(component.html_for):
                targets.append(_literal(component.html_for))
            offenders += [f"{page.__module__}.{page.__name__}: #{target}" for target in targets if target not in ids]
    assert not offenders, "Missing ids:\n" + "\n".join(offenders)


def _field_parts(component: Component) -> tuple[Component, Component]:
    found = list(_components(component))
    control = next(c for c in found if isinstance(c, BaseInput | Select | Textarea))
    label = next(c for c in found if isinstance(c, Label))
    return control, label


def test_a_kit_field_is_labelled_described_and_marked_invalid():
    control, label = _field_parts(
        forms.field("Work e-mail", "email", LeadFormState.errors, form_id="contact", hint="We reply here.")
    )
    assert control.id == "contact-email" and _literal(label.html_for) == "contact-email"
    assert control.custom_attrs["aria-describedby"] == "contact-email-hint contact-email-error"
    invalid = control.custom_attrs["aria-invalid"]
    assert isinstance(invalid, Var) and "errors" in str(invalid) and '"email"' in str(invalid)
    ids = {
        component.id
        for component in _components(
            forms.field("Work e-mail", "email", LeadFormState.errors, form_id="contact", hint="h")
        )
    }
    assert {"contact-email-hint", "contact-email-error"} <= ids


def test_kit_controls_share_the_theme_styles():
    for control, expected in (
        (_field_parts(forms.field("Name", "name"))[0], theme.CONTROL),
        (_field_parts(forms.select("Role", "role", [("a", "A")]))[0], theme.SELECT),
        (_field_parts(forms.textarea("Note", "note"))[0], theme.TEXTAREA),
    ):
        assert _style(control, "height") == expected["height"]
        assert _style(control, "borderRadius") == expected["border_radius"]
    assert _style(_field_parts(forms.field("Name", "name"))[1], "fontWeight") == theme.LABEL["font_weight"]


def test_the_consent_box_is_never_ticked_for_the_visitor():
    page = lead_forms.contact_page()
    boxes = [c for c in _components(page) if isinstance(c, BaseInput) and _literal(c.type) == "checkbox"]
    assert [box.id for box in boxes] == ["agree"]
    assert boxes[0].default_checked is None and boxes[0].checked is None
    assert boxes[0].custom_attrs["aria-describedby"] == "agree-error"


def test_submit_buttons_wait_for_the_page_and_say_they_are_busy():
    button = forms.submit_button("Save", LeadFormState.sent, "Saving…")
    assert "is_hydrated" in str(button.disabled) and "sent" in str(button.disabled)
    assert "true" in str(button.custom_attrs["aria-busy"])


def test_alerts_speak_in_their_tone():
    def role(component: Component) -> str:
        return next(_literal(c.role) for c in _components(component) if getattr(c, "role", None) is not None)

    assert role(forms.alert(LeadFormState.form_error)) == "alert"
    assert role(forms.alert(LeadFormState.form_error, tone="notice")) == "status"
    assert role(forms.field("Name", "name", LeadFormState.errors)) == "alert"  # the field's error line
