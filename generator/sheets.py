"""The print layout shared by every spreadsheet we write (openpyxl): they are printed and kept on paper.

A4 landscape, Times New Roman 11 pt, wrapped text, fit to one page wide and
as many pages tall as the rows need, the header rows repeated on each page,
"Trang 1/2" in the footer. Column widths are given in characters of the
workbook's default font, which is set to Times New Roman too, so that Excel
and LibreOffice (where Calibri is often missing) agree on them.

Neither Excel's file format nor LibreOffice fits a row to its wrapped text
when it opens a file, so each row is given the height of its tallest cell,
measured with Times New Roman's letter widths.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy

FONT = "Times New Roman"
SIZE = 11
# Margins in inches: left 18 mm (the binding), right 10, top 15, bottom 17 (the page number below).
MARGINS = {"left": 0.71, "right": 0.39, "top": 0.59, "bottom": 0.67, "header": 0.3, "footer": 0.3}
PAGE_NUMBER = "Trang &P/&N"
# A line of wrapped Times New Roman takes 1.16 times its size (12.75 pt at 11 pt in Excel, 12 in LibreOffice).
LINE = 1.16

# Advance widths of Times New Roman in thousandths of an em (Adobe's Times-Roman metrics); a
# Vietnamese letter is measured by its base letter (its marks sit above or below it), others as 500.
_TIMES = {
    **dict.fromkeys("bdghknopquvxy0123456789", 500), **dict.fromkeys("acez", 444),
    **dict.fromkeys("ijlt", 278), "f": 333, "r": 333, "s": 389, "m": 778, "w": 722,
    **dict.fromkeys("ACDGHKNOQUVXY", 722), **dict.fromkeys("ELTZ", 611), **dict.fromkeys("FPS", 556),
    "B": 667, "R": 667, "I": 333, "J": 389, "M": 889, "W": 944,
    " ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "/": 278, "(": 333, ")": 333, "-": 333,
    '"': 408, "\u201c": 444, "\u201d": 444, "\u2013": 500,
}
_DEFAULT_WIDTH = 500


@functools.cache
def _ems(ch: str) -> int:
    base = {"đ": "d", "Đ": "D"}.get(ch) or unicodedata.normalize("NFD", ch)[:1]
    return _TIMES.get(base, _DEFAULT_WIDTH)


def text_width(text: str, size: float = SIZE, bold: bool = False) -> float:
    """The width of ``text`` in points, set in Times New Roman."""
    return sum(map(_ems, text)) / 1000 * size * (1.06 if bold else 1.0)


def column_points(width: float) -> float:
    """The room for text in a column ``width`` characters wide (7 px per character, less the cell's padding)."""
    return (width * 7 + 5) * 0.75 - 4.5


@functools.lru_cache(maxsize=4096)  # a task list repeats each task's text for every unit it names
def line_count(text: str, width: float, size: float = SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (at least 1)."""
    room, lines, space = column_points(width), 0, text_width(" ", size, bold)
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold)
            gap = space if used else 0.0
            if used and used + gap + w > room:
                lines += 1
                used = 0.0
                gap = 0.0
            # A word longer than the column breaks inside it.
            while w > room:
                lines += 1
                w -= room
            used += gap + w
    return max(lines, 1)


def row_height(cells: Iterable[tuple[object, float]], size: float = SIZE, bold: bool = False) -> float:
    """The height in points of a row whose (value, column width) pairs are ``cells``."""
    lines = max((line_count(v, w, size, bold) for v, w in cells if v not in (None, "")), default=1)
    return math.ceil(lines * size * LINE + 5)


def new_workbook(size: float = SIZE):
    """A workbook whose default font (the measure of column widths) is Times New Roman ``size``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    book = Workbook()
    font = Font(name=FONT, size=size)
    # openpyxl has no public setting for the default font: it is font 0, the 'Normal' style's.
    book._fonts = IndexedList([font])
    book._named_styles["Normal"].font = font
    book.properties.creator = book.properties.lastModifiedBy = "thongbao"
    return book


def styled(cells: Iterable, **style) -> None:
    """Give ``cells`` one style (font=, alignment=, border=, number_format=).

    Set on the first cell and copied to the others: openpyxl hashes a style
    object at each assignment, most of the time of a sheet of 1,500 cells.
    """
    first = None
    for cell in cells:
        if first is None:
            for name, value in style.items():
                setattr(cell, name, value)
            first = cell._style
        else:
            cell._style = copy(first)


def set_widths(sheet, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def fit_rows(sheet, widths: Sequence[float], first: int, last: int | None = None) -> None:
    """Give rows ``first``..``last`` the height of their wrapped text."""
    for row in sheet.iter_rows(min_row=first, max_row=last or sheet.max_row):
        font = row[0].font
        cells = [(_shown(c.value), widths[k]) for k, c in enumerate(row) if k < len(widths)]
        sheet.row_dimensions[row[0].row].height = row_height(cells, font.sz or SIZE, bool(font.b))


def _shown(value: object) -> object:
    """A cell's value as it shows: dates as 14/07/2023."""
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else value


def print_layout(sheet, *, title_rows: str | None, header: str = "") -> None:
    """A4 landscape, one page wide, ``title_rows`` ("3:4") on every page, page numbers at the foot
    and ``header``, if any, at the head of each page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(sheet.page_margins, side, inches)
    if title_rows:
        sheet.print_title_rows = title_rows
    footer = sheet.oddFooter.center
    footer.text, footer.font, footer.size = PAGE_NUMBER, f"{FONT},Regular", 10
    if header:
        top = sheet.oddHeader.center
        top.text, top.font, top.size = header.replace("&", "&&"), f"{FONT},Bold", 11
