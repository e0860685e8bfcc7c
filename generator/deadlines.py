"""Deadlines as officials write them: a bold phrase of a task -> a Deadline.

Forms read (``read``), with the phrase as written always kept in ``text``:

- a day: ``trước ngày 31/7/2023``, ``trước 31/7/2023``, ``hoàn thành trước
  31.12.2024``, ``ngày 20 tháng 4 năm 2022``, ``đến hết ngày 05-8-2023``, with
  an hour kept (``trước 17 giờ ngày 30/8/2021``, ``17h00``, ``17 giờ 30``);
- a day without a year (``chậm nhất ngày 31/8``): the notice's year, or the
  next year if that day is before the notice date;
- a month (``trong tháng 4 năm 2022``, ``tháng 8/2023``, ``trong tháng 8``),
  a quarter (``trong quý III/2024``, ``quý II năm 2022``), a half
  (``6 tháng đầu năm 2024``, ``6 tháng cuối năm``), a year (``trong năm
  2024``): due on the period's last day; "trước" a period means the day
  before it starts; without a year the period of the notice's year (the next
  year if it ended before the notice date);
- a span from the notice date: ``trong 15 ngày``, ``trong thời hạn 10 ngày
  làm việc`` (Monday to Friday), ``trong tuần`` (Sunday of the notice's week),
  ``trong tuần tới``;
- recurring: ``hằng ngày``/``hàng ngày``, ``định kỳ hằng tuần (thứ Sáu)``,
  ``hằng tháng (trước ngày 25)``, ``hằng quý``, ``trước ngày 07 của tháng cuối
  quý``, ``định kỳ 6 tháng``, ``hằng năm (trước ngày 15/12)``, ``thường
  xuyên``: kind ``recurring`` with ``every`` and, when given, ``day``;
- an event: ``trước Đại hội Đảng bộ xã``, ``trước khi khai giảng``: kept as
  written, no date.

A phrase that looks like a deadline but cannot be read (``trước ngày
31/13/2023``, ``trong quý V/2024``) gives ``read(...) is None`` and
``looks_like_deadline(...) is True``: the caller warns, never drops it silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator

from . import dates
from .i18n import _
from .markup import bold_phrases
from .model import Text
from .patterns import lazy as _lazy
from .records import record

KINDS = ("day", "month", "quarter", "half", "year", "recurring", "event")
EVERY = ("day", "week", "month", "quarter", "half", "year", "continuous")

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OUT = {1: "I", 2: "II", 3: "III", 4: "IV"}
_WEEKDAYS = {"hai": 1, "ba": 2, "tư": 3, "năm": 4, "sáu": 5, "bảy": 6,
             "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_WEEKDAY_OUT = {1: "thứ Hai", 2: "thứ Ba", 3: "thứ Tư", 4: "thứ Năm", 5: "thứ Sáu", 6: "thứ Bảy", 7: "Chủ nhật"}
_EVERY_OUT = {"day": "hằng ngày", "week": "hằng tuần", "month": "hằng tháng", "quarter": "hằng quý",
              "half": "định kỳ 6 tháng", "year": "hằng năm", "continuous": "thường xuyên"}
# Months between two due days of a recurring deadline with a day.
_STEP = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@record(frozen=True)
class Deadline:
    """A task's deadline: the phrase as written and what it means.

    ``date`` is the last day it is due (None for a recurring deadline and an
    event). For a recurring deadline ``day`` is the due day (of the month; of
    the week, 1 = Monday, for ``every='week'``) and ``month`` the month of the
    period it falls in (quarter: 1-3, 3 = "tháng cuối quý"; half: 1-6; year:
    1-12). ``since`` is the notice date: recurring due days start from it.
    """

    text: str
    kind: str
    date: dt.date | None
    time: dt.time | None = None
    every: str | None = None
    day: int | None = None
    month: int | None = None
    since: dt.date | None = None

    def __post_init__(self) -> None:
        assert self.kind in KINDS and (self.every is None or self.every in EVERY), (self.kind, self.every)

    def label(self) -> str:
        """What the task list shows: "31/07/2023", "quý III/2024", "hằng tháng, ngày 25"."""
        if self.kind == "event":
            return self.text
        if self.kind == "recurring":
            return _EVERY_OUT[self.every or "continuous"] + self._day_label()
        assert self.date is not None
        d = self.date
        if self.kind == "month":
            return f"tháng {d.month}/{d.year}"
        if self.kind == "quarter":
            return f"quý {_ROMAN_OUT[(d.month - 1) // 3 + 1]}/{d.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if d.month <= 6 else 'cuối'} năm {d.year}"
        if self.kind == "year":
            return f"năm {d.year}"
        if self.time is None:
            return f"{d:%d/%m/%Y}"
        minutes = f" {self.time.minute:02d} phút" if self.time.minute else ""
        return f"{self.time.hour} giờ{minutes} {d:%d/%m/%Y}"

    def _day_label(self) -> str:
        if self.day is None:
            return ""
        if self.every == "week":
            return ", " + _WEEKDAY_OUT[self.day]
        if self.every == "month":
            return f", ngày {self.day}"
        if self.every == "quarter":
            which = {1: "đầu", 2: "giữa", 3: "cuối"}[self.month or 3]
            return f", ngày {self.day} tháng {which} quý"
        if self.every == "half":
            m = self.month or 6
            return f", ngày {self.day} tháng {m} và tháng {m + 6}"
        return f", ngày {self.day:02d}/{self.month or 12:02d}"

    @property
    def dated(self) -> bool:
        """True if the deadline gives due days: a date, or a recurring one with a day."""
        return self.date is not None or self._periodic

    @property
    def _periodic(self) -> bool:
        return self.kind == "recurring" and self.day is not None and self.every in ("week", *_STEP)

    def due_on(self, on: dt.date) -> dt.date | None:
        """The due day that matters on ``on``.

        A dated deadline: its date. A recurring one with a day: the latest due
        day on or before ``on`` (the period whose report is owed now), or the
        first due day after the notice if none has come yet. Otherwise None.
        """
        if self.date is not None:
            return self.date
        if not self._periodic:
            return None
        last = self._at_or_before(on)
        if self.since is not None and last < self.since:
            return self.next_due(self.since - dt.timedelta(days=1))
        return last

    def next_due(self, after: dt.date) -> dt.date | None:
        """The first due day after ``after`` (None if there is none)."""
        if self.date is not None:
            return self.date if self.date > after else None
        if not self._periodic:
            return None
        if self.since is not None and after < self.since:
            after = self.since - dt.timedelta(days=1)
        return self._after(after)

    def due_days(self, until: dt.date) -> Iterator[dt.date]:
        """Every due day up to ``until``, from the notice date (or the latest one)."""
        if self.date is not None:
            if self.date <= until:
                yield self.date
            return
        if not self._periodic:
            return
        day = self.due_on(until) if self.since is None else self.next_due(self.since - dt.timedelta(days=1))
        while day is not None and day <= until:
            yield day
            day = self._after(day)

    def _at_or_before(self, on: dt.date) -> dt.date:
        assert self.day is not None
        if self.every == "week":
            return on - dt.timedelta(days=(on.isoweekday() - self.day) % 7)
        y, m = on.year, on.month
        while True:
            if self._due_month(m):
                day = _clamped(y, m, self.day)
                if day <= on:
                    return day
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)

    def _after(self, after: dt.date) -> dt.date:
        assert self.day is not None
        if self.every == "week":
            return after + dt.timedelta(days=(self.day - after.isoweekday() - 1) % 7 + 1)
        y, m = after.year, after.month
        while True:
            if self._due_month(m):
                day = _clamped(y, m, self.day)
                if day > after:
                    return day
            y, m = (y, m + 1) if m < 12 else (y + 1, 1)

    def _due_month(self, month: int) -> bool:
        step = _STEP[self.every or "month"]
        first = self.month or step  # quarter: 3rd month, half: 6th, year: December
        return (month - first) % step == 0


def unreported(deadline: Deadline, received: Iterable[dt.date], until: dt.date) -> dt.date | None:
    """The first due day up to ``until`` that no report covers, or None.

    Reports are matched to due days in order: a due day is covered by the
    first report not yet used that arrived after the previous due day (early,
    on time, or late). So one late report clears one missed period, and a
    report of this month does not clear last month's.
    """
    reports = sorted(received)
    if not deadline._periodic:
        day = deadline.due_on(until)
        return day if day is not None and day <= until and not reports else None
    i, previous = 0, dt.date.min
    for day in deadline.due_days(until):
        while i < len(reports) and reports[i] <= previous:
            i += 1  # a second report in one period covers nothing more
        if i == len(reports):
            return day
        i += 1
        previous = day
    return None


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, dates.month_end(year, month).day))


def _month_end(year: int, month: int) -> dt.date:
    return dates.month_end(year, month)


# --- reading -----------------------------------------------------------------


_SEP = r"\s*([/.\-])\s*"
_FULL_NUM = _lazy(r"(?<![\d/.\-])(\d{1,2})" + _SEP + r"(\d{1,2})\s*\2\s*(\d{4})(?!\d)(?![/.\-]\d)")
_FULL_WORD = _lazy(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm|,\s*năm|/)\s*(\d{4})(?!\d)")
# Without a year: after "ngày" or a word that leads a deadline, so "số 12/5" is not a day.
_LEAD = r"(?:ngày|trước|nhất|hết|hạn|đến|vào|xong)"
_DAY_NUM = _lazy(_LEAD + r"\s+(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?!\s*[/.\-]?\s*\d)")
_DAY_WORD = _lazy(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?!\s*\d)(?!\s*(?:năm|/|,\s*năm)\s*\d)")
_TIME = _lazy(r"(?<![\d/.\-])(\d{1,2})\s*(?:giờ|h)(?:\s*(\d{1,2})(?![/.\-]\d)(?!\d))?(?:\s*phút)?(?!\w)")
_MONTH = _lazy(r"(?:(trước|đầu|giữa|cuối)\s+)?tháng\s+(\d{1,2})\s*(?:/|năm|,\s*năm)\s*(\d{4})(?!\d)")
_MONTH_NOYEAR = _lazy(r"(?:(trước|đầu|giữa|cuối)|trong|hết|vào|nhất)\s+tháng\s+(\d{1,2})(?!\s*\d)(?!\s*[/.\-])")
_MONTH_HERE = _lazy(r"(?:(trước|đầu|giữa|cuối)|trong|hết)\s+tháng(?:\s+(này|sau|tới))?(?!\s*\w*\d)(?!\s+[ivx])")
_QUARTER = _lazy(r"(?:(trước|cuối)\s+)?quý\s+([ivxlc]+|\d+)(?!\w)(?:\s*(?:/|năm|,\s*năm)\s*(\d{4}))?")
_QUARTER_HERE = _lazy(r"(?:(trước|cuối)|trong|hết)\s+quý(?:\s+(này|sau|tới))?(?!\s*\w*\d)(?!\s+[ivxlc]+(?!\w))")
_HALF = _lazy(r"(?:(trước|trong|hết)\s+)?(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+năm(?:\s*(\d{4}))?(?!\d)")
_YEAR = _lazy(r"(?:(trước|cuối|trong|hết|đầu)\s+)?năm\s+(\d{4})(?!\d)")
_YEAR_HERE = _lazy(r"(?:(trước|cuối)|trong|hết)\s+năm(?:\s+(nay|này|sau|tới))?(?!\s*\w*\d)")
_SPAN = _lazy(r"trong(?:\s+thời\s+hạn|\s+vòng)?\s+(\d{1,3})\s+ngày(\s+làm\s+việc)?")
_WEEK = _lazy(r"trong\s+tuần(?:\s+(này|sau|tới))?(?!\s*\w*\d)")
_RECUR = _lazy(r"(?:hằng|hàng|mỗi)\s+(ngày|tuần|tháng|quý|năm)(?!\s*\d)")
_HALF_RECUR = _lazy(r"(?:định\s+kỳ|hằng|hàng|mỗi)\s+(?:6|sáu)\s+tháng(?!\s+(?:đầu|cuối))")
_OF_QUARTER = _lazy(r"(?<!6 )(?<!sáu )tháng\s+(đầu|giữa|cuối)\s+(?:của\s+)?(quý|năm)")
# "trước ngày 07 của tháng cuối quý": a quarterly report without "hằng quý".
_DAY_OF_QUARTER = _lazy(r"ngày\s+\d{1,2}\s+(?:của\s+)?tháng\s+(?:đầu|giữa|cuối)\s+(?:của\s+)?quý")
_CONTINUOUS = _lazy(r"thường\s+xuyên|liên\s+tục")
_RECUR_DAY = _lazy(r"ngày\s+(\d{1,2})(?:\s*(?:/|-|\.|\s+tháng\s+)\s*(\d{1,2}))?(?!\s*[/.\-]?\s*\d)")
_WEEKDAY = _lazy(r"thứ\s+(hai|ba|tư|năm|sáu|bảy|[2-7])(?!\w)|(chủ\s+nhật)")
# "trước" + something that is not a date: an event ("trước Đại hội", "trước khi ...").
_EVENT = _lazy(r"^(?:(?:hoàn\s+thành|thực\s+hiện\s+xong|xong|báo\s+cáo|chậm\s+nhất|muộn\s+nhất|phải)\s+)*"
                    r"trước\s+(?!(?:mắt|hết|tiên|đây|đó|kia|nay|và|hoặc|sau|tình|bối|yêu)(?!\w))(\S.*)$")
_DATE_WORD = _lazy(r"^(?:\d|(?:ngày|tháng|quý|năm|tuần)\s*(?:\d|[ivxlc]+(?!\w)|nay|này|sau|tới|$)|"
                        r"(?:6|sáu)\s+tháng|\d+\s*(?:giờ|h))")
_LOOKS = _lazy(
    r"(?<![\d/])\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{2,4})?(?![\d/])|ngày\s+\d|tháng\s+\d|quý\s+(?:[a-z]{1,4}|\d+)(?:\s*/|\s+năm|(?!\w))|năm\s+\d{4}"
    r"|(?:hằng|hàng|mỗi)\s+(?:ngày|tuần|tháng|quý|năm)|định\s+kỳ|thường\s+xuyên"
    r"|(?:^|\s)(?:chậm\s+nhất|muộn\s+nhất|hạn\s+chót|đến\s+hết)(?!\w)"
    r"|(?:^|\s)trong\s+(?:tuần|tháng|quý|năm)(?!\w)|\d{1,2}\s*(?:giờ|h)(?!\w)"
    r"|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)|trong\s+(?:thời\s+hạn\s+|vòng\s+)?\d+\s+ngày"
)


def _norm(phrase: str) -> str:
    s = unicodedata.normalize("NFC", phrase).lower()
    return re.sub(r"\s+", " ", s).strip().rstrip(".,;:")


def _as_written(phrase: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", phrase)).strip().rstrip(".,;:").strip()


def looks_like_deadline(phrase: str) -> bool:
    """True if ``phrase`` reads like a deadline (a date, a period, "chậm nhất", "hằng tháng", "trước ...")."""
    s = _norm(phrase)
    return bool(_LOOKS.search(s) or _EVENT.match(s))


def read(phrase: str, notice_date: dt.date) -> Deadline | None:
    """The deadline ``phrase`` gives, or None if it gives none that can be read."""
    s = _norm(phrase)
    text = _as_written(phrase)
    if not s:
        return None
    try:
        return _read(s, text, notice_date)
    except (ValueError, OverflowError):  # a day or month that does not exist
        return None


def _read(s: str, text: str, on: dt.date) -> Deadline | None:
    def day(d: dt.date) -> Deadline:
        return Deadline(text, "day", d, time=_time(s))

    m = _FULL_NUM.search(s) or _FULL_WORD.search(s)
    if m:
        g = m.groups()
        d, mo, y = (int(g[0]), int(g[2]), int(g[3])) if len(g) == 4 else (int(g[0]), int(g[1]), int(g[2]))
        return day(dt.date(y, mo, d))

    recurring = _recurring(s, text, on)
    if recurring is not None:
        return recurring

    m = _DAY_NUM.search(s) or _DAY_WORD.search(s)
    if m:
        d, mo = int(m.group(1)), int(m.group(2))
        for year in (on.year, on.year + 1):  # "ngày 29/2" in 2023 is 29/02/2024
            try:
                found = dt.date(year, mo, d)
            except ValueError:
                continue
            if found >= on:
                return day(found)
        return None

    m = _MONTH.search(s)
    if m:
        return _month(text, m.group(1), int(m.group(3)), int(m.group(2)))
    m = _MONTH_NOYEAR.search(s)
    if m:
        mo = int(m.group(2))
        dt.date(on.year, mo, 1)  # a real month
        year = on.year if _month_end(on.year, mo) >= on else on.year + 1
        return _month(text, m.group(1), year, mo)
    m = _HALF.search(s)
    if m:
        first = m.group(2) == "đầu"
        if m.group(3):
            year = int(m.group(3))
        else:
            year = on.year if dt.date(on.year, 6 if first else 12, 30 if first else 31) >= on else on.year + 1
        if m.group(1) == "trước":
            return day(dt.date(year, 1, 1) - dt.timedelta(days=1) if first else dt.date(year, 6, 30))
        return Deadline(text, "half", dt.date(year, 6, 30) if first else dt.date(year, 12, 31))
    m = _QUARTER.search(s)
    if m:
        q = _ROMAN.get(m.group(2)) or (int(m.group(2)) if m.group(2).isdigit() else 0)
        if not 1 <= q <= 4:
            return None
        year = int(m.group(3)) if m.group(3) else on.year
        if not m.group(3) and _month_end(year, q * 3) < on:
            year += 1
        return _quarter(text, m.group(1), year, q)
    m = _YEAR.search(s)
    if m:
        if m.group(1) == "đầu":
            return None  # "đầu năm 2024": no day can be told
        year = int(m.group(2))
        return day(dt.date(year - 1, 12, 31)) if m.group(1) == "trước" else Deadline(text, "year", dt.date(year, 12, 31))
    m = _SPAN.search(s)
    if m:
        return day(_add_days(on, int(m.group(1)), working=bool(m.group(2))))
    m = _WEEK.search(s)
    if m:
        weeks = 1 if m.group(1) in ("sau", "tới") else 0
        return day(on + dt.timedelta(days=7 - on.isoweekday() + 7 * weeks))
    m = _MONTH_HERE.search(s)
    if m:
        y, mo = (on.year, on.month) if m.group(2) not in ("sau", "tới") else _next_month(on.year, on.month)
        return _month(text, m.group(1), y, mo)
    m = _QUARTER_HERE.search(s)
    if m:
        q, y = (on.month - 1) // 3 + 1, on.year
        if m.group(2) in ("sau", "tới"):
            q, y = (q + 1, y) if q < 4 else (1, y + 1)
        return _quarter(text, m.group(1), y, q)
    m = _YEAR_HERE.search(s)
    if m:
        y = on.year + (1 if m.group(2) in ("sau", "tới") else 0)
        return day(dt.date(y - 1, 12, 31)) if m.group(1) == "trước" else Deadline(text, "year", dt.date(y, 12, 31))

    if _CONTINUOUS.search(s):
        return Deadline(text, "recurring", None, every="continuous", since=on)
    m = _EVENT.match(s)
    if m and not _DATE_WORD.match(m.group(1)) and not re.search(r"\d\s*[/.\-]\s*\d", m.group(1)):
        return Deadline(text, "event", None)
    return None


def _recurring(s: str, text: str, on: dt.date) -> Deadline | None:
    m = _RECUR.search(s)
    every = {"ngày": "day", "tuần": "week", "tháng": "month", "quý": "quarter", "năm": "year"}[m.group(1)] if m else None
    if _HALF_RECUR.search(s):
        every = "half"
    of = _OF_QUARTER.search(s)
    if every is None and _DAY_OF_QUARTER.search(s):
        every = "quarter"
    if every is None:
        return None
    day = month = None
    if every == "week":
        w = _WEEKDAY.search(s)
        if w:
            day = 7 if w.group(2) else _WEEKDAYS[w.group(1)]
    elif every != "day":
        d = _RECUR_DAY.search(s)
        if d:
            day = int(d.group(1))
            if not 1 <= day <= 31:
                return None
            if d.group(2):
                if every != "year":
                    return None  # "hằng tháng, ngày 25/8" says two things
                month = int(d.group(2))
                dt.date(2000, month, day)  # a real day of the year
            if of:
                month = {"đầu": 1, "giữa": 2, "cuối": 3}[of.group(1)]
                if every == "half":
                    month = {"đầu": 1, "giữa": 3, "cuối": 6}[of.group(1)]
                if every == "year":
                    month = {"đầu": 1, "giữa": 6, "cuối": 12}[of.group(1)]
    return Deadline(text, "recurring", None, every=every, day=day, month=month, since=on)


def _month(text: str, where: str | None, year: int, month: int) -> Deadline:
    first = dt.date(year, month, 1)
    if where == "trước":
        return Deadline(text, "day", first - dt.timedelta(days=1))
    if where in ("đầu", "giữa"):
        return Deadline(text, "day", dt.date(year, month, 10 if where == "đầu" else 20))
    return Deadline(text, "month", _month_end(year, month))


def _quarter(text: str, where: str | None, year: int, q: int) -> Deadline:
    if where == "trước":
        return Deadline(text, "day", dt.date(year, 3 * q - 2, 1) - dt.timedelta(days=1))
    return Deadline(text, "quarter", _month_end(year, 3 * q))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year, month + 1) if month < 12 else (year + 1, 1)


def _add_days(start: dt.date, n: int, *, working: bool) -> dt.date:
    if not working:
        return start + dt.timedelta(days=n)
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            n -= 1
    return day


def _time(s: str) -> dt.time | None:
    m = _TIME.search(s)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour == 24 and minute == 0:
        return None  # "24 giờ ngày ...": the whole day
    return dt.time(hour, minute)


def find(text: Text, notice_date: dt.date) -> tuple[Deadline | None, list[tuple[str, str]]]:
    """The first bold phrase of ``text`` read as a deadline; (message, phrase) per unreadable one."""
    found: Deadline | None = None
    messages = []
    for phrase in bold_phrases(text):
        deadline = read(phrase, notice_date)
        if deadline is None:
            if looks_like_deadline(phrase):
                written = _as_written(phrase)
                messages.append((_("'{phrase}' in bold, which looks like a deadline but cannot be read").format(
                    phrase=written), written))
        elif found is None:
            found = deadline
    return found, messages
