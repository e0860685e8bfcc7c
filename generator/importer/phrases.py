"""Deadline phrases in plain text, where the bold that marked them was lost.

Candidates are the phrase forms officials bold (a day, a month, a quarter, a
half year, a span of days, a recurring day); the deadline reader
(generator/deadlines.py) has the last word: a candidate it reads is a
deadline, one it cannot read but that looks like one is bold too and gets a
CHECK. Loose words that the reader also knows ("thường xuyên", "trước" an
event) are not made bold from plain text: the seed's own text has
"thường xuyên" that is not a deadline.
"""

from __future__ import annotations

import datetime as dt
import re

from ..deadlines import looks_like_deadline, read

_DAY = (r"(?:ngày\s+)?\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}(?!\d)|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
        r"|ngày\s+\d{1,2}/\d{1,2}(?![\d/])")
_PERIOD = (r"tháng\s+\d{1,2}\s*(?:/|\s+năm\s+)\s*\d{4}|quý\s+(?:I{1,3}|IV|[1-4])\s*(?:/|\s+năm\s+)\s*\d{4}"
           r"|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4}")
_TIME = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?,?\s+)?"
PHRASE = re.compile(
    rf"(?:trước|chậm\s+nhất(?:\s+là)?|muộn\s+nhất|hạn\s+chót|hạn\s+cuối|đến\s+hết)\s+{_TIME}(?:{_DAY})"
    rf"|(?:trước|chậm\s+nhất|trong)\s+(?:{_PERIOD})"
    rf"|trong(?:\s+thời\s+hạn|\s+vòng)?\s+\d{{1,3}}\s+ngày(?:\s+làm\s+việc)?"
    rf"|(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:tuần|tháng|quý|năm)\s*\((?:trước|chậm\s+nhất|vào)?[^()]{{2,30}}\)",
    re.IGNORECASE,
)


def deadline_spans(text: str, notice_date: dt.date | None = None) -> list[tuple[int, int, bool]]:
    """Where deadline phrases are in ``text``: (start, end, readable by the deadline reader)."""
    on = notice_date or dt.date.today()
    out = []
    for m in PHRASE.finditer(text):
        phrase = m.group(0)
        if read(phrase, on) is not None:
            out.append((m.start(), m.end(), True))
        elif looks_like_deadline(phrase):
            out.append((m.start(), m.end(), False))
    return out
