"""Issue a notice: give it its number, record it in the register, file what went out.

read source -> validate -> (write lock, briefly) clean up after a crash, find or
number the document, reserve the number -> render every file and stage them,
without the lock -> (write lock, briefly) rename into place and commit the rows.
Rendering, the slow part, runs outside the lock, so concurrent issues render
side by side; the reservation keeps their numbers apart (see store.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .. import source as source_mod
from ..config import Config, load_config
from ..context import number_symbol
from ..copies import CopySettings, check_settings, copy_code, copy_date, copy_symbol
from ..errors import SourceError
from ..i18n import _
from ..model import Notice
from ..validate import build_notice
from .errors import ArchiveError, IssueError, problem
from .files import (
    EXTRACT,
    NOTICE,
    OUTGOING,
    SOURCE,
    TEMPLATE,
    OutFile,
    extracts_available,
    file_stem,
    outgoing_files,
    read_template,
)
from .numbering import (
    Series,
    add_number_line,
    copy_series,
    copy_series_label,
    series_for,
)
from .register import (
    LOCK_TIMEOUT,
    CopyRow,
    DocumentRow,
    FileRow,
    Register,
    Reservation,
    VersionRow,
    guarded,
)
from .store import (
    DOCUMENTS,
    HOST,
    MANIFEST,
    REBUILD_HINT,
    abandoned,
    check_not_orphaned,
    clean_leftovers,
    complete_manifest,
    describe_unknown,
    doc_folder_name,
    drop_staging,
    head_problem,
    place_version,
    stage_version,
    unknown_versions,
    write_head,
)

# For tests of an interrupted issue: THONGBAO_FAULT=<point> makes the process
# end abruptly (os._exit) at that point. Points: reserved (rendered, the number reserved),
# staged, placed (renamed into place, rows not committed), committed (before register.head).
FAULT_ENV = "THONGBAO_FAULT"
FAULT_EXIT = 75
MANIFEST_FORMAT = "thongbao-archive/1"


def _fault(point: str) -> None:
    if os.environ.get(FAULT_ENV) == point:
        os._exit(FAULT_EXIT)


@dataclass
class IssueResult:
    status: str                 # "issued" or "unchanged"
    symbol: str                 # "103-TB/BCĐ"
    number: int
    version: int                # the version filed, or the latest one if unchanged
    folder: Path
    files: list[Path]
    number_assigned: bool       # issue gave the number (the source had none)
    warnings: list[str] = field(default_factory=list)
    cleaned: list[Path] = field(default_factory=list)      # what interrupted issues left, removed
    completed: list[Path] = field(default_factory=list)    # versions they placed, now recorded


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Source:
    """A checked source, before the lock: what issue needs to know of it."""

    path: Path
    given: bytes
    notice: Notice
    series: Series
    units_file: Path | None
    warnings: list[str]
    copy: CopySettings | None = None                           # who makes the extracts' copies
    copy_units: list[tuple[str, str]] = field(default_factory=list)  # (unit id, name) of each extract

    @property
    def sha256(self) -> str:
        return sha256(self.given)

    @property
    def key(self) -> str:
        return str(self.path.resolve())

    def filed(self, number: int) -> bytes:
        """The source as filed: as given, or with the number issue gave it."""
        return self.given if self.notice.number else add_number_line(self.given, number, str(self.path))


def _check_source(source: Path, cfg: Config, template: str | Path | None, units: str | Path | None) -> _Source:
    """Read and validate the source and everything it needs, so that issue fails before taking a number."""
    given = _read(source)
    src = source_mod.load(source)
    notice = build_notice(src, require_number=False)
    warnings = [str(p) for p in src.warnings]
    units_file = _units_file(source, units, notice, src)
    if _read(source) != given:
        raise IssueError(problem(source, "", _("a file that changed while it was read"), _("a source nobody is saving")))
    if notice.number == 0:
        add_number_line(given, 1, str(source))
    read_template(notice, template)
    series = series_for(notice, cfg)
    if not series.term_configured and notice.number == 0:
        warnings.append(problem(cfg.path or "thongbao.ini", f"party-terms.{notice.body_code}", _("no term start"),
                                _("the date the current term began, e.g. '{body_code} = 2020-07-20' (numbering now runs over every {type_code}/{body_code} document)").format(body_code=notice.body_code, type_code=notice.type_code)))
    out = _Source(source, given, notice, series, units_file, warnings)
    if units_file is not None:
        out.copy, out.copy_units = _copies_of(notice, cfg, units_file)
        code = copy_code(notice, out.copy)
        if out.copy_units and not copy_series(notice, code, copy_date(notice, out.copy), cfg).term_configured:
            warnings.append(problem(cfg.path or "thongbao.ini", f"party-terms.{code}", _("no term start"),
                                    _("the date the current term began, e.g. '{code} = 2020-07-20' or '* = ...' (the copy numbers now run over every copy of that body)").format(code=code)))
    return out


def _copies_of(notice: Notice, cfg: Config, units_file: Path) -> tuple[CopySettings, list[tuple[str, str]]]:
    """The [copies] settings (checked) and the units that get a trích sao, in order."""
    from ..extracts import extract_units
    from ..units import load_directory

    settings = cfg.copies_for(notice.body_code)
    problems = check_settings(notice, settings, str(cfg.path or "thongbao.ini"))
    if problems:
        raise SourceError(problems)
    return settings, [(u.id, u.name) for u in extract_units(notice, load_directory(units_file))]


def _reserve_copy_numbers(reg: Register, notice: Notice, src: _Source, cfg: Config, token: str) -> dict[str, int]:
    """Numbers of the copy register for this version's extracts (unit id -> number): first any an abandoned
    issue left behind, then the next ones of the series (consecutive unless such were left), reserved
    for the issue ``token`` in a short transaction of their own."""
    if src.copy is None or not src.copy_units:
        return {}
    series = copy_series(notice, copy_code(notice, src.copy), copy_date(notice, src.copy), cfg)
    with reg.writing():
        numbers = reg.reserve_copies(token, series, len(src.copy_units))
    return {unit_id: n for (unit_id, _), n in zip(src.copy_units, numbers)}


def _copy_rows(notice: Notice, src: _Source, cfg: Config, doc_id: int, version: int, numbers: dict[str, int],
               files: list[OutFile]) -> list[CopyRow]:
    if src.copy is None or not numbers:
        return []
    code, on = copy_code(notice, src.copy), copy_date(notice, src.copy)
    label = copy_series_label(copy_series(notice, code, on, cfg))
    names = {f.about.get("unit"): f.name for f in files if f.role == EXTRACT}
    return [CopyRow(label, notice.style, code, numbers[unit_id], copy_symbol(notice.style, code, numbers[unit_id]),
                    on, doc_id, version, unit_id, unit_name, names.get(unit_id, ""))
            for unit_id, unit_name in src.copy_units if unit_id in numbers]


@dataclass
class _Plan:
    """What the first, short transaction decided: the document, its number and version, reserved."""

    doc: DocumentRow
    new_document: bool
    numbered: Notice
    previous: VersionRow | None
    cleaned: list[Path]
    completed: list[Path]

    @property
    def version(self) -> int:
        return self.previous.version + 1 if self.previous else 1


@guarded
def issue(source: str | Path, *, archive: str | Path | None = None, config: Config | None = None,
          config_path: str | Path | None = None, template: str | Path | None = None,
          units: str | Path | None = None, reason: str | None = None, new: bool = False,
          now: dt.datetime | None = None) -> IssueResult:
    """Issue ``source`` into the archive; see the module docstring for the steps."""
    source = Path(source)
    cfg = config or load_config(config_path, near=source.parent)
    archive_dir = cfg.archive_dir(archive)
    if reason is not None and not reason.strip():
        raise IssueError(problem(source, "--reason", _("an empty reason"), _("what the correction changes and why")))
    reason = " ".join(reason.split()) if reason else None
    src = _check_source(source, cfg, template, units)
    check_not_orphaned(archive_dir)
    issued_at = (now or dt.datetime.now()).astimezone().isoformat(timespec="seconds")
    token = secrets.token_hex(8)

    with Register(archive_dir, create=True) as reg:
        plan = _reserve(reg, archive_dir, src, new, reason, token)
        doc, numbered, previous, version = plan.doc, plan.numbered, plan.previous, plan.version
        committed = placed = False
        try:
            # Unchanged is judged with the copy numbers the latest version sent; a new version's copies are new
            # copies, numbered from the copy register (reserved like the document's number).
            copy_numbers = ({c.unit_id: c.number for c in reg.copies(doc.id, previous.version)}
                            if previous is not None else _reserve_copy_numbers(reg, numbered, src, cfg, token))
            files = outgoing_files(numbered, src.filed(numbered.number), template, src.units_file,
                                   copy=src.copy, copy_numbers=copy_numbers)
            if previous is not None and _same_outgoing(reg, doc, previous, files):
                with reg.writing():
                    reg.release(token)
                folder = archive_dir / DOCUMENTS / doc.folder / f"v{previous.version}"
                return IssueResult("unchanged", doc.symbol, doc.number, previous.version, folder,
                                   [folder / f.name for f in reg.files(doc.id, previous.version)],
                                   doc.number_assigned, src.warnings, plan.cleaned, plan.completed)
            if previous is not None:
                _check_correction(reg, doc, previous, files, src, reason)
                if src.copy_units:
                    copy_numbers = _reserve_copy_numbers(reg, numbered, src, cfg, token)
                    files = outgoing_files(numbered, src.filed(numbered.number), template, src.units_file,
                                           copy=src.copy, copy_numbers=copy_numbers)
            copies = _copy_rows(numbered, src, cfg, doc.id, version, copy_numbers, files)
            manifest = build_manifest(
                doc_id=doc.id, notice=numbered, version=version, reason=reason, issued_at=issued_at, files=files,
                number_assigned=doc.number_assigned, given_sha256=src.sha256, given_name=source.name,
                series=src.series, previous_manifest=previous.manifest_sha256 if previous else None,
                copies=copies)
            _fault("reserved")
            stage_version(archive_dir, token, doc.folder, version, files, manifest, _fault)
            with reg.writing():
                if not reg.release(token):
                    raise IssueError(problem(source, "", _("number {number} released by another issue, which took this one for abandoned").format(number=numbered.number), _("the command run again")))
                reg.release_copies(token)
                if plan.new_document:
                    reg.add_document(doc)
                reg.add_version(_version_row(doc.id, version, issued_at, reason, numbered, src, files, manifest),
                                [FileRow(f.name, f.role, f.sha256, len(f.data)) for f in files])
                reg.add_copies(copies)
                folder = place_version(archive_dir, token, doc.folder, version)
                placed = True
                _fault("placed")
            committed = True
            _fault("committed")
            write_head(archive_dir, reg.last_link())
        except BaseException:
            if not committed:
                _give_up(reg, archive_dir, token, keep_reservation=placed)
            raise
        finally:
            drop_staging(archive_dir, token)
    return IssueResult("issued", number_symbol(numbered), numbered.number, version, folder,
                       [folder / f.name for f in files] + [folder / MANIFEST], doc.number_assigned,
                       src.warnings, plan.cleaned, plan.completed)


def _give_up(reg: Register, archive_dir: Path, token: str, keep_reservation: bool) -> None:
    """After a failure: free the number, unless the version got into place (the next issue records it)."""
    drop_staging(archive_dir, token)
    if keep_reservation:
        return
    # The first error is the one to report; a reservation left behind is cleaned by the next issue.
    with contextlib.suppress(Exception), reg.writing():
        reg.free_copies(token)
        reg.release(token)


def _busy(reg: Register, src: _Source) -> Reservation | None:
    """A running issue of the same source, file or number: wait for it, as if issues ran one by one."""
    for r in reg.reservations():
        if abandoned(r):
            continue
        if (r.given_sha256 == src.sha256 or r.source_path == src.key
                or (src.notice.number and r.series == src.series.label and r.number == src.notice.number)):
            return r
    return None


def _reserve(reg: Register, archive_dir: Path, src: _Source, new: bool, reason: str | None, token: str) -> _Plan:
    """The first short transaction: clean up, find or number the document, reserve; wait while another
    issue of the same source or number runs."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    cleaned: list[Path] = []
    completed: list[Path] = []
    while True:
        with reg.writing():
            trouble = head_problem(archive_dir, reg)
            if trouble:
                raise ArchiveError(_unknown_document(archive_dir, reg, trouble))
            removed, recorded = clean_leftovers(archive_dir, reg)
            cleaned += removed
            completed += recorded
            if _busy(reg, src) is None:
                plan = _plan(reg, archive_dir, src, new, reason, cleaned, completed)
                reg.reserve(Reservation(
                    token=token, document_id=plan.doc.id, version=plan.version, series=plan.doc.series,
                    number=plan.doc.number, folder=plan.doc.folder, given_sha256=src.sha256, source_path=src.key,
                    pid=os.getpid(), host=HOST, started=time.time()))
                break
        if time.monotonic() > deadline:
            raise IssueError(problem(src.path, "", _("another issue of the same source or number still running after {LOCK_TIMEOUT:.0f} s").format(LOCK_TIMEOUT=LOCK_TIMEOUT), _("that issue to finish")))
        time.sleep(0.2)
    if completed:
        write_head(archive_dir, reg.last_link())
    return plan


def _plan(reg: Register, archive_dir: Path, src: _Source, new: bool, reason: str | None,
          cleaned: list[Path], completed: list[Path]) -> _Plan:
    doc = _find_document(reg, src, new)
    live = [r for r in reg.reservations() if not abandoned(r)]
    if doc is not None:
        previous = reg.latest(doc.id)
        _check_free(archive_dir, reg, archive_dir / DOCUMENTS / doc.folder / f"v{previous.version + 1}")
        numbered = dataclasses.replace(src.notice, number=doc.number)
        return _Plan(doc, False, numbered, previous, cleaned, completed)
    number = src.notice.number or _next_number(reg, src.series, live)
    numbered = dataclasses.replace(src.notice, number=number)
    symbol = number_symbol(numbered)
    if reason is not None:
        raise IssueError(problem(src.path, "--reason", _("a reason for the first issue of {symbol}").format(symbol=symbol),
                                 _("--reason only for a changed source of a number already issued")))
    doc_id = max([reg.next_document_id()] + [r.document_id + 1 for r in live])
    docs = archive_dir / DOCUMENTS
    for taken in _with_id(docs, doc_id):
        _check_free(archive_dir, reg, taken / "v1")
        _check_free(archive_dir, reg, taken)
    doc = DocumentRow(
        id=doc_id, style=numbered.style, body_code=numbered.body_code, type_code=numbered.type_code,
        issuing_body=" ".join(numbered.issuing_body), number=numbered.number, symbol=symbol,
        series=src.series.label, doc_date=numbered.date, folder=doc_folder_name(doc_id, file_stem(numbered)),
        number_assigned=src.notice.number == 0, source_path=src.key)
    return _Plan(doc, True, numbered, None, cleaned, completed)


def _with_id(docs: Path, doc_id: int) -> list[Path]:
    """The folders in ``docs`` named for document ``doc_id`` (``00042-...``), whatever their stem.

    One pass of os.scandir comparing name prefixes (not pathlib's glob, which
    matches a pattern against every name): the 10,000th issue lists a large
    folder in a few milliseconds.
    """
    prefix = f"{doc_id:05d}-"
    try:
        with os.scandir(docs) as entries:
            return sorted(Path(e.path) for e in entries if e.name.startswith(prefix))
    except OSError:
        return []


def _next_number(reg: Register, series: Series, live: list[Reservation]) -> int:
    """One more than the highest issued or reserved, unless an abandoned issue left a number behind
    that later ones went past: that one first, so the register has no gap."""
    reserved = {r.number for r in live if r.series == series.label}
    following = max([reg.next_number(series)] + [n + 1 for n in reserved])
    for n in reg.free_numbers(series.label):
        if n >= following or reg.by_number(series, n) is not None:
            reg.take_free_number(series.label, n)  # no longer behind the others, or taken since
        elif n not in reserved:
            reg.take_free_number(series.label, n)
            return n
    return following


def _check_free(archive_dir: Path, reg: Register, folder: Path) -> None:
    """Stop, naming it, at a filed document (or anything) the register does not know where a new one would go."""
    if not folder.exists():
        return
    m = complete_manifest(folder)
    if m is not None:
        raise ArchiveError(describe_unknown(folder, m))
    raise ArchiveError(problem(folder, "", _("a folder the register does not know"),
                               _("nothing there ('thongbao verify' says what it is; {REBUILD_HINT} if it is filed)").format(REBUILD_HINT=_(REBUILD_HINT))))


def _unknown_document(archive_dir: Path, reg: Register, trouble: str) -> str:
    """The one line for a register that lost rows: the first filed document it lacks, if one is found."""
    for folder in unknown_versions(archive_dir, reg):
        m = complete_manifest(folder)
        if m is not None:
            return describe_unknown(folder, m)
    return problem(reg.path, "", trouble, _("the register that filed the documents (restore the latest backup, or {REBUILD_HINT})").format(REBUILD_HINT=_(REBUILD_HINT)))


def _same_outgoing(reg: Register, doc: DocumentRow, latest: VersionRow, files: list[OutFile]) -> bool:
    """Whether what goes out (notice, extracts) is byte for byte what ``latest`` sent."""
    before = {(f.role, f.sha256) for f in reg.files(doc.id, latest.version) if f.role in OUTGOING}
    return before == {(f.role, f.sha256) for f in files if f.role in OUTGOING}


def _check_correction(reg: Register, doc: DocumentRow, latest: VersionRow, files: list[OutFile], src: _Source,
                      reason: str | None) -> None:
    had = sum(1 for f in reg.files(doc.id, latest.version) if f.role == EXTRACT)
    if had and not any(f.role == EXTRACT for f in files):
        src.warnings.append(problem(src.path, "--units", _("no units directory, where version {version} filed {had} extracts").format(version=latest.version, had=had), _("--units FILE or a units.yaml at or above the source, so that the units get the corrected extracts")))
    if reason is None:
        raise IssueError(problem(
            src.path, "", _("a source that changes {symbol} (version {version}, issued {issued_at})").format(symbol=doc.symbol, version=latest.version, issued_at=latest.issued_at),
            _("--reason \"...\" to file it as version {version} (a correction)").format(version=latest.version + 1)))


def _version_row(doc_id: int, version: int, issued_at: str, reason: str | None, notice: Notice, src: _Source,
                 files: list[OutFile], manifest: bytes) -> VersionRow:
    template = next(f for f in files if f.role == TEMPLATE)
    signature = notice.signature
    return VersionRow(
        document_id=doc_id, version=version, issued_at=issued_at, reason=reason, doc_date=notice.date,
        document_type=notice.document_type, subject=notice.subject, signer=signature.name,
        signer_title=" ".join(filter(None, (signature.authority_line, *signature.title))),
        recipients=notice.recipients, given_sha256=src.sha256, manifest_sha256=sha256(manifest),
        generator_version=__version__, template_name=template.about["original"], template_sha256=template.sha256)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        source_mod.load(path)  # raises the usual one-line SourceError
        raise


def _units_file(source: Path, units: str | Path | None, notice: Notice, src: source_mod.Source) -> Path | None:
    """The units directory for the extracts: --units, else the nearest units.yaml; None without one.

    Every unit the notice names must be in it, or a unit would miss its extract.
    """
    if not extracts_available():
        return None
    from ..units import check_addressees, find_directory, load_directory

    path = Path(units) if units else find_directory(source)
    if path is None:
        return None
    problems = check_addressees(notice, src, load_directory(path))
    if problems:
        raise SourceError(problems)
    return path


def _find_document(reg: Register, src: _Source, new: bool) -> DocumentRow | None:
    """The issued document this source is a version of, or None for a new one."""
    notice = src.notice
    if notice.number:
        doc = reg.by_number(src.series, notice.number)
        if doc is not None and (doc.type_code != notice.type_code
                                or doc.issuing_body.casefold() != " ".join(notice.issuing_body).casefold()):
            raise IssueError(problem(
                src.path, "number", _("{number}, already given to {symbol} of {doc_date:%d/%m/%Y} ({issuing_body})").format(number=notice.number, symbol=doc.symbol, doc_date=doc.doc_date, issuing_body=doc.issuing_body),
                _("a number not yet used in {describe}, or no number to take the next").format(describe=src.series.describe())))
        return doc
    doc = reg.by_given(src.sha256)
    if doc is not None or new:
        return doc
    for earlier in reg.by_source_path(src.key):
        raise IssueError(problem(
            src.path, "number", _("no number in a file issued before as {symbol} and changed since").format(symbol=earlier.symbol),
            _("'number: {number}' in it to correct {symbol} (with --reason), or --new to issue it as a new document").format(number=earlier.number, symbol=earlier.symbol)))
    return None


def build_manifest(*, doc_id: int, notice: Notice, version: int, reason: str | None, issued_at: str,
                   files: list[OutFile], number_assigned: bool, given_sha256: str, given_name: str,
                   series: Series, previous_manifest: str | None, copies: list[CopyRow] | None = None) -> bytes:
    """manifest.json of a version: what was issued, by whom, to whom, and every file's SHA-256."""
    source = next(f for f in files if f.role == SOURCE)
    template = next(f for f in files if f.role == TEMPLATE)
    notice_name = next(f.name for f in files if f.role == NOTICE)
    data = {
        "format": MANIFEST_FORMAT,
        "document_id": doc_id,
        "number": notice.number,
        "symbol": number_symbol(notice),
        "version": version,
        "reason": reason,
        "issued_at": issued_at,
        "style": notice.style,
        "type_code": notice.type_code,
        "body_code": notice.body_code,
        "series": series.label,
        "number_assigned": number_assigned,
        "document_type": notice.document_type,
        "date": notice.date.isoformat(),
        "place": notice.place,
        "superior_body": notice.superior_body,
        "issuing_body": list(notice.issuing_body),
        "subject": notice.subject,
        "signer": {
            "authority": notice.signature.authority_line,
            "title": list(notice.signature.title),
            "name": notice.signature.name,
        },
        "recipients": list(notice.recipients),
        "generator": {"name": "thongbao", "version": __version__},
        "template": {"name": template.about["original"], "sha256": template.sha256, "filed_as": template.name},
        "source": {
            "filed_as": source.name,
            "given_as": given_name,
            "given_sha256": given_sha256,
            "number_line_added": source.sha256 != given_sha256,
        },
        "previous_manifest_sha256": previous_manifest,
        # The copy register's series of the extracts' copies (each file holds its number): rows rebuilt from here.
        "copies": ({"series": copies[0].series, "style": copies[0].style, "code": copies[0].code,
                    "date": copies[0].copy_date.isoformat()} if copies else None),
        "files": [
            {"name": f.name, "role": f.role, "sha256": f.sha256, "size": len(f.data), **f.about}
            for f in files
        ],
        "reproduce": f"thongbao render {source.name} --template {template.name} -o {notice_name}",
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
