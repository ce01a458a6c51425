"""Shared pieces of the privacy-request tests: a filled request form, and a request sent
and confirmed through the public form's services, reading the code from the outbox."""

from __future__ import annotations

import re

from fluxent.models.privacy import PrivacyRequest
from fluxent.services.privacy import requests
from tests.support.auth import IP, Clock, Outbox
from tests.support.marketing import aged_stamp

SUBJECT = "dana@northwind.example"
AGENT = "agent@advocates.example"


def request_form(clock: Clock, **overrides) -> requests.RequestForm:
    values = dict(kind="access", email=SUBJECT, name="Dana Whitfield", stamp=aged_stamp(clock))
    values.update(overrides)
    return requests.RequestForm(**values)


def code_for(outbox: Outbox, to: str) -> str:
    found = re.search(r"code is (\d{6})\.", outbox.text(outbox.last(to)))
    assert found, f"no code in the last e-mail to {to}"
    return found.group(1)


def sent_request(session, outbox: Outbox, clock: Clock, **overrides) -> PrivacyRequest:
    """A request from the public form, confirmed by its requester's code."""
    request = requests.submit(session, request_form(clock, **overrides), ip=IP, clock=clock)
    assert request is not None
    to = requests.requester_email(request)
    return requests.confirm_code(session, request_id=request.id, email=to, code=code_for(outbox, to), clock=clock)
