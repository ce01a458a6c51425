"""Row ids as every door takes them: positive integers that fit the database.

Row ids are 32-bit integers on PostgreSQL, and what a browser or a program sends
may be anything: a larger number, a sign, non-ASCII digits ("٣" is a digit to
``str.isdigit``). A value that names no possible row is refused at the door,
never passed on to become a database error.
"""

from __future__ import annotations

MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """The id ``value`` names (an int, or a string of ASCII digits), or None when it can name no row."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
            return None
        value = int(text)
    if isinstance(value, int) and 1 <= value <= MAX_ID:
        return value
    return None
