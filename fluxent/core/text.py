"""What text may hold before it is stored or used: one rule for every door.

Lone surrogates cannot be encoded as UTF-8 (nor stored, hashed or mailed), and
control characters have no place in text people type; PostgreSQL refuses NUL.
Line breaks and tabs are allowed only in multi-line text (messages, notes).
"""

from __future__ import annotations

import unicodedata

_LINE_CONTROLS = frozenset("\n\r\t")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable text, or None."""
    for char in value:
        category = unicodedata.category(char)
        if category == "Cs":
            return "Remove the invalid characters."
        if category == "Cc" and not (multiline and char in _LINE_CONTROLS):
            return (
                "Remove the control characters." if multiline else "Keep this to one line, without control characters."
            )
    return None
