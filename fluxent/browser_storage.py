"""Keep Reflex's colour-mode provider out of localStorage.

The privacy policy promises one localStorage key (``view_as_role``). Reflex's
``ThemeProvider`` remembers the colour mode under ``theme`` (and, in development,
``last_compiled_theme``), although Fluxent always renders in light mode. This
build plugin deletes those reads and writes from the compiled provider; the
browser tests check that no other key appears.
"""

from __future__ import annotations

import re

import reflex as rx

THEME_PROVIDER = "utils/react-theme.js"
_WRITE = re.compile(r'localStorage\.setItem\("(?:theme|last_compiled_theme)",[^;]*\);')
_READ = re.compile(r'localStorage\.getItem\("(?:theme|last_compiled_theme)"\)')


def without_theme_storage(source: str) -> str:
    """The provider's source with its localStorage reads answering "nothing saved" and its writes gone."""
    patched = _READ.sub("null", _WRITE.sub("", source))
    if "localStorage." in patched:
        raise RuntimeError(
            f"{THEME_PROVIDER} uses localStorage in a way this plugin does not know; check the Reflex upgrade"
        )
    return patched


class NoThemeStorage(rx.plugins.Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"](THEME_PROVIDER, without_theme_storage)
