"""The outgoing register (sổ đăng ký văn bản đi) in SQLite, inside the archive folder.

One row per issued document, one per version, one per filed file. Rows are
only ever added: triggers refuse any UPDATE or DELETE. Each version is also a
link of a hash chain (table ``chain``): the SHA-256 of the previous link, of
the version's manifest and of its rows, so that a change to any past entry
breaks every later link (see chain_hash).

An issue takes the write lock (``BEGIN IMMEDIATE``) twice, briefly: once to
reserve its number (table ``reservations``, the one table whose rows are
removed), once to commit its rows; it renders in between, without the lock.
Format 1 registers (no chain, no reservations) are brought to format 2 when
opened, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from ..errors import os_reason
from ..i18n import _
from .errors import ArchiveError, problem
from .numbering import Series, copy_series_label

P = ParamSpec("P")
T = TypeVar("T")
REGISTER_NAME = "register.sqlite3"
SCHEMA_VERSION = 2
# The previous link of the first one.
GENESIS = "0" * 64
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
_SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS chain (
    seq INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    previous TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    UNIQUE (document_id, version),
    FOREIGN KEY (document_id, version) REFERENCES versions (document_id, version)
);
CREATE TABLE IF NOT EXISTS reservations (
    token TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    folder TEXT NOT NULL,
    given_sha256 TEXT NOT NULL,
    source_path TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    started REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS free_numbers (
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (series, number)
);
"""
APPEND_ONLY_TABLES = ("documents", "versions", "files", "chain", "copies")
TRIGGERS = {f"{table}_no_{op.lower()}": (table, op) for table in APPEND_ONLY_TABLES for op in ("UPDATE", "DELETE")}
_APPEND_ONLY = "".join(
    f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END;\n"
    for name, (table, op) in TRIGGERS.items()
)
# The columns a chain link covers (fixed: columns added later do not change old links).
DOCUMENT_FIELDS = ("id", "style", "body_code", "type_code", "issuing_body", "number", "symbol", "series",
                   "doc_date", "folder", "number_assigned")
VERSION_FIELDS = ("document_id", "version", "issued_at", "reason", "doc_date", "document_type", "subject",
                  "signer", "signer_title", "recipients", "given_sha256", "manifest_sha256", "generator_version",
                  "template_name", "template_sha256")

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
CREATE TABLE IF NOT EXISTS copy_reservations (
    token TEXT PRIMARY KEY,
    style TEXT NOT NULL,
    code TEXT NOT NULL,
    span TEXT NOT NULL,
    first INTEGER NOT NULL,
    count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS copy_free_numbers (
    style TEXT NOT NULL,
    code TEXT NOT NULL,
    span TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (style, code, span, number)
);
CREATE TABLE IF NOT EXISTS copy_held_numbers (
    token TEXT NOT NULL,
    style TEXT NOT NULL,
    code TEXT NOT NULL,
    span TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (style, code, span, number)
);
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


@dataclass(frozen=True)
class Link:
    seq: int
    document_id: int
    version: int
    manifest_sha256: str
    previous: str
    hash: str

    @property
    def head(self) -> str:
        """The short form printed on the exported register: ``12:3f9a0c1d2e4b``."""
        return f"{self.seq}:{self.hash[:12]}"


@dataclass(frozen=True)
class Reservation:
    token: str
    document_id: int
    version: int
    series: str
    number: int
    folder: str
    given_sha256: str
    source_path: str
    pid: int
    host: str
    started: float


def chain_hash(previous: str, seq: int, document: dict, version: dict, files: list[tuple]) -> str:
    """SHA-256 of one link: the previous link, the position, and the version's rows (manifest hash included)."""
    data = {
        "previous": previous, "seq": seq,
        "document": {k: document[k] for k in DOCUMENT_FIELDS},
        "version": {k: version[k] for k in VERSION_FIELDS},
        "files": sorted([list(f) for f in files]),
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def is_disk_full(exc: BaseException) -> bool:
    return "disk is full" in str(exc) or getattr(exc, "sqlite_errorcode", None) == 13 or (
        isinstance(exc, OSError) and exc.errno in (28, 122))


def _register_of(fn: Callable, args: tuple, kwargs: dict) -> object:
    """The register file of the archive a guarded call works on (its ``archive`` argument), to name it."""
    try:
        archive = inspect.signature(fn).bind(*args, **kwargs).arguments.get("archive")
    except TypeError:
        archive = None
    return Path(archive) / REGISTER_NAME if archive else REGISTER_NAME


def guarded(fn: Callable[P, T]) -> Callable[P, T]:
    """Turn a failing register or disk into the one-line ArchiveError, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except sqlite3.Error as exc:
            if is_disk_full(exc):
                raise ArchiveError(_("the disk is full: ") + problem(_register_of(fn, args, kwargs), "", _("a register error ({exc})").format(exc=os_reason(exc)),
                                                                  _("free space for the register"))) from None
            raise ArchiveError(problem(_register_of(fn, args, kwargs), "", _("a register error ({exc})").format(exc=os_reason(exc)),
                                       _("a register that can be read and written"))) from None
        except OSError as exc:
            if is_disk_full(exc):
                raise ArchiveError(_("the disk is full: ") + problem(exc.filename or "archive", "",
                                   _("a failed write ({exc})").format(exc=os_reason(exc)), _("free space for the archive"))) from None
            raise ArchiveError(problem(exc.filename or "archive", "", _("a failed file operation ({exc})").format(exc=os_reason(exc)), _("a readable and writable archive"))) from None

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


def _span(series: Series) -> str:
    return f"{series.start or ''}..{series.end or ''}"


class Register:
    """A connection to the register of one archive folder."""

    def __init__(self, folder: Path, *, create: bool):
        self.folder = Path(folder)
        self.path = self.folder / REGISTER_NAME
        if not create and not self.path.is_file():
            raise ArchiveError(problem(self.folder, "", _("no register ({REGISTER_NAME})").format(REGISTER_NAME=REGISTER_NAME),
                                       _("an archive folder made by 'thongbao issue' (or --archive DIR)")))
        try:
            if create:
                self.folder.mkdir(parents=True, exist_ok=True)
            uri = self.path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
            self.conn = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ArchiveError(problem(self.path, "", _("a register that cannot be opened ({exc})").format(exc=os_reason(exc)),
                                       _("a readable and writable SQLite file"))) from None
        self.conn.row_factory = sqlite3.Row
        try:
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.chained = True
            if create:
                self._check_version()
                if self.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION or not self._has_copies():
                    with self.writing():
                        self._create()
                        self._create_copies()
            else:
                self._check_version()
                found = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if found == 0:
                    raise ArchiveError(problem(self.path, "", _("an empty register (no issue has finished yet)"),
                                               _("a register with documents ('thongbao issue' writes it)")))
                if found < SCHEMA_VERSION:
                    self._migrate()
                elif not self._has_copies():
                    self._add_copies_table()
        except ArchiveError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise ArchiveError(problem(self.path, "", _("a file that is not a usable register ({exc})").format(exc=exc),
                                       _("the SQLite register thongbao writes"))) from None

    def _check_version(self) -> None:
        found = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if found not in (0, 1, SCHEMA_VERSION):
            raise ArchiveError(problem(self.path, "user_version", _("register format {found}").format(found=found),
                                       _("format {SCHEMA_VERSION} (a newer thongbao wrote this archive)").format(SCHEMA_VERSION=SCHEMA_VERSION)))

    def _create(self) -> None:
        found = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if found == SCHEMA_VERSION:
            return
        self._check_version()
        for statement in (_SCHEMA + _SCHEMA_2 + _COPIES_SCHEMA + _APPEND_ONLY).split(";\n"):
            if statement.strip():
                self.conn.execute(statement)
        if found == 1:
            self._link_unchained()
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _add_copies_table(self) -> None:
        """A format 2 register made before the copy register: add it (not on a read-only copy)."""
        try:
            with self.writing():
                self._create_copies()
        except ArchiveError:
            if not _read_only(self.conn):
                raise

    def _create_copies(self) -> None:
        for statement in _COPIES_SCHEMA.split(";\n"):
            if statement.strip():
                self.conn.execute(statement)

    def _migrate(self) -> None:
        """Bring a format 1 register (today's archives) to format 2 in one transaction: add the
        chain over its versions in the order they were filed. On a read-only copy, read it as it is."""
        try:
            with self.writing():
                self._create()
                self._create_copies()
        except ArchiveError:
            if not _read_only(self.conn):
                raise
            self.chained = False

    def _link_unchained(self) -> None:
        for row in self.conn.execute(
                "SELECT v.document_id, v.version FROM versions v LEFT JOIN chain c "
                "ON c.document_id = v.document_id AND c.version = v.version "
                "WHERE c.seq IS NULL ORDER BY v.rowid").fetchall():
            self.add_link(row[0], row[1])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Register:  # noqa: PYI034 (typing.Self needs Python 3.11)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction; it takes the register's write lock at once (BEGIN IMMEDIATE)."""
        started = time.monotonic()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._begin_error(exc, started) from None
        try:
            yield
        except BaseException:
            self._roll_back_quietly()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            self._roll_back_quietly()
            raise

    def _roll_back_quietly(self) -> None:
        """Roll back what is open, keeping the error that got us here, not one from the rollback.

        SQLite may have rolled back already (a full disk does): then say what happened, not that.
        """
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _begin_error(self, exc: sqlite3.OperationalError, started: float) -> ArchiveError:
        waited = time.monotonic() - started
        if is_disk_full(exc):
            return ArchiveError(_("the disk is full: ") + problem(self.path, "", _("a register error ({exc})").format(exc=exc),
                                                               _("free space for the register")))
        if "locked" in str(exc) or "busy" in str(exc):
            return ArchiveError(problem(self.path, "", _("the register still locked after {waited:.0f} s ({exc})").format(waited=waited, exc=exc),
                                        _("no other issue running for that long")))
        return ArchiveError(problem(self.path, "", _("a register that cannot be written ({exc})").format(exc=exc),
                                    _("a register that can be read and written")))

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """A view with no issue half done: wait for the write lock, write nothing, roll back.

        On a read-only copy of an archive there is no lock to take (nobody can issue there).
        """
        started = time.monotonic()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).replace("-", "").replace(" ", ""):
                raise self._begin_error(exc, started) from None
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
        where, args = self._series_where(series)
        return [_document(r) for r in self.conn.execute(f"SELECT * FROM documents WHERE {where} ORDER BY number", args)]

    @staticmethod
    def _series_where(series: Series) -> tuple[str, list[object]]:
        sql = "style = ? AND body_code = ?"
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
        return sql, args

    # next_number and by_number ask SQLite (index documents_by_number), not every row of the series:
    # an issue takes the same time at the 10,000th document as at the first.
    def next_number(self, series: Series) -> int:
        where, args = self._series_where(series)
        found = self.conn.execute(f"SELECT MAX(number) FROM documents WHERE {where}", args).fetchone()[0]
        return (found or 0) + 1

    def by_number(self, series: Series, number: int) -> DocumentRow | None:
        where, args = self._series_where(series)
        row = self.conn.execute(f"SELECT * FROM documents WHERE {where} AND number = ? ORDER BY number, id LIMIT 1",
                                [*args, number]).fetchone()
        return _document(row) if row else None

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

    def reserve_copies(self, token: str, series: Series, count: int) -> list[int]:
        """Reserve ``count`` numbers of a copy series for the issue ``token``; return them in order.

        Numbers reserved by issues still running count as taken, so that two issues never send the same
        copy number; the rows of finished or abandoned issues (no reservation left) are dropped first.
        Numbers an abandoned issue held that later issues went past (``free_copies``) are given first, as
        for document numbers, so the copy register has no gap; then the series goes on.
        """
        self.free_copies(token)  # a second reservation of the same issue replaces its first
        self.conn.execute("DELETE FROM copy_reservations WHERE token NOT IN (SELECT token FROM reservations)")
        self.conn.execute("DELETE FROM copy_held_numbers WHERE token NOT IN (SELECT token FROM reservations)")
        key = (series.style, series.body_code, _span(series))
        where = "style = ? AND code = ? AND span = ?"
        ranged = self.conn.execute(f"SELECT COALESCE(MAX(first + count), 0) FROM copy_reservations WHERE {where}",
                                   key).fetchone()[0]
        held = self.conn.execute(f"SELECT COALESCE(MAX(number) + 1, 0) FROM copy_held_numbers WHERE {where}",
                                 key).fetchone()[0]
        following = max(self.next_copy_number(series), ranged, held)
        numbers: list[int] = []
        for (n,) in self.conn.execute(f"SELECT number FROM copy_free_numbers WHERE {where} ORDER BY number",
                                      key).fetchall():
            if len(numbers) == count:
                break
            self.conn.execute(f"DELETE FROM copy_free_numbers WHERE {where} AND number = ?", (*key, n))
            if n < following and not self._copy_taken(series, n):
                self.conn.execute("INSERT INTO copy_held_numbers VALUES (?, ?, ?, ?, ?)", (token, *key, n))
                numbers.append(n)
        rest = count - len(numbers)
        if rest:
            self.conn.execute("INSERT OR REPLACE INTO copy_reservations VALUES (?, ?, ?, ?, ?, ?)",
                              (token, *key, following, rest))
            numbers += range(following, following + rest)
        return numbers

    def _copy_taken(self, series: Series, number: int) -> bool:
        return self.conn.execute("SELECT 1 FROM copies WHERE series = ? AND number = ?",
                                 (copy_series_label(series), number)).fetchone() is not None

    def release_copies(self, token: str) -> None:
        """The issue ``token`` sent its copies (their rows are in ``copies``): its reservation ends."""
        if self._has_copies():
            self.conn.execute("DELETE FROM copy_reservations WHERE token = ?", (token,))
            self.conn.execute("DELETE FROM copy_held_numbers WHERE token = ?", (token,))

    def free_copies(self, token: str) -> None:
        """The issue ``token`` was abandoned: the copy numbers it held are given again before the series goes on."""
        if not self._has_copies():
            return
        rows = self.conn.execute("SELECT style, code, span, first, count FROM copy_reservations WHERE token = ?",
                                 (token,)).fetchall()
        rows += [(*r, 1) for r in self.conn.execute(
            "SELECT style, code, span, number FROM copy_held_numbers WHERE token = ?", (token,)).fetchall()]
        self.conn.executemany("INSERT OR IGNORE INTO copy_free_numbers VALUES (?, ?, ?, ?)",
                              [(style, code, span, n) for style, code, span, first, count in rows
                               for n in range(first, first + count)])
        self.release_copies(token)

    def add_copies(self, rows: list[CopyRow]) -> None:
        self.conn.executemany(
            "INSERT INTO copies (series, style, code, number, symbol, copy_date, document_id, version, unit_id, "
            "unit_name, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.series, c.style, c.code, c.number, c.symbol, c.copy_date.isoformat(), c.document_id, c.version,
              c.unit_id, c.unit_name, c.file_name) for c in rows])


    def links(self) -> list[Link]:
        if not self.chained:
            return []
        return [Link(**dict(r)) for r in self.conn.execute("SELECT * FROM chain ORDER BY seq")]

    def last_link(self) -> Link | None:
        if not self.chained:
            return None
        row = self.conn.execute("SELECT * FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        return Link(**dict(row)) if row else None

    def link_at(self, seq: int) -> Link | None:
        row = self.conn.execute("SELECT * FROM chain WHERE seq = ?", (seq,)).fetchone() if self.chained else None
        return Link(**dict(row)) if row else None

    def link_hash(self, seq: int, previous: str, document_id: int, version: int) -> str | None:
        """The hash a link at ``seq`` must have, from the rows as they are now (None if they are gone)."""
        doc = self.conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        ver = self.conn.execute("SELECT * FROM versions WHERE document_id = ? AND version = ?",
                                (document_id, version)).fetchone()
        if doc is None or ver is None:
            return None
        files = [tuple(r) for r in self.conn.execute(
            "SELECT name, role, sha256, size FROM files WHERE document_id = ? AND version = ?", (document_id, version))]
        return chain_hash(previous, seq, dict(doc), dict(ver), files)

    def add_link(self, document_id: int, version: int) -> Link:
        last = self.last_link()
        seq, previous = (last.seq + 1, last.hash) if last else (1, GENESIS)
        digest = self.link_hash(seq, previous, document_id, version)
        assert digest is not None
        manifest = self.conn.execute("SELECT manifest_sha256 FROM versions WHERE document_id = ? AND version = ?",
                                     (document_id, version)).fetchone()[0]
        self.conn.execute("INSERT INTO chain VALUES (?, ?, ?, ?, ?, ?)",
                          (seq, document_id, version, manifest, previous, digest))
        return Link(seq, document_id, version, manifest, previous, digest)

    def triggers(self) -> dict[str, str]:
        """Trigger name -> its SQL, as the register holds them now."""
        return {r[0]: r[1] or "" for r in self.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}

    # Reservations: a number held by a running issue ------------------------------------

    def reservations(self) -> list[Reservation]:
        if not self.chained:
            return []
        return [Reservation(**dict(r)) for r in self.conn.execute("SELECT * FROM reservations ORDER BY started")]

    def reserve(self, r: Reservation) -> None:
        self.conn.execute("INSERT INTO reservations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          (r.token, r.document_id, r.version, r.series, r.number, r.folder, r.given_sha256,
                           r.source_path, r.pid, r.host, r.started))

    def release(self, token: str) -> bool:
        return self.conn.execute("DELETE FROM reservations WHERE token = ?", (token,)).rowcount == 1

    def free_number(self, series: str, number: int) -> None:
        """A number an abandoned issue held: given again before the series goes on (no gap in the register)."""
        self.conn.execute("INSERT OR IGNORE INTO free_numbers VALUES (?, ?)", (series, number))

    def free_numbers(self, series: str) -> list[int]:
        if not self.chained:
            return []
        return [n for (n,) in self.conn.execute(
            "SELECT number FROM free_numbers WHERE series = ? ORDER BY number", (series,))]

    def take_free_number(self, series: str, number: int) -> None:
        self.conn.execute("DELETE FROM free_numbers WHERE series = ? AND number = ?", (series, number))

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
        if self.chained:
            self.add_link(v.document_id, v.version)


def _read_only(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("PRAGMA query_only").fetchone()[0]) or _try_write(conn)
    except sqlite3.Error:
        return True


def _try_write(conn: sqlite3.Connection) -> bool:
    """Whether the file refuses writes (a read-only copy)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "readonly" in str(exc).replace("-", "").replace(" ", "")


def copies_from_manifest(m: dict) -> list[CopyRow]:
    """The copy register's rows of a version, as its manifest records them ("copies", and each file's number)."""
    info = m.get("copies")
    if not info:
        return []
    return [CopyRow(info["series"], info["style"], info["code"], int(f["copy_no"]), f["copy_number"],
                    dt.date.fromisoformat(info["date"]), int(m["document_id"]), int(m["version"]), f["unit"],
                    f["unit_name"], f["name"])
            for f in m["files"] if "copy_no" in f]

    # The hash chain -------------------------------------------------------------
