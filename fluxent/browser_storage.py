"""A build plugin that keeps Reflex's colour-mode provider out of ``localStorage``.

Reflex's ``utils/react-theme.js`` saves the colour mode under the ``theme`` key on
every page. The site has one (light) colour mode, and the privacy and cookie
policies promise that ``view_as_role`` is the only ``localStorage`` key, so the
provider gets a module-local stand-in that keeps nothing.
"""

from __future__ import annotations

import reflex as rx

THEME_PROVIDER = "utils/react-theme.js"
STAND_IN = "const localStorage = { getItem: () => null, setItem: () => {}, removeItem: () => {} };\n"


def without_local_storage(source: str) -> str:
    if STAND_IN in source:
        return source
    if "localStorage" not in source:
        raise RuntimeError(f"{THEME_PROVIDER} no longer uses localStorage: review this plugin")
    last_import = source.rfind("\nimport ")
    end_of_imports = source.index(";\n", last_import) + 2
    return source[:end_of_imports] + STAND_IN + source[end_of_imports:]


class NoThemeStoragePlugin(rx.plugins.Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"](THEME_PROVIDER, without_local_storage)
