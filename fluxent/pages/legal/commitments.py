"""Our privacy commitments: each promise of the privacy policy, the code that keeps it, the tests
that prove it, and how those tests did in the last full test run.

The promises are part of the page as built (and prerendered); the results are read when the
page loads (``CommitmentsState``), since every ``make test`` replaces them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from fluxent import routes
from fluxent.components import forms, marketing, theme
from fluxent.components.public_layout import public_page
from fluxent.services.privacy.promises import PROMISES, Promise
from fluxent.state.commitments import CommitmentsState

_TONES = (("passed", "success"), ("failed", "danger"), ("not run", "warning"))
_TERM: dict[str, Any] = {
    **theme.EYEBROW,
    "color": theme.TEXT_SUBTLE,
    "margin": f"{theme.SPACE_5} 0 {theme.SPACE_2}",
}
_CODE: dict[str, Any] = {
    "font_family": theme.FONT_MONO,
    "font_size": theme.TEXT_XS,
    "color": theme.INK,
    "overflow_wrap": "anywhere",
}
_LIST: dict[str, Any] = {
    "list_style": "none",
    "margin": "0",
    "padding": "0",
    "display": "grid",
    "gap": theme.SPACE_2,
}


def _outcome(outcome: rx.Var) -> rx.Component:
    return forms.badge(outcome, tone=rx.match(outcome, *_TONES, "neutral"))


def _test(node_id: str) -> rx.Component:
    outcome = CommitmentsState.test_outcomes[node_id]
    return rx.el.li(
        rx.el.code(node_id, style=_CODE),
        rx.cond(CommitmentsState.checked_on != "", _outcome(outcome)),
        style={"display": "flex", "flex_wrap": "wrap", "gap": theme.SPACE_2, "align_items": "center"},
    )


def _promise(promise: Promise) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.h2(promise.title, style={**theme.HEADING_2, "font_size": theme.TEXT_XL, "margin": "0"}),
            rx.cond(
                CommitmentsState.checked_on != "",
                _outcome(CommitmentsState.outcomes[promise.id]),
            ),
            style={
                "display": "flex",
                "flex_wrap": "wrap",
                "justify_content": "space-between",
                "gap": theme.SPACE_3,
                "align_items": "baseline",
            },
        ),
        rx.el.blockquote(
            promise.sentence,
            style={
                "margin": f"{theme.SPACE_4} 0 0",
                "padding_left": theme.SPACE_4,
                "border_left": f"3px solid {theme.ACCENT}",
                "color": theme.TEXT_MUTED,
                "font_size": theme.TEXT_SM,
                "line_height": theme.LEADING_BODY,
            },
        ),
        rx.el.h3("Kept by", style=_TERM),
        rx.el.ul(*[rx.el.li(rx.el.code(path, style=_CODE)) for path in promise.kept_by], style=_LIST),
        rx.el.h3("Proven by", style=_TERM),
        rx.el.ul(*[_test(node_id) for node_id in promise.proven_by], style=_LIST),
        id=promise.id,
        data_testid="promise",
        style={**theme.CARD, "padding": theme.SPACE_6, "min_width": "0"},
    )


def _last_run() -> rx.Component:
    return rx.el.p(
        rx.cond(
            CommitmentsState.checked_on != "",
            rx.fragment("Results of the last full test run: ", rx.el.strong(CommitmentsState.checked_on), "."),
            rx.cond(
                CommitmentsState.loaded,
                "This server has no test results yet: they appear after the next full test run.",
                "Reading the last test results…",
            ),
        ),
        role="status",
        data_testid="last-run",
        style={"margin": f"0 0 {theme.SPACE_6}", "color": theme.TEXT_MUTED},
    )


@public_page(
    routes.PRIVACY_COMMITMENTS,
    title="Our privacy commitments · Fluxent",
    description="Every promise of our privacy policy, the code that keeps it, and the tests that prove it.",
)
def page() -> rx.Component:
    return rx.fragment(
        marketing.page_head(
            "Legal",
            "Our privacy commitments",
            "Each promise of our privacy policy that software can keep, quoted from the policy, with the code "
            "that keeps it and the automated tests that prove it.",
            rx.el.p(
                rx.el.a(
                    "Read the privacy policy",
                    href=routes.PRIVACY_POLICY,
                    style={"color": theme.ACCENT, "font_weight": theme.WEIGHT_SEMIBOLD},
                ),
                style={"margin": f"{theme.SPACE_5} 0 0"},
            ),
        ),
        marketing.section(
            _last_run(),
            rx.el.ul(
                *[_promise(promise) for promise in PROMISES],
                style={**_LIST, "gap": theme.SPACE_6},
            ),
            label="Promises",
            tinted=True,
        ),
    )


page.spec = dataclasses.replace(page.spec, on_load=CommitmentsState.load)
