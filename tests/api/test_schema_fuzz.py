"""Generated requests over the whole OpenAPI document never get a 500.

Schemathesis reads ``/api/v1/openapi.json`` of the real app (the API and the portal
routers, hardening included) and sends valid and invalid requests to every operation,
signed in as an administrator and as a client owner, with the CSRF cookie, header and
the site's Origin, so the requests reach the routes' own code. Bounded: a fixed seed
and a few examples per operation and mode.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from fluxent.core.cookies import CSRF_COOKIE, SESSION_COOKIE
from fluxent.services.auth import sessions
from tests.support.portal import CSRF_TOKEN, ORIGIN, api_app

EXAMPLES_PER_OPERATION = 12


def _fuzz(operation, cookies: dict[str, str]) -> dict[str, str]:
    """Server errors of one operation: ``"<status> <method> <path>"`` -> the request that caused it."""
    found: dict[str, str] = {}
    modes = st.one_of(operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE))

    @given(case=modes)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        try:
            status = case.call(headers={"Origin": ORIGIN, "X-CSRFToken": CSRF_TOKEN}, cookies=cookies).status_code
        except Exception as exc:  # the app raised through the test transport
            status = f"{type(exc).__name__}"
        if not isinstance(status, int) or status >= 500:
            found.setdefault(f"{status} {operation.label}", case.as_curl_command())

    run()
    return found


@pytest.mark.timeout(600)
def test_generated_requests_never_get_a_server_error(session, world):
    app = api_app()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    errors: dict[str, str] = {}
    for person in (world.admin, world.owner_a):
        for operation in operations:
            # A fresh session for each operation: sign-out and revocation routes end the last one.
            _, raw = sessions.start_session(session, user=person)
            session.commit()
            errors.update(_fuzz(operation, {CSRF_COOKIE: CSRF_TOKEN, SESSION_COOKIE: raw}))
    assert not errors, "\n\n".join(f"{label}\n{curl}" for label, curl in sorted(errors.items()))
