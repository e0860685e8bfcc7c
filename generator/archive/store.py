"""The archive's folders: staging a version, putting it in place, cleaning up after a crash.

    ARCHIVE/
      register.sqlite3                      the register (register.py)
      documents/00001-103-TB-BCD/v1/        one folder per document, one per version
          103-TB-BCD.yaml  103-TB-BCD.docx  103-TB-BCD.extract-01.docx ...  manifest.json
      objects/sha256/ab/abcd...             each distinct file's bytes once (objects.py); the
                                            version folders hold hard links to them
      .staging/                             versions being written (empty between issues)

A version is written whole into .staging, fsynced, then renamed into place
in one step, all while the issuing process holds the register's write lock;
the register row is committed after the rename. A crash therefore leaves at
most a staged folder or a placed folder without a register row: the next
issue, holding the same lock, removes exactly those.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
from pathlib import Path

from ..output import fsync_dir
from . import objects
from .errors import ArchiveError, problem
from .files import OutFile
from .register import REGISTER_NAME, Register

DOCUMENTS = "documents"
STAGING = ".staging"
MANIFEST = "manifest.json"
# Files SQLite keeps beside the register while it works.
REGISTER_FILES = {REGISTER_NAME, f"{REGISTER_NAME}-journal", f"{REGISTER_NAME}-wal", f"{REGISTER_NAME}-shm"}
DOC_FOLDER = re.compile(r"^(\d{5,})-[A-Za-z0-9-]+$")
VERSION_FOLDER = re.compile(r"^v([1-9]\d*)$")
READ_ONLY_FILE = 0o444
READ_ONLY_DIR = 0o555


def doc_folder_name(doc_id: int, stem: str) -> str:
    return f"{doc_id:05d}-{stem}"


def version_dir(archive: Path, folder: str, version: int) -> Path:
    return archive / DOCUMENTS / folder / f"v{version}"


def check_not_orphaned(archive: Path) -> None:
    """Refuse an archive whose register is gone but whose documents are not."""
    docs = archive / DOCUMENTS
    if not (archive / REGISTER_NAME).exists() and docs.is_dir() and any(docs.iterdir()):
        raise ArchiveError(problem(archive / REGISTER_NAME, "", "no register beside filed documents",
                                   "the register of this archive (restore register.sqlite3 from a backup)"))


def file_version(archive: Path, folder: str, version: int, files: list[OutFile], manifest: bytes,
                 fault=lambda point: None) -> Path:
    """Write the version into .staging, then rename it into place; return its folder."""
    staging = archive / STAGING / secrets.token_hex(8)
    target_doc = archive / DOCUMENTS / folder
    target = target_doc / f"v{version}"
    new_document = version == 1
    if target.exists() or (new_document and target_doc.exists()):
        raise ArchiveError(problem(target, "", "a folder already there", "a new version folder (run 'thongbao verify')"))
    try:
        built = staging / folder / "v1" if new_document else staging / f"v{version}"
        built.mkdir(parents=True)
        for f in files:
            # One copy per content (objects.py): a link into the store, else a copy of its own.
            if not objects.place(archive, built / f.name, f.data, f.sha256):
                _write_new(built / f.name, f.data)
        _write_new(built / MANIFEST, manifest)
        fsync_dir(built)
        fault("staged")
        (archive / DOCUMENTS).mkdir(exist_ok=True)
        os.rename(staging / folder if new_document else built, target_doc if new_document else target)
        fsync_dir(archive / DOCUMENTS)
        fsync_dir(target_doc)
        os.chmod(target, READ_ONLY_DIR)
        _remove_tree(staging)
    except OSError as exc:
        _remove_tree(staging)
        raise ArchiveError(problem(target, "", f"a write that failed ({exc.strerror or exc})",
                                   "a writable archive folder")) from None
    return target


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, READ_ONLY_FILE)


def _remove_tree(path: Path) -> None:
    """Remove a folder we wrote, read-only parts included."""
    if not path.exists():
        return
    for folder, dirs, _ in os.walk(path):
        for d in (folder, *(os.path.join(folder, d) for d in dirs)):
            os.chmod(d, stat.S_IRWXU)
    shutil.rmtree(path)


def leftovers(archive: Path, register: Register) -> list[Path]:
    """What an interrupted issue can have left: staged folders, a placed folder with no row.

    Only the one document id and the one version number an interrupted issue
    could have used count; anything else unknown is for verify to report.
    """
    found: list[Path] = []
    staging = archive / STAGING
    if staging.is_dir():
        found.extend(sorted(staging.iterdir()))
    docs = archive / DOCUMENTS
    if not docs.is_dir():
        return found
    known = {d.folder: d for d in register.documents()}
    next_id = register.next_document_id()
    for entry in sorted(docs.iterdir()):
        m = DOC_FOLDER.match(entry.name)
        if not m or not entry.is_dir():
            continue
        doc = known.get(entry.name)
        if doc is None:
            if int(m.group(1)) == next_id:
                found.append(entry)
            continue
        latest = register.latest(doc.id).version
        extra = entry / f"v{latest + 1}"
        if extra.is_dir():
            found.append(extra)
    return found


def clean_leftovers(archive: Path, register: Register) -> list[Path]:
    """Remove what an interrupted issue left; call only while holding the write lock."""
    removed = leftovers(archive, register)
    for path in removed:
        _remove_tree(path)
    return removed
