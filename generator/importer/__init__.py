"""`thongbao import`: a notice written anywhere (Word, LibreOffice, text) -> a notice source.

read (docx/reader.py, text_reader.py; .doc/.odt through LibreOffice) ->
recognise (recognise.py) -> write (writer.py) -> check the result loads.
I/O only here; the stages between are pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConversionError, ImportFailure, SourceError, ThongbaoError
from ..i18n import N_, _
from ..names import ascii_fold
from ..output import write_atomic
from ..units import Directory, find_directory, load_directory
from .document import Document
from .draft import Draft
from .recognise import recognise
from .writer import write

MAX_INPUT_BYTES = 50 * 1024 * 1024
DOCX_SUFFIXES = (".docx", ".docm", ".dotx")
CONVERTED_SUFFIXES = (".doc", ".odt", ".rtf", ".dot")
TEXT_SUFFIXES = (".txt", ".text", ".md")
SUFFIXES = DOCX_SUFFIXES + CONVERTED_SUFFIXES + TEXT_SUFFIXES
NOTICE_LIKE = {"heading": N_("no national heading found"), "number": N_("no number line ('Số ...') found"),
               "date": N_("no date line found"), "title": N_("no document type (THÔNG BÁO) found"),
               "items": N_("no numbered items found"), "recipients": N_("no 'Nơi nhận:' list found"),
               "signature": N_("no signature found")}


@dataclass
class Imported:
    """One file imported: where the source went, what was found, what to look at."""

    input: Path
    output: Path
    draft: Draft
    warnings: list[str] = field(default_factory=list)
    units_added: list[str] = field(default_factory=list)
    unvalidated: list[str] = field(default_factory=list)   # those of the warnings that say the source does not validate yet

    @property
    def summary(self) -> str:
        d = self.draft
        items = len(d.all_items)
        tasks = sum(i.task_count() for i in d.all_items)
        return _("{output}: {items} conclusions, {tasks} tasks, {footnotes} footnotes, "
                 "{assumed} values assumed, {check} to check").format(
            output=self.output, items=items, tasks=tasks, footnotes=len(d.footnotes),
            assumed=d.count("ASSUMED"), check=d.count("CHECK"))


def read_document(path: Path, converted: bytes | None = None) -> Document:
    """The paragraphs of ``path`` by its kind; ImportFailure (one line) when it cannot be read.

    ``converted``: the .docx LibreOffice already made of a .doc/.odt (a folder converts them together).
    """
    from ..docx.reader import CFB_SIGNATURE, UnreadableDocx, read_docx
    from .text_reader import decode, read_text

    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ImportFailure(_("{name}: found {size} bytes, expected a notice of at most {MAX_INPUT_BYTES} bytes").format(name=name, size=size, MAX_INPUT_BYTES=MAX_INPUT_BYTES), "too_big")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure(_("{name}: found no such file, expected a notice (.docx, .doc, .odt or .txt)").format(name=name)) from None
    except IsADirectoryError:
        raise ImportFailure(_("{name}: found a directory, expected a file (import DIR needs -o FOLDER)").format(name=name)) from None
    except OSError as exc:
        raise ImportFailure(_("{name}: found an unreadable file ({strerror}), expected a readable file").format(name=name, strerror=exc.strerror)) from None
    suffix = path.suffix.lower()
    if not data.strip():
        raise ImportFailure(_("{name}: found an empty file, expected a notice").format(name=name), "empty")
    try:
        if suffix in DOCX_SUFFIXES or (data[:4] == b"PK\x03\x04" and suffix not in CONVERTED_SUFFIXES):
            if data[:4] != b"PK\x03\x04" and not data.startswith(CFB_SIGNATURE):
                raise UnreadableDocx(_("a damaged file (not a Word document)"))
            return read_docx(data, name)
        if suffix in CONVERTED_SUFFIXES or data.startswith(CFB_SIGNATURE):
            if data.startswith(CFB_SIGNATURE) and b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
                raise UnreadableDocx(_("a password-protected (encrypted) Word file"), "password")
            from ..docx.convert import to_docx

            return read_docx(converted if converted is not None else to_docx(path), name)
    except UnreadableDocx as exc:
        raise ImportFailure(_("{name}: found {exc}, expected a Word document that opens without a password").format(
            name=name, exc=exc), exc.reason) from None
    except ConversionError as exc:
        raise ImportFailure(str(exc.message), "conversion") from None
    try:
        text = decode(data)
    except UnicodeDecodeError:
        raise ImportFailure(_("{name}: found bytes that are not UTF-8 text, expected .docx, .doc, .odt, or text saved as UTF-8").format(name=name)) from None
    if "\x00" in text:
        raise ImportFailure(_("{name}: found a binary file, expected .docx, .doc, .odt or UTF-8 text").format(name=name))
    return read_text(text, name)


def units_for(units: str | Path | None, *near: Path) -> Directory | None:
    """The units directory: ``units`` if given, else the nearest units.yaml to the output or input."""
    if units:
        return load_directory(units)
    for place in near:
        found = find_directory(place) if place.parent.exists() or place.exists() else None
        if found:
            return load_directory(found)
    return None


def convert(doc: Document, directory: Directory | None) -> tuple[Draft, str, list[str], set[str]]:
    """Document -> (draft, source text, warnings, notice-like things found); pure."""
    draft, warnings, found = recognise(doc, directory)
    return draft, write(draft, Path(doc.name).name), warnings, found


def import_file(path: str | Path, output: str | Path | None = None, *, units: str | Path | None = None,
                add_units: bool = False, directory: Directory | None = None,
                overwrite: bool = True) -> Imported:
    """Import one file; write the source (atomically); raise ImportFailure when nothing notice-like is there."""
    path = Path(path)
    doc = read_document(path)
    # Beside the file by default, never over a source already there (103.docx beside 103.yaml).
    out = Path(output) if output else _free(path.with_suffix(".yaml"))
    if out.is_dir():
        out = out / default_name(path, None)
    if out.resolve() == path.resolve():
        raise ImportFailure(_("{path}: found the output to be the file read, expected -o with another file name").format(path=path))
    if directory is None:
        directory = units_for(units, out, path)
    draft, text, warnings, found = convert(doc, directory)
    if not found or (found <= {"title"} and not draft.all_items):
        raise ImportFailure(_("{path}: found nothing notice-like (no number line, date line, THÔNG BÁO, numbered items or 'Nơi nhận:'), expected a notice").format(path=path), "not_notice")
    for key, what in NOTICE_LIKE.items():
        if key not in found:
            warnings.append(_(what))
    if not overwrite:
        out = _free(out)
    write_atomic(out, text.encode("utf-8"))
    result = Imported(path, out, draft, warnings)
    result.unvalidated = _loads(out, draft)
    result.warnings.extend(result.unvalidated)
    if add_units and directory is not None and draft.unknown_units:
        result.units_added = append_units(directory, draft.unknown_units, path.name)
    return result


def _loads(out: Path, draft: Draft) -> list[str]:
    """Problems that keep the written source from rendering (it is written anyway, for the clerk to finish)."""
    from .. import source as source_mod
    from ..validate import (
        build_notice,  # not api: the import command needs no docx renderer
    )

    try:
        build_notice(source_mod.load(out), require_number=draft.number is not None)
    except SourceError as exc:
        return [_("the source does not validate yet: {problem}").format(problem=p) for p in exc.problems]
    except ThongbaoError as exc:
        return [_("the source does not validate yet: {problem}").format(problem=exc.message)]
    return []


def default_name(path: Path, draft: Draft | None) -> str:
    """``103-TB-BCD.yaml`` from the number and codes, else the input's name."""
    if draft is not None and draft.number is not None and draft.body_code and "number" not in draft.notes \
            and "body_code" not in draft.notes:
        stem = f"{draft.number:02d}-{draft.type_code or 'TB'}-{draft.body_code}"
    else:
        stem = path.stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_fold(stem)).strip("-") or "notice"
    return stem + ".yaml"


def _free(path: Path) -> Path:
    """``path``, or ``path`` with -2, -3 ... when it exists already (a batch never overwrites)."""
    if not path.exists():
        return path
    k = 2
    while (candidate := path.with_name(f"{path.stem}-{k}{path.suffix}")).exists():
        k += 1
    return candidate


def append_units(directory: Directory, unknown: dict[str, str | None], origin: str) -> list[str]:
    """Append unknown names to the units file as new units (marked for the clerk to check)."""
    from ..units import name_key

    path = Path(directory.path)
    text = path.read_text(encoding="utf-8")
    last_key = [m.group(1) for m in re.finditer(r"^([A-Za-z_]+):", text, re.MULTILINE)]
    if not last_key or last_key[-1] != "units":
        raise ImportFailure(_("{path}: found 'units:' not last in the file, expected the units list at the end to append new units to (or add them by hand)").format(path=path))
    ids = {u.id for u in directory.units} | {g.id for g in directory.groups}
    known = {name_key(n) for u in (*directory.units, *directory.groups) for n in (u.name, *u.aliases)}
    lines = [f"  # Added by thongbao import from {origin}: check each name, give it its groups."]
    added = []
    for name, close in unknown.items():
        if name_key(name) in known:
            continue
        base = re.sub(r"[^a-z0-9]+", "-", ascii_fold(name).lower()).strip("-") or "unit"
        uid, k = base, 2
        while uid in ids:
            uid, k = f"{base}-{k}", k + 1
        ids.add(uid)
        known.add(name_key(name))
        hint = f"  # CHECK: new unit (closest known: {close})" if close else "  # CHECK: new unit"
        lines.append(f"  - {{id: {uid}, name: {quote_flow(name)}}}{hint}")
        added.append(name)
    if added:
        sep = "" if text.endswith("\n") else "\n"
        write_atomic(path, (text + sep + "\n".join(lines) + "\n").encode("utf-8"))
    return added


def quote_flow(name: str) -> str:
    from .writer import plain_ok

    return name if plain_ok(name) and not any(c in name for c in ",[]{}") else '"' + name.replace('"', '\\"') + '"'


@dataclass
class Batch:
    imported: list[Imported] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def notice_files(folder: Path) -> list[Path]:
    """The files of ``folder`` (and below) that import reads, in name order; lock files and hidden ones left out."""
    out = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", ".")):
            out.append(p)
    return out


def import_folder(folder: str | Path, out_dir: str | Path, *, units: str | Path | None = None,
                  add_units: bool = False,
                  progress: Callable[[list[Path]], Iterable[Path]] | None = None,
                  converting: Callable[[int], None] | None = None) -> Batch:
    """Import every notice of ``folder`` into ``out_dir`` (YEAR/NUMBER-TYPE-BODY.yaml); never stop for one file."""
    folder, out_dir = Path(folder), Path(out_dir)
    if not folder.is_dir():
        raise ImportFailure(_("{folder}: found no such folder, expected a folder of notices").format(folder=folder))
    files = notice_files(folder)
    directory = units_for(units, out_dir / "x.yaml", folder / "x")
    batch = Batch()
    old = [p for p in files if p.suffix.lower() in CONVERTED_SUFFIXES]
    if converting and len(old) > 1:
        converting(len(old))  # the one LibreOffice run comes first and takes a while
    converted = _convert_together(old)
    for path in (progress(files) if progress else _each(files)):
        try:
            doc = read_document(path, converted.get(path))
            draft, text, warnings, found = convert(doc, directory)
            if not found or (found <= {"title"} and not draft.all_items):
                raise ImportFailure(_("{path}: found nothing notice-like, expected a notice").format(path=path), "not_notice")
            year = (draft.date or "")[:4] if "date" not in draft.notes else ""
            out = _free(out_dir / year / default_name(path, draft) if year else out_dir / default_name(path, draft))
            write_atomic(out, text.encode("utf-8"))
            result = Imported(path, out, draft, warnings)
            if add_units and directory is not None and draft.unknown_units:
                result.units_added = append_units(directory, draft.unknown_units, path.name)
                directory = units_for(directory.path)
            batch.imported.append(result)
        except ThongbaoError as exc:
            batch.failed.append((path, exc.format_message().splitlines()[0]))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            batch.failed.append((path, _("{path}: found an unexpected problem ({problem}), expected a readable notice").format(
                path=path, problem=f"{type(exc).__name__}: {exc}")))
    return batch


def _convert_together(paths: list[Path]) -> dict[Path, bytes]:
    """.doc/.odt files of a folder converted in one LibreOffice run (each file left out is converted alone)."""
    if len(paths) < 2:
        return {}
    from ..docx.convert import to_docx_many

    try:
        return to_docx_many(paths)
    except ConversionError:
        return {}  # no LibreOffice: each file then says so on its own line


def _each(files: list[Path]) -> Iterator[Path]:
    yield from files
