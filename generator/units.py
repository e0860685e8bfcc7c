"""The units directory (danh mục đơn vị): units, their names in text, their groups.

A conclusion addressed to a group concerns each of its members. Names are
matched case-insensitively, with runs of spaces folded, against each unit's
and group's name and aliases.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import source as source_mod
from .errors import Problem, SourceError
from .i18n import _
from .model import Notice
from .source import Node, Source

UNITS_FILE = "units.yaml"


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """The shortest name used in text (for tables and calendar titles)."""
        return min((self.name, *self.aliases), key=len)


@dataclass(frozen=True)
class Directory:
    path: Path
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    shown: str = field(default="", compare=False)  # how messages name it, where not its path (the web app)

    @property
    def label(self) -> str:
        return self.shown or str(self.path)

    def lookup(self, name: str) -> Unit | Group | None:
        return self._index.get(name_key(name))

    def members(self, entity: Unit | Group) -> tuple[Unit, ...]:
        if isinstance(entity, Unit):
            return (entity,)
        return tuple(u for u in self.units if entity.id in u.groups)

    def unit(self, key: str) -> Unit | None:
        """A unit by id or by any of its names."""
        for u in self.units:
            if u.id == key:
                return u
        found = self.lookup(key)
        return found if isinstance(found, Unit) else None

    def closest(self, name: str) -> str | None:
        index = self._index
        match = difflib.get_close_matches(name_key(name), list(index), n=1, cutoff=0.5)
        if not match:
            return None
        entity = index[match[0]]
        return next(n for n in (entity.name, *entity.aliases) if name_key(n) == match[0])

    @cached_property
    def _index(self) -> dict[str, Unit | Group]:
        index: dict[str, Unit | Group] = {}
        for entity in (*self.units, *self.groups):
            for n in (entity.name, *entity.aliases):
                index[name_key(n)] = entity
        return index


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split()).rstrip(":").strip()


def find_directory(start: Path) -> Path | None:
    """The nearest units.yaml in ``start``'s folder or above it."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents, *folder.resolve().parents):
        path = candidate / UNITS_FILE
        if path.is_file():
            return path
    return None


def load_directory(path: str | Path) -> Directory:
    """Read and check a units file; raise SourceError with one line per problem."""
    src = source_mod.load(path, "units")
    return _build(src)


def _build(src: Source) -> Directory:
    problems: list[Problem] = []
    name = src.name

    def fail(node: Node, found: str, expected: str) -> None:
        problems.append(Problem(name, node.line, node.path, found, expected))

    def text(node: Node | None, expected: str) -> str | None:
        if node is None or node.kind != "str" or not str(node.value).strip():
            if node is not None:
                fail(node, node.describe(), expected)
            return None
        return " ".join(str(node.value).split())

    def texts(node: Node | None, expected: str) -> tuple[str, ...]:
        if node is None or node.kind == "null":
            return ()
        items = node.value if node.kind == "seq" else [node]
        assert isinstance(items, list)
        out = [text(i, expected) for i in items]
        return tuple(o for o in out if o)

    def names(node: Node | None) -> tuple[str, ...]:
        """Aliases; one starting lower-case is most often the tail of a name cut at a comma."""
        out = texts(node, _("an alias"))
        for alias in out:
            if alias[0].islower():
                fail(node, _("alias '{alias}' starting lower-case").format(alias=alias),  # type: ignore[arg-type]
                     _("names as written in notices; quote a name that holds a comma: [\"Các cơ quan, ban, ngành\"]"))
        return out

    root = src.root
    assert isinstance(root.value, dict)
    for key, child in root.value.items():
        if key not in ("units", "groups"):
            fail(child, _("unknown field '{key}'").format(key=key), _("'units:' and 'groups:'"))

    def entries(key: str, fields: tuple[str, ...]) -> list[dict[str, Node]]:
        node = root.value.get(key)  # type: ignore[union-attr]
        if node is None or node.kind == "null":
            if key == "units":
                problems.append(Problem(name, root.line, key, _("nothing"), _("a list of units")))
            return []
        if node.kind != "seq":
            fail(node, node.describe(), _("a list of units") if key == "units" else _("a list of groups"))
            return []
        out = []
        for item in node.value:  # type: ignore[union-attr]
            if item.kind != "map":
                fail(item, item.describe(), _("a mapping with 'name:'"))
                continue
            for k, v in item.value.items():
                if k not in fields:
                    close = difflib.get_close_matches(k, fields, n=1)
                    fail(v, _("unknown field '{key}'").format(key=k),
                         _("a known field (did you mean '{close}'?)").format(close=close[0]) if close
                         else _("one of {choices}").format(choices=", ".join(fields)))
            if "name" not in item.value:
                fail(item, _("no 'name:'"), _("the full name of the unit or group"))
                continue
            out.append(item.value)
        return out

    groups: list[Group] = []
    for g in entries("groups", ("id", "name", "aliases")):
        gname = text(g["name"], _("the group's name"))
        if gname:
            gid = text(g.get("id"), _("an id")) if "id" in g else gname
            groups.append(Group(gid or gname, gname, names(g.get("aliases"))))
    group_ids = {g.id for g in groups}
    units: list[Unit] = []
    for u in entries("units", ("id", "name", "aliases", "groups")):
        uname = text(u["name"], _("the unit's full name"))
        if not uname:
            continue
        uid = (text(u.get("id"), _("an id")) if "id" in u else None) or uname
        member_of = texts(u.get("groups"), _("a group id"))
        for gid in member_of:
            if gid not in group_ids:
                close = difflib.get_close_matches(gid, sorted(group_ids), n=1)
                fail(u["groups"], _("unknown group '{id}'").format(id=gid),
                     _("a group id of this file (closest: '{close}')").format(close=close[0]) if close
                     else _("a group id of this file"))
        units.append(Unit(uid, uname, names(u.get("aliases")), member_of))

    seen_ids: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for entity in (*units, *groups):
        kind = "unit" if isinstance(entity, Unit) else "group"
        if entity.id in seen_ids:
            problems.append(Problem(name, None, f"{kind}s", _("id '{id}' used twice").format(id=entity.id),
                                    _("unique ids")))
        seen_ids[entity.id] = kind
        for n in (entity.name, *entity.aliases):
            k = name_key(n)
            if k in seen_names and seen_names[k] != entity.id:
                problems.append(Problem(name, None, f"{kind}s",
                                        _("name '{name}' given to both '{first}' and '{second}'").format(
                                            name=n, first=seen_names[k], second=entity.id),
                                        _("each name to mean one unit or group")))
            seen_names[k] = entity.id
    if problems:
        raise SourceError(problems)
    return Directory(src.path, tuple(units), tuple(groups))


def check_addressees(notice: Notice, src: Source, directory: Directory) -> list[Problem]:
    """Problems for every unit reference of ``notice`` the directory does not know.

    Every 'to:' of the source is read: on items, on parts and on sub-items.
    """
    problems = []
    for node in _to_nodes(src.root):
        unit_name = re.sub(r"[ \t\r\n]+", " ", str(node.value)).strip()  # as validate.clean
        if not unit_name or directory.lookup(unit_name) is not None:
            continue
        close = directory.closest(unit_name)
        problems.append(Problem(
            src.name, node.line, node.path, _("unknown unit '{unit}'").format(unit=unit_name),
            _("a unit or group of {file} (closest: '{close}')").format(file=directory.label, close=close) if close
            else _("a unit or group of {file}").format(file=directory.label),
        ))
    return problems


def _to_nodes(root: Node) -> list[Node]:
    """The unit names of every 'to:' under conclusions, parts and sub-items, in source order."""
    out: list[Node] = []

    def visit(node: Node | None) -> None:
        if node is None:
            return
        if node.kind == "seq":
            for item in node.value:  # type: ignore[union-attr]
                visit(item)
        elif node.kind == "map":
            fields = node.value
            assert isinstance(fields, dict)
            to = fields.get("to")
            if to is not None:
                names = to.value if to.kind == "seq" else [to]
                out.extend(n for n in names if n.kind == "str")  # type: ignore[union-attr]
            for key in ("conclusions", "items"):
                visit(fields.get(key))

    top = root.value if root.kind == "map" else {}
    assert isinstance(top, dict)
    visit(top.get("conclusions"))
    visit(top.get("parts"))
    return out


def merged(directories: list[Directory], path: Path) -> tuple[Directory, list[Problem]]:
    """One directory of the units of several read together (a folder's notices, each with the units.yaml
    nearest to it), by id, the first definition kept; and a warning where two give one id to different
    units: the tasks, received.csv and the board know a unit by its id, so the second would be counted
    as the first. ``path``: the directory's path when there is none."""
    if len(directories) == 1:
        return directories[0], []
    units: dict[str, tuple[Unit, Directory]] = {}
    groups: dict[str, Group] = {}
    clashes: list[Problem] = []
    for d in directories:
        for u in d.units:
            first, where = units.setdefault(u.id, (u, d))
            if first.name != u.name:
                clashes.append(Problem(str(d.path), None, "units",
                                       _("id '{id}' given to '{name}', while {file} gives it to '{other}'").format(
                                           id=u.id, name=u.name, file=where.path, other=first.name),
                                       _("one id for one unit in every units.yaml of the folder (give one of them another id)")))
        for g in d.groups:
            groups.setdefault(g.id, g)
    return Directory(directories[0].path if directories else path, tuple(u for u, _d in units.values()),
                     tuple(groups.values())), clashes
