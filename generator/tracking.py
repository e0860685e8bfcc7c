"""Deadline tracking over a folder of notices, and the record of reports received.

Reports received are kept in ``received.csv`` in the notices folder, a plain
file versioned with the notices: one row per unit and task.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from . import dates
from .distribute import load_with_directory, units_file_for
from .errors import Problem, SourceError, ThongbaoError
from .names import ascii_fold
from .output import write_atomic
from .task_index import TaskIndex
from .tasks import Assignment, assignments
from .units import UNITS_FILE, Directory, load_directory

RECEIVED_FILE = "received.csv"
RECEIVED_COLUMNS = ("notice", "conclusion", "task", "unit_id", "received_on", "note")


@dataclass(frozen=True)
class Received:
    notice: str
    conclusion: int
    task: int
    unit_id: str
    received_on: dt.date
    note: str = ""

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (ref_key(self.notice), self.conclusion, self.task, self.unit_id)


@dataclass(frozen=True)
class Row:
    assignment: Assignment
    received: Received | None

    def status(self, on: dt.date) -> str:
        if self.received:
            return f"đã báo cáo {self.received.received_on:%d/%m/%Y}"
        deadline = self.assignment.deadline
        if deadline is None:
            return "không có thời hạn"
        days = (on - deadline).days
        if days > 0:
            return f"quá hạn {days} ngày"
        return "đến hạn hôm nay" if days == 0 else f"còn {-days} ngày"


@functools.lru_cache(maxsize=4096)  # select() asks once per task; a folder has few notices
def ref_key(ref: str) -> str:
    """``103-TB/BCĐ``, ``103-tb/bcd`` and ``Số 103-TB/BCĐ`` name the same notice."""
    text = ascii_fold(ref).lower()
    text = text.replace(" ", "").removeprefix("so:").removeprefix("so")
    return text


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
    received: dict[tuple[str, int, int, str], Received]
    warnings: list[Problem]


def load_folder(folder: str | Path, units: str | Path | None = None) -> Folder:
    folder = Path(folder)
    if not folder.is_dir():
        raise ThongbaoError(f"{folder}: found no such folder, expected the folder of notice sources")
    directory = load_directory(units_file_for(folder / UNITS_FILE, units))
    items: list[Assignment] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    index = TaskIndex.open(folder, directory)  # what each unchanged notice gave last time
    for path in notice_sources(folder):
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        cached = index.get(path, data) if data is not None else None
        if cached is not None:
            items.extend(cached[0])
            warnings.extend(cached[1])
            continue
        try:
            loaded = load_with_directory(path, directory)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        found = assignments(loaded.notice, loaded.directory)
        items.extend(found)
        warnings.extend(loaded.warnings)
        if data is not None and _unchanged(path, data):
            index.put(path, data, found, loaded.warnings)
    index.save()
    if problems:
        raise SourceError(problems)
    return Folder(folder, directory, items, {r.key: r for r in load_received(folder)}, warnings)


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
        raise SourceError([Problem(str(path), None, "", "bytes that are not UTF-8", "a UTF-8 CSV file")])
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != RECEIVED_COLUMNS:
        raise SourceError([Problem(str(path), 1, "header", ",".join(reader.fieldnames or ()),
                                   ",".join(RECEIVED_COLUMNS))])
    out = []
    for row in reader:
        line = reader.line_num
        values = {k: (row.get(k) or "").strip() for k in RECEIVED_COLUMNS}
        try:
            conclusion, task = int(values["conclusion"]), int(values["task"])
        except ValueError:
            field = "conclusion" if not values["conclusion"].isdigit() else "task"
            raise SourceError([Problem(str(path), line, field, f"'{values[field]}'", "a whole number")]) from None
        try:
            day = dt.date.fromisoformat(values["received_on"])
        except ValueError:
            raise SourceError([Problem(str(path), line, "received_on", f"'{values['received_on']}'",
                                       "a date as YYYY-MM-DD")]) from None
        if not values["notice"] or not values["unit_id"]:
            field = "notice" if not values["notice"] else "unit_id"
            raise SourceError([Problem(str(path), line, field, "nothing", "a value")])
        out.append(Received(values["notice"], conclusion, task, values["unit_id"], day, values["note"]))
    return out


def select(folder: Folder, *, unit: str | None = None, due_before: dt.date | None = None,
           overdue_on: dt.date | None = None) -> list[Row]:
    """Rows by unit (directory order), then deadline; overdue leaves received ones out."""
    wanted = None
    if unit:
        found = folder.directory.unit(unit)
        if found is None:
            close = folder.directory.closest(unit)
            raise ThongbaoError(
                f"{folder.directory.path}: --unit: found unknown unit '{unit}', expected a unit id or name"
                + (f" (closest: '{close}')" if close else "")
            )
        wanted = found.id
    order = {u.id: k for k, u in enumerate(folder.directory.units)}
    rows = []
    for a in folder.assignments:
        rec = folder.received.get((ref_key(a.notice), a.conclusion, a.task, a.unit.id))
        if wanted and a.unit.id != wanted:
            continue
        if due_before and not (a.deadline and a.deadline < due_before):
            continue
        if overdue_on and (rec or not a.deadline or a.deadline >= overdue_on):
            continue
        rows.append(Row(a, rec))
    far = dt.date.max
    return sorted(rows, key=lambda r: (order[r.assignment.unit.id], r.assignment.deadline or far,
                                       r.assignment.notice_date, r.assignment.conclusion, r.assignment.task))


def record_received(folder: str | Path, notice: str, unit: str, task: str, on: dt.date,
                    note: str = "", units: str | Path | None = None) -> tuple[list[Received], int]:
    """Record that ``unit`` reported on ``task`` ("4.3", or "4" for all of conclusion 4).

    Returns the new records and how many were already recorded.
    """
    data = load_folder(folder, units)
    found = data.directory.unit(unit)
    if found is None:
        close = data.directory.closest(unit)
        raise ThongbaoError(f"--unit: found unknown unit '{unit}', expected a unit id or name"
                            + (f" (closest: '{close}')" if close else ""))
    try:
        parts = [int(x) for x in task.split(".")]
        if len(parts) not in (1, 2) or min(parts) < 1:
            raise ValueError
    except ValueError:
        raise ThongbaoError(f"--task: found '{task}', expected a conclusion and task number such as 4.3, or 4") from None
    notices = {a.notice for a in data.assignments}
    matches = sorted({n for n in notices if ref_key(n) == ref_key(notice) or ref_key(n).split("-")[0] == ref_key(notice)})
    if len(matches) != 1:
        known = ", ".join(sorted(notices)) or "none"
        raise ThongbaoError(f"--notice: found '{notice}' ({'ambiguous' if matches else 'no such notice'} in "
                            f"{data.path}), expected one of: {known}")
    targets = [a for a in data.assignments if a.notice == matches[0] and a.unit.id == found.id
               and a.conclusion == parts[0] and (len(parts) == 1 or a.task == parts[1])]
    if not targets:
        raise ThongbaoError(f"--task: found {task}, which {matches[0]} does not give to {found.name}, "
                            "expected a task of a conclusion addressed to the unit (see 'thongbao tasks --unit')")
    existing = load_received(data.path)
    keys = {r.key for r in existing}
    new = [Received(a.notice, a.conclusion, a.task, found.id, on, note) for a in targets]
    fresh = [r for r in new if r.key not in keys]
    if fresh:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(RECEIVED_COLUMNS)
        for r in [*existing, *fresh]:
            writer.writerow([r.notice, r.conclusion, r.task, r.unit_id, r.received_on.isoformat(), r.note])
        write_atomic(data.path / RECEIVED_FILE, buf.getvalue().encode("utf-8"))
    return fresh, len(new) - len(fresh)


def parse_day(value: str, option: str) -> dt.date:
    try:
        return dates.parse_date(value)
    except ValueError:
        raise ThongbaoError(f"{option}: found '{value}', expected a real date as YYYY-MM-DD or D/M/YYYY") from None
