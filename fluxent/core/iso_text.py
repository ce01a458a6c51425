"""A UTC timestamp column read as ISO 8601 text, formatted by the database.

For reads of many rows whose timestamps go straight into JSON (the data export's
audit events): the database writes the text, so no ``datetime`` is built and
formatted per row. The text always has microseconds and ends ``+00:00``, on SQLite
as on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class iso_utc_text(FunctionElement[str]):  # noqa: N801 (used like a SQL function)
    """``iso_utc_text(column)``: a :class:`~fluxent.core.db.UTCDateTime` column as ISO text."""

    type = String()
    inherit_cache = True
    name = "iso_utc_text"

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)


@compiles(iso_utc_text, "sqlite")
def _sqlite(element: iso_utc_text, compiler: Any, **kw: Any) -> str:
    # SQLite stores UTCDateTime values as naive UTC text, 'YYYY-MM-DD HH:MM:SS.ffffff'.
    return f"(replace({compiler.process(element.clauses, **kw)}, ' ', 'T') || '+00:00')"


@compiles(iso_utc_text, "postgresql")
def _postgresql(element: iso_utc_text, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
