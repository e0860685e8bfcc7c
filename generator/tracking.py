"""Deadline tracking over a folder of notices, and the record of reports received.

Reports received are kept in ``received.csv`` in the notices folder, a plain
file versioned with the notices: one row per unit and task.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import gc
import io
import operator
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from . import dates
from .deadlines import Deadline, unreported
from .errors import Problem, SourceError, ThongbaoError
from .i18n import _, ngettext
from .names import ascii_fold
from .output import write_atomic
from .task_index import TaskIndex, with_unit
from .tasks import (
    Assignment,
    NoticeTasks,
    Task,
    normal_conclusion,
    normal_task,
    notice_tasks,
)
from .units import (
    UNITS_FILE,
    Directory,
    Unit,
    find_directory,
    load_directory,
    merged,
    name_key,
)

RECEIVED_FILE = "received.csv"
RECEIVED_COLUMNS = ("notice", "conclusion", "task", "unit_id", "received_on", "note")


@dataclass(frozen=True)
class Received:
    notice: str
    conclusion: str        # the item's path, "4" or "II.3" (files written before parts hold "4": the same)
    task: str              # "3", "a", "a.2"
    unit_id: str
    received_on: dt.date
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (ref_key(self.notice), self.conclusion, self.task, self.unit_id)


@dataclass(frozen=True)
class Row:
    assignment: Assignment
    received: Received | None          # the latest report received
    reports: tuple[dt.date, ...] = ()  # every day a report arrived (recurring tasks have several)

    def status(self, on: dt.date) -> str:
        return task_status(self.assignment, self.received, self.reports, on)


class Line:
    """A task of a notice as the units it is listed for see it, the same for them all: the Task
    (select_lines lists it with each unit), with its reports as a Row's."""

    __slots__ = ("key", "rank", "received", "reports", "task")

    def __init__(self, task: Task, received: Received | None, reports: tuple[dt.date, ...], key: tuple):
        self.task, self.received, self.reports = task, received, reports
        self.key = key  # its place in the list of each of its units (select's order)
        self.rank = 0

    def status(self, on: dt.date) -> str:
        return task_status(self.task, self.received, self.reports, on)


def task_status(a: Assignment | Task, received: Received | None, reports: tuple[dt.date, ...], on: dt.date) -> str:
    """"overdue 3 days", "reported 02/08/2023", "5 days left" ...: a task on ``on``, with its reports."""
    due = a.due
    if due is not None and due.kind == "recurring":
        return _recurring_status(due, reports or ((received.received_on,) if received else ()), on)
    if received:
        return _("reported {day}").format(day=f"{received.received_on:%d/%m/%Y}")
    deadline = due.due_on(on) if due is not None else a.deadline
    if deadline is None:
        return _("no deadline") if due is None else _("not reported")  # an event: no date to judge
    days = (on - deadline).days
    if days > 0:
        return ngettext("overdue {n} day", "overdue {n} days", days).format(n=days)
    return _("due today") if days == 0 else ngettext("{n} day left", "{n} days left", -days).format(n=-days)


def _recurring_status(due: Deadline, reports: tuple[dt.date, ...], on: dt.date) -> str:
    """Late since the first due day no report covers, else the days to the next one."""
    if not due.dated:  # "thường xuyên", "hằng tuần" without a day: nothing falls due
        return _("reported {day}").format(day=f"{max(reports):%d/%m/%Y}") if reports else _("not reported")
    late = unreported(due, reports, on)
    if late is not None:
        days = (on - late).days
        return _("due today") if days == 0 else ngettext(
            "overdue {n} day (due {day})", "overdue {n} days (due {day})", days).format(n=days, day=f"{late:%d/%m/%Y}")
    upcoming = unreported(due, reports, on + dt.timedelta(days=400))
    if upcoming is None:
        return _("reported {day}").format(day=f"{max(reports):%d/%m/%Y}")
    left = (upcoming - on).days
    return ngettext("{n} day left (due {day})", "{n} days left (due {day})", left).format(
        n=left, day=f"{upcoming:%d/%m/%Y}")


def _due(a: Assignment | Task) -> Deadline | None:
    if a.due is not None:
        return a.due
    return Deadline(a.deadline_text or "", "day", a.deadline) if a.deadline else None


def is_overdue(a: Assignment | Task, reports: tuple[dt.date, ...], on: dt.date) -> bool:
    """Past a due day on ``on`` with no report for it (a recurring task: for any of its due days)."""
    due = _due(a)
    late = unreported(due, reports, on) if due is not None else None
    return late is not None and late < on


def is_due_before(a: Assignment | Task, day: dt.date) -> bool:
    """Due on a day before ``day`` (a recurring task: one of its due days)."""
    due = _due(a)
    found = due.due_on(day - dt.timedelta(days=1)) if due is not None else None
    return found is not None and found < day


@functools.lru_cache(maxsize=4096)  # select() asks once per task; a folder has few notices
def ref_key(ref: str) -> str:
    """``103-TB/BCĐ``, ``103-tb/bcd`` and ``Số 103-TB/BCĐ`` name the same notice."""
    text = ascii_fold(ref).lower()
    text = text.replace(" ", "").removeprefix("so:").removeprefix("so")
    return text


def same_notice(symbol: str, given: str) -> bool:
    """``given`` names the notice ``symbol``: in full, or by its number alone
    ("103" for 103-TB/BCĐ, "5" or "05" for 05/TB-UBND)."""
    key = ref_key(given)
    if ref_key(symbol) == key:
        return True
    number = re.match(r"\d+", ref_key(symbol))
    return key.isdigit() and number is not None and int(number.group()) == int(key)


def notice_sources(folder: Path) -> list[Path]:
    """Notice sources under ``folder``: every .yaml but the units file."""
    return sorted(
        p for p in folder.rglob("*.yaml")
        if p.name != UNITS_FILE and not any(part.startswith(".") or part == "archive" for part in p.relative_to(folder).parts)
    )


class Folder:
    """Every task of a folder's notices, and the reports received.

    The tasks are kept notice by notice as NoticeTasks (task_index.py): a task
    given to twenty units is one Task there, not twenty Assignments. ``assignments`` and
    the rows select() returns make the Assignments, each once (a row of either
    is the same object as the other's).
    """

    def __init__(self, path: Path, directory: Directory, notices: list[NoticeTasks],
                 received: dict[tuple[str, str, str, str], Received], warnings: list[Problem],
                 reports: dict[tuple[str, str, str, str], tuple[dt.date, ...]] | None = None):
        self.path = path
        self.directory = directory
        self.notices = notices
        self.received = received
        self.warnings = warnings
        self.reports = reports if reports is not None else {}
        self._made: list[list[Assignment | None] | None] = [None] * len(notices)

    @property
    def assignments(self) -> list[Assignment]:
        """Every (unit, task) pair: notice by notice, in each notice's order (the directory's units)."""
        out = []
        for n, notice in enumerate(self.notices):
            p = 0
            for unit, ks in notice.runs:
                for k in ks:
                    out.append(self._assignment(n, p, unit, notice.tasks[k]))
                    p += 1
        return out

    def _assignment(self, n: int, p: int, unit: Unit, task: Task) -> Assignment:
        """The ``p``-th assignment of notice ``n``: ``task`` given to ``unit``."""
        made = self._made[n]
        if made is None:
            made = self._made[n] = [None] * len(self.notices[n])
        a = made[p]
        if a is None:
            a = made[p] = with_unit(task, unit)
        return a


_GC_LOCK = threading.Lock()
_gc_pauses = [0, False]  # how many paused_gc blocks run (any thread), whether the first found gc enabled


@contextlib.contextmanager
def paused_gc():
    """No cyclic garbage collection inside the block (threads may nest it; the last one out restores it).

    A folder of a thousand notices reads tens of thousands of tasks back from
    the index and makes as many rows: objects without cycles, which reference
    counting frees, but which the collector would scan again and again while
    they are made. Nothing else changes: no object is kept longer.
    """
    with _GC_LOCK:
        if _gc_pauses[0] == 0:
            _gc_pauses[1] = gc.isenabled()
            gc.disable()
        _gc_pauses[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses[0] -= 1
            if _gc_pauses[0] == 0 and _gc_pauses[1]:
                gc.enable()


def load_with_directory(path: Path, directory: Directory):
    """distribute.load_with_directory, imported when a notice must be read: it brings the validator,
    which a folder whose notices all come from the index does not need."""
    from .distribute import load_with_directory as load

    return load(path, directory)


def _load_notices(sources: list[Path], units: str | Path | None, shared: Path | None,
                  directories: dict[Path, Directory], index: TaskIndex, notices: list[NoticeTasks],
                  warnings: list[Problem], problems: list[Problem], skipped: list[Path] | None) -> None:
    """load_folder's loop: each source's tasks from the index, else read, validated and indexed.

    The index is read first, with the collector paused (a notice read back makes a few hundred objects,
    none in a cycle: see paused_gc); the notices it does not hold are read after, with it running
    (reading and validating a notice leaves cycles behind).
    """
    nearest: dict[Path, Path | None] = {}  # a folder's nearest units.yaml (looked for once per folder)
    found: list[tuple | SourceError] = []  # per source: (tasks, warnings), or (None, its directory)
    with paused_gc():
        for path in sources:
            try:
                if units:
                    own: Path | None = Path(units)
                else:
                    if path.parent not in nearest:
                        nearest[path.parent] = find_directory(path)
                    own = nearest[path.parent] or shared
                if own is None:
                    from .distribute import units_file_for

                    units_file_for(path, None)  # raises: no units.yaml for this notice
                assert own is not None
                if own not in directories:
                    index.before_units(own)
                    directories[own] = load_directory(own)
            except SourceError as exc:
                found.append(exc)
                continue
            look = index.get(path, directories[own])
            found.append(look if look is not None else (None, directories[own]))
    for path, got in zip(sources, found):
        try:
            if isinstance(got, SourceError):
                raise got
            if got[0] is not None:
                notices.append(got[0])
                warnings.extend(got[1])
                continue
            _, directory = got
            stat, checked = index.stamp(path)  # as the bytes about to be read are
            try:
                data: bytes | None = path.read_bytes()
            except OSError:
                data = None
            loaded = load_with_directory(path, directory)
        except SourceError as exc:
            if skipped is not None:
                skipped.append(path)
                continue
            problems.extend(exc.problems)
            continue
        tasks = notice_tasks(loaded.notice, loaded.directory)
        notices.append(tasks)
        warnings.extend(loaded.warnings)
        if data is not None and _unchanged(path, data):
            index.put(path, data, directory, tasks, loaded.warnings, stat, checked)


def load_folder(folder: str | Path, units: str | Path | None = None, *,
                skipped: list[Path] | None = None) -> Folder:
    """Every task of every notice under ``folder``.

    Each notice is read with ``units``, else with the units.yaml nearest to it
    (its own folder or above, as ``validate`` and ``extracts`` do); the folder's
    directory is all of them together, the one at or above the folder first.
    With ``skipped`` (a list), a source that does not validate (a draft being
    written, in the web workspace) is added to it and left out instead of failing.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ThongbaoError(_("{folder}: found no such folder, expected the folder of notice sources").format(folder=folder))
    shared = Path(units) if units else find_directory(folder / UNITS_FILE)
    directories: dict[Path, Directory] = {}
    index = TaskIndex.open(folder)  # what each unchanged notice gave last time (task_index.py)
    if shared is not None:
        index.before_units(shared)
        directories[shared] = load_directory(shared)
    notices: list[NoticeTasks] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    _load_notices(notice_sources(folder), units, shared, directories, index, notices, warnings, problems, skipped)
    index.save()
    if problems:
        raise SourceError(problems)
    directory, clashes = merged(list(directories.values()), folder)
    warnings.extend(clashes)
    received = sorted(load_received(folder), key=lambda r: r.received_on)
    reports: dict[tuple[str, str, str, str], tuple[dt.date, ...]] = {}
    for r in received:
        reports[r.key] = (*reports.get(r.key, ()), r.received_on)
    return Folder(folder, directory, notices, {r.key: r for r in received}, warnings, reports)


def _unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` still holds ``data`` (nobody saved it while it was read)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def load_received(folder: Path) -> list[Received]:
    path = folder / RECEIVED_FILE
    if not path.exists():
        return []
    if not path.is_file():
        raise SourceError([Problem(str(path), None, "", _("a directory"), _("a UTF-8 CSV file"))])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError([Problem(str(path), None, "", _("bytes that are not UTF-8"), _("a UTF-8 CSV file"))])
    except OSError as exc:
        raise SourceError([Problem(str(path), None, "", _("unreadable file ({reason})").format(reason=exc.strerror),
                                   _("a readable file"))]) from None
    reader = csv.DictReader(io.StringIO(text))
    try:
        return _received_rows(path, reader)
    except csv.Error:
        # A field over the csv module's limit (128 KB: a quote never closed), a NUL.
        raise SourceError([Problem(str(path), reader.line_num + 1, "", _("a line the CSV reader cannot read"),
                                   _("one report per line, each quote closed"))]) from None


def _received_rows(path: Path, reader: csv.DictReader) -> list[Received]:
    if tuple(reader.fieldnames or ()) != RECEIVED_COLUMNS:
        raise SourceError([Problem(str(path), 1, "header", ",".join(reader.fieldnames or ()) or _("nothing"),
                                   ",".join(RECEIVED_COLUMNS))])
    out = []
    for row in reader:
        line = reader.line_num
        values = {k: (row.get(k) or "").strip() for k in RECEIVED_COLUMNS}
        conclusion, task = normal_conclusion(values["conclusion"]), normal_task(values["task"])
        if conclusion is None:
            raise SourceError([Problem(str(path), line, "conclusion", f"'{values['conclusion']}'",
                                       _("an item number such as 4, or II.3 in a notice with parts"))])
        if task is None:
            raise SourceError([Problem(str(path), line, "task", f"'{values['task']}'",
                                       _("a task number such as 3, or a / a.2 for a sub-item's"))])
        try:
            day = dt.date.fromisoformat(values["received_on"])
        except ValueError:
            raise SourceError([Problem(str(path), line, "received_on", f"'{values['received_on']}'",
                                       _("a date as YYYY-MM-DD"))]) from None
        if not values["notice"] or not values["unit_id"]:
            field = "notice" if not values["notice"] else "unit_id"
            raise SourceError([Problem(str(path), line, field, _("nothing"), _("a value"))])
        out.append(Received(values["notice"], conclusion, task, values["unit_id"], day, values["note"]))
    return out


def select(folder: Folder, *, unit: str | None = None, due_before: dt.date | None = None,
           overdue_on: dt.date | None = None, on: dt.date | None = None) -> list[Row]:
    """Rows by unit (directory order), then due day; overdue leaves reported ones out.

    ``on`` (default ``overdue_on``) is the day recurring deadlines are sorted by.
    """
    with paused_gc():
        rows = []
        new = object.__new__
        for group in _select(folder, _wanted(folder, unit), due_before, overdue_on, on, rows=True):
            for line, a in zip(group.lines, group.rows):
                row = new(Row)  # Row(a, rec, reports) without the frozen __init__'s object.__setattr__ calls
                fill = row.__dict__
                fill["assignment"], fill["received"], fill["reports"] = a, line.received, line.reports
                rows.append(row)
        return rows


def select_lines(folder: Folder, *, unit: str | None = None, due_before: dt.date | None = None,
                 overdue_on: dt.date | None = None, on: dt.date | None = None) -> list[tuple[Unit, list[Line]]]:
    """What select() gives, in the same order, unit by unit: (the unit of its first row, its lines).

    The line of a task is one object for all the units it is listed for: a list
    of a thousand notices is made without an Assignment.
    """
    with paused_gc():
        groups = _select(folder, _wanted(folder, unit), due_before, overdue_on, on, rows=False)
        return [(g.units[0] if g.units else g.unit, g.lines) for g in groups]


def _wanted(folder: Folder, unit: str | None) -> str | None:
    if not unit:
        return None
    found = _one_unit(folder.directory, unit, folder.path)
    if found is None:
        close = folder.directory.closest(unit)
        raise ThongbaoError(
            _("{path}: --unit: found unknown unit '{unit}', expected a unit id or name").format(path=folder.directory.path, unit=unit)
            + (f" (closest: '{close}')" if close else "")
        )
    return found.id


def _one_unit(directory: Directory, key: str, path: Path) -> Unit | None:
    """``--unit``: a unit by id or by name. A name that units of several units files give to different
    units ("UBND huyện" of two districts) is an error naming their ids, never one of them picked."""
    found = directory.unit(key)
    if found is None or found.id == key:
        return found
    wanted = name_key(key)
    ids = sorted({u.id for u in directory.units if any(name_key(n) == wanted for n in (u.name, *u.aliases))})
    if len(ids) > 1:
        raise ThongbaoError(_("{path}: --unit: found '{unit}', the name of several units ({ids}), expected the id of one of them").format(
            path=path, unit=key, ids=", ".join(ids)))
    return found


_PER_UNIT = object()  # a task some unit reported on: each unit's line is looked up


class _Group:
    """One unit id's rows: ``lines``; ``units``, the unit of each where they are not all ``unit``
    (units files of several folders may define one id); ``rows``, the Assignment of each."""

    __slots__ = ("lines", "rows", "unit", "units")

    def __init__(self, unit: Unit, rows: bool):
        self.unit = unit
        self.lines: list[Line] = []
        self.units: list[Unit] | None = None
        self.rows: list[Assignment] | None = [] if rows else None


def _select(folder: Folder, wanted: str | None, due_before: dt.date | None, overdue_on: dt.date | None,
            on: dt.date | None, rows: bool) -> list[_Group]:
    """The rows select() gives, in its order: a group per unit id (directory order).

    The rows are sorted by (the unit's place in the directory, due day, notice date, notice, item and
    task), ties kept in the folder's order. Every answer below depends only on a task's fields and its
    reports: a task that no unit reported on is judged once for all its units (one Line), and only the
    rows listed are made.
    """
    order = {u.id: k for k, u in enumerate(folder.directory.units)}
    received, reported = folder.received, folder.reports
    noted = {key[:3] for key in received} | {key[:3] for key in reported}  # (notice, item, task) reported on
    far, day = dt.date.max, on or overdue_on
    notice_keys: dict[str, str] = {}
    due_memo: dict[tuple, bool] = {}
    overdue_memo: dict[tuple, bool] = {}
    when_memo: dict[tuple, dt.date] = {}
    ref_memo: dict[tuple[str, str], tuple] = {}
    made: list[Line] = []
    # The keys of the memos hold id(a.due): every Deadline stays alive in folder.notices while this runs.

    def line(a: Task, rec: Received | None, reports: tuple[dt.date, ...]) -> Line | None:
        """The task's line with these reports, or None where the filters leave it out."""
        if overdue_on:
            days = reports or ((rec.received_on,) if rec else ())
            memo = (id(a.due), a.deadline, a.deadline_text, days)
            ok = overdue_memo.get(memo)
            if ok is None:
                ok = overdue_memo[memo] = is_overdue(a, days, overdue_on)
            if not ok:
                return None
        due = a.due
        if a.deadline or due is None or not due.dated or day is None:
            when = a.deadline or far
        else:
            memo = (id(due), reports)
            when = when_memo.get(memo)
            if when is None:
                when = when_memo[memo] = unreported(due, reports, day) or due.due_on(day) or far
        ref = (a.conclusion, a.task)
        sort_key = ref_memo.get(ref)
        if sort_key is None:
            sort_key = ref_memo[ref] = a.sort_key
        found = Line(a, rec, reports, (when, a.notice_date, a.notice, sort_key))
        made.append(found)
        return found

    def plan(a: Task) -> Line | object | None:
        """What every unit given ``a`` lists: its line, None (nothing), or _PER_UNIT (look each up)."""
        if due_before:
            fields = (id(a.due), a.deadline, a.deadline_text)
            ok = due_memo.get(fields)
            if ok is None:
                ok = due_memo[fields] = is_due_before(a, due_before)
            if not ok:
                return None
        if noted and notice_key(a) in noted:
            return _PER_UNIT
        return line(a, None, ())

    def notice_key(a: Task) -> tuple[str, str, str]:
        key = notice_keys.get(a.notice)
        if key is None:
            key = notice_keys[a.notice] = ref_key(a.notice)
        return (key, a.conclusion, a.task)

    groups: dict[str, _Group] = {}
    for n, notice in enumerate(folder.notices):
        tasks = notice.tasks
        plans: list = [False] * len(tasks)  # False: not worked out yet
        alone: dict[int, Line | None] = {}  # a _PER_UNIT task's line for the units that did not report
        p = 0
        for unit, ks in notice.runs:
            if wanted and unit.id != wanted:
                p += len(ks)
                continue
            group = groups.get(unit.id)
            if group is None:
                group = groups[unit.id] = _Group(unit, rows)
            elif group.unit is not unit and group.units is None:
                group.units = [group.unit] * len(group.lines)
            lines, assigned, units = group.lines, group.rows, group.units
            if not noted and assigned is None and units is None:  # the common case, worked out in C
                for k in ks:
                    if plans[k] is False:
                        plans[k] = plan(tasks[k])
                lines.extend(filter(None, map(plans.__getitem__, ks)))  # a Line is true, None false
                p += len(ks)
                continue
            for k in ks:
                found = plans[k]
                if found is False:
                    found = plans[k] = plan(tasks[k])
                if found is _PER_UNIT:
                    key = (*notice_key(tasks[k]), unit.id)
                    rec, reports = received.get(key), reported.get(key, ())
                    if rec is None and not reports:
                        if k not in alone:
                            alone[k] = line(tasks[k], None, ())
                        found = alone[k]
                    else:
                        found = line(tasks[k], rec, reports)
                if found is not None:
                    lines.append(found)
                    if assigned is not None:
                        assigned.append(folder._assignment(n, p, unit, tasks[k]))
                    if units is not None:
                        units.append(unit)
                p += 1
    # Each line's rank: its place among the sort keys (equal keys, equal ranks); each unit's rows sorted
    # by it, in the folder's order where ranks are equal, as sorting every row by its key would give.
    made.sort(key=operator.attrgetter("key"))
    rank, previous = 0, None
    for found in made:
        if found.key != previous:
            rank += 1
            previous = found.key
        found.rank = rank
    out = []
    for unit_id in sorted(groups, key=order.__getitem__):
        group = groups[unit_id]
        lines = group.lines
        if group.rows is None and group.units is None:
            lines.sort(key=operator.attrgetter("rank"))
        else:
            ranks = [line.rank for line in lines]
            moved = sorted(range(len(lines)), key=ranks.__getitem__)
            group.lines = [lines[i] for i in moved]
            if group.rows is not None:
                group.rows = [group.rows[i] for i in moved]
            if group.units is not None:
                group.units = [group.units[i] for i in moved]
        if lines:
            out.append(group)
    return out


def record_received(folder: str | Path, notice: str, unit: str, task: str, on: dt.date,
                    note: str = "", units: str | Path | None = None, *,
                    skip_drafts: bool = False) -> tuple[list[Received], int]:
    """Record that ``unit`` reported on ``task``: "4.3", "II.3.2", "2.a", "2.a.1",
    or a whole item ("4", "II.3") or sub-item ("2.a": its own task and its "-" tasks).

    Returns the new records and how many were already recorded. ``skip_drafts``:
    sources that do not validate are left out (see load_folder) instead of failing.
    """
    data = load_folder(folder, units, skipped=[] if skip_drafts else None)
    found = _one_unit(data.directory, unit, data.path)
    if found is None:
        close = data.directory.closest(unit)
        raise ThongbaoError(_("--unit: found unknown unit '{unit}', expected a unit id or name").format(unit=unit)
                            + (f" (closest: '{close}')" if close else ""))
    parsed = parse_task_ref(task)
    if parsed is None:
        raise ThongbaoError(_("--task: found '{task}', expected a conclusion and task number such as 4.3, or 4 (with parts II.3 or II.3.2; a sub-item 2.a, its tasks 2.a.1)").format(task=task)) from None
    conclusion, prefix = parsed
    notices = {a.notice for a in data.assignments}
    matches = sorted({n for n in notices if same_notice(n, notice)})
    if len(matches) != 1:
        known = ", ".join(sorted(notices)) or _("none")
        raise ThongbaoError(_("--notice: found '{notice}' ({notice2} in {path}), expected one of: {known}").format(
            notice=notice, notice2=_("ambiguous") if matches else _("no such notice"), path=data.path, known=known))
    targets = [a for a in data.assignments if a.notice == matches[0] and a.unit.id == found.id
               and a.conclusion == conclusion
               and (not prefix or a.task == prefix or a.task.startswith(prefix + "."))]
    if not targets:
        raise ThongbaoError(_("--task: found {task}, which {matches} does not give to {name}, expected a task of a conclusion addressed to the unit (see 'thongbao tasks --unit')").format(task=task, matches=matches[0], name=found.name))
    existing = load_received(data.path)
    keys = {r.key for r in existing} | {(r.key, r.received_on) for r in existing}
    new = [Received(a.notice, a.conclusion, a.task, found.id, on, note) for a in targets]
    # A recurring task is reported again each period: one record per day received.
    fresh = [r for r, a in zip(new, targets)
             if ((r.key, r.received_on) if a.due is not None and a.due.kind == "recurring" else r.key) not in keys]
    if fresh:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(RECEIVED_COLUMNS)
        for r in [*existing, *fresh]:
            writer.writerow([r.notice, r.conclusion, r.task, r.unit_id, r.received_on.isoformat(), r.note])
        write_atomic(data.path / RECEIVED_FILE, buf.getvalue().encode("utf-8"))
    return fresh, len(new) - len(fresh)


def parse_task_ref(text: str) -> tuple[str, str] | None:
    """"II.3.a.1" -> ("II.3", "a.1"); "4" -> ("4", ""); None if it is no reference."""
    pieces = text.strip().split(".")
    start = 1 if len(pieces) > 1 and re.fullmatch(r"[IVXLCDM]+", pieces[0], re.IGNORECASE) else 0
    conclusion = normal_conclusion(".".join(pieces[:start + 1]))
    if conclusion is None:
        return None
    rest = ".".join(pieces[start + 1:])
    if not rest:
        return conclusion, ""
    task = normal_task(rest)
    return (conclusion, task) if task is not None else None


def parse_day(value: str, option: str) -> dt.date:
    try:
        return dates.parse_date(value)
    except ValueError:
        raise ThongbaoError(_("{option}: found '{value}', expected a real date as YYYY-MM-DD or D/M/YYYY").format(option=option, value=value)) from None
