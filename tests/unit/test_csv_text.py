"""Text that leaves as CSV opens in a spreadsheet as text, never as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from fluxent.core.csv_text import csv_cell, csv_document


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://evil.test","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"],
)
def test_formula_starts_are_neutralised(hostile):
    assert csv_cell(hostile) == "'" + hostile


@pytest.mark.parametrize(
    ("value", "cell"),
    [("Ana Alder", "Ana Alder"), ("a=b", "a=b"), ("", ""), (None, ""), (42, "42"), (-3, "-3"), (1.5, "1.5")],
)
def test_plain_values_are_left_as_they_are(value, cell):
    assert csv_cell(value) == cell


def test_a_document_reads_back_cell_for_cell():
    text = csv_document(("name", "note"), [["=cmd", 'says "hi",\nthen leaves'], [7, None]])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [["name", "note"], ["'=cmd", 'says "hi",\nthen leaves'], ["7", ""]]
