"""Deadline phrases in plain text, where the bold that marked them was lost.

The phrase forms are those the deadline reader knows (generator/deadlines.py
when present: it decides; otherwise the forms of generator/dates.py).
"""

from __future__ import annotations

import re

try:  # the deadline reader of issue 8 (generator/deadlines.py)
    from ..deadlines import looks_like_deadline as _looks_like_deadline
except ImportError:  # pragma: no cover - before it exists
    _looks_like_deadline = None

_DATE = r"(?:ngày\s+\d{1,2}/\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
_PERIOD = (r"(?:tháng\s+\d{1,2}/\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4}|quý\s+(?:I{1,3}|IV|[1-4])(?:/|\s+năm\s+)\d{4}"
           r"|(?:6|sáu)\s+tháng\s+(?:đầu|cuối)\s+năm\s+\d{4})")
_TIME = r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?,?\s+)?"
PHRASE = re.compile(
    rf"(?:(?:hoàn thành|xong|báo cáo|gửi)\s+)?(?:trước|chậm nhất|chậm nhất là|muộn nhất|hạn chót|hạn cuối)\s+"
    rf"(?:ngày\s+)?{_TIME}{_DATE}"
    rf"|(?:trước|chậm nhất|trong)\s+{_PERIOD}"
    rf"|(?:hằng|hàng)\s+(?:tháng|quý|tuần|năm)\s*\((?:trước|chậm nhất)\s+ngày\s+\d{{1,2}}[^)]*\)",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:hoàn thành|xong|báo cáo|gửi)\s+", re.IGNORECASE)


def deadline_spans(text: str) -> list[tuple[int, int]]:
    """Where deadline phrases are in ``text`` (start, end), for making them bold."""
    out = []
    for m in PHRASE.finditer(text):
        start = m.start() + len(_LEAD.match(m.group(0)).group(0)) if _LEAD.match(m.group(0)) else m.start()
        phrase = text[start:m.end()]
        if _looks_like_deadline is not None:
            try:
                if not _looks_like_deadline(phrase):
                    continue
            except Exception:  # noqa: BLE001 - the reader's own checks must not break an import
                pass
        out.append((start, m.end()))
    return out
