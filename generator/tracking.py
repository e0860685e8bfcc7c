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
import threading
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import dates
from .deadlines import Deadline, unreported
from .distribute import load_with_directory, units_file_for
from .errors import Problem, SourceError, ThongbaoError
from .i18n import _, ngettext
from .names import ascii_fold
from .output import write_atomic
from .task_index import TaskIndex
from .tasks import Assignment, assignments, normal_conclusion, normal_task
from .units import UNITS_FILE, Directory, Group, Unit, clashes, find_directory, load_directory

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
        due = self.assignment.due
        if due is not None and due.kind == "recurring":
            return _recurring_status(due, self.reports or self._received_days(), on)
        if self.received:
            return _("reported {day}").format(day=f"{self.received.received_on:%d/%m/%Y}")
        deadline = due.due_on(on) if due is not None else self.assignment.deadline
        if deadline is None:
            return _("no deadline") if due is None else _("not reported")  # an event: no date to judge
        days = (on - deadline).days
        if days > 0:
            return ngettext("overdue {n} day", "overdue {n} days", days).format(n=days)
        return _("due today") if days == 0 else ngettext("{n} day left", "{n} days left", -days).format(n=-days)

    def _received_days(self) -> tuple[dt.date, ...]:
        return (self.received.received_on,) if self.received else ()


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


def _due(a: Assignment) -> Deadline | None:
    if a.due is not None:
        return a.due
    return Deadline(a.deadline_text or "", "day", a.deadline) if a.deadline else None


def is_overdue(a: Assignment, reports: tuple[dt.date, ...], on: dt.date) -> bool:
    """Past a due day on ``on`` with no report for it (a recurring task: for any of its due days)."""
    due = _due(a)
    late = unreported(due, reports, on) if due is not None else None
    return late is not None and late < on


def is_due_before(a: Assignment, day: dt.date) -> bool:
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


@dataclass
class Folder:
    path: Path
    directory: Directory
    assignments: list[Assignment]
    received: dict[tuple[str, str, str, str], Received]
    warnings: list[Problem]
    reports: dict[tuple[str, str, str, str], tuple[dt.date, ...]] = field(default_factory=dict)


_GC_LOCK = threading.Lock()
_gc_pauses = [0, False]  # how many paused_gc blocks run (any thread), whether the first found gc enabled


@contextlib.contextmanager
def paused_gc():
    """No cyclic garbage collection inside the block (threads may nest it; the last one out restores it).

    A folder of a thousand notices reads 150,000 tasks back from the index and
    makes as many rows: objects without cycles, which reference counting frees,
    but which the collector would scan again and again while they are made (a
    third of a warm 'tasks'). Nothing else changes: no object is kept longer.
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
    if shared is not None:
        directories[shared] = load_directory(units_file_for(folder / UNITS_FILE, shared))
    items: list[Assignment] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    index = TaskIndex.open(folder)  # what each unchanged notice gave last time (task_index.py)
    for path in notice_sources(folder):
        try:
            own = Path(units) if units else (find_directory(path) or shared)
            if own is None:
                units_file_for(path, None)  # raises: no units.yaml for this notice
            assert own is not None
            if own not in directories:
                directories[own] = load_directory(own)
            try:
                data: bytes | None = path.read_bytes()
            except OSError:
                data = None
            with paused_gc():
                cached = index.get(path, data, directories[own]) if data is not None else None
            if cached is not None:
                items.extend(cached[0])
                warnings.extend(cached[1])
                continue
            loaded = load_with_directory(path, directories[own])
        except SourceError as exc:
            if skipped is not None:
                skipped.append(path)
                continue
            problems.extend(exc.problems)
            continue
        found = assignments(loaded.notice, loaded.directory)
        items.extend(found)
        warnings.extend(loaded.warnings)
        if data is not None and _unchanged(path, data):
            index.put(path, data, directories[own], found, loaded.warnings)
    index.save()
    if problems:
        raise SourceError(problems)
    directory = _merged(folder, list(directories.values()))
    warnings.extend(clashes(list(directories.values())))
    received = sorted(load_received(folder), key=lambda r: r.received_on)
    reports: dict[tuple[str, str, str, str], tuple[dt.date, ...]] = {}
    for r in received:
        reports[r.key] = (*reports.get(r.key, ()), r.received_on)
    return Folder(folder, directory, items, {r.key: r for r in received}, warnings, reports)


def _merged(folder: Path, directories: list[Directory]) -> Directory:
    """One directory of the units of several (by id, the first definition kept)."""
    if len(directories) == 1:
        return directories[0]
    units: dict[str, Unit] = {}
    groups: dict[str, Group] = {}
    for d in directories:
        for u in d.units:
            units.setdefault(u.id, u)
        for g in d.groups:
            groups.setdefault(g.id, g)
    return Directory(directories[0].path if directories else folder, tuple(units.values()), tuple(groups.values()))


def _unchanged(path: Path, data: bytes) -> bool:
    """Whether ``path`` still holds ``data`` (nobody saved it while it was read)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def load_received(folder: Path) -> list[Received]:
    path = folder / RECEIVED_FILE
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError([Problem(str(path), None, "", _("bytes that are not UTF-8"), _("a UTF-8 CSV file"))])
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != RECEIVED_COLUMNS:
        raise SourceError([Problem(str(path), 1, "header", ",".join(reader.fieldnames or ()),
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
            raise SourceError([Problem(str(path), line, field, "nothing", "a value")])
        out.append(Received(values["notice"], conclusion, task, values["unit_id"], day, values["note"]))
    return out


def select(folder: Folder, *, unit: str | None = None, due_before: dt.date | None = None,
           overdue_on: dt.date | None = None, on: dt.date | None = None) -> list[Row]:
    """Rows by unit (directory order), then due day; overdue leaves reported ones out.

    ``on`` (default ``overdue_on``) is the day recurring deadlines are sorted by.
    """
    wanted = None
    if unit:
        found = folder.directory.unit(unit)
        if found is None:
            close = folder.directory.closest(unit)
            raise ThongbaoError(
                _("{path}: --unit: found unknown unit '{unit}', expected a unit id or name").format(path=folder.directory.path, unit=unit)
                + (f" (closest: '{close}')" if close else "")
            )
        wanted = found.id
    with paused_gc():
        return _select(folder, wanted, due_before, overdue_on, on)


def _select(folder: Folder, wanted: str | None, due_before: dt.date | None, overdue_on: dt.date | None,
            on: dt.date | None) -> list[Row]:
    order = {u.id: k for k, u in enumerate(folder.directory.units)}
    # The answers below depend only on a task's deadline fields (and its reports), which the tasks of
    # one notice share between its units: each is worked out once per distinct set of them. The keys
    # hold id(a.due): every Deadline stays alive in folder.assignments while this runs.
    notice_keys: dict[str, str] = {}
    due_memo: dict[tuple, bool] = {}
    overdue_memo: dict[tuple, bool] = {}
    rows = []
    new = object.__new__
    received, reported = folder.received, folder.reports
    rec, reports = None, ()
    for a in folder.assignments:
        if wanted and a.unit.id != wanted:
            continue
        if received or reported:  # nothing to look up in a folder where no report was recorded
            notice_key = notice_keys.get(a.notice)
            if notice_key is None:
                notice_key = notice_keys[a.notice] = ref_key(a.notice)
            key = (notice_key, a.conclusion, a.task, a.unit.id)
            rec, reports = received.get(key), reported.get(key, ())
        if due_before:
            fields = (id(a.due), a.deadline, a.deadline_text)
            ok = due_memo.get(fields)
            if ok is None:
                ok = due_memo[fields] = is_due_before(a, due_before)
            if not ok:
                continue
        if overdue_on:
            days = reports or ((rec.received_on,) if rec else ())
            memo = (id(a.due), a.deadline, a.deadline_text, days)
            ok = overdue_memo.get(memo)
            if ok is None:
                ok = overdue_memo[memo] = is_overdue(a, days, overdue_on)
            if not ok:
                continue
        row = new(Row)  # Row(a, rec, reports) without the frozen __init__'s object.__setattr__ calls
        fill = row.__dict__
        fill["assignment"], fill["received"], fill["reports"] = a, rec, reports
        rows.append(row)
    far, day = dt.date.max, on or overdue_on
    when_memo: dict[tuple, dt.date] = {}
    ref_memo: dict[tuple[str, str], tuple] = {}

    def when(r: Row) -> dt.date:
        a = r.assignment
        due = a.due
        if a.deadline or due is None or not due.dated or day is None:
            return a.deadline or far
        memo = (id(due), r.reports)
        found = when_memo.get(memo)
        if found is None:
            found = when_memo[memo] = unreported(due, r.reports, day) or due.due_on(day) or far
        return found

    def sort_key(r: Row) -> tuple:
        a = r.assignment
        ref = (a.conclusion, a.task)
        found = ref_memo.get(ref)
        if found is None:
            found = ref_memo[ref] = a.sort_key
        return (order[a.unit.id], when(r), a.notice_date, a.notice, found)

    return sorted(rows, key=sort_key)


def record_received(folder: str | Path, notice: str, unit: str, task: str, on: dt.date,
                    note: str = "", units: str | Path | None = None, *,
                    skip_drafts: bool = False) -> tuple[list[Received], int]:
    """Record that ``unit`` reported on ``task``: "4.3", "II.3.2", "2.a", "2.a.1",
    or a whole item ("4", "II.3") or sub-item ("2.a": its own task and its "-" tasks).

    Returns the new records and how many were already recorded. ``skip_drafts``:
    sources that do not validate are left out (see load_folder) instead of failing.
    """
    data = load_folder(folder, units, skipped=[] if skip_drafts else None)
    found = data.directory.unit(unit)
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
