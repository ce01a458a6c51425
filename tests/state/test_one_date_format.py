"""One date format across the portal and the console: every day a page shows reads
"7 Dec 2026", every time "7 Dec 2026, 14:05 UTC", and only ``state.formatting`` writes them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import fluxent
from fluxent.state.formatting import date_input, day, moment

PACKAGE = Path(fluxent.__file__).parent
# What formatting a date by hand looks like: strftime, isoformat, or an f-string's ``:%Y``-style spec.
BY_HAND = re.compile(r"strftime|\.isoformat\(|\{[^{}]*:[^{}]*%[a-zA-Z][^{}]*\}|\"%[YmdHMbB]")


def test_days_and_times_read_the_same_everywhere():
    assert day(date(2026, 12, 7)) == "7 Dec 2026"
    assert day(date(2027, 2, 15)) == "15 Feb 2027"
    assert day(datetime(2026, 12, 7, 23, 59, tzinfo=UTC)) == "7 Dec 2026"
    assert moment(datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC)) == "7 Dec 2026, 14:05 UTC"
    assert moment(datetime(2026, 12, 7, 14, 5, 9, tzinfo=UTC), seconds=True) == "7 Dec 2026, 14:05:09 UTC"
    assert day(None) == moment(None) == date_input(None) == ""


def test_times_are_shown_in_utc_whatever_zone_they_come_in():
    berlin = timezone(timedelta(hours=1))
    assert moment(datetime(2026, 12, 8, 0, 30, tzinfo=berlin)) == "7 Dec 2026, 23:30 UTC"
    assert day(datetime(2026, 12, 8, 0, 30, tzinfo=berlin)) == "7 Dec 2026"
    assert moment(datetime(2026, 12, 7, 14, 5)) == "7 Dec 2026, 14:05 UTC"  # SQLite gives times back without a zone


def test_a_date_input_gets_the_value_browsers_need():
    assert date_input(date(2026, 12, 7)) == "2026-12-07"


def test_no_state_page_or_component_formats_a_date_itself():
    """A date written by hand in a state, page or component would be a second format."""
    modules = [
        path
        for folder in ("state", "pages", "components")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        if path != PACKAGE / "state" / "formatting.py"
    ]
    assert len(modules) > 40
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in modules
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BY_HAND.search(line)
    ]
    assert offenders == []


def test_the_check_catches_each_way_of_formatting_by_hand():
    for line in (
        'when = moment.strftime("%d %b %Y")',
        'due = milestone.due_date.isoformat() if milestone.due_date else ""',
        'when = f"{e.updated_at:%Y-%m-%d}"',
        'when = f"{day(at)}, {at:%H:%M} UTC"',
        'TIME_FORMAT = "%Y-%m-%d %H:%M:%S UTC"',
    ):
        assert BY_HAND.search(line), line
    for line in ("parsed = date.fromisoformat(text)", 'price = f"{minor / 100:,.2f}"', "share = f'{done}%'"):
        assert not BY_HAND.search(line), line
