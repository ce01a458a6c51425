"""Pages reached from an e-mailed link (``/auth/magic/<token>`` and its siblings).

Opening such a page never uses the token up: the page only puts it into a form
that the person posts with a button.
"""

from __future__ import annotations

import reflex as rx


def path_token(path: str) -> str:
    """The path's last segment: the ``[token]`` of ``/auth/magic/[token]`` and its siblings."""
    return path.rstrip("/").rsplit("/", 1)[-1]


class LinkTokenState(rx.State):
    busy: bool = False  # the form is being posted

    @rx.var
    def link_token(self) -> str:
        return path_token(self.router.url.path)

    @rx.event
    def load(self) -> None:
        self.busy = False

    @rx.event
    def posting(self) -> None:
        self.busy = True
