"""New notices from an uploaded Word draft, and the importer's notes shown to the clerk.

Upload: the bytes go to a private folder under the work folder, named as the
clerk's file (safely), and through ``generator.importer.import_file`` as
``thongbao import`` reads them (.doc/.odt/.rtf converted by LibreOffice first);
the source it writes is what the workspace files in ``notices/YEAR/``.

The importer runs in the request's language (Vietnamese), so its warnings and
notes arrive in the clerk's words from the shared catalog; why it refused a file
comes as ``ImportFailure.reason``, which this module says with advice.

Notes: the importer marks each value it guessed with ``# ASSUMED: ...`` and each
doubtful reading with ``# CHECK: ...``, as YAML comments beside or above the
value; where a comment cannot stand beside its field it names it
(``# CHECK (to): ...`` above an item: its units; ``# ASSUMED (superior_body): ...``:
a field not written). The source stays the record, so the editor reads the notes
back from the file's comments (``notes_in``) and shows each one beside its field,
in the words of the comment, for as long as the comment is there; a clerk who has
looked at one may strike it (``without_notes``), which removes its comment on the
next save.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ThongbaoError
from . import messages

WORD_SUFFIXES = (".docx",)
CONVERTED_SUFFIXES = (".doc", ".odt", ".rtf")
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"          # .doc (OLE compound file)


class UploadRefused(ThongbaoError):
    """An upload the importer could not turn into a notice; the message is Vietnamese."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass
class Imported:
    """What an upload gave: the source text, where it wants to go, and what to tell the clerk."""

    source: bytes
    stem: str                   # "103-TB-BCD" (number and codes) or the upload's name
    year: int | None            # the notice's year, when the importer read the date (not assumed)
    summary: str                # Vietnamese, one line
    warnings: list[str] = field(default_factory=list)   # Vietnamese


def looks_like(name: str, data: bytes) -> None:
    """Refuse a Word file whose bytes are not what its name says (UploadRefused, 400)."""
    lower = name.lower()
    ok = (data.startswith(b"PK\x03\x04") if lower.endswith((".docx", ".odt"))
          else data.startswith(CFB) if lower.endswith(".doc")
          else data.lstrip()[:5] == b"{\\rtf" if lower.endswith(".rtf") else False)
    if not ok:
        kind = name.rsplit(".", 1)[-1].lower()
        raise UploadRefused(messages.UPLOAD["damaged"].format(kind=kind), 400)


def from_word(data: bytes, name: str, work: Path, units: Path | None, shown: str = "") -> Imported:
    """Import the uploaded Word draft ``data`` (safe file name ``name``, ``shown`` as the clerk named it);
    UploadRefused when it cannot."""
    from .. import importer
    from ..errors import ImportFailure

    looks_like(name, data)
    if name.lower().endswith(CONVERTED_SUFFIXES):
        _need_libreoffice(name)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=work) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        out = Path(tmp) / "nguon.yaml"
        try:
            result = importer.import_file(path, out, units=units)     # in the request's language
        except ImportFailure as exc:
            raise UploadRefused(messages.import_failure(exc, shown or name)) from None
        except ThongbaoError as exc:    # the units directory, a conversion: said in the library's words
            raise UploadRefused(messages.UPLOAD["failed"].format(reason=exc.message)) from None
        source = out.read_bytes()
    draft = result.draft
    stem = importer.default_name(path, draft).removesuffix(".yaml")
    year = int(draft.date[:4]) if draft.date and "date" not in draft.notes else None
    said = [messages.UPLOAD[kind.lower()].format(n=draft.count(kind)) for kind in ("ASSUMED", "CHECK")
            if draft.count(kind)]
    summary = messages.UPLOAD["summary" if said else "summary_clean"].format(
        name=shown or name, items=len(draft.all_items), tasks=sum(i.task_count() for i in draft.all_items),
        footnotes=len(draft.footnotes), guessed=" và ".join(said))
    warnings = [messages.sentence(w) for w in result.warnings
                if w not in result.unvalidated]    # the editor shows those by field
    return Imported(source, stem, year, summary, warnings)


def _need_libreoffice(name: str) -> None:
    from ..docx.pdf import find_soffice
    from ..errors import ConversionError

    try:
        find_soffice()
    except ConversionError:
        kind = name.rsplit(".", 1)[-1].lower()
        raise UploadRefused(messages.UPLOAD["no_libreoffice"].format(kind=kind), 422) from None


# -- the notes of a source ---------------------------------------------------------------------------------------

_MARK = r"# (?P<kind>ASSUMED|CHECK)(?: \((?P<field>[a-z_]+)\))?: "    # the importer's (writer.mark)
_NOTE = re.compile(r"^(?P<indent> *)" + _MARK + r"(?P<text>.*)$")
_MORE = re.compile(r"^ *#   (?P<text>.*)$")
_INLINE = re.compile(r"\s+" + _MARK + r"(?P<text>.*)$")


@dataclass
class Note:
    line: int                   # 1-based line of its comment (the first, for a comment of several lines)
    lines: tuple[int, ...]      # every line of the comment (inline: the value's line)
    inline: bool
    kind: str                   # ASSUMED or CHECK
    text: str                   # the importer's words, in the language it ran in
    path: str                   # the field it is about ("place", "conclusions[1].to")

    def public(self) -> dict:
        return {"id": self.line, "path": self.path, "kind": self.kind, "label": messages.NOTE_KINDS[self.kind],
                "place": messages.place(self.path), "message": messages.sentence(self.text)}


def notes_in(data: bytes) -> list[Note]:
    """The importer's ASSUMED / CHECK comments of a source, each with the field it is about."""
    text = unicodedata.normalize("NFC", data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n"))
    if "# ASSUMED" not in text and "# CHECK" not in text:
        return []
    lines = text.split("\n")
    anchors = _anchors(text, lines)
    notes: list[Note] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        m = _NOTE.match(line)
        if m:
            body, taken = [m["text"]], [k + 1]
            while k + 1 < len(lines) and _MORE.match(lines[k + 1]):
                k += 1
                body.append(_MORE.match(lines[k])["text"])
                taken.append(k + 1)
            words = " ".join(body)
            path = _below(anchors, lines, k + 1, len(m["indent"]))
            if m["field"]:                 # at the top: a field not written; above an entry: one of its fields
                path = f"{path}.{m['field']}" if m["indent"] and path.endswith("]") else m["field"]
            notes.append(Note(taken[0], tuple(taken), False, m["kind"], words, path))
        elif not line.lstrip().startswith("#"):
            mi = _INLINE.search(line)
            if mi and k in anchors:
                path = max(anchors[k])[1]
                notes.append(Note(k + 1, (k + 1,), True, mi["kind"], mi["text"], path))
        k += 1
    return notes


def _below(anchors: dict[int, list[tuple[int, str]]], lines: list[str], start: int, indent: int) -> str:
    """The field of the first value line at or after ``start`` (0-based): the one at the comment's indent."""
    for j in range(start, len(lines)):
        stripped = lines[j].strip()
        if not stripped or stripped.startswith("#"):
            continue
        here = sorted(anchors.get(j, []))
        if not here:
            return ""
        exact = [p for c, p in here if c == indent]
        if exact:
            return exact[0]
        before = [p for c, p in here if c <= indent]
        return before[-1] if before else here[0][1]
    return ""


def _anchors(text: str, lines: list[str]) -> dict[int, list[tuple[int, str]]]:
    """0-based line -> (column, field path) of every key and list entry starting on it."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    out: dict[int, list[tuple[int, str]]] = {}

    def add(mark, path: str, dash: bool = False) -> None:
        col = mark.column
        if dash:
            row = lines[mark.line] if mark.line < len(lines) else ""
            before = row[:col].rstrip()
            if before.endswith("-"):
                col = len(before) - 1
        out.setdefault(mark.line, []).append((col, path))

    def walk(node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                add(key.start_mark, sub)
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                sub = f"{path}[{i}]"
                add(value.start_mark, sub, dash=True)
                walk(value, sub)

    if root is not None:
        walk(root, "")
    return out


def without_notes(data: bytes, struck: set[int]) -> bytes:
    """``data`` without the comments of the notes (by their ``id``, the line) the clerk has struck."""
    if not struck:
        return data
    text = data.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    drop: set[int] = set()
    for note in notes_in(data):
        if note.line not in struck:
            continue
        if note.inline:
            k = note.line - 1
            lines[k] = _INLINE.sub("", lines[k])
        else:
            drop.update(note.lines)
    kept = [line for k, line in enumerate(lines, 1) if k not in drop]
    return newline.join(kept).encode("utf-8")
