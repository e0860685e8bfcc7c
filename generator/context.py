"""Notice -> render plan: the template's context, the body's paragraphs, the footnotes.

Pure: no I/O, no docx. The docx layer turns the plan into a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import __version__, dates
from .copies import CopyBlock
from .markup import concat
from .model import FootnoteRef, Notice, Span, Text
from .profile import PROFILES, STYLE_BODY, STYLE_CONCLUSION, STYLE_TASK, Profile

# Every variable a template receives (the template contract, see README).
CONTEXT_KEYS = (
    "style", "superior_body", "issuing_body_lines", "number_line", "number",
    "type_code", "body_code", "place", "date_iso", "place_date", "document_type",
    "subject", "body", "recipients_heading", "recipients", "signature_authority",
    "signature_title", "signer_name",
)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    footnote: int | None = None  # footnote number: the run is its mark "(n)"


@dataclass(frozen=True)
class Paragraph:
    style: str
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class FootnoteBody:
    number: int
    mark: str
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Properties:
    """Document properties, all taken from the notice so output is reproducible."""

    title: str
    subject: str
    author: str
    identifier: str
    keywords: str
    created: dt.datetime
    generator: str


@dataclass
class RenderPlan:
    profile: Profile
    context: dict[str, object]
    body: list[Paragraph]
    footnotes: list[FootnoteBody] = field(default_factory=list)
    properties: Properties | None = None
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
            n = notes.number(piece.label)
            out.append(Run(footnote_mark(n), footnote=n))
    return tuple(out)


def _prefixed(prefix: str, text: Text) -> Text:
    return concat(Text(prefix, (Span(prefix),)), text, sep="")


def footnote_numbers(notice: Notice) -> dict[str, int]:
    """Footnote label -> the number its mark shows in ``notice``."""
    return dict(body_paragraphs(notice)[1].numbers)


def body_paragraphs(notice: Notice, footnotes: dict[str, int] | None = None) -> tuple[list[Paragraph], _Footnotes]:
    """The body: opening, numbered conclusions with their tasks, closing."""
    notes = _Footnotes(notice, footnotes)
    out = [Paragraph(STYLE_BODY, runs(t, notes)) for t in notice.opening]
    for c in notice.conclusions:
        heading = _prefixed(f"{c.number}. ", c.heading)
        tasks = list(c.tasks)
        if c.inline:
            heading = concat(heading, tasks.pop(0).text)
        out.append(Paragraph(STYLE_CONCLUSION, runs(heading, notes)))
        out.extend(Paragraph(STYLE_TASK, runs(_prefixed("- ", t.text), notes)) for t in tasks)
    out.extend(Paragraph(STYLE_BODY, runs(t, notes)) for t in notice.closing)
    return out, notes


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
        "signature_authority": notice.signature.authority or "",
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
    return RenderPlan(profile, context, body, notes.bodies(), props)
