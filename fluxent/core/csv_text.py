"""CSV that a spreadsheet opens as text, never as formulas.

Spreadsheets read a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and some
skip a leading tab or carriage return first) as a formula, so a lead who types
``=HYPERLINK(...)`` as their name would run it on the computer of whoever opens the
export (CSV injection). Every text cell that leaves as CSV goes through
:func:`csv_cell`, which puts an apostrophe in front of such a value: spreadsheets
show it as the text it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell: empty for None, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return str(value)


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV document (RFC 4180 line endings), every cell through :func:`csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()
