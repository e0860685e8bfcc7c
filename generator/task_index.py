"""The task index: each notice's assignments, kept between runs of ``thongbao tasks``.

Reading, validating and addressing a notice takes tens of milliseconds; a
folder of a thousand notices would take most of a minute on every call. The
index keeps, per notice source, what that work produced (its assignments and
its warnings), keyed by the source's path, the SHA-256 of its bytes and the
path and SHA-256 of the units file it was read with; the whole index by the
generator's version. A notice is read again only when its bytes or its units
file changed; another version of thongbao rebuilds the whole index. A notice with
errors is never kept: it is read (and reported) on every call.

The index is a cache (generator/cache.py) that can be deleted at any time: a
folder per notices folder, ``tasks-<hash of the folder's absolute path>/``,
with one JSON file per notice (so a changed notice rewrites its own file
only, and reading never holds the whole index at once). Strings and whole
rows are stored once per notice and shared when read back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from . import __version__, cache
from .deadlines import Deadline
from .errors import Problem
from .tasks import Assignment
from .units import Directory

INDEX_FORMAT = 2
_SAME_FILE = "\ufdd2"  # stands for the source's own path in a stored warning
_FIELDS = [f.name for f in dataclasses.fields(Assignment)]
_DEADLINE_FIELDS = [f.name for f in dataclasses.fields(Deadline)]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class TaskIndex:
    """The index of one notices folder: ``tasks-<hash of its absolute path>/``, one file per notice."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.dir = "tasks-" + sha256(str(folder.resolve()).encode("utf-8"))[:20]
        self.seen: set[str] = set()
        self._units: dict[Path, list[str]] = {}
        self._by_id: dict[Path, dict] = {}

    @classmethod
    def open(cls, folder: Path) -> TaskIndex:
        return cls(folder)

    def units_key(self, directory: Directory) -> list[str]:
        """The units file a notice was read with: its absolute path and SHA-256 (read once per run)."""
        found = self._units.get(directory.path)
        if found is None:
            try:
                digest = sha256(directory.path.read_bytes())
            except OSError:
                digest = ""
            found = self._units[directory.path] = [str(directory.path.resolve()), digest]
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

    def get(self, path: Path, data: bytes, directory: Directory) -> tuple[list[Assignment], list[Problem]] | None:
        """What ``path`` gave last time, if its bytes are ``data`` still and its units file is unchanged."""
        key = self.key(path)
        entry = cache.read_json(self._file(key))
        if (entry.get("format") != INDEX_FORMAT or entry.get("generator") != __version__ or entry.get("key") != key
                or entry.get("sha256") != sha256(data) or entry.get("units_file") != self.units_key(directory)):
            return None
        units = self._by_id.get(directory.path)
        if units is None:
            units = self._by_id[directory.path] = {u.id: u for u in directory.units}
        try:
            return _decode(entry, units, str(path))
        except (KeyError, IndexError, TypeError, ValueError):
            return None

    def put(self, path: Path, data: bytes, directory: Directory, items: list[Assignment],
            warnings: list[Problem]) -> None:
        entry = _encode(items, warnings, str(path))
        if entry is None:
            return
        key = self.key(path)
        entry.update({"format": INDEX_FORMAT, "generator": __version__, "key": key, "sha256": sha256(data),
                      "units_file": self.units_key(directory)})
        cache.write_json(self._file(key), entry)

    def save(self) -> None:
        """Drop the entries of notices no longer in the folder."""
        folder = cache.cache_dir() / self.dir
        try:
            names = [p for p in folder.iterdir() if p.suffix == ".json" and p.name not in self.seen]
        except OSError:
            return
        for stale in names:
            try:
                stale.unlink()
            except OSError:
                pass


def _encode(items: list[Assignment], warnings: list[Problem], own: str) -> dict | None:
    strings: dict[str, int] = {}
    rows: dict[tuple, int] = {}

    def value(v: object) -> object:
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, str):
            return strings.setdefault(v, len(strings))  # a string is its place in the table
        if isinstance(v, int):
            return ("i", v)
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return ("d", v.isoformat())
        if isinstance(v, dt.time):
            return ("t", v.isoformat())
        if isinstance(v, Deadline):
            return ("deadline", tuple(value(getattr(v, f)) for f in _DEADLINE_FIELDS))
        raise TypeError(v)

    units, variants = [], []
    try:
        for a in items:
            row = tuple(value(getattr(a, f)) if f != "unit" else None for f in _FIELDS)
            units.append(a.unit.id)
            variants.append(rows.setdefault(row, len(rows)))
    except TypeError:
        return None  # a field this index does not know how to keep: no entry, read every time
    return {
        "strings": list(strings),
        "rows": [list(r) for r in rows],
        "units": units,
        "variants": variants,
        "warnings": [[_SAME_FILE if p.file == own else p.file, p.line, p.field, p.found, p.expected]
                     for p in warnings],
    }


_NEW = object.__new__
_SET_UNIT = Assignment.unit.__set__  # type: ignore[attr-defined]
_SETTERS = tuple(getattr(Assignment, f).__set__ for f in _FIELDS[1:])  # the slots' own setters


def _assignments(pairs: list[tuple[object, tuple]]) -> list[Assignment]:
    """[Assignment(unit, *values) for unit, values in pairs], three times as fast.

    A folder of a thousand notices reads 150,000 of them back. The frozen
    dataclass's __init__ sets each field through object.__setattr__; this sets
    the same slots through their descriptors (Assignment has no __post_init__,
    and the values come from Assignments the index stored).
    """
    out = []
    append, new, cls, unit_of = out.append, _NEW, Assignment, _SET_UNIT
    if len(_SETTERS) == 10:  # today's fields, set without a loop
        s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 = _SETTERS
        for unit, v in pairs:
            if len(v) != 10:
                raise ValueError(v)
            a = new(cls)
            unit_of(a, unit)
            s0(a, v[0]); s1(a, v[1]); s2(a, v[2]); s3(a, v[3]); s4(a, v[4])  # noqa: E702
            s5(a, v[5]); s6(a, v[6]); s7(a, v[7]); s8(a, v[8]); s9(a, v[9])  # noqa: E702
            append(a)
        return out
    for unit, v in pairs:
        if len(v) != len(_SETTERS):
            raise ValueError(v)
        a = new(cls)
        unit_of(a, unit)
        for put, x in zip(_SETTERS, v):
            put(a, x)
        append(a)
    return out


def _decode(entry: dict, units: dict, own: str) -> tuple[list[Assignment], list[Problem]]:
    strings = entry["strings"]

    def value(v: object) -> object:
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, int):
            return strings[v]
        if isinstance(v, list) and v[0] == "i" and isinstance(v[1], int):
            return v[1]
        if isinstance(v, list) and v[0] == "d":
            return dt.date.fromisoformat(v[1])
        if isinstance(v, list) and v[0] == "t":
            return dt.time.fromisoformat(v[1])
        if isinstance(v, list) and v[0] == "deadline":
            return Deadline(**dict(zip(_DEADLINE_FIELDS, map(value, v[1]), strict=True)))
        raise ValueError(v)

    assert _FIELDS[0] == "unit"
    # value(v), with the two commonest cases (a string's place in the table, None) worked out in place
    rows = [tuple([v if v is None else strings[v] if type(v) is int else value(v) for v in raw[1:]])
            for raw in entry["rows"]]
    variants = entry["variants"]
    for k in variants:
        if type(k) is not int:
            raise ValueError(k)
    items = _assignments([(units[unit_id], rows[k]) for unit_id, k in zip(entry["units"], variants, strict=True)])
    warnings = [Problem(own if f == _SAME_FILE else f, line, field, found, expected)
                for f, line, field, found, expected in entry["warnings"]]
    return items, warnings
