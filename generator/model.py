"""The typed model of a notice, named in the domain's words.

Glossary (Vietnamese term -> name in code):
  thông báo kết luận -> Notice          cơ quan ban hành -> issuing_body
  cơ quan cấp trên   -> superior_body   số / ký hiệu     -> number / type_code, body_code
  địa danh, ngày     -> place, date     trích yếu        -> subject
  kết luận           -> Conclusion      đơn vị (được giao) -> Conclusion.units
  nhiệm vụ           -> Task            thời hạn         -> Task.deadline
  báo cáo qua        -> Task.report_to  chú thích        -> Footnote
  nơi nhận           -> recipients      chữ ký           -> Signature
  thẩm quyền ký (T/M, K/T) -> Signature.authority (one or more lines)
  phần / mục (I., II.) -> Part      khoản (1., 2.)   -> Conclusion (an item)
  điểm (a), b))      -> Point         đánh giá         -> an assessment (units == ())
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import TYPE_CHECKING

from .records import record

if TYPE_CHECKING:
    from .deadlines import Deadline


@record(frozen=True)
class Span:
    """A piece of inline text; bold where the source marks it with **...**."""

    text: str
    bold: bool = False


@record(frozen=True)
class FootnoteRef:
    """A reference to a footnote by the label the source gives it."""

    label: str


Inline = Span | FootnoteRef


@record(frozen=True)
class Text:
    """A paragraph of inline pieces, as written in the source."""

    source: str
    pieces: tuple[Inline, ...]

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.pieces if isinstance(p, Span))

    @property
    def footnote_labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.pieces if isinstance(p, FootnoteRef))


@record(frozen=True)
class Task:
    """One task (nhiệm vụ): a paragraph, its deadline and where it is reported.

    ``details`` are the "+" lines printed under it (part of the task);
    ``ref`` names it within its item: "3" (the item's 3rd task), "a" (sub-item
    a's own text), "a.2" (the 2nd "-" line under sub-item a).
    """

    text: Text
    deadline: dt.date | None = None
    deadline_text: str | None = None
    report_to: str | None = None
    details: tuple[Text, ...] = ()
    due: Deadline | None = None      # what the deadline means (generator/deadlines.py, issue 8 §2)
    ref: str = ""


@record(frozen=True)
class Point:
    """A sub-item (điểm) "a) ...", with its own units or those of its item.

    ``units`` is () for an assessment sub-item: then neither its text nor its
    "-" lines are tasks. ``text_task`` is the Task of ``text`` when
    ``text_is_task``.
    """

    letter: str
    units: tuple[str, ...]
    heading: Text | None
    text: Text | None
    text_is_task: bool
    tasks: tuple[Task, ...]
    paragraphs: tuple[Text, ...] = ()
    text_task: Task | None = None
    own_units: bool = False          # units given by its own 'to:' (not inherited)

    @property
    def all_tasks(self) -> tuple[Task, ...]:
        if not self.units:
            return ()
        return ((self.text_task,) if self.text_is_task and self.text_task else ()) + self.tasks


# Sub-items are lettered in the Vietnamese alphabet (no f, j, w, z): a) b) ... đ) ... y).
POINT_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
                 "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y")

ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


@record(frozen=True)
class Conclusion:
    """An item (khoản) "1. ...": a conclusion, addressed to units or an assessment.

    When ``inline`` is true the first task is printed on the heading's line
    ("5. Các tổ chức ...: Khẩn trương ..."), as items 5 and 6 of the seed.
    An assessment item (``units == ()``) has no tasks: its text is ``text``
    and its "-" lines are ``bullets`` (with their "+" lines in ``bullet_details``).
    """

    number: int
    units: tuple[str, ...]
    heading: Text | None
    tasks: tuple[Task, ...]
    inline: bool = False
    paragraphs: tuple[Text, ...] = ()
    points: tuple[Point, ...] = ()
    part: int | None = None          # 1-based part number, None without parts
    numbered: bool = True
    bullets: tuple[Text, ...] = ()
    text: Text | None = None         # the number line's text when it is not a task (assessment)
    bullet_details: tuple[tuple[Text, ...], ...] = ()

    @property
    def path(self) -> str:
        """"4", or "II.3" for item 3 of part II."""
        return f"{roman(self.part)}.{self.number}" if self.part else str(self.number)

    @property
    def all_tasks(self) -> tuple[Task, ...]:
        """Own tasks, then each sub-item's text task and "-" tasks, in print order."""
        return self.tasks + tuple(t for p in self.points for t in p.all_tasks)

    @property
    def assessment(self) -> bool:
        return not self.units and not any(p.units for p in self.points)


@record(frozen=True)
class Part:
    """A part (phần/mục) "I. ĐÁNH GIÁ CHUNG" holding paragraphs and items."""

    number: int
    heading: Text
    paragraphs: tuple[Text, ...]
    conclusions: tuple[Conclusion, ...]
    units: tuple[str, ...] = ()

    @property
    def mark(self) -> str:
        return roman(self.number)


@record(frozen=True)
class Footnote:
    label: str
    text: Text


@record(frozen=True)
class Signature:
    """The signature block: authority lines (TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG), title lines, name."""

    name: str
    title: tuple[str, ...]
    authority: tuple[str, ...] = ()

    @property
    def authority_line(self) -> str | None:
        """The authority lines on one line ("TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG"), None if there is none."""
        return " ".join(self.authority) or None


@record(frozen=True)
class Notice:
    style: str
    issuing_body: tuple[str, ...]
    body_code: str
    number: int
    type_code: str
    document_type: str
    place: str
    date: dt.date
    subject: str
    opening: tuple[Text, ...]
    conclusions: tuple[Conclusion, ...]
    recipients: tuple[str, ...]
    signature: Signature
    superior_body: str | None = None
    footnotes: tuple[Footnote, ...] = ()
    closing: tuple[Text, ...] = ()
    parts: tuple[Part, ...] = ()
    item_mark: str = "."
    source_name: str = field(default="", compare=False)

    @property
    def tasks(self) -> list[tuple[Conclusion, Task]]:
        return [(c, t) for c in self.conclusions for t in c.all_tasks]
