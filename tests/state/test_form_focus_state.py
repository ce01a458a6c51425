"""After a refused submit focus moves to the first field in error; after success the
sending form, and only that one, turns into the thank-you."""

from __future__ import annotations

from datetime import UTC, datetime

from reflex_base.event import EventSpec

from fluxent.state.form_focus import first_error
from fluxent.state.marketing import LeadFormState, NewsletterState
from tests.support.marketing import aged_stamp

CONTACT = {
    "name": "Dana Whitfield",
    "email": "dana@northwind.example",
    "country": "United States",
    "message": "We need a dispatch board for 40 technicians.",
    "agree": "on",
}


def _focused(event: object) -> str:
    assert isinstance(event, EventSpec), event
    return str(event.args[0][1]._var_value)


def _contact_state(page_state) -> LeadFormState:
    state = page_state(LeadFormState, "/contact")
    state.stamp = aged_stamp(lambda: datetime.now(UTC))
    return state


def test_the_first_field_in_error_is_focused_in_the_forms_order():
    assert _focused(first_error({"email": "Bad.", "country": "Missing."})) == "ref_email"
    assert _focused(first_error({"form": "Whole form.", "country": "Missing."}, form_id="scope")) == "ref_scope_country"
    assert first_error({"form": "Whole form."}) is None
    assert first_error({}) is None


def test_a_refused_contact_form_focuses_its_first_bad_field(page_state, database, outbox):
    state = _contact_state(page_state)
    event = state.submit_contact({**CONTACT, "email": "dana@northwind", "country": ""})
    assert list(state.errors) == ["email", "country"]
    assert _focused(event) == "ref_email"
    assert not state.sent
    assert outbox.messages() == []


def test_the_typo_fixed_the_form_is_sent_and_nothing_is_focused_by_the_server(page_state, database, outbox):
    state = _contact_state(page_state)
    state.submit_contact({**CONTACT, "email": "dana@northwind"})
    assert state.submit_contact(CONTACT) is None
    assert state.sent and state.errors == {} and state.form_error == ""
    assert "Thank you, Dana." in outbox.text(outbox.last("dana@northwind.example"))


def test_only_the_newsletter_form_that_was_sent_turns_into_the_thank_you(page_state, database, outbox):
    state = page_state(NewsletterState, "/newsletter")
    state.subscribe({"email": "not-an-email", "form": "newsletter-page-email"})
    assert state.email_error and not state.done and state.sent_from == ""
    state.subscribe({"email": "reader@engines.example", "form": "newsletter-page-email"})
    assert state.done and state.sent_from == "newsletter-page-email"
