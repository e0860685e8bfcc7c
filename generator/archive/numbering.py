"""Which numbering series a notice belongs to, and the number line issuing adds.

Party bodies (36-HD/VPTW 1.3.1) number each document type from 01 over one
term of the cấp ủy; State bodies (NĐ 30/2020, Điều 15 and 25) number from 01
each calendar year. A body is known by its ``body_code``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from ..config import Config
from ..model import Notice
from .errors import IssueError, problem

# The line breaks PyYAML counts when it gives a line number.
_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")


@dataclass(frozen=True)
class Series:
    """One numbering series: documents of ``style``/``body_code`` (and ``type_code``) dated in [start, end)."""

    style: str
    body_code: str
    type_code: str | None      # None: every type shares the series (State)
    start: dt.date | None
    end: dt.date | None
    term_configured: bool = True

    @property
    def label(self) -> str:
        """A readable key, kept in the register: ``party BCĐ TB 2020-07-20..`` or ``state UBND 2023``."""
        if self.style == "state":
            assert self.start is not None
            return f"state {self.body_code} {self.start.year}"
        start = self.start.isoformat() if self.start else ""
        end = self.end.isoformat() if self.end else ""
        return f"{self.style} {self.body_code} {self.type_code} {start}..{end}"

    def describe(self) -> str:
        if self.style == "state":
            assert self.start is not None
            return f"{self.body_code} documents of {self.start.year}"
        if not self.term_configured:
            return f"{self.type_code}/{self.body_code} documents (no term start set)"
        start = self.start.strftime("%d/%m/%Y") if self.start else "the first term"
        return f"{self.type_code}/{self.body_code} documents of the term from {start}"


def series_for(notice: Notice, config: Config) -> Series:
    if notice.style == "state":
        year = notice.date.year
        return Series("state", notice.body_code, None, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    term = config.term(notice.body_code, notice.date)
    return Series(notice.style, notice.body_code, notice.type_code, term.start, term.end, term.configured)


def add_number_line(data: bytes, number: int, name: str) -> bytes:
    """The source with ``number: N`` added as its first field; everything else byte for byte.

    An empty ``number:`` line is filled in instead. The result is read back to
    check that it holds the same fields plus the number.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    eol = "\r\n" if "\r\n" in text else "\n"
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        root = None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or not root.value:
        raise IssueError(problem(name, "number", "a top level that is not a block mapping",
                                 "'field: value' lines, so that issuing can add 'number:'"))
    lines = _BREAK.split(text)
    breaks = _BREAK.findall(text)
    keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "number" in keys:
        key, value = keys["number"]
        row = key.start_mark.line
        empty = isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and not value.style
        if not (empty and value.start_mark.line == row):
            raise IssueError(problem(name, "number", "a number line issuing cannot fill", "'number:' with no value",
                                     line=row + 1))
        comment = lines[row][value.end_mark.column:].strip()
        lines[row] = " " * key.start_mark.column + f"number: {number}" + (f"  {comment}" if comment.startswith("#") else "")
        new_text = "".join(line + brk for line, brk in zip(lines, [*breaks, ""]))
    else:
        first = root.value[0][0]
        row, column = first.start_mark.line, first.start_mark.column
        offset = sum(len(line) + len(brk) for line, brk in zip(lines[:row], breaks[:row]))
        new_text = text[:offset] + " " * column + f"number: {number}{eol}" + text[offset:]
    if not _same_but_number(text, new_text, number):
        raise IssueError(problem(name, "number", "a layout where a 'number:' line cannot be added safely",
                                 "a block mapping of 'field: value' lines (or add 'number: N' yourself)"))
    out = new_text.encode("utf-8")
    return b"\xef\xbb\xbf" + out if bom else out


def _same_but_number(old: str, new: str, number: int) -> bool:
    try:
        before = yaml.safe_load(old)
        after = yaml.safe_load(new)
    except yaml.YAMLError:
        return False
    if not isinstance(before, dict) or not isinstance(after, dict) or after.get("number") != number:
        return False
    before.pop("number", None)
    after.pop("number", None)
    return before == after


def copy_series(notice: Notice, code: str, on: dt.date, config: Config) -> Series:
    """The copy register's series of the copying body ``code`` for a copy made on ``on``.

    State (NĐ 30 Điều 25): one series for every kind of copy, from 01 each
    calendar year. Party (36-HD): per term of the cấp ủy, as its other
    numbering (the copying body's term, else the notice's body's).
    """
    if notice.style == "state":
        return Series("state", code, None, dt.date(on.year, 1, 1), dt.date(on.year + 1, 1, 1))
    term = config.term(code, on)
    if not term.configured:
        term = config.term(notice.body_code, on)
    return Series(notice.style, code, None, term.start, term.end, term.configured)


def copy_series_label(series: Series) -> str:
    """``copies state VP 2024`` or ``copies party VPHU 2020-07-20..``."""
    if series.style == "state":
        return f"copies {series.label}"
    start = series.start.isoformat() if series.start else ""
    end = series.end.isoformat() if series.end else ""
    return f"copies {series.style} {series.body_code} {start}..{end}"
