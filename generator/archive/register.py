"""The outgoing register (sổ đăng ký văn bản đi) in SQLite, inside the archive folder.

One row per issued document, one per version, one per filed file. Rows are
only ever added: triggers refuse any UPDATE or DELETE. Every issue runs in
one ``BEGIN IMMEDIATE`` transaction, so that two processes never give the
same number and an interrupted issue leaves no row behind.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from .errors import ArchiveError, problem
from .numbering import Series

P = ParamSpec("P")
T = TypeVar("T")
REGISTER_NAME = "register.sqlite3"
SCHEMA_VERSION = 1
# How long an issue waits for another one to finish before it gives up (seconds).
LOCK_TIMEOUT = 600.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    style TEXT NOT NULL,
    body_code TEXT NOT NULL,
    type_code TEXT NOT NULL,
    issuing_body TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    symbol TEXT NOT NULL,
    series TEXT NOT NULL,
    doc_date TEXT NOT NULL,
    folder TEXT NOT NULL UNIQUE,
    number_assigned INTEGER NOT NULL,
    source_path TEXT NOT NULL,
    UNIQUE (series, number)
);
CREATE INDEX IF NOT EXISTS documents_by_number ON documents (style, body_code, number);
CREATE TABLE IF NOT EXISTS versions (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    version INTEGER NOT NULL CHECK (version > 0),
    issued_at TEXT NOT NULL,
    reason TEXT,
    doc_date TEXT NOT NULL,
    document_type TEXT NOT NULL,
    subject TEXT NOT NULL,
    signer TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    recipients TEXT NOT NULL,
    given_sha256 TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    generator_version TEXT NOT NULL,
    template_name TEXT NOT NULL,
    template_sha256 TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);
CREATE INDEX IF NOT EXISTS versions_by_given ON versions (given_sha256);
CREATE TABLE IF NOT EXISTS files (
    document_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (document_id, version, name),
    FOREIGN KEY (document_id, version) REFERENCES versions (document_id, version)
);
"""
_APPEND_ONLY = "".join(
    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;\n"
    for table in ("documents", "versions", "files") for op in ("UPDATE", "DELETE")
)

# The copy register (sổ quản lý bản sao): one row per trích sao sent with a version. A separate
# statement list, created on every opening for writing, so that registers made before it get it too.
_COPIES_SCHEMA = """
CREATE TABLE IF NOT EXISTS copies (
    series TEXT NOT NULL,
    style TEXT NOT NULL,
    code TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    symbol TEXT NOT NULL,
    copy_date TEXT NOT NULL,
    document_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    unit_id TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    PRIMARY KEY (series, number),
    UNIQUE (document_id, version, unit_id),
    FOREIGN KEY (document_id, version) REFERENCES versions (document_id, version)
);
CREATE INDEX IF NOT EXISTS copies_by_code ON copies (style, code, copy_date);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS copies_no_{op.lower()} BEFORE {op} ON copies "
    f"BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;\n" for op in ("UPDATE", "DELETE"))


@dataclass(frozen=True)
class CopyRow:
    """One numbered copy (bản trích sao) in the copy register."""

    series: str
    style: str
    code: str
    number: int
    symbol: str               # 05/TrS-VP | 24-BS/VPHU
    copy_date: dt.date
    document_id: int
    version: int
    unit_id: str
    unit_name: str
    file_name: str


@dataclass(frozen=True)
class DocumentRow:
    id: int
    style: str
    body_code: str
    type_code: str
    issuing_body: str
    number: int
    symbol: str
    series: str
    doc_date: dt.date
    folder: str
    number_assigned: bool
    source_path: str


@dataclass(frozen=True)
class VersionRow:
    document_id: int
    version: int
    issued_at: str
    reason: str | None
    doc_date: dt.date
    document_type: str
    subject: str
    signer: str
    signer_title: str
    recipients: tuple[str, ...]
    given_sha256: str
    manifest_sha256: str
    generator_version: str
    template_name: str
    template_sha256: str


@dataclass(frozen=True)
class FileRow:
    name: str
    role: str
    sha256: str
    size: int


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Turn a failing register or disk into the one-line ArchiveError, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except sqlite3.Error as exc:
            raise ArchiveError(problem(REGISTER_NAME, "", f"a register error ({exc})",
                                       "a register that can be read and written")) from None
        except OSError as exc:
            raise ArchiveError(problem(exc.filename or "archive", "", f"a failed file operation "
                                       f"({exc.strerror or exc})", "a readable and writable archive")) from None

    return wrapper


def _document(row: sqlite3.Row) -> DocumentRow:
    d = dict(row)
    d["doc_date"] = dt.date.fromisoformat(d["doc_date"])
    d["number_assigned"] = bool(d["number_assigned"])
    return DocumentRow(**d)


def _version(row: sqlite3.Row) -> VersionRow:
    d = dict(row)
    d["doc_date"] = dt.date.fromisoformat(d["doc_date"])
    d["recipients"] = tuple(json.loads(d["recipients"]))
    return VersionRow(**d)


class Register:
    """A connection to the register of one archive folder."""

    def __init__(self, folder: Path, *, create: bool):
        self.folder = Path(folder)
        self.path = self.folder / REGISTER_NAME
        if not create and not self.path.is_file():
            raise ArchiveError(problem(self.folder, "", f"no register ({REGISTER_NAME})",
                                       "an archive folder made by 'thongbao issue' (or --archive DIR)"))
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            uri = self.path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
            self.conn = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(problem(self.path, "", f"a register that cannot be opened ({exc})",
                                       "a readable and writable SQLite file")) from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            if create:
                with self.writing():
                    self._create()
                    self._create_copies()
            else:
                self._check_version()
                if self.conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    raise ArchiveError(problem(self.path, "", "an empty register (no issue has finished yet)",
                                               "a register with documents ('thongbao issue' writes it)"))
        except ArchiveError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise ArchiveError(problem(self.path, "", f"a file that is not a usable register ({exc})",
                                       "the SQLite register thongbao writes")) from None

    def _check_version(self) -> None:
        found = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if found not in (0, SCHEMA_VERSION):
            raise ArchiveError(problem(self.path, "user_version", f"register format {found}",
                                       f"format {SCHEMA_VERSION} (a newer thongbao wrote this archive)"))

    def _create(self) -> None:
        if self.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        self._check_version()
        for statement in (_SCHEMA + _APPEND_ONLY).split(";\n"):
            if statement.strip():
                self.conn.execute(statement)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _create_copies(self) -> None:
        for statement in _COPIES_SCHEMA.split(";\n"):
            if statement.strip():
                self.conn.execute(statement)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Register:  # noqa: PYI034 (typing.Self needs Python 3.11)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction; it takes the register's write lock at once (BEGIN IMMEDIATE)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ArchiveError(problem(self.path, "", f"the register still locked after {LOCK_TIMEOUT:.0f} s ({exc})",
                                       "no other issue running for that long")) from None
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """A view with no issue half done: wait for the write lock, write nothing, roll back.

        On a read-only copy of an archive there is no lock to take (nobody can issue there).
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).replace("-", "").replace(" ", ""):
                raise ArchiveError(problem(self.path, "", f"the register locked ({exc})",
                                           "no issue running for that long")) from None
            self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

    # Reading ---------------------------------------------------------------

    def documents(self) -> list[DocumentRow]:
        return [_document(r) for r in self.conn.execute("SELECT * FROM documents ORDER BY id")]

    def document(self, doc_id: int) -> DocumentRow:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _document(row)

    def in_series(self, series: Series) -> list[DocumentRow]:
        """The documents of one numbering series, found by their date (the register keeps no term)."""
        sql = "SELECT * FROM documents WHERE style = ? AND body_code = ?"
        args: list[object] = [series.style, series.body_code]
        if series.type_code is not None:
            sql += " AND type_code = ?"
            args.append(series.type_code)
        if series.start is not None:
            sql += " AND doc_date >= ?"
            args.append(series.start.isoformat())
        if series.end is not None:
            sql += " AND doc_date < ?"
            args.append(series.end.isoformat())
        return [_document(r) for r in self.conn.execute(sql + " ORDER BY number", args)]

    def next_number(self, series: Series) -> int:
        return max((d.number for d in self.in_series(series)), default=0) + 1

    def by_number(self, series: Series, number: int) -> DocumentRow | None:
        return next((d for d in self.in_series(series) if d.number == number), None)

    def by_given(self, sha256: str) -> DocumentRow | None:
        """The document a source with exactly these bytes was issued as."""
        row = self.conn.execute(
            "SELECT d.* FROM documents d JOIN versions v ON v.document_id = d.id "
            "WHERE v.given_sha256 = ? ORDER BY d.id LIMIT 1", (sha256,)).fetchone()
        return _document(row) if row else None

    def by_source_path(self, path: str) -> list[DocumentRow]:
        return [_document(r) for r in self.conn.execute(
            "SELECT * FROM documents WHERE source_path = ? ORDER BY id", (path,))]

    def versions(self, doc_id: int) -> list[VersionRow]:
        return [_version(r) for r in self.conn.execute(
            "SELECT * FROM versions WHERE document_id = ? ORDER BY version", (doc_id,))]

    def all_versions(self) -> list[VersionRow]:
        return [_version(r) for r in self.conn.execute("SELECT * FROM versions ORDER BY document_id, version")]

    def latest(self, doc_id: int) -> VersionRow:
        return self.versions(doc_id)[-1]

    def files(self, doc_id: int, version: int) -> list[FileRow]:
        return [FileRow(r["name"], r["role"], r["sha256"], r["size"]) for r in self.conn.execute(
            "SELECT name, role, sha256, size FROM files WHERE document_id = ? AND version = ? ORDER BY rowid",
            (doc_id, version))]

    def max_document_id(self) -> int:
        return self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0]

    def next_document_id(self) -> int:
        """The id the next document gets (AUTOINCREMENT never reuses a committed one)."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'documents'").fetchone()
        return max(row[0] if row else 0, self.max_document_id()) + 1

    def _has_copies(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copies'").fetchone() is not None

    def copies(self, doc_id: int | None = None, version: int | None = None) -> list[CopyRow]:
        """The copy register, or the copies sent with one version of a document."""
        if not self._has_copies():
            return []
        sql, args = "SELECT * FROM copies", []
        if doc_id is not None:
            sql += " WHERE document_id = ? AND version = ?"
            args = [doc_id, version]
        rows = self.conn.execute(sql + " ORDER BY style, code, copy_date, number", args)
        return [CopyRow(**{**dict(r), "copy_date": dt.date.fromisoformat(r["copy_date"])}) for r in rows]

    def next_copy_number(self, series: Series) -> int:
        """The next number of a copy series: ``series`` gives the copying body (its code) and the dates it spans."""
        if not self._has_copies():
            return 1
        sql = "SELECT COALESCE(MAX(number), 0) FROM copies WHERE style = ? AND code = ?"
        args: list[object] = [series.style, series.body_code]
        if series.start is not None:
            sql += " AND copy_date >= ?"
            args.append(series.start.isoformat())
        if series.end is not None:
            sql += " AND copy_date < ?"
            args.append(series.end.isoformat())
        return self.conn.execute(sql, args).fetchone()[0] + 1

    def add_copies(self, rows: list[CopyRow]) -> None:
        self.conn.executemany(
            "INSERT INTO copies (series, style, code, number, symbol, copy_date, document_id, version, unit_id, "
            "unit_name, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.series, c.style, c.code, c.number, c.symbol, c.copy_date.isoformat(), c.document_id, c.version,
              c.unit_id, c.unit_name, c.file_name) for c in rows])

    def integrity(self) -> list[str]:
        rows = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    # Writing (inside writing()) -----------------------------------------------

    def add_document(self, doc: DocumentRow) -> int:
        cur = self.conn.execute(
            "INSERT INTO documents (id, style, body_code, type_code, issuing_body, number, symbol, series, doc_date, "
            "folder, number_assigned, source_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.style, doc.body_code, doc.type_code, doc.issuing_body, doc.number, doc.symbol, doc.series,
             doc.doc_date.isoformat(), doc.folder, int(doc.number_assigned), doc.source_path))
        assert cur.lastrowid is not None
        return cur.lastrowid

    def add_version(self, v: VersionRow, files: list[FileRow]) -> None:
        self.conn.execute(
            "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (v.document_id, v.version, v.issued_at, v.reason, v.doc_date.isoformat(), v.document_type, v.subject,
             v.signer, v.signer_title, json.dumps(list(v.recipients), ensure_ascii=False), v.given_sha256,
             v.manifest_sha256, v.generator_version, v.template_name, v.template_sha256))
        self.conn.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
            [(v.document_id, v.version, f.name, f.role, f.sha256, f.size) for f in files])


def copies_from_manifest(m: dict) -> list[CopyRow]:
    """The copy register's rows of a version, as its manifest records them ("copies", and each file's number)."""
    info = m.get("copies")
    if not info:
        return []
    return [CopyRow(info["series"], info["style"], info["code"], int(f["copy_no"]), f["copy_number"],
                    dt.date.fromisoformat(info["date"]), int(m["document_id"]), int(m["version"]), f["unit"],
                    f["unit_name"], f["name"])
            for f in m["files"] if "copy_no" in f]
