"""Row ids from outside: only what can name a row gets through."""

from __future__ import annotations

import pytest

from fluxent.core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("value", "expected"), [(1, 1), ("42", 42), (" 7 ", 7), (MAX_ID, MAX_ID), (str(MAX_ID), MAX_ID)]
)
def test_ids_that_can_name_a_row(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        0,
        -1,
        "-1",
        "0",
        MAX_ID + 1,
        str(MAX_ID + 1),
        "9" * 40,
        10**20,
        "\u0663",
        "1e3",
        "1.0",
        "",
        "  ",
        None,
        True,
        1.0,
        [1],
        {"id": 1},
    ],
)
def test_anything_else_names_no_row(value):
    assert parse_id(value) is None
