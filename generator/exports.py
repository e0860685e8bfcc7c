"""Task lists as CSV, XLSX and iCalendar: bytes out, no file I/O here."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable

from . import sheets
from .deadlines import Deadline
from .docx.package import reproducible_zip
from .tasks import Assignment

COLUMNS = ("unit_id", "unit", "notice", "notice_date", "conclusion", "task", "text",
           "deadline", "deadline_text", "report_to")
HEADINGS = ("Mã đơn vị", "Đơn vị", "Số, ký hiệu", "Ngày văn bản", "Kết luận", "Nhiệm vụ",
            "Nội dung", "Thời hạn", "Thời hạn (nguyên văn)", "Báo cáo qua")


def values(a: Assignment) -> list[object]:
    """One task's columns, typed: dates as dates, numbers as ints, None where empty.

    The item and task are ints where they are plain numbers ("4", "3"), text
    where they are not ("II.3", "a.2"). A deadline with no single date
    (recurring, an event) shows its label ("hằng tháng, ngày 25") in the
    deadline column.
    """
    deadline = a.deadline if a.deadline is not None or a.due is None else a.due.label()
    return [a.unit.id, a.unit.name, a.notice, a.notice_date, _number(a.conclusion), _number(a.task),
            a.text, deadline, a.deadline_text, a.report_to]


def _number(ref: str) -> int | str:
    return int(ref) if ref.isdigit() else ref


def rows(items: Iterable[Assignment]) -> list[list[str]]:
    """The columns as text (dates as YYYY-MM-DD), for CSV."""
    return [["" if v is None else v.isoformat() if isinstance(v, dt.date) else str(v) for v in values(a)]
            for a in items]


def tasks_csv(items: Iterable[Assignment]) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Vietnamese text correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(items))
    return buf.getvalue().encode("utf-8-sig")


# Characters of Times New Roman 11: together one A4 landscape page wide at 100 %.
WIDTHS = (10, 12, 12, 11, 7, 7, 46, 11, 10, 10)


def load_openpyxl() -> None:
    """Import openpyxl without numpy, unless numpy is loaded already.

    openpyxl imports numpy, when installed, only to accept numpy numbers in
    cells; we never pass any, and numpy's import is a tenth of a second of
    every cold 'extracts'.
    """
    import sys

    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes 'import numpy' fail
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


def tasks_xlsx(items: Iterable[Assignment], stamp: dt.date) -> bytes:
    """The task list as a table to sort and filter, laid out to print (see sheets.py)."""
    load_openpyxl()
    from openpyxl.styles import Alignment, Border, Font, Side

    items = list(items)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = sheets.new_workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(list(HEADINGS))
    sheets.styled(ws[1], font=Font(name=sheets.FONT, size=sheets.SIZE, bold=True), border=box,
                  alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"))
    for a in items:
        ws.append(values(a))  # real dates and numbers, so Excel can sort and filter them
    centred = Alignment(wrap_text=True, horizontal="center", vertical="top")
    body = list(ws.iter_rows(min_row=2))
    for k in range(len(HEADINGS)):
        dates = {"number_format": "DD/MM/YYYY"} if k in (3, 7) else {}
        sheets.styled((row[k] for row in body), alignment=centred if k in (3, 4, 5, 7) else wrap, border=box, **dates)
    sheets.set_widths(ws, WIDTHS)
    sheets.fit_rows(ws, WIDTHS, first=1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    notices = sorted({(a.notice, a.notice_date) for a in items})
    title = "NHIỆM VỤ" + (f" THEO THÔNG BÁO SỐ {notices[0][0]} NGÀY {notices[0][1]:%d/%m/%Y}" if len(notices) == 1 else "")
    sheets.print_layout(ws, title_rows="1:1", header=title)
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible_zip(buf.getvalue(), stamp, fix_core_dates=True)


def _ics_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545, 3.1)."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def _rrule(due: Deadline) -> str:
    """The RRULE of a recurring deadline with a due day (day 31 -> the month's last day)."""
    assert due.day is not None and due.every is not None
    if due.every == "week":
        return f"RRULE:FREQ=WEEKLY;BYDAY={_BYDAY[due.day - 1]}"
    months = _MONTHS[due.every]
    # YEARLY expands BYMONTHDAY to every month unless BYMONTH holds it to one.
    freq = (f"FREQ=YEARLY;BYMONTH={due.month or 12}" if months == 12
            else "FREQ=MONTHLY" + (f";INTERVAL={months}" if months > 1 else ""))
    if due.day <= 28:
        return f"RRULE:{freq};BYMONTHDAY={due.day}"
    days = ",".join(str(d) for d in range(28, due.day + 1))
    return f"RRULE:{freq};BYMONTHDAY={days};BYSETPOS=-1"


def deadlines_ics(items: Iterable[Assignment], stamp: dt.date) -> bytes:
    """One all-day event per dated task and unit; UIDs are stable across runs.

    A recurring deadline with a due day ("hằng tháng (trước ngày 25)") is one
    repeating event from its first due day; one without a day, or an event
    ("trước Đại hội"), has no date and is left out.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//thongbao//Thong bao ket luan//VI",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    dtstamp = f"{stamp:%Y%m%d}T000000Z"
    for a in items:
        start, rule = a.deadline, None
        if start is None and a.due is not None and a.due.dated:
            start, rule = a.due.next_due(a.notice_date - dt.timedelta(days=1)), _rrule(a.due)
        if start is None:
            continue
        uid = hashlib.sha256(f"{a.notice}|{a.conclusion}.{a.task}|{a.unit.id}".encode()).hexdigest()[:32]
        summary = f"{a.unit.short}: {a.notice} mục {a.conclusion}" + (f" ({a.deadline_text})" if a.deadline_text else "")
        description = a.text + (f"\nBáo cáo qua: {a.report_to}" if a.report_to else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@thongbao",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{start + dt.timedelta(days=1):%Y%m%d}",
            *([rule] if rule else []),
            f"SUMMARY:{_ics_escape(summary)}",
            f"DESCRIPTION:{_ics_escape(description)}",
            f"CATEGORIES:{_ics_escape(a.unit.name)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
