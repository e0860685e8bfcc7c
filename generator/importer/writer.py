"""Draft -> the text of a notice source, in the project's style.

Fields in the usual order (as notices/2023/103-TB-BCD.yaml), long paragraphs
as folded blocks (``>-``) wrapped under 90 columns, short values plain or in
double quotes where YAML needs them, and every ASSUMED / CHECK note as a
comment beside or above the value it is about.
"""

from __future__ import annotations

import textwrap

import yaml

from .draft import Draft, ItemDraft, Note, PointDraft, TaskDraft

WIDTH = 88
_BAD_START = set("-?:,[]{}#&*!|>'\"%@`")
_RESOLVER = yaml.resolver.Resolver()


def plain_ok(value: str) -> bool:
    """True if ``value`` reads back as the same string written without quotes."""
    if not value or value != value.strip() or value[0] in _BAD_START:
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mark(note: Note, absent: str | None = None) -> str:
    """``CHECK``, or ``CHECK (to)`` when the note names the field it is about (the web places it by that)."""
    about = note.field or absent
    return f"{note.kind} ({about})" if about else note.kind


class _Out:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, indent: int, notes: list[Note], absent: str | None = None) -> None:
        """The notes as comments above what follows; ``absent``: the field they are about, not written."""
        for n in notes:
            for k, line in enumerate(textwrap.wrap(f"{mark(n, absent)}: {n.text}", WIDTH - indent - 2) or [""]):
                self.lines.append(" " * indent + ("# " if k == 0 else "#   ") + line)

    def scalar(self, indent: int, lead: str, value: str, notes: list[Note] | None = None,
               literal: bool = False) -> None:
        """``lead`` is "key: " or "- "; the value plain, quoted or folded."""
        notes = notes or []
        pad = " " * indent
        inline = ""
        if notes and len(notes) == 1:
            inline = f"  # {mark(notes[0])}: {notes[0].text}"
        text = value if literal or plain_ok(value) else quoted(value)
        if len(pad + lead + text) <= WIDTH:
            if inline and len(pad + lead + text + inline) <= WIDTH + 30:
                self.lines.append(pad + lead + text + inline)
            else:
                self.comment(indent, notes)
                self.lines.append(pad + lead + text)
            return
        self.comment(indent, notes)
        self.lines.append(pad + lead + ">-")
        inner = indent + 2
        for line in textwrap.wrap(value, WIDTH - inner, break_long_words=False, break_on_hyphens=False):
            self.lines.append(" " * inner + line)

    def names(self, indent: int, key: str, names: list[str], notes: list[Note] | None = None) -> None:
        """A string, or a block list of strings."""
        if len(names) == 1:
            self.scalar(indent, f"{key}: ", names[0], notes)
            return
        self.comment(indent, notes or [])
        self.lines.append(" " * indent + f"{key}:")
        for n in names:
            self.scalar(indent + 2, "- ", n)

    def texts(self, indent: int, key: str, texts: list[str], notes: list[Note] | None = None) -> None:
        """One paragraph as a value, several as a list."""
        if len(texts) == 1:
            self.scalar(indent, f"{key}: ", texts[0], notes)
            return
        self.comment(indent, notes or [])
        self.lines.append(" " * indent + f"{key}:")
        for t in texts:
            self.scalar(indent + 2, "- ", t)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def write(draft: Draft, origin: str) -> str:
    """The notice source text for ``draft``; ``origin`` names the file it was read from."""
    d = draft
    out = _Out()
    notes = d.notes
    out.lines += [
        f"# Imported by `thongbao import` from {origin}.",
        "# Check every '# ASSUMED:' (a value guessed) and '# CHECK:' (a doubtful reading) below,",
        "# then run `thongbao validate` on this file. Markup: **bold** (deadlines), [^1] a footnote.",
        "",
    ]
    top = 0
    out.scalar(top, "style: ", d.style or "party", notes.get("style"))
    if d.superior_body:
        out.scalar(top, "superior_body: ", d.superior_body, notes.get("superior_body"))
    elif notes.get("superior_body"):
        out.comment(top, notes["superior_body"], "superior_body")
    out.names(top, "issuing_body", d.issuing_body, notes.get("issuing_body"))
    out.scalar(top, "body_code: ", d.body_code or "", notes.get("body_code"))
    if d.number is not None:
        out.scalar(top, "number: ", str(d.number), notes.get("number"), literal=True)
    else:
        out.comment(top, notes.get("number", []), "number")
    out.scalar(top, "type_code: ", d.type_code or "TB", notes.get("type_code"))
    if d.document_type and (d.document_type != "THÔNG BÁO" or notes.get("document_type")):
        out.scalar(top, "document_type: ", d.document_type, notes.get("document_type"))
    out.scalar(top, "place: ", d.place or "", notes.get("place"))
    out.scalar(top, "date: ", d.date or "", notes.get("date"), literal=True)
    if d.items and not d.parts and not any(i.numbered for i in d.items):
        out.lines.append("numbering: none")
    if d.item_mark != ".":
        out.lines.append(f'item_mark: "{d.item_mark}"')
    if d.subject:
        out.scalar(top, "subject: ", d.subject, notes.get("subject"))
    else:
        out.comment(top, notes.get("subject", []), "subject")
    out.blank()
    if d.opening:
        out.texts(top, "opening", d.opening, notes.get("opening"))
    else:
        out.comment(top, notes.get("opening", []), "opening")
    out.blank()
    if d.parts:
        out.comment(top, notes.get("parts", []))
        out.lines.append("parts:")
        for part in d.parts:
            out.comment(2, part.notes)
            out.scalar(2, "- heading: ", part.heading)
            if part.items and not any(i.numbered for i in part.items):
                out.lines.append("    numbering: none")
            if part.paragraphs:
                out.lines.append("    paragraphs:")
                for t in part.paragraphs:
                    out.scalar(6, "- ", t)
            if part.items:
                out.lines.append("    conclusions:")
                for item in part.items:
                    _item(out, 6, item)
            out.blank()
    if d.items:
        out.comment(top, notes.get("conclusions", []))
        out.lines.append("conclusions:")
        for item in d.items:
            _item(out, 2, item)
            out.blank()
    elif not d.parts:
        out.comment(top, notes.get("conclusions", []), "conclusions")
    if d.footnotes:
        out.blank()
        out.lines.append("footnotes:")
        for label, text in d.footnotes.items():
            out.scalar(2, f"{label}: ", text or "")
    out.blank()
    if d.closing:
        out.texts(top, "closing", d.closing, notes.get("closing"))
        out.blank()
    if d.recipients:
        out.comment(top, notes.get("recipients", []))
        out.lines.append("recipients:")
        for r in d.recipients:
            out.scalar(2, "- ", r)
    else:
        out.comment(top, notes.get("recipients", []), "recipients")
    out.blank()
    signed = bool(d.name or d.title or d.authority)
    out.comment(top, notes.get("signature", []), None if signed else "signature")
    if signed:
        out.lines.append("signature:")
        if d.authority:
            out.names(2, "authority", d.authority)
        if d.title:
            out.names(2, "title", d.title)
        if d.name:
            out.scalar(2, "name: ", d.name)
    text = "\n".join(out.lines).rstrip("\n") + "\n"
    return text


def _item(out: _Out, indent: int, item: ItemDraft) -> None:
    """One item as a list entry: to, heading, text, paragraphs, tasks, items (sub-items)."""
    out.comment(indent, item.notes)
    fields = _body_fields(item)
    if item.points:
        fields.append(("items", item.points))
    _fields(out, indent, fields)


def _point(out: _Out, indent: int, point: PointDraft) -> None:
    out.comment(indent, point.notes)
    fields = _body_fields(point)
    if not fields:
        fields.append(("paragraphs", [""]))
    _fields(out, indent, fields)


def _body_fields(d: ItemDraft | PointDraft) -> list[tuple[str, object]]:
    """The fields an item and a sub-item share, in their order: to, heading, text, paragraphs, tasks."""
    fields: list[tuple[str, object]] = []
    if d.to:
        fields.append(("to", d.to))
    if d.heading:
        fields.append(("heading", d.heading))
    if d.text:
        fields.append(("text", TaskDraft(d.text, d.text_details) if d.text_details else d.text))
    if d.paragraphs:
        fields.append(("paragraphs", d.paragraphs))
    if d.tasks:
        fields.append(("tasks", d.tasks))
    return fields


def _fields(out: _Out, indent: int, fields: list[tuple[str, object]]) -> None:
    """The fields of a list entry: the first after "- ", the others aligned under it."""
    inner = indent + 2
    for k, (key, value) in enumerate(fields):
        start = len(out.lines)
        if key == "to":
            out.names(inner, "to", value)  # type: ignore[arg-type]
        elif key == "text" and isinstance(value, TaskDraft):
            out.lines.append(" " * inner + "text:")
            out.scalar(inner + 2, "text: ", value.text)
            out.lines.append(" " * (inner + 2) + "details:")
            for t in value.details:
                out.scalar(inner + 4, "- ", t)
        elif key in ("heading", "text"):
            out.scalar(inner, f"{key}: ", value)  # type: ignore[arg-type]
        elif key == "paragraphs":
            out.lines.append(" " * inner + "paragraphs:")
            for t in value:  # type: ignore[attr-defined]
                out.scalar(inner + 2, "- ", t)
        elif key == "tasks":
            out.lines.append(" " * inner + "tasks:")
            for t in value:  # type: ignore[attr-defined]
                _task(out, inner + 2, t)
        elif key == "items":
            out.lines.append(" " * inner + "items:")
            for p in value:  # type: ignore[attr-defined]
                _point(out, inner + 2, p)
        if k == 0:  # put "- " in front of the first field's line
            line = out.lines[start]
            out.lines[start] = " " * indent + "- " + line[inner:]


def _task(out: _Out, indent: int, task: TaskDraft) -> None:
    if not task.details:
        out.scalar(indent, "- ", task.text)
        return
    start = len(out.lines)
    out.scalar(indent + 2, "text: ", task.text)
    out.lines[start] = " " * indent + "- " + out.lines[start][indent + 2:]
    out.lines.append(" " * (indent + 2) + "details:")
    for t in task.details:
        out.scalar(indent + 4, "- ", t)
