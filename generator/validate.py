"""Node tree -> typed Notice, collecting every problem with its line and field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Callable
from typing import TypeVar

from . import dates, deadlines, lint, markup
from .deadlines import Deadline
from .errors import Problem, SourceError
from .i18n import N_, _
from .model import (
    POINT_LETTERS,
    Conclusion,
    Footnote,
    Notice,
    Part,
    Point,
    Signature,
    Task,
    Text,
)
from .profile import PARTY, PROFILES, Profile, style_name
from .source import Node, Source

T = TypeVar("T")

STYLES = tuple(PROFILES)  # party (36-HD/VPTW), state (NĐ 30/2020)
TOP_FIELDS = (
    "style", "superior_body", "issuing_body", "body_code", "number", "type_code",
    "document_type", "place", "date", "subject", "opening", "conclusions", "parts",
    "numbering", "item_mark", "footnotes", "closing", "recipients", "signature",
)
PART_FIELDS = ("heading", "to", "numbering", "paragraphs", "conclusions")
CONCLUSION_FIELDS = ("to", "heading", "text", "deadline", "report_to", "tasks", "paragraphs", "items")
POINT_FIELDS = ("to", "heading", "text", "deadline", "report_to", "tasks", "paragraphs")
TASK_FIELDS = ("text", "deadline", "report_to", "details")
NUMBERINGS = ("arabic", "none")
ITEM_MARKS = (".", "-")

SIGNATURE_FIELDS = ("authority", "title", "name")
_SPACES = re.compile(r"[ \t\r\n]+")
_CODE = re.compile(r"^[^\s/\-]+$")
_REPORT_TO = re.compile(r"\(qua ([^()]+)\)")
_LIST_MARK = re.compile(r"^[-–+•]\s*")


# The years a notice may be dated in (a .docx's zip cannot even stamp a file after 2107).
FIRST_YEAR, LAST_YEAR = 1900, 2099


def clean(text: str) -> str:
    """Collapse line breaks and runs of spaces (YAML folding leaves some)."""
    return _SPACES.sub(" ", text).strip()


class _Checker:
    def __init__(self, source: Source):
        self.file = source.name
        self.source = source
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        # Deadlines without a year ("chậm nhất ngày 31/8") take the notice's; set once it is read.
        self.notice_date = dt.date(2000, 1, 1)

    def warn(self, node: Node, field: str, found: str, expected: str, words: list[str] | None = None) -> None:
        """A warning (printed ``Warning: ...``), on the line of ``words`` inside the node's text."""
        line = lint.locate_line(self.source, node, words) if words else node.line
        self.warnings.append(Problem(self.file, line, field, found, expected))

    def fail(self, node: Node | None, field: str, found: str, expected: str) -> None:
        self.problems.append(Problem(self.file, node.line if node else None, field, found, expected))

    def fields(self, node: Node, allowed: tuple[str, ...], what: str) -> dict[str, Node] | None:
        if node.kind != "map":
            self.fail(node, node.path or "(top level)", node.describe(), _("{what} (a mapping of fields)").format(what=what))
            return None
        assert isinstance(node.value, dict)
        for key, child in node.value.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = (_("a known field (did you mean '{close}'?)").format(close=close[0]) if close
                        else _("one of {choices}").format(choices=", ".join(allowed)))
                self.fail(child, child.path, _("unknown field '{key}'").format(key=key), hint)
        return node.value

    def required(self, fields: dict[str, Node], key: str, parent: Node, expected: str) -> Node | None:
        child = fields.get(key)
        if child is None:
            path = f"{parent.path}.{key}" if parent.path else key
            self.fail(parent, path, _("nothing (the field is missing)"), expected)
            return None
        if child.kind == "null":
            self.fail(child, child.path, _("an empty value"), expected)
            return None
        return child

    def colon_in_text(self, node: Node) -> bool:
        """Report text holding ': ' that YAML read as a field; True if it was that."""
        if node.kind != "map" or len(node.value) != 1:  # type: ignore[arg-type]
            return False
        key = next(iter(node.value))  # type: ignore[arg-type]
        if " " not in key.strip():
            return False
        self.fail(node, node.path,
                  _("text with ': ' after '{start}', which YAML reads as a field name").format(
                      start=key if len(key) <= 30 else key[:27] + "..."),
                  _("the whole text in quotes (\"...\") or on the next lines after '>-'"))
        return True

    def string(self, node: Node | None, expected: str | None = None) -> str | None:
        if node is None or node.kind == "null":
            return None
        expected = _("text") if expected is None else expected
        if node.kind != "str":
            if not self.colon_in_text(node):
                self.fail(node, node.path, node.describe(), expected)
            return None
        value = clean(str(node.value))
        if not value:
            self.fail(node, node.path, _("empty text"), expected)
            return None
        return value

    def lines(self, node: Node | None, expected: str) -> tuple[str, ...] | None:
        """A string, or a list of strings (one per printed line)."""
        if node is None or node.kind == "null":
            return None
        if node.kind == "seq":
            assert isinstance(node.value, list)
            if not node.value:
                self.fail(node, node.path, _("an empty list"), expected)
                return None
            out = [self.string(item, expected) for item in node.value]
            return tuple(o for o in out if o is not None) if all(out) else None
        value = self.string(node, expected)
        return (value,) if value else None

    def text(self, node: Node | None, expected: str | None = None) -> Text | None:
        value = self.string(node, expected)
        if value is None or node is None:
            return None
        try:
            parsed = markup.parse(value)
        except markup.MarkupError as exc:
            self.fail(node, node.path, str(exc), _("'**' around bold text in pairs"))
            return None
        self.check_dates(node, parsed)
        return parsed

    def check_dates(self, node: Node, text: Text) -> None:
        for m in dates.DAY_DATE.finditer(text.plain):
            d, mo, y = (int(g) for g in m.groups())
            try:
                dt.date(y, mo, d)
            except ValueError:
                self.fail(node, node.path, f"'{m.group(0)}'", _("a real date (day/month/year)"))
        for m in dates.MONTH_DATE.finditer(text.plain):
            if not 1 <= int(m.group(1)) <= 12:
                self.fail(node, node.path, f"'{m.group(0)}'", _("a real month (1-12)/year"))

    def date(self, node: Node | None, expected: str) -> dt.date | None:
        value = self.string(node, expected)
        if value is None or node is None:
            return None
        try:
            return dates.parse_date(value)
        except ValueError:
            self.fail(node, node.path, f"'{value}'", expected)
            return None

    def each(self, node: Node | None, expected: str, fn: Callable[[Node], T | None]) -> list[T] | None:
        if node is None:
            return None
        if node.kind == "null":
            self.fail(node, node.path, _("an empty value"), expected)
            return None
        if node.kind != "seq":
            self.fail(node, node.path, node.describe(), expected)
            return None
        assert isinstance(node.value, list)
        if not node.value:
            self.fail(node, node.path, _("an empty list"), expected)
            return None
        out = [fn(item) for item in node.value]
        return [o for o in out if o is not None] if all(o is not None for o in out) else None

    def paragraphs(self, node: Node | None, expected: str) -> tuple[Text, ...] | None:
        if node is None or node.kind == "null":
            return None
        items = node.value if node.kind == "seq" else [node]
        assert isinstance(items, list)
        if not items:
            self.fail(node, node.path, _("an empty list"), expected)
            return None
        out = [self.text(item, expected) for item in items]
        return tuple(t for t in out if t is not None) if all(out) else None


def build_notice(source: Source, *, require_number: bool = True) -> Notice:
    """Validate the node tree of ``source`` into a Notice or raise SourceError."""
    c = _Checker(source)
    root = source.root
    top = c.fields(root, TOP_FIELDS, _("a notice"))
    if top is None:
        raise SourceError(c.problems)

    style = c.string(top.get("style")) or "party"
    if style not in STYLES:
        c.fail(top["style"], "style", f"'{style}'", _("one of: {choices}").format(choices=", ".join(STYLES)))
    profile = PROFILES.get(style, PARTY)
    superior = c.string(top.get("superior_body"), _("the superior body's name"))
    issuing = c.lines(c.required(top, "issuing_body", root, _("the issuing body's name")),
                      _("the issuing body's name (text, or a list of lines)"))
    for key in ("superior_body", "issuing_body"):
        _upper_case(c, top.get(key))
    body_code = c.string(c.required(top, "body_code", root, _("the body's abbreviation, e.g. BCĐ")),
                         _("the body's abbreviation, e.g. BCĐ"))
    type_code = c.string(top.get("type_code"), _("the document type's abbreviation, e.g. TB")) or "TB"
    for key, value in (("body_code", body_code), ("type_code", type_code)):
        if value and not _CODE.match(value):
            c.fail(top.get(key, root), key, f"'{value}'", _("an abbreviation without spaces, '-' or '/'"))
    number_node = c.required(top, "number", root, _("the notice number, e.g. 103")) if require_number else top.get("number")
    number = 0
    raw_number = c.string(number_node, _("the notice number, e.g. 103"))
    if raw_number is not None and number_node is not None:
        if raw_number.isdigit() and 0 < int(raw_number) < 100000:
            number = int(raw_number)
        else:
            c.fail(number_node, "number", f"'{raw_number}'",
                   _("a whole number from 1, e.g. 103 (the symbol goes in type_code/body_code)"))
    document_type = c.string(top.get("document_type"), _("the document type, e.g. THÔNG BÁO")) or "THÔNG BÁO"
    place = c.string(c.required(top, "place", root, _("the place name, e.g. Kon Rẫy")))
    date_node = c.required(top, "date", root, _("the notice date"))
    date = c.date(date_node, _("a real date as YYYY-MM-DD or D/M/YYYY"))
    if date and not FIRST_YEAR <= date.year <= LAST_YEAR:
        # A typo in the year (0202, 20223): "năm 202" printed, deadlines counted from it.
        c.fail(date_node, "date", f"'{date_node.value}'", _("a notice date from year {first} to {last}").format(
            first=FIRST_YEAR, last=LAST_YEAR))
        date = None
    c.notice_date = date or c.notice_date
    subject = c.string(c.required(top, "subject", root, _("the subject line (trích yếu)")),
                       _("the subject line (trích yếu)"))
    opening = c.paragraphs(c.required(top, "opening", root, _("the opening paragraph")),
                           _("the opening paragraph (text, or a list of paragraphs)"))
    closing = c.paragraphs(top.get("closing"), _("closing paragraphs (text, or a list)")) or ()

    numbered = _numbering(c, top.get("numbering"))
    item_mark = c.string(top.get("item_mark"), _("'.' or '-' (items printed '1. ' or '1- ')")) or "."
    if item_mark not in ITEM_MARKS:
        c.fail(top["item_mark"], "item_mark", f"'{item_mark}'", _("'.' or '-' (items printed '1. ' or '1- ')"))
    conclusions, parts = _body(c, top, root, numbered)

    recipients_node = c.required(top, "recipients", root, _("the recipient list (nơi nhận)"))
    recipients = c.each(recipients_node, _("a list of recipients, the last the file copy (Lưu VT)"),
                        lambda n: _recipient(c, n))
    if recipients:
        _file_copy(c, recipients_node.value[-1], recipients[-1], profile)  # type: ignore[index, union-attr]
    signature = _signature(c, c.required(top, "signature", root, _("the signature block")), profile)
    footnotes = _footnotes(c, top.get("footnotes"))

    texts: list[tuple[Node, Text]] = []
    _collect_texts(top, texts)
    _check_footnotes(c, top.get("footnotes"), texts)

    if not c.problems and not (issuing and body_code and place and date and subject and opening
                               and conclusions and recipients and signature):
        c.fail(root, "(top level)", _("an incomplete notice"), _("every required field"))  # defensive
    if c.problems:
        raise SourceError(c.problems)
    assert issuing and body_code and place and date and subject and opening and recipients and signature
    notice = Notice(
        style=style, issuing_body=issuing, body_code=body_code, number=number,
        type_code=type_code, document_type=document_type, place=place, date=date,
        subject=subject, opening=opening, conclusions=conclusions,
        recipients=tuple(recipients), signature=signature, superior_body=superior,
        footnotes=tuple(footnotes), closing=closing, parts=parts, item_mark=item_mark,
        source_name=source.name,
    )
    # Content lint: warnings only, never errors (load_notice returns them with the notice).
    source.warnings.extend(c.warnings)
    source.warnings.extend(lint.lint_notice(notice, source))
    return notice


def _upper_case(c: _Checker, node: Node | None) -> None:
    """Header names print in upper case; the source must give them so (the checker wants it)."""
    items = node.value if node is not None and node.kind == "seq" else [node]
    for item in items or []:  # type: ignore[union-attr]
        if item is not None and item.kind == "str":
            value = clean(str(item.value))
            if value != value.upper():
                c.fail(item, item.path, f"'{value}'",
                       _("upper case, as the header prints it ('{upper}')").format(upper=value.upper()))


def _file_copy(c: _Checker, node: Node, last: str, profile: Profile) -> None:
    """The file copy line ("Lưu ...") in the form of the notice's style."""
    if last.lower().startswith("lưu") and not re.fullmatch(profile.file_copy_pattern, last):
        c.fail(node, node.path, f"'{last}'",
               _("'{example}' (the file copy line of the {style} style)").format(
                   example=profile.file_copy_example, style=style_name(profile.name)))


def _numbering(c: _Checker, node: Node | None) -> bool:
    """``numbering: none`` prints the items without "1. "; True when they are numbered."""
    value = c.string(node, _("'arabic' (1., 2., the default) or 'none' (no number)"))
    if value is None:
        return True
    if value not in NUMBERINGS:
        assert node is not None
        c.fail(node, node.path, f"'{value}'", _("'arabic' (1., 2., the default) or 'none' (no number)"))
    return value != "none"


def _body(c: _Checker, top: dict[str, Node], root: Node,
          numbered: bool) -> tuple[tuple[Conclusion, ...], tuple[Part, ...]]:
    """The items: either ``conclusions:`` (a flat list) or ``parts:`` holding them."""
    if "conclusions" in top and "parts" in top:
        c.fail(top["parts"], "parts", _("both 'conclusions:' and 'parts:'"),
               _("one of them: 'conclusions:' (a list of items) or 'parts:' (parts I., II. holding items)"))
        return (), ()
    if "parts" not in top:
        node = c.required(top, "conclusions", root, _("a list of conclusions (or 'parts:', parts I., II. holding them)"))
        return tuple(_items(c, node, (), numbered, None) or ()), ()
    if "numbering" in top:
        c.fail(top["numbering"], "numbering", _("'numbering:' at the top level of a notice with parts"),
               _("'numbering:' on the part whose items it concerns"))
    parts = c.each(top["parts"], _("a list of parts (I., II., ...), each a mapping with 'heading:'"),
                   lambda n: _part(c, n)) or []
    numbered_parts = tuple(
        dataclasses.replace(p, number=k, conclusions=tuple(dataclasses.replace(x, part=k) for x in p.conclusions))
        for k, p in enumerate(parts, 1)
    )
    return tuple(x for p in numbered_parts for x in p.conclusions), numbered_parts


def _part(c: _Checker, node: Node) -> Part | None:
    fields = c.fields(node, PART_FIELDS, _("a part (a mapping with 'heading:')"))
    if fields is None:
        return None
    heading_node = c.required(fields, "heading", node, _("the part's heading, e.g. ĐÁNH GIÁ CHUNG"))
    heading = c.text(heading_node, _("the part's heading, e.g. ĐÁNH GIÁ CHUNG"))
    if heading is not None and heading_node is not None and heading.plain != heading.plain.upper():
        c.fail(heading_node, heading_node.path, f"'{heading.plain}'",
               _("upper case, as the part heading prints it ('{upper}')").format(upper=heading.plain.upper()))
        heading = None
    units = _units(c, fields)
    numbered = _numbering(c, fields.get("numbering"))
    paragraphs = _paragraphs(c, fields.get("paragraphs"))
    conclusions = _items(c, fields.get("conclusions"), units or (), numbered, None) if "conclusions" in fields else []
    if "paragraphs" not in fields and "conclusions" not in fields:
        c.fail(node, node.path, _("a part with nothing to print"),
               _("'paragraphs:' (text with no task) or 'conclusions:' (its items 1., 2., ...), or both"))
        return None
    if heading is None or units is None or paragraphs is None or conclusions is None:
        return None
    return Part(number=0, heading=heading, paragraphs=paragraphs, conclusions=tuple(conclusions), units=units)


def _units(c: _Checker, fields: dict[str, Node]) -> tuple[str, ...] | None:
    """The units of a 'to:' field; () when there is none, None when it is wrong."""
    if "to" not in fields:
        return ()
    return c.lines(c.required(fields, "to", fields["to"], _("the unit(s) addressed (text, or a list)")),
                   _("the unit(s) addressed (text, or a list)"))


def _paragraphs(c: _Checker, node: Node | None) -> tuple[Text, ...] | None:
    """Unmarked paragraphs: () when absent, None when wrong."""
    if node is None:
        return ()
    if node.kind == "null":
        c.fail(node, node.path, _("an empty value"), _("paragraphs (text, or a list of paragraphs)"))
        return None
    return c.paragraphs(node, _("paragraphs (text, or a list of paragraphs)"))


def _items(c: _Checker, node: Node | None, units: tuple[str, ...], numbered: bool,
           part: int | None) -> list[Conclusion] | None:
    if node is None:
        return None
    items = c.each(node, _("a list of conclusions"), lambda n: _conclusion(c, n, units))
    if items is None:
        return None
    if numbered:
        for item_node, x in zip(node.value, items):  # type: ignore[arg-type]
            if x.heading is None and x.text is None and not x.inline:
                c.fail(item_node, item_node.path, _("an item with nothing on its number's line"),
                       _("'heading:' or 'text:' (printed after '1. '), or 'to:' (its units are the heading)"))
                return None
    return [dataclasses.replace(x, number=k, numbered=numbered, part=part) for k, x in enumerate(items, 1)]


def _heading(c: _Checker, fields: dict[str, Node], own_units: tuple[str, ...]) -> tuple[bool, Text | None]:
    """(ok, heading): the given heading, or "A, B và C:" from the item's own 'to:'."""
    if "heading" in fields:
        heading = c.text(fields["heading"], _("the heading printed after the number"))
        return heading is not None, heading
    if own_units:
        return True, markup.parse(_join_units(own_units).replace("*", "\\*").replace("[", "\\["))
    return True, None


def _no_unit(c: _Checker, fields: dict[str, Node]) -> bool:
    """A deadline or report in an assessment (no unit in scope) is an error; True if none."""
    ok = True
    for key, what in (("deadline", _("a deadline")), ("report_to", _("a report"))):
        if key in fields:
            c.fail(fields[key], fields[key].path,
                   _("{what} in text that addresses no unit (an assessment)").format(what=what),
                   _("{what} needs a unit: add 'to:' (here, on its item or on its part)").format(what=what))
            ok = False
    return ok


def _line_task(c: _Checker, node: Node, fields: dict[str, Node], units: tuple[str, ...]) -> tuple[bool, Task | None]:
    """The text printed on the number's (or letter's) line, with the 'deadline:' and
    'report_to:' beside it; (ok, task)."""
    if "text" not in fields:
        for key in ("deadline", "report_to"):
            if key in fields:
                c.fail(fields[key], fields[key].path, _("'{key}:' without 'text:'").format(key=key),
                       _("'text:' beside it (the task it belongs to), or '{key}:' inside that task").format(key=key))
                return False, None
        return True, None
    if not units and not _no_unit(c, fields):
        return False, None
    task = _task(c, fields["text"], assessment=not units, owner=fields)
    return task is not None, task


def _conclusion(c: _Checker, node: Node, inherited: tuple[str, ...]) -> Conclusion | None:
    fields = c.fields(node, CONCLUSION_FIELDS, _("a conclusion"))
    if fields is None:
        return None
    own = _units(c, fields)
    units = own or inherited
    ok_heading, heading = _heading(c, fields, own or ())
    ok_text, line = _line_task(c, node, fields, units)
    assessment = not units
    tasks = (c.each(fields["tasks"], _("a list of tasks"), lambda n: _task(c, n, assessment=assessment))
             if "tasks" in fields else [])
    paragraphs = _paragraphs(c, fields.get("paragraphs"))
    points = _points(c, fields["items"], units) if "items" in fields else []
    if not any(k in fields for k in ("text", "tasks", "paragraphs", "items")):
        if units:
            c.fail(node, node.path, _("a conclusion with no task"),
                   _("'text:' (one paragraph on the heading's line) or 'tasks:' (a list)"))
        else:
            c.fail(node, node.path, _("an item with nothing to print"),
                   _("'text:', 'tasks:', 'paragraphs:' or 'items:' (sub-items a), b))"))
        return None
    if own is None or not ok_heading or not ok_text or tasks is None or paragraphs is None or points is None:
        return None
    if units and not line and not tasks and not any(p.all_tasks for p in points):
        c.fail(node, node.path, _("a conclusion addressed to units with no task"),
               _("'text:' or 'tasks:' here or in a sub-item (or no 'to:', for an assessment)"))
        return None
    if assessment and line is not None and line.details:
        c.fail(fields["text"], fields["text"].path, _("'details:' ('+' lines) under the text of an item with no unit"),
               _("'paragraphs:' or 'tasks:' for the lines of an assessment (or 'to:' to make it a task)"))
        return None
    if assessment:
        return Conclusion(
            number=0, units=(), heading=heading, tasks=(), paragraphs=paragraphs, points=tuple(points),
            bullets=tuple(t.text for t in tasks), bullet_details=tuple(t.details for t in tasks),
            text=line.text if line else None, inline=False,
        )
    own_tasks = ((line,) if line else ()) + tuple(tasks)
    own_tasks = tuple(dataclasses.replace(t, ref=str(k)) for k, t in enumerate(own_tasks, 1))
    return Conclusion(number=0, units=units, heading=heading, tasks=own_tasks, inline=line is not None,
                      paragraphs=paragraphs, points=tuple(points))


def _points(c: _Checker, node: Node, units: tuple[str, ...]) -> list[Point] | None:
    points = c.each(node, _("a list of sub-items (a), b), ...)"), lambda n: _point(c, n, units))
    if points is None:
        return None
    if len(points) > len(POINT_LETTERS):
        c.fail(node, node.path, _("{n} sub-items").format(n=len(points)),
               _("at most {n} (a) to y)); split the item in two").format(n=len(POINT_LETTERS)))
        return None
    out = []
    for letter, p in zip(POINT_LETTERS, points):
        text_task = dataclasses.replace(p.text_task, ref=letter) if p.text_task else None
        tasks = tuple(dataclasses.replace(t, ref=f"{letter}.{k}") for k, t in enumerate(p.tasks, 1))
        out.append(dataclasses.replace(p, letter=letter, text_task=text_task, tasks=tasks))
    return out


def _point(c: _Checker, node: Node, inherited: tuple[str, ...]) -> Point | None:
    fields = c.fields(node, POINT_FIELDS, _("a sub-item"))
    if fields is None:
        return None
    own = _units(c, fields)
    units = own or inherited
    ok_heading, heading = _heading(c, fields, own or ())
    ok_text, line = _line_task(c, node, fields, units)
    tasks = (c.each(fields["tasks"], _("a list of tasks"), lambda n: _task(c, n, assessment=not units))
             if "tasks" in fields else [])
    paragraphs = _paragraphs(c, fields.get("paragraphs"))
    if not any(k in fields for k in ("text", "tasks", "paragraphs")):
        c.fail(node, node.path, _("a sub-item with nothing to print"), _("'text:', 'tasks:' or 'paragraphs:'"))
        return None
    if own is None or not ok_heading or not ok_text or tasks is None or paragraphs is None:
        return None
    if own and not line and not tasks:
        c.fail(fields["to"], fields["to"].path, _("a sub-item addressed to units with no task"),
               _("'text:' or 'tasks:' in the sub-item (or no 'to:')"))
        return None
    return Point(letter="", units=units, heading=heading, text=line.text if line else None,
                 text_is_task=bool(units and line), tasks=tuple(tasks), paragraphs=paragraphs,
                 text_task=line, own_units=bool(own))


def _join_units(units: tuple[str, ...]) -> str:
    names = list(units)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
    return joined + ":"


def _task(c: _Checker, node: Node, *, assessment: bool = False,
          owner: dict[str, Node] | None = None) -> Task | None:
    """A task: text, or a mapping {text, deadline, report_to, details}.

    ``owner`` holds the item's (or sub-item's) 'deadline:'/'report_to:' when
    ``node`` is its 'text:'. In an ``assessment`` (no unit in scope) the
    paragraph is no task: a deadline or a report is an error, bold is just bold.
    """
    if c.colon_in_text(node):
        return None
    fields: dict[str, Node] = {}
    if node.kind == "map":
        found_fields = c.fields(node, TASK_FIELDS, _("a task"))
        if found_fields is None:
            return None
        fields = dict(found_fields)
        text_node = c.required(fields, "text", node, _("the task's text"))
    else:
        text_node = node
    for key in ("deadline", "report_to"):
        if owner and key in owner:
            if key in fields:
                c.fail(owner[key], owner[key].path, _("'{key}:' given twice (also in 'text:')").format(key=key),
                       _("'{key}:' once").format(key=key))
                return None
            fields[key] = owner[key]
    if assessment and not _no_unit(c, fields):
        return None
    explicit = _explicit_deadline(c, fields.get("deadline")) if "deadline" in fields else None
    if "deadline" in fields and fields["deadline"].kind != "null" and explicit is None:
        return None
    report_to = c.string(fields.get("report_to"), _("the unit reports go through"))
    details: tuple[Text, ...] = ()
    if "details" in fields:
        found_details = c.each(fields["details"], _("a list of '+' lines (text)"),
                               lambda n: c.text(n, _("a '+' line (text)")))
        if found_details is None:
            return None
        details = tuple(found_details)
    text = c.text(text_node, _("the task's text (or a mapping with 'text:')"))
    if text is None or text_node is None:
        return None
    if assessment:
        return Task(text=text, details=details)
    # The task's own text first, then its "+" lines; every unreadable bold deadline is a warning.
    found = _deadline_in(c, text_node, text)
    detail_nodes = fields["details"].value if details else []
    for detail_node, detail in zip(detail_nodes, details):  # type: ignore[arg-type]
        in_detail = _deadline_in(c, detail_node, detail)
        found = found or in_detail
    if explicit and found and _disagree(explicit, found):
        at, path = (fields["deadline"], fields["deadline"].path) if owner and "deadline" in owner else (node, f"{node.path}.deadline")
        c.fail(at, path, *_disagreement(explicit, found))
        return None
    if report_to is None:
        m = _REPORT_TO.search(text.plain)
        report_to = clean(m.group(1)) if m else None
    due = found or explicit
    return Task(text=text, deadline=due and due.date, deadline_text=due and due.text, report_to=report_to,
                details=details, due=due)


_EXPLICIT_FORMS = N_("a date (YYYY-MM-DD or D/M/YYYY) or a deadline as officials write it, e.g. "
                    "'trước ngày 31/7/2023', 'trong quý III/2024', 'hằng tháng (trước ngày 25)'")


def _explicit_deadline(c: _Checker, node: Node | None) -> Deadline | None:
    """A task's ``deadline:`` field: a date, or a phrase in any form ``deadlines.read`` knows."""
    value = c.string(node, _(_EXPLICIT_FORMS))
    if value is None or node is None:
        return None
    try:
        return Deadline(value, "day", dates.parse_date(value))
    except ValueError:
        pass
    due = deadlines.read(value, c.notice_date)
    if due is None:
        c.fail(node, node.path, f"'{value}'", _(_EXPLICIT_FORMS))
    return due


def _deadline_in(c: _Checker, node: Node, text: Text) -> Deadline | None:
    """The first bold phrase that reads as a deadline; a warning for each that looks like one but does not."""
    found, messages = deadlines.find(text, c.notice_date)
    for message, phrase in messages:
        c.warn(node, node.path, message,
               _("a deadline in a form thongbao reads (README, 'Deadlines are data'), "
                 "or a 'deadline:' field beside the text"), phrase.split())
    return found


def _disagree(explicit: Deadline, found: Deadline) -> bool:
    if explicit.date is not None or found.date is not None:
        return explicit.date != found.date
    return explicit.label() != found.label()


def _disagreement(explicit: Deadline, found: Deadline) -> tuple[str, str]:
    """(found, expected) of an error: the 'deadline:' field says other than the bold text."""
    if explicit.kind == "day" and found.date is not None:
        return (f"{explicit.date:%d/%m/%Y}",
                _("the date the text gives in bold ('{phrase}' = {date})").format(
                    phrase=found.text, date=f"{found.date:%d/%m/%Y}"))
    return (f"'{explicit.text}' ({explicit.label()})",
            _("the deadline the text gives in bold ('{phrase}' = {label})").format(
                phrase=found.text, label=found.label()))


def _recipient(c: _Checker, node: Node) -> str | None:
    if node.kind == "map" and len(node.value) == 1:  # type: ignore[arg-type]
        # "- Lưu: VT, NN" unquoted is a one-entry mapping to YAML; it means the text.
        (key, child), = node.value.items()  # type: ignore[union-attr]
        if child.kind == "str":
            node = Node(f"{key}: {child.value}", node.line, node.path, "str")
    value = c.string(node, _("a recipient, e.g. 'UBND huyện'"))
    if value is None:
        return None
    value = _LIST_MARK.sub("", value).rstrip(" ,;.")
    if not value:
        c.fail(node, node.path, _("only punctuation"), _("a recipient's name"))
        return None
    return value


def _signature(c: _Checker, node: Node | None, profile: Profile = PARTY) -> Signature | None:
    if node is None:
        return None
    fields = c.fields(node, SIGNATURE_FIELDS, _("the signature block"))
    if fields is None:
        return None
    name = c.string(c.required(fields, "name", node, _("the signer's full name")), _("the signer's full name"))
    title = c.lines(c.required(fields, "title", node, _("the signer's title, e.g. TRƯỞNG BAN")),
                    _("the signer's title (text, or a list of lines)"))
    authority = _authority_lines(c, fields.get("authority"), profile)
    if name is None or title is None or authority is None:
        return None
    return Signature(name=name, title=title, authority=authority)


def _authority_lines(c: _Checker, node: Node | None, profile: Profile) -> tuple[str, ...] | None:
    """The authority as lines: one text, or a list (TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG); () if none."""
    if node is None or node.kind == "null":
        return ()
    expected = _("the signing authority, e.g. K/T TRƯỞNG BAN, or a list of lines")
    if node.kind == "seq":
        items = node.value
        assert isinstance(items, list)
        if not items:
            c.fail(node, node.path, _("an empty list"), expected)
            return None
    else:
        items = [node]
    out = []
    for item in items:
        value = c.string(item, expected)
        line = _authority(c, item, value, profile) if value is not None else None
        out.append(line)
    return tuple(out) if all(out) else None  # type: ignore[arg-type]


def _footnotes(c: _Checker, node: Node | None) -> list[Footnote]:
    if node is None or node.kind == "null":
        return []
    if node.kind != "map":
        c.fail(node, "footnotes", node.describe(), _("a mapping of label: text, e.g. '1: Có danh sách ...'"))
        return []
    assert isinstance(node.value, dict)
    out = []
    for label, child in node.value.items():
        if child.kind == "null":  # "1:" with nothing after it: the note would print empty (render failed on it)
            c.fail(child, child.path, _("an empty value"), _("the footnote's text"))
            continue
        text = c.text(child, _("the footnote's text"))
        if text is None:
            continue
        if text.footnote_labels:
            c.fail(child, child.path, _("a footnote reference inside a footnote"), _("plain text"))
            continue
        out.append(Footnote(label=label, text=text))
    return out


def _collect_texts(top: dict[str, Node], out: list[tuple[Node, Text]]) -> None:
    """Every text that may reference a footnote, with its node, in reading order."""

    def visit(node: Node | None) -> None:
        if node is None:
            return
        if node.kind == "str" and not node.path.startswith("footnotes"):
            try:
                out.append((node, markup.parse(clean(str(node.value)))))
            except markup.MarkupError:
                pass  # reported where the text is validated
        elif node.kind == "seq":
            assert isinstance(node.value, list)
            for item in node.value:
                visit(item)
        elif node.kind == "map":
            assert isinstance(node.value, dict)
            for key, item in node.value.items():
                if key in ("text", "heading", "tasks", "opening", "conclusions", "closing", "parts",
                           "paragraphs", "items", "details"):
                    visit(item)

    for key in ("opening", "conclusions", "parts", "closing"):
        visit(top.get(key))


def _check_footnotes(c: _Checker, node: Node | None, texts: list[tuple[Node, Text]]) -> None:
    declared = set(node.value) if node is not None and isinstance(node.value, dict) else set()
    referenced: set[str] = set()
    for text_node, text in texts:
        for label in text.footnote_labels:
            referenced.add(label)
            if label not in declared:
                known = ", ".join(sorted(declared)) or _("none defined")
                c.fail(text_node, text_node.path, _("a reference to footnote [^{label}]").format(label=label),
                       _("a footnote '{label}' under 'footnotes:' (defined: {known})").format(label=label, known=known))
    for label in sorted(declared - referenced):
        child = node.value[label]  # type: ignore[index, union-attr]
        c.fail(child, child.path, _("footnote '{label}' that no text references").format(label=label),
               _("a reference [^{label}] in the text, or no footnote").format(label=label))


# The same authority in the other rulebook's spelling: T/M <-> TM. and so on.
_AUTHORITY_TWINS = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}


def _authority(c: _Checker, node: Node, value: str, profile: Profile) -> str | None:
    """``K/T TRƯỞNG BAN`` (Party) or ``KT. CHỦ TỊCH`` (State): a known form, then upper case."""
    forms = profile.authority_forms
    head, _sep, rest = value.partition(" ")
    expected_forms = _("one of {forms} ({style} style), then the title in upper case").format(
        forms=", ".join(forms), style=style_name(profile.name))
    if head not in forms:
        twin = _AUTHORITY_TWINS.get(head)
        if twin in forms:
            c.fail(node, node.path, f"'{value}'", _("'{form}' ({style} style: {forms})").format(
                form=f"{twin} {rest}", style=style_name(profile.name), forms=", ".join(forms)))
        else:
            c.fail(node, node.path, f"'{value}'", expected_forms)
        return None
    if not rest or rest != rest.upper():
        c.fail(node, node.path, f"'{value}'", "'{form}' ({forms})".format(
            form=f"{head} {rest.upper() or _('TITLE')}", forms=expected_forms))
        return None
    return value
