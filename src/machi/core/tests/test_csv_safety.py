"""Cells a spreadsheet would run as formulas are shown as text; numbers stay numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from machi.core.csv_safety import neutralise_cell, restore_cell


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("-2+3", "'-2+3"),
        ("\tTAB", "'\tTAB"),
        ("-1.5", "-1.5"),
        ("+81", "+81"),
        ("亀山市", "亀山市"),
        ("", ""),
        ("'=already quoted", "''=already quoted"),
    ],
)
def test_neutralise(cell: str, shown: str) -> None:
    assert neutralise_cell(cell) == shown


@given(st.text() | st.from_regex(r"'*[=+@-].*", fullmatch=True))
def test_round_trip_keeps_the_text(cell: str) -> None:
    assert restore_cell(neutralise_cell(cell)) == cell
