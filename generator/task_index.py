"""The task index: each notice's assignments, kept between runs of ``thongbao tasks``.

Reading, validating and addressing a notice takes tens of milliseconds; a
folder of a thousand notices would take most of a minute on every call. The
index keeps, per notice source, what that work produced (its tasks and its
warnings), keyed by the source's path, the SHA-256 of its bytes and the path
and SHA-256 of the units file it was read with; the whole index by the
generator's version. A notice is read again only when its bytes or its units
file changed; another version of thongbao rebuilds the whole index. A notice
with errors is never kept: it is read (and reported) on every call.

A source whose size, times and inode are those its entry recorded, and whose
last change and modification (ctime and mtime: on a FAT stick st_ctime is no
change time, but the file's creation on older Linux, its 2-second mtime on newer)
were well before it was read (``RACY_NS``), is taken as unchanged
without reading its bytes; any other is read and hashed. (A change within the
same timestamp tick as the read leaves the times as they were: such a source
is hashed until the entry is older than its last change by the margin. On
Windows, where st_ctime is a file's creation, every source is hashed, and
answered from its entry.)

The index is a cache (generator/cache.py) that can be deleted at any time: a
folder per notices folder and language, ``tasks-<hash of the folder's absolute
path and the language of the run>/`` (a warning is kept as it was worded: the
web app, in Vietnamese, and an English CLI each have their own), with one
JSON file per notice (so a changed notice rewrites its own file only) and the
folder's summary, every notice's tasks in one file that a call where
nothing changed reads alone (see _Summary). An entry or a summary that cannot
be read back exactly (damaged, another layout) counts as absent.

An entry holds a notice's tasks as a ``NoticeTasks``: the distinct tasks
(an Assignment without its unit: a notice gives most tasks to several units)
and, unit by unit, which of them each unit owes. Strings and values are
stored once per entry; dates and deadlines read back are shared between
notices.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import pickle
import time
from pathlib import Path
from typing import BinaryIO

from . import __version__, cache, i18n
from .deadlines import Deadline
from .errors import Problem
from .tasks import Assignment, NoticeTasks, Task
from .units import Directory, Unit

INDEX_FORMAT = 3
RACY_NS = 3_000_000_000  # a source changed less than this before it was read is hashed on every call
# Windows' st_ctime is the file's creation, not its last change: there a stat never vouches for bytes.
STAT_TRUSTED = os.name != "nt"
_SAME_FILE = "\ufdd2"  # stands for the source's own path in a stored warning
_FIELDS = [f.name for f in dataclasses.fields(Assignment)]
_DEADLINE_FIELDS = [f.name for f in dataclasses.fields(Deadline)]
assert _FIELDS[0] == "unit" and tuple(_FIELDS[1:]) == Task._fields
# The fields an entry's rows and the summary's objects stand for: an index kept by code whose Assignment or
# Deadline had other fields (a development version, with the same version number) is not read back.
SCHEMA = hashlib.sha256(repr((_FIELDS, _DEADLINE_FIELDS)).encode()).hexdigest()[:16]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_NEW = object.__new__
_SET_UNIT = Assignment.unit.__set__  # type: ignore[attr-defined]
_SETTERS = tuple(getattr(Assignment, f).__set__ for f in _FIELDS[1:])  # the slots' own setters


def with_unit(task: Task, unit: Unit) -> Assignment:
    """Assignment(unit, *task), without the frozen dataclass's object.__setattr__ calls.

    Its __init__ sets each field through object.__setattr__; this sets the same
    slots through their descriptors (Assignment has no __post_init__, and a
    Task's fields are an Assignment's after its unit).
    """
    a = _NEW(Assignment)
    _SET_UNIT(a, unit)
    for put, x in zip(_SETTERS, task):
        put(a, x)
    return a


class TaskIndex:
    """The index of one notices folder in one language: ``tasks-<hash of its absolute path and the
    language>/`` (warnings are kept worded in it), one file per notice,
    and the folder's summary (SUMMARY_FILE, see _Summary)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.dir = "tasks-" + sha256(f"{folder.resolve()}\0{i18n.language()}".encode())[:20]
        self.seen: set[str] = set()
        self._units: dict[Path, list[str]] = {}
        self._by_id: dict[Path, dict] = {}
        self._values: dict[tuple, object] = {}  # dates and deadlines read back, shared by every entry
        self._summary: _Summary | None = None  # read at the first get()

    @classmethod
    def open(cls, folder: Path) -> TaskIndex:
        return cls(folder)

    def units_key(self, directory: Directory) -> list[str]:
        """The units file a notice was read with: its absolute path and SHA-256 (read once per run)."""
        found = self._units.get(directory.path)
        if found is None:
            found = self.before_units(directory.path)
        return found

    def before_units(self, path: Path) -> list[str]:
        """units_key of the units file ``path``, taken before it is read: a version saved while it is
        read then leaves the index keyed by the older bytes (read again next time), never the newer."""
        found = self._units.get(path)
        if found is None:
            try:
                digest = sha256(path.read_bytes())
            except OSError:
                digest = ""
            found = self._units[path] = [str(path.resolve()), digest]
        return found

    def key(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.folder))
        except ValueError:
            return str(path)

    def _file(self, key: str) -> str:
        name = sha256(key.encode("utf-8"))[:32] + ".json"
        self.seen.add(name)
        return f"{self.dir}/{name}"

    @staticmethod
    def stamp(path: Path) -> tuple[list[int] | None, int]:
        """``path``'s stat as an entry keeps it (size, mtime, ctime, inode; None if it cannot be read),
        and the time now: take it before reading the bytes an entry is made of."""
        try:
            st = os.stat(path)
        except OSError:
            return None, time.time_ns()
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino], time.time_ns()

    def get(self, path: Path, directory: Directory) -> tuple[NoticeTasks, list[Problem]] | None:
        """What ``path`` gave last time (its tasks and warnings), if its bytes and its units file are
        unchanged; else None."""
        key = self.key(path)
        stat, checked = self.stamp(path)
        if stat is None:
            return None
        units = self._by_id.get(directory.path)
        if units is None:
            units = self._by_id[directory.path] = {u.id: u for u in directory.units}
        if self._summary is None:
            self._summary = _Summary.read(f"{self.dir}/{SUMMARY_FILE}")
        found = self._summary.get(key, stat, self.units_key(directory), units, str(path))
        if found is not None:
            self._file(key)  # its entry is kept
            return found
        entry = _read(self._file(key))
        if (entry.get("format") != INDEX_FORMAT or entry.get("generator") != __version__ or entry.get("key") != key
                or entry.get("schema") != SCHEMA
                or entry.get("units_file") != self.units_key(directory)):
            return None
        trusted = _trusted(stat, entry.get("stat"), entry.get("checked"))
        if not trusted:
            data = _read_bytes(path)
            if data is None or entry.get("sha256") != sha256(data):
                return None
        try:
            found = _decode(entry, units, str(path), self._values)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError, AssertionError):
            return None
        if not trusted and (entry.get("stat") != stat or stat[2] < checked - RACY_NS):
            # vouched for by its hash: record today's stat and time, which the next call can trust
            entry.update(stat=stat, checked=checked)
            cache.write_json(self._file(key), entry)
        self._summary.put(key, entry["stat"], entry["checked"], entry["units_file"], *found, str(path))
        return found

    def put(self, path: Path, data: bytes, directory: Directory, tasks: NoticeTasks, warnings: list[Problem],
            stat: list[int] | None, checked: int) -> None:
        """Keep what ``path`` gave; ``stat`` and ``checked``: as stamp() gave them before ``data`` was read."""
        entry = _encode(tasks, warnings, str(path))
        if entry is None:
            return
        key = self.key(path)
        entry.update({"format": INDEX_FORMAT, "schema": SCHEMA, "generator": __version__, "key": key,
                      "sha256": sha256(data), "units_file": self.units_key(directory), "stat": stat,
                      "checked": checked})
        cache.write_json(self._file(key), entry)
        if self._summary is None:
            self._summary = _Summary({})
        self._summary.put(key, stat, checked, entry["units_file"], tasks, warnings, str(path))

    def save(self) -> None:
        """Write the summary of the notices seen (if it changed); drop the entries of notices no longer
        in the folder."""
        if self._summary is not None:
            self._summary.write(f"{self.dir}/{SUMMARY_FILE}")
        found = cache.root()
        if found is None:
            return
        folder = found / self.dir
        try:
            names = [p for p in folder.iterdir() if p.suffix == ".json" and p.name not in self.seen]
        except OSError:
            return
        for stale in names:
            try:
                stale.unlink()
            except OSError:
                pass


SUMMARY_FILE = "folder.summary"
REWRITE_AFTER = 8  # the summary is written again when more records than this (or a 16th of them) changed
_SUMMARY_HEAD = f"thongbao task index {INDEX_FORMAT} {SCHEMA} {__version__}\n".encode()


class _Summary:
    """The tasks of every notice of the folder, in one file: what get() reads when nothing changed.

    A thousand entries take a fifth of a second to read and decode; the summary
    holds the same tasks as Python objects (a pickle, checked by the hash that
    cache.write_stream adds, and read by an unpickler that makes nothing but tasks,
    dates, times and deadlines). A notice's record holds its entry's key: stat,
    time checked, units file; it is used only where its stat is trusted as an
    entry's is, else the notice's entry is read. It is written again at the end
    of a call where a notice left or many records changed (see write).
    """

    def __init__(self, records: dict[str, tuple], read_back: bool = False):
        self.records = records
        self.kept: dict[str, tuple] = {}  # the records of the notices seen in this call
        self.changed = 0  # records put (notices read again, or vouched for by their entry's hash)
        self.read_back = read_back  # a summary was read (else one is written, whatever changed)
        self.shared: dict[object, object] = {}

    @classmethod
    def read(cls, name: str) -> _Summary:
        stored = cache.open_stream(name)
        if stored is None:
            return cls({})
        with stored:
            try:
                if stored.read(len(_SUMMARY_HEAD)) != _SUMMARY_HEAD:
                    return cls({})
                records = _Unpickler(stored).load()
            except Exception:  # noqa: BLE001 -- a summary that does not read back is not used, whatever the cause
                return cls({})
        if type(records) is not dict:
            return cls({})
        return cls(records, read_back=True)

    def get(self, key: str, stat: list[int], units_file: list[str], units: dict[str, Unit],
            own: str) -> tuple[NoticeTasks, list[Problem]] | None:
        record = self.records.pop(key, None)  # not kept in memory twice, if its notice is read again
        if record is None:
            return None
        try:
            r_stat, checked, r_units, tasks, runs, warnings = record
            if not _trusted(stat, r_stat, checked) or r_units != units_file:
                return None
            if set(map(type, tasks)) - {Task}:
                raise TypeError(tasks)
            found = NoticeTasks(tasks, [(units[unit_id], ks) for unit_id, ks in runs])
            problems = [Problem(own if f == _SAME_FILE else f, line, field, seen, expected)
                        for f, line, field, seen, expected in warnings]
        except (KeyError, TypeError, ValueError):
            return None
        self.kept[key] = record
        return found, problems

    def put(self, key: str, stat: list[int] | None, checked: int, units_file: list[str], tasks: NoticeTasks,
            warnings: list[Problem], own: str) -> None:
        # Equal dates and deadlines as one object, stored (and read back) once for the whole folder.
        shared = self.shared
        kept = [Task._make([shared.setdefault(v, v) if type(v) in _SHARED else v for v in t]) for t in tasks.tasks]
        self.kept[key] = (stat, checked, units_file, kept, [(unit.id, ks) for unit, ks in tasks.runs],
                          [(_SAME_FILE if p.file == own else p.file, p.line, p.field, p.found, p.expected)
                           for p in warnings])
        self.changed += 1

    def write(self, name: str) -> None:
        """Write the records kept, where enough changed: a few notices changed are read from their
        entries (a fraction of a millisecond each) rather than the whole summary written again."""
        if self.changed <= max(REWRITE_AFTER, len(self.kept) // 16) and self.records.keys() <= self.kept.keys() \
                and self.read_back:
            return

        def write(fh: BinaryIO) -> None:
            fh.write(_SUMMARY_HEAD)
            pickle.dump(self.kept, fh, protocol=pickle.HIGHEST_PROTOCOL)

        cache.write_stream(name, write)


_SHARED = (dt.date, dt.time, Deadline)


_ALLOWED = {("datetime", "date"): dt.date, ("datetime", "time"): dt.time,
            (Deadline.__module__, "Deadline"): Deadline, (Task.__module__, "Task"): Task}


class _Unpickler(pickle.Unpickler):
    """Reads back a summary: the only classes it makes are _ALLOWED's."""

    def find_class(self, module: str, name: str) -> type:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found


def _trusted(stat: list[int], recorded: object, checked: object) -> bool:
    """Whether ``stat`` vouches for the bytes hashed at ``checked`` (see RACY_NS): it is the one
    ``recorded`` then, and the source's last change was well before."""
    # Both times: on FAT, st_ctime is the file's creation (older Linux) or its mtime, by 2 s (newer).
    return (STAT_TRUSTED and recorded == stat and type(checked) is int and stat[2] < checked - RACY_NS
            and stat[1] < checked - RACY_NS)


def _read(name: str) -> dict:
    """The entry ``name`` ({} if absent or damaged): cache.read_json, read as bytes (the same, and faster)."""
    folder = cache.root()
    if folder is None:
        return {}
    try:
        with open(folder / name, "rb") as fh:
            found = json.loads(fh.read())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


# -- the entry -------------------------------------------------------------------------
#
# "strings": every string, once; "values": every other value (None, a number, a date, a time, a deadline),
# once, as [kind, text] or ["deadline", [field, ...]] (its fields as they are, dates and times as ISO text).
# A field is a reference: k >= 0 for strings[k], k < 0 for values[~k]. "tasks": the distinct
# tasks, one list of references each (the fields after unit); "runs": [[the unit id's reference, [k, ...]], ...].

def _encode(tasks: NoticeTasks, warnings: list[Problem], own: str) -> dict | None:
    strings: dict[str, int] = {}
    values: dict[tuple[type, object], int] = {}
    stored: list[list] = []

    def ref(v: object) -> int:
        if type(v) is str:
            return strings.setdefault(v, len(strings))
        k = values.get((type(v), v))
        if k is None:
            if v is None:
                item: list = ["n", None]
            elif type(v) is int:
                item = ["i", v]
            elif type(v) is dt.date:
                item = ["d", v.isoformat()]
            elif type(v) is dt.time:
                item = ["t", v.isoformat()]
            elif type(v) is Deadline:
                item = ["deadline", [_deadline_field(f, t, getattr(v, f)) for f, t in _DEADLINE_TYPES.items()]]
            else:
                raise TypeError(v)
            k = values[type(v), v] = len(stored)
            stored.append(item)
        return ~k

    try:
        rows = [[ref(getattr(t, f)) for f in _FIELDS[1:]] for t in tasks.tasks]
        runs = [[ref(unit.id), ks] for unit, ks in tasks.runs]
    except TypeError:
        return None  # a value this index does not know how to keep: no entry, read every time
    return {
        "strings": list(strings),
        "values": stored,
        "tasks": rows,
        "runs": runs,
        "warnings": [[_SAME_FILE if p.file == own else p.file, p.line, p.field, p.found, p.expected]
                     for p in warnings],
    }


def _decode(entry: dict, units: dict[str, Unit], own: str,
            shared: dict[tuple, object]) -> tuple[NoticeTasks, list[Problem]]:
    """The entry's tasks and warnings; ``shared`` holds the values read back so far (any entry's)."""
    strings = entry["strings"]
    if type(strings) is not list or set(map(type, strings)) - {str}:
        raise ValueError(strings)
    values: list[object] = []
    for kind, raw in entry["values"]:
        memo = (kind, raw if type(raw) is not list else tuple(raw))
        found = shared.get(memo)
        if found is None:
            if kind == "deadline" and type(raw) is list:
                found = Deadline(**{f: _deadline_value(t, v) for (f, t), v in zip(_DEADLINE_TYPES.items(), raw,
                                                                                    strict=True)})
            elif kind == "n" and raw is None:
                found = _NONE
            elif kind == "i" and type(raw) is int:
                found = raw
            elif kind == "d" and type(raw) is str:
                found = dt.date.fromisoformat(raw)
            elif kind == "t" and type(raw) is str:
                found = dt.time.fromisoformat(raw)
            else:
                raise ValueError(kind)
            shared[memo] = found
        values.append(None if found is _NONE else found)
    # Every reference in range, of the right type (the checks over all at once: they cost a tenth as much).
    rows, runs = entry["tasks"], entry["runs"]
    refs = [k for row in rows for k in row]
    if set(map(type, rows)) - {list} or set(map(type, refs)) - {int} \
            or (refs and (min(refs) < -len(values) or max(refs) >= len(strings))):
        raise ValueError(rows)
    table = strings + values[::-1]  # table[k]: strings[k], or values[~k] for k < 0
    lookup = table.__getitem__
    tasks = [Task._make(map(lookup, row)) for row in rows]  # _make: a row of another length is a TypeError
    ks_all = [k for _unit, ks in runs for k in ks]
    if set(map(type, [ks for _unit, ks in runs])) - {list} or set(map(type, ks_all)) - {int} \
            or (ks_all and (min(ks_all) < 0 or max(ks_all) >= len(tasks))):
        raise ValueError(runs)
    units_of = [(units[table[unit_ref]], ks) for unit_ref, ks in runs]
    warnings = [Problem(own if f == _SAME_FILE else f, line, field, found, expected)
                for f, line, field, found, expected in entry["warnings"]]
    return NoticeTasks(tasks, units_of), warnings


_NONE = object()  # None, among the values read back
_DEADLINE_TYPES = {"text": str, "kind": str, "date": dt.date, "time": dt.time, "every": str, "day": int,
                   "month": int, "since": dt.date}
assert list(_DEADLINE_TYPES) == _DEADLINE_FIELDS


def _deadline_field(name: str, kind: type, v: object) -> object:
    """A deadline's field as stored: itself (a string, a number, None) or, a date or time, its ISO text."""
    if v is None:
        return None
    if type(v) is not kind:
        raise TypeError(name)
    return v.isoformat() if kind in (dt.date, dt.time) else v


def _deadline_value(kind: type, v: object) -> object:
    if v is None:
        return None
    if kind in (dt.date, dt.time):
        return kind.fromisoformat(v)  # type: ignore[attr-defined]
    if type(v) is not kind:
        raise ValueError(v)
    return v
