"""Text in exported spreadsheets stays text: no cell of a CSV or a workbook becomes a formula.

A ticket title, a team name or a contract's measure id is written by someone, and a spreadsheet program
runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and a tab or carriage return can
hide such a start). As ServiceNow does, such text is written as text: in a CSV with a leading
apostrophe, which spreadsheet programs read as "text follows" and do not show; in a workbook as a string
cell (no formula) marked with Excel's quote prefix, so that editing it keeps it text. Numbers are never
touched: a negative number is a number, not text that starts with ``-``.
"""

from decimal import Decimal

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.workbook.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_text(value) -> str:
    """A value as a CSV field: text that a spreadsheet would run gets a leading apostrophe; numbers and
    booleans are written as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if starts_like_formula(text) else text


def keep_text_as_text(book: Workbook) -> Workbook:
    """Make every text cell of ``book`` that a spreadsheet would run (or read as an error code) a plain
    string; numbers, dates and booleans keep their type."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type in ("f", "e") or starts_like_formula(value) or value in ERROR_CODES:
                    # openpyxl took a leading "=" for a formula; written as a string, it is shown as typed.
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return book
