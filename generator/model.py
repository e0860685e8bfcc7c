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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A piece of inline text; bold where the source marks it with **...**."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class FootnoteRef:
    """A reference to a footnote by the label the source gives it."""

    label: str


Inline = Span | FootnoteRef


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Task:
    """One task (nhiệm vụ): a paragraph, its deadline and where it is reported."""

    text: Text
    deadline: dt.date | None = None
    deadline_text: str | None = None
    report_to: str | None = None


@dataclass(frozen=True)
class Conclusion:
    """A numbered conclusion addressed to one or more units.

    When ``inline`` is true the first task is printed on the heading's line
    ("5. Các tổ chức ...: Khẩn trương ..."), as items 5 and 6 of the seed.
    """

    number: int
    units: tuple[str, ...]
    heading: Text
    tasks: tuple[Task, ...]
    inline: bool = False


@dataclass(frozen=True)
class Footnote:
    label: str
    text: Text


@dataclass(frozen=True)
class Signature:
    """The signature block: authority lines (TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG), title lines, name."""

    name: str
    title: tuple[str, ...]
    authority: tuple[str, ...] = ()

    @property
    def authority_line(self) -> str | None:
        """The authority lines on one line ("TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG"), None if there is none."""
        return " ".join(self.authority) or None


@dataclass(frozen=True)
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
    source_name: str = field(default="", compare=False)

    @property
    def tasks(self) -> list[tuple[Conclusion, Task]]:
        return [(c, t) for c in self.conclusions for t in c.tasks]
