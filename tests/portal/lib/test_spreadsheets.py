"""Cells of our CSV exports open as text, never as formulas."""

import pytest

from portal.lib.spreadsheets import text_cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+49 40 123", "'+49 40 123"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Müller GmbH", "Müller GmbH"),
        (22926, "22926"),
    ],
)
def test_a_cell_that_would_start_a_formula_is_kept_as_text(value, shown):
    assert text_cell(value) == shown
