"""Text in exported spreadsheets stays text: no cell of a CSV or a workbook becomes a formula.

A ticket title, a team name or a contract's measure id is written by someone, and a spreadsheet program
runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and a tab or carriage return can
hide such a start). As ServiceNow does, such text is written as text: in a CSV with a leading
apostrophe, which spreadsheet programs read as "text follows" and do not show; in a workbook as a string
cell (no formula) marked with Excel's quote prefix, so that editing it keeps it text. Numbers are never
touched: a negative number is a number, not text that starts with ``-``.
"""

from datetime import datetime
from decimal import Decimal
from unicodedata import east_asian_width

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
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


# Number formats of the workbook's figures: a spreadsheet keeps the number and shows it this way.
HOURS_FORMAT = '0.00" h"'
MONEY_FORMAT = "#,##0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WIDTH_MIN = 8
WIDTH_MAX = 50


def percent_format(places: int) -> str:
    return "0." + "0" * places + "%" if places else "0%"


def number(value):
    """A figure written as text in a report (``"14400.00"``, ``"0.95"``) as a number; other values as they are."""
    if isinstance(value, str):
        try:
            figure = Decimal(value.strip())
        except ArithmeticError:
            return value
        if not figure.is_finite():
            return value
        return int(figure) if figure == figure.to_integral_value() and "." not in value else float(figure)
    if isinstance(value, Decimal):
        return float(value)
    return value


def share(percent):
    """A percentage as a report prints it (5 for 5 %) as the share a spreadsheet's % format shows (0.05)."""
    figure = number(percent)
    if figure is None or isinstance(figure, (bool, str)):
        return figure
    return float(Decimal(str(figure)) / 100)


def hours(seconds: int | float) -> float:
    return round(seconds / 3600, 4)


def text_width(value) -> int:
    """How many character columns a value takes in a spreadsheet: wide (Chinese) characters count twice."""
    text = value if isinstance(value, str) else str(value if value is not None else "")
    return sum(2 if east_asian_width(char) in ("W", "F") else 1 for char in text)


def fit_widths(sheet, widest: dict[int, int] | None = None) -> None:
    """Columns as wide as their longest value, within bounds (``widest`` raises the bound of a column)."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            shown = 12 if isinstance(cell.value, (int, float, datetime)) else text_width(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), shown)
    for column, width in widths.items():
        limit = (widest or {}).get(column, WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, WIDTH_MIN), limit)
