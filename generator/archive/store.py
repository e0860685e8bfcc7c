"""The archive's folders: staging a version, putting it in place, telling a crash's leftover
from a filed document, and rebuilding the register from the manifests.

    ARCHIVE/
      register.sqlite3                      the register (register.py)
      register.head                         the last link of the register's hash chain, after each issue
      documents/00001-103-TB-BCD/v1/        one folder per document, one per version
          103-TB-BCD.yaml  103-TB-BCD.docx  103-TB-BCD.extract-01.docx ...  manifest.json
      objects/sha256/ab/abcd...             each distinct file's bytes once (objects.py); the
                                            version folders hold hard links to them
      .staging/TOKEN/                       versions being written (empty between issues)

An issue reserves its number in the register (a committed row of
``reservations`` naming its process), renders and writes the version whole
into ``.staging/TOKEN`` without the lock, then, under the lock, renames it into
place and commits its rows in one transaction that also drops the reservation.

What a crash can leave, and what the next issue does with it (under the lock):
- a reservation whose process is gone, and perhaps ``.staging/TOKEN``: removed
  (nothing there was ever filed; the number is free again);
- the version renamed into place but its rows not committed (the reservation
  still there): the version is complete, so its rows are added from its
  manifest (never removed: a placed version is a filed document).
A folder in ``documents/`` that neither the register nor a reservation knows
is a filed document the register lost (a register restored from an older
backup, rows deleted behind the triggers): issue stops and names it, and
``thongbao verify --rebuild-register`` adds its rows from the manifests. No
file under ``documents/`` is ever removed.

Finding leftovers reads the reservations, ``.staging`` and ``register.head``
only, never every filed document.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError, os_reason
from ..i18n import N_, _
from ..output import fsync_dir, pid_alive, remove_tree, write_atomic
from . import objects
from .errors import ArchiveError, problem
from .files import OutFile
from .register import (
    GENESIS,
    REGISTER_NAME,
    DocumentRow,
    FileRow,
    Link,
    Register,
    Reservation,
    VersionRow,
    copies_from_manifest,
)

DOCUMENTS = "documents"
STAGING = ".staging"
MANIFEST = "manifest.json"
HEAD_NAME = "register.head"
# Files SQLite keeps beside the register while it works, and the chain head.
REGISTER_FILES = {REGISTER_NAME, f"{REGISTER_NAME}-journal", f"{REGISTER_NAME}-wal", f"{REGISTER_NAME}-shm",
                  HEAD_NAME}


def register_file(name: str) -> bool:
    """The register, SQLite's files beside it, the head, and the head's temporary file while it is written."""
    return name in REGISTER_FILES or (name.startswith(f".{HEAD_NAME}.") and name.endswith(".tmp"))
DOC_FOLDER = re.compile(r"^(\d{5,})-[A-Za-z0-9-]+$")
VERSION_FOLDER = re.compile(r"^v([1-9]\d*)$")
READ_ONLY_FILE = 0o444
READ_ONLY_DIR = 0o555
# A reservation made on another computer (a shared folder) counts as abandoned after this long.
REMOTE_STALE = 15 * 60.0
HOST = socket.gethostname()
REBUILD_HINT = N_("'thongbao verify --rebuild-register' adds its rows from the manifests")


def doc_folder_name(doc_id: int, stem: str) -> str:
    return f"{doc_id:05d}-{stem}"


def version_dir(archive: Path, folder: str, version: int) -> Path:
    return archive / DOCUMENTS / folder / f"v{version}"


def check_not_orphaned(archive: Path) -> None:
    """Refuse an archive whose register is gone but whose documents are not."""
    docs = archive / DOCUMENTS
    if not (archive / REGISTER_NAME).exists() and docs.is_dir() and any(docs.iterdir()):
        raise ArchiveError(problem(archive / REGISTER_NAME, "", _("no register beside filed documents"),
                                   _("the register of this archive (restore register.sqlite3 from a backup, or 'thongbao verify --rebuild-register' to make it again from the manifests)")))


# Staging and placing ---------------------------------------------------------------

def staging_dir(archive: Path, token: str) -> Path:
    return archive / STAGING / token


def stage_version(archive: Path, token: str, folder: str, version: int, files: list[OutFile],
                  manifest: bytes, fault=lambda point: None) -> Path:
    """Write the version whole into .staging/TOKEN (no lock needed); return the folder to rename."""
    staging = staging_dir(archive, token)
    built = staging / folder / "v1" if version == 1 else staging / f"v{version}"
    try:
        built.mkdir(parents=True)
        for f in files:
            # One copy per content (objects.py): a link into the store, else a copy of its own.
            if not objects.place(archive, built / f.name, f.data, f.sha256):
                _write_new(built / f.name, f.data)
        _write_new(built / MANIFEST, manifest)
        fsync_dir(built)
        fault("staged")
    except OSError as exc:
        remove_tree(staging)
        raise _write_failed(built, exc) from None
    return staging / folder if version == 1 else built


def place_version(archive: Path, token: str, folder: str, version: int) -> Path:
    """Rename the staged version into place (under the lock, before the commit); return its folder."""
    staging = staging_dir(archive, token)
    target_doc = archive / DOCUMENTS / folder
    target = target_doc / f"v{version}"
    new_document = version == 1
    if target.exists() or (new_document and target_doc.exists()):
        raise ArchiveError(problem(target, "", _("a folder already there, not in the register"),
                                   _("a new version folder ({REBUILD_HINT})").format(REBUILD_HINT=_(REBUILD_HINT))))
    try:
        (archive / DOCUMENTS).mkdir(exist_ok=True)
        os.rename(staging / folder if new_document else staging / f"v{version}", target_doc if new_document else target)
        fsync_dir(archive / DOCUMENTS)
        fsync_dir(target_doc)
        os.chmod(target, READ_ONLY_DIR)
    except OSError as exc:
        raise _write_failed(target, exc) from None
    return target


def drop_staging(archive: Path, token: str) -> None:
    try:
        remove_tree(staging_dir(archive, token))
    except OSError:
        pass


def _write_failed(path: Path, exc: OSError) -> ArchiveError:
    what = os_reason(exc)
    if exc.errno in (28, 122):
        return ArchiveError(_("the disk is full: ") + problem(path, "", _("a write that failed ({what})").format(what=what),
                                                           _("free space for the archive")))
    return ArchiveError(problem(path, "", _("a write that failed ({what})").format(what=what), _("a writable archive folder")))


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, READ_ONLY_FILE)


# The chain head kept beside the register -------------------------------------------

def read_head(archive: Path) -> tuple[int, str] | None:
    try:
        seq, digest = (archive / HEAD_NAME).read_text(encoding="ascii").split()[:2]
        return int(seq), digest
    except (OSError, ValueError):
        return None


def write_head(archive: Path, link: Link | None) -> None:
    """Best effort, after the commit: a head left behind is harmless (only one ahead of the register tells)."""
    if link is not None:
        try:
            write_atomic(archive / HEAD_NAME, f"{link.seq} {link.hash}\n".encode("ascii"))
        except OutputError:
            pass


def head_problem(archive: Path, reg: Register) -> str | None:
    """Why the register is not the one that filed the documents (older, or rows gone), or None.

    Constant time: the head file against the register's last link (which the
    register's rows must still give). A head one link behind is a crash between
    the commit and the head's write.
    """
    if not reg.chained:
        return None
    last = reg.last_link()
    if last is not None and reg.link_hash(last.seq, last.previous, last.document_id, last.version) != last.hash:
        return _("a register whose last entry (link {seq}) no longer matches its rows").format(seq=last.seq)
    head = read_head(archive)
    if head is None:
        return None
    seq, digest = head
    have = last.seq if last else 0
    if seq > have:
        return _("a register older than the documents (its chain ends at link {have}, {head} at {seq})").format(
            have=have, head=HEAD_NAME, seq=seq)
    link = reg.link_at(seq) if seq else None
    if seq and (link is None or link.hash != digest):
        return _("a register whose chain differs from {head} at link {seq}").format(head=HEAD_NAME, seq=seq)
    return None


# Reservations and leftovers ------------------------------------------------------------

def abandoned(r: Reservation, now: float | None = None) -> bool:
    """Whether the issue that made ``r`` is gone (its process ended, or, elsewhere, long ago)."""
    if r.host == HOST:
        return not pid_alive(r.pid)
    return (time.time() if now is None else now) - r.started > REMOTE_STALE


@dataclass
class Leftovers:
    remove: list[Path]                       # staged folders and what else holds nothing filed
    complete: list[tuple[Reservation, Path]]  # placed versions whose rows were not committed
    stale: list[Reservation]


def leftovers(archive: Path, reg: Register) -> Leftovers:
    """What interrupted issues left: reads the reservations and .staging only."""
    reservations = reg.reservations()
    live = {r.token for r in reservations if not abandoned(r)}
    stale = [r for r in reservations if r.token not in live]
    out = Leftovers([], [], stale)
    staging = archive / STAGING
    if staging.is_dir():
        out.remove.extend(p for p in sorted(staging.iterdir()) if p.name not in live)
    for r in stale:
        placed = version_dir(archive, r.folder, r.version)
        if placed.is_dir() and not _registered(reg, r.document_id, r.version):
            out.complete.append((r, placed))
    return out


def _registered(reg: Register, doc_id: int, version: int) -> bool:
    return reg.conn.execute("SELECT 1 FROM versions WHERE document_id = ? AND version = ?",
                            (doc_id, version)).fetchone() is not None


def clean_leftovers(archive: Path, reg: Register) -> tuple[list[Path], list[Path]]:
    """Under the write lock: remove staged leftovers, record placed versions; return (removed, completed)."""
    found = leftovers(archive, reg)
    completed: list[Path] = []
    for r, placed in found.complete:
        manifest = complete_manifest(placed)
        if manifest is None or manifest["document_id"] != r.document_id or manifest["version"] != r.version:
            raise ArchiveError(problem(placed, "", _("a version an interrupted issue placed that does not match its manifest"), _("a complete version ({REBUILD_HINT} when it is whole)").format(REBUILD_HINT=_(REBUILD_HINT))))
        record_version(reg, placed, manifest)
        completed.append(placed)
    for path in found.remove:
        remove_tree(path)
    done = {id(r) for r, _ in found.complete}
    for r in found.stale:
        if id(r) not in done:
            reg.free_copies(r.token)
        reg.release(r.token)
        if r.version == 1 and id(r) not in done:
            reg.free_number(r.series, r.number)
    return found.remove, completed


# Filed documents the register does not know ---------------------------------------------

def complete_manifest(version_folder: Path) -> dict | None:
    """The manifest of a version folder if it is complete: it parses, and every file it lists is there
    with its SHA-256 and size. None otherwise."""
    try:
        m = json.loads((version_folder / MANIFEST).read_text(encoding="utf-8"))
        for f in m["files"]:
            data = (version_folder / f["name"]).read_bytes()
            if len(data) != f["size"] or hashlib.sha256(data).hexdigest() != f["sha256"]:
                return None
        int(m["document_id"]), int(m["version"]), int(m["number"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return m


def unknown_versions(archive: Path, reg: Register) -> list[Path]:
    """Every version folder under documents/ the register has no row for (reads every folder name)."""
    docs = archive / DOCUMENTS
    if not docs.is_dir():
        return []
    known = {d.folder: d for d in reg.documents()}
    found: list[Path] = []
    for entry in sorted(docs.iterdir()):
        if not DOC_FOLDER.match(entry.name) or not entry.is_dir():
            continue
        doc = known.get(entry.name)
        have = {v.version for v in reg.versions(doc.id)} if doc else set()
        for sub in sorted(entry.iterdir(), key=lambda p: _version_no(p.name)):
            if VERSION_FOLDER.match(sub.name) and sub.is_dir() and _version_no(sub.name) not in have:
                found.append(sub)
    return found


def _version_no(name: str) -> int:
    m = VERSION_FOLDER.match(name)
    return int(m.group(1)) if m else 0


def describe_unknown(folder: Path, manifest: dict) -> str:
    return problem(folder, "", _("a filed document the register does not know ({symbol} version {version}, issued {issued_at})").format(symbol=manifest['symbol'], version=manifest['version'], issued_at=manifest['issued_at']),
                   _("its rows in the register (restored from an older backup?): {REBUILD_HINT}").format(REBUILD_HINT=_(REBUILD_HINT)))


def record_version(reg: Register, folder: Path, m: dict) -> None:
    """Add the rows of a complete version folder from its manifest (inside a write transaction)."""
    manifest_sha = hashlib.sha256((folder / MANIFEST).read_bytes()).hexdigest()
    doc_id, version = int(m["document_id"]), int(m["version"])
    existing = reg.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    doc_folder = folder.parent.name
    if existing is None:
        if version != 1 and not (folder.parent / "v1").is_dir():
            raise ArchiveError(problem(folder, "", _("a version whose document has no first version"),
                                       _("version 1 of the document beside it")))
        taken = reg.conn.execute("SELECT symbol, folder FROM documents WHERE series = ? AND number = ?",
                                 (m["series"], m["number"])).fetchone()
        if taken is not None:
            raise ArchiveError(problem(folder, "number", _("{symbol}, which the register gives to {folder}").format(symbol=m['symbol'], folder=taken['folder']), _("one document per number of a series")))
        first = m if version == 1 else json.loads((folder.parent / "v1" / MANIFEST).read_text(encoding="utf-8"))
        reg.add_document(DocumentRow(
            id=doc_id, style=m["style"], body_code=m["body_code"], type_code=m["type_code"],
            issuing_body=" ".join(first["issuing_body"]), number=m["number"], symbol=m["symbol"],
            series=m["series"], doc_date=_date(first["date"]), folder=doc_folder,
            number_assigned=bool(m["number_assigned"]), source_path=""))
    elif existing["folder"] != doc_folder:
        raise ArchiveError(problem(folder, "document_id", _("id {doc_id}, which the register gives to {folder}").format(doc_id=doc_id, folder=existing['folder']), _("a document id of its own")))
    signer = m["signer"]
    reg.add_version(VersionRow(
        document_id=doc_id, version=version, issued_at=m["issued_at"], reason=m["reason"], doc_date=_date(m["date"]),
        document_type=m["document_type"], subject=m["subject"], signer=signer["name"],
        signer_title=" ".join(filter(None, (signer["authority"], *signer["title"]))),
        recipients=tuple(m["recipients"]), given_sha256=m["source"]["given_sha256"], manifest_sha256=manifest_sha,
        generator_version=m["generator"]["version"], template_name=m["template"]["name"],
        template_sha256=m["template"]["sha256"]),
        [FileRow(f["name"], f["role"], f["sha256"], f["size"]) for f in m["files"]])
    reg.add_copies(copies_from_manifest(m))


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def rebuild(archive: Path, reg: Register) -> list[Path]:
    """Add the rows of every complete version folder the register lacks (inside a write transaction).

    Incomplete folders are left alone (verify reports them); nothing is removed.
    Returns the version folders recorded.
    """
    added: list[Path] = []
    for r in reg.reservations():
        if abandoned(r):
            reg.release(r.token)
    for folder in unknown_versions(archive, reg):
        m = complete_manifest(folder)
        if m is None:
            continue
        record_version(reg, folder, m)
        added.append(folder)
    return added


__all__ = ["GENESIS", "abandoned", "check_not_orphaned", "clean_leftovers", "complete_manifest",
           "describe_unknown", "doc_folder_name", "drop_staging", "head_problem", "leftovers", "place_version",
           "read_head", "rebuild", "record_version", "stage_version", "unknown_versions", "write_head"]
