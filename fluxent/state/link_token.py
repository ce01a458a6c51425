"""The token of a page reached from an e-mailed link (``/reset-password/<token>`` and the like)."""

from __future__ import annotations

import reflex as rx


def path_token(path: str) -> str:
    """The path's last segment: the ``[token]`` of ``/auth/magic/[token]`` and its siblings."""
    return path.rstrip("/").rsplit("/", 1)[-1]


class LinkTokenState(rx.State):
    """Puts the token into the page's form; opening the page never uses it up."""

    @rx.var
    def link_token(self) -> str:
        return path_token(self.router.url.path)
