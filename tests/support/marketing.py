"""Shared pieces of the marketing tests: a valid lead form and a stamp old enough to pass."""

from __future__ import annotations

from datetime import timedelta

from fluxent.models.marketing import LeadSource
from fluxent.services.marketing import leads, spam
from tests.support.auth import Clock


def aged_stamp(clock: Clock, seconds: int = 30) -> str:
    """A stamp from ``seconds`` ago: a person who took that long to fill the form."""
    return spam.new_stamp(clock=lambda: clock() - timedelta(seconds=seconds))


def lead_form(clock: Clock, **overrides) -> leads.LeadForm:
    values = dict(
        name="Dana Whitfield",
        email="Dana@Northwind.example",
        phone="+1 (516) 555-0101",
        company="Northwind Robotics",
        country="United States",
        message="We need a dispatch board for 40 technicians.",
        agree=True,
        stamp=aged_stamp(clock),
        source=LeadSource.CONTACT,
    )
    values.update(overrides)
    return leads.LeadForm(**values)
