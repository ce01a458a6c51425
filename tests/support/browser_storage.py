"""What a browser may keep for the site, checked on a live page (browser tests) and against
the cookie policy (unit tests)."""

from __future__ import annotations

# What the cookie policy (fluxent/content/legal/cookies.md) promises a browser keeps: two
# cookies, one localStorage key and the sessionStorage entries it lists.
ALLOWED_COOKIES = {"csrftoken", "sessionid"}
ALLOWED_LOCAL_STORAGE = {"view_as_role"}
ALLOWED_SESSION_STORAGE = {"token", "react-router-scroll-positions", "reflex_last_reloaded_on_error"}


def check_browser_storage(page) -> None:
    """Only ``csrftoken`` and ``sessionid`` cookies (``sessionid`` HttpOnly, never readable by
    scripts), no localStorage key but ``view_as_role`` and no sessionStorage entry the policy does not list."""
    cookies = page.context.cookies()
    names = sorted(cookie["name"] for cookie in cookies)
    assert set(names) <= ALLOWED_COOKIES, f"unexpected cookies: {names}"
    assert len(names) == len(set(names)), f"a cookie is set twice: {names}"
    for cookie in cookies:
        if cookie["name"] == "sessionid":
            assert cookie["httpOnly"], "sessionid must be HttpOnly"
    assert "sessionid" not in page.evaluate("document.cookie")
    keys = page.evaluate("Object.keys(window.localStorage)")
    assert set(keys) <= ALLOWED_LOCAL_STORAGE, f"unexpected localStorage keys: {keys}"
    session_keys = page.evaluate("Object.keys(window.sessionStorage)")
    assert set(session_keys) <= ALLOWED_SESSION_STORAGE, f"unexpected sessionStorage keys: {session_keys}"
