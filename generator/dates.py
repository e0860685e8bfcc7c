"""Dates as Vietnamese official documents write them, and as sources give them."""

from __future__ import annotations

import datetime as dt
import re

from .patterns import lazy

# d/m/yyyy as written in the text of a notice ("trước ngày 31/7/2023").
DAY_DATE = lazy(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# m/yyyy after "tháng" ("trong tháng 8/2023").
MONTH_DATE = lazy(r"tháng\s+(\d{1,2})/(\d{4})(?![\d/])", re.IGNORECASE)
ISO_DATE = lazy(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: str) -> dt.date:
    """Read ``2023-07-14`` or ``14/7/2023``; raise ValueError if not a real date."""
    value = value.strip()
    m = ISO_DATE.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return dt.date(y, mo, d)
    m = DAY_DATE.fullmatch(value)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return dt.date(y, mo, d)
    raise ValueError(f"{value!r} is not a date")


def month_end(year: int, month: int) -> dt.date:
    # Not calendar.monthrange: the calendar module loads locale, a tenth of a cold render's imports.
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def place_date_line(place: str, date: dt.date) -> str:
    """``Kon Rẫy, ngày 05 tháng 02 năm 2023``: days below 10 and months 1-2 take a 0."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"
