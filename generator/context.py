"""Notice -> render plan: the template's context, the body's paragraphs, the footnotes.

Pure: no I/O, no docx. The docx layer turns the plan into a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import TYPE_CHECKING

from . import __version__, dates
from .markup import concat
from .model import Conclusion, FootnoteRef, Notice, Point, Span, Task, Text
from .profile import (
    PROFILES,
    STYLE_BODY,
    STYLE_CONCLUSION,
    STYLE_DETAIL,
    STYLE_PART,
    STYLE_POINT,
    STYLE_TASK,
    Profile,
)
from .records import record

if TYPE_CHECKING:  # a plan for an extract holds a copy block (generator/extracts.py)
    from .copies import CopyBlock

# Every variable a template receives (the template contract, see README).
CONTEXT_KEYS = (
    "style", "superior_body", "issuing_body_lines", "number_line", "number",
    "type_code", "body_code", "place", "date_iso", "place_date", "document_type",
    "subject", "body", "recipients_heading", "recipients", "signature_authority",
    "signature_authority_lines", "signature_title", "signer_name",
)


@record(frozen=True)
class Run:
    text: str
    bold: bool = False
    footnote: int | None = None  # footnote number: the run is its mark "(n)"
    again: bool = False          # a later citation of that footnote: a cross-reference to its mark


@record(frozen=True)
class Paragraph:
    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@record(frozen=True)
class FootnoteBody:
    number: int
    mark: str
    runs: tuple[Run, ...]


@record(frozen=True)
class Properties:
    """Document properties, all taken from the notice so output is reproducible."""

    title: str
    subject: str
    author: str
    identifier: str
    keywords: str
    created: dt.datetime
    generator: str


@record
class RenderPlan:
    profile: Profile
    context: dict[str, object]
    body: list[Paragraph]
    footnotes: list[FootnoteBody] = field(default_factory=list)
    properties: Properties | None = None
    keep_with_closing: int = 1  # the body's last paragraphs kept on the page of the closing
    copy: CopyBlock | None = None        # a trích sao's copy block, drawn after the closing


def footnote_mark(n: int) -> str:
    return f"({n})"


def number_symbol(notice: Notice) -> str:
    """``103-TB/BCĐ`` (Party) or ``12/TB-UBND`` (State): two digits at least, as numbering starts from 01."""
    return PROFILES[notice.style].number_format.format(
        number=notice.number, type_code=notice.type_code, body_code=notice.body_code)


def recipient_lines(items: tuple[str, ...], profile: Profile) -> list[str]:
    last = len(items) - 1
    return [
        f"- {item}{profile.recipient_end if k == last else profile.recipient_separator}"
        for k, item in enumerate(items)
    ]


class _Footnotes:
    """Numbers footnotes in the order the body first references them.

    ``fixed`` gives labels the numbers they have elsewhere (an extract keeps
    the marks of the full notice).
    """

    def __init__(self, notice: Notice, fixed: dict[str, int] | None = None):
        self.texts = {f.label: f.text for f in notice.footnotes}
        self.fixed = fixed or {}
        self.numbers: dict[str, int] = {}

    def number(self, label: str) -> int:
        if label not in self.numbers:
            self.numbers[label] = self.fixed.get(label, len(self.numbers) + 1)
        return self.numbers[label]

    def bodies(self) -> list[FootnoteBody]:
        return [
            FootnoteBody(n, footnote_mark(n), runs(self.texts[label], self))
            for label, n in self.numbers.items()
        ]


def runs(text: Text, notes: _Footnotes) -> tuple[Run, ...]:
    out = []
    for piece in text.pieces:
        if isinstance(piece, Span):
            out.append(Run(piece.text, piece.bold))
        elif isinstance(piece, FootnoteRef):
            again = piece.label in notes.numbers
            n = notes.number(piece.label)
            out.append(Run(footnote_mark(n), footnote=n, again=again))
    return tuple(out)


def _prefixed(prefix: str, text: Text) -> Text:
    return concat(Text(prefix, (Span(prefix),)), text, sep="")


def footnote_numbers(notice: Notice) -> dict[str, int]:
    """Footnote label -> the number its mark shows in ``notice``."""
    return dict(body_paragraphs(notice)[1].numbers)


def body_paragraphs(notice: Notice, footnotes: dict[str, int] | None = None) -> tuple[list[Paragraph], _Footnotes]:
    """The body: opening, parts and numbered items with their sub-items and tasks, closing.

    Marks: part "I. ", item "1. " (or "1- "), sub-item "a) ", task "- ", detail "+ ".
    """
    notes = _Footnotes(notice, footnotes)
    out = [Paragraph(STYLE_BODY, runs(t, notes)) for t in notice.opening]
    if notice.parts:
        for part in notice.parts:
            out.append(Paragraph(STYLE_PART, runs(_prefixed(f"{part.mark}. ", part.heading), notes)))
            out.extend(Paragraph(STYLE_BODY, runs(t, notes)) for t in part.paragraphs)
            for c in part.conclusions:
                out.extend(_item(c, notice.item_mark, notes))
    else:
        for c in notice.conclusions:
            out.extend(_item(c, notice.item_mark, notes))
    out.extend(Paragraph(STYLE_BODY, runs(t, notes)) for t in notice.closing)
    return out, notes


def _line(prefix: str, heading: Text | None, text: Text | None) -> Text:
    """A number's (or letter's) line: the mark, then the heading, then the text."""
    pieces = [t for t in (heading, text) if t is not None]
    line = concat(*pieces) if pieces else Text("", ())
    return _prefixed(prefix, line) if prefix else line


def _bullets(tasks: tuple[Task, ...] | list[Task], notes: _Footnotes) -> list[Paragraph]:
    out = []
    for t in tasks:
        out.append(Paragraph(STYLE_TASK, runs(_prefixed("- ", t.text), notes)))
        out.extend(Paragraph(STYLE_DETAIL, runs(_prefixed("+ ", d), notes)) for d in t.details)
    return out


def _item(c: Conclusion, item_mark: str, notes: _Footnotes) -> list[Paragraph]:
    prefix = f"{c.number}{item_mark} " if c.numbered else ""
    tasks = list(c.tasks)
    text = tasks.pop(0).text if c.inline else c.text
    details = c.tasks[0].details if c.inline else ()
    out = []
    if c.heading is not None or text is not None:
        out.append(Paragraph(STYLE_CONCLUSION, runs(_line(prefix, c.heading, text), notes)))
    elif prefix:
        # An extract that keeps only an item's sub-items keeps its number.
        out.append(Paragraph(STYLE_CONCLUSION, (Run(prefix.rstrip()),)))
    out.extend(Paragraph(STYLE_DETAIL, runs(_prefixed("+ ", d), notes)) for d in details)
    out.extend(Paragraph(STYLE_BODY, runs(t, notes)) for t in c.paragraphs)
    if c.units:
        out.extend(_bullets(tasks, notes))
    else:
        out.extend(_bullets([Task(b, details=d) for b, d in zip(c.bullets, c.bullet_details or [()] * len(c.bullets))],
                            notes))
    for p in c.points:
        out.extend(_point(p, notes))
    return out


def _point(p: Point, notes: _Footnotes) -> list[Paragraph]:
    text = p.text
    out = [Paragraph(STYLE_POINT, runs(_line(f"{p.letter}) ", p.heading, text), notes))]
    if p.text_task and p.text is not None:
        out.extend(Paragraph(STYLE_DETAIL, runs(_prefixed("+ ", d), notes)) for d in p.text_task.details)
    out.extend(Paragraph(STYLE_BODY, runs(t, notes)) for t in p.paragraphs)
    out.extend(_bullets(p.tasks, notes))
    return out


def build_plan(notice: Notice, body_token: str, footnotes: dict[str, int] | None = None) -> RenderPlan:
    """Everything the renderer needs; ``body_token`` marks where the body goes.

    ``footnotes`` fixes the numbers of footnote labels (see _Footnotes).
    """
    profile = PROFILES[notice.style]
    body, notes = body_paragraphs(notice, footnotes)
    symbol = number_symbol(notice)
    context: dict[str, object] = {
        "style": notice.style,
        "superior_body": notice.superior_body or "",
        "issuing_body_lines": list(notice.issuing_body),
        "number_line": f"{profile.number_prefix}{symbol}",
        "number": notice.number,
        "type_code": notice.type_code,
        "body_code": notice.body_code,
        "place": notice.place,
        "date_iso": notice.date.isoformat(),
        "place_date": dates.place_date_line(notice.place, notice.date),
        "document_type": notice.document_type,
        "subject": notice.subject,
        "body": body_token,
        "recipients_heading": "Nơi nhận:",
        "recipients": recipient_lines(notice.recipients, profile),
        "signature_authority": " ".join(notice.signature.authority),   # for templates made before the lines
        "signature_authority_lines": list(notice.signature.authority),
        "signature_title": list(notice.signature.title),
        "signer_name": notice.signature.name,
    }
    assert tuple(context) == CONTEXT_KEYS
    props = Properties(
        title=f"{notice.document_type} {notice.subject}",
        subject=notice.subject,
        author=" ".join(notice.issuing_body),
        identifier=f"{profile.number_prefix}{symbol}",
        keywords=f"{notice.document_type}; {symbol}",
        created=dt.datetime.combine(notice.date, dt.time(0, 0), tzinfo=dt.UTC),
        generator=f"thongbao {__version__}",
    )
    # The closing sentences and the body paragraph before them go with "Nơi nhận" and the signature.
    return RenderPlan(profile, context, body, notes.bodies(), props, keep_with_closing=len(notice.closing) + 1)
