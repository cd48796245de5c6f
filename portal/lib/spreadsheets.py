"""CSV for German spreadsheets: cells that are never run as formulas."""

# A cell that begins with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value):
    """``value`` as text a spreadsheet shows as text: a leading = + - @ gets a '."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
