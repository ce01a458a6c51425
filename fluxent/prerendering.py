"""Prerender the pages Reflex's production build would leave to JavaScript.

Reflex prerenders every page with a fixed address. Two kinds get only the bare app
shell: pages whose address carries a token (the newsletter's confirm and unsubscribe
links) and the 404 page. This build plugin adds their addresses to React Router's
prerender list: each token page once at its placeholder address, and the 404 page at
``routes.NOT_FOUND_PRERENDER``, which only the catch-all route matches.
``fluxent.api.prerendered_pages`` then serves those files.
"""

from __future__ import annotations

import json

import reflex as rx

from fluxent import routes

ROUTER_CONFIG = "react-router.config.js"
_PREFIX = "export default "


def extra_prerender_paths() -> list[str]:
    return [*(routes.placeholder_path(route) for route in routes.PRERENDERED_WITH_TOKEN), routes.NOT_FOUND_PRERENDER]


def with_extra_prerender_paths(source: str) -> str:
    """The router config with the extra paths appended to the pages React Router finds itself.

    Development builds do not prerender; their config is returned as it is.
    """
    text = source.strip()
    if not (text.startswith(_PREFIX) and text.endswith(";")):
        raise RuntimeError(f"{ROUTER_CONFIG} is not the JSON object this plugin knows; check the Reflex upgrade")
    config = json.loads(text[len(_PREFIX) : -1])
    if config.get("prerender") is not True:
        return source
    del config["prerender"]
    return (
        f"const config = {json.dumps(config)};\n"
        f"config.prerender = async ({{ getStaticPaths }}) => [...getStaticPaths(), ...{json.dumps(extra_prerender_paths())}];\n"
        "export default config;\n"
    )


class PrerenderTokenAndNotFoundPages(rx.plugins.Plugin):
    def pre_compile(self, **context) -> None:
        context["add_modify_task"](ROUTER_CONFIG, with_extra_prerender_paths)
