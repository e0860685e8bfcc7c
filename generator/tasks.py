"""Who owes what: the tasks of a notice per unit, read through the units directory."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from .deadlines import Deadline
from .model import POINT_LETTERS, Conclusion, Notice, roman
from .names import ascii_fold
from .units import Directory, Unit

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


@dataclass(frozen=True, slots=True)  # slots: a folder of a thousand notices holds 150,000 of them
class Assignment:
    """One task one unit owes, with where it comes from."""

    unit: Unit
    notice: str            # number and symbol, "103-TB/BCĐ"
    notice_date: dt.date
    conclusion: str        # the item's path: "4", or "II.3" (item 3 of part II)
    task: str              # the task within its item: "3", "a" (sub-item a's text), "a.2"
    text: str
    deadline: dt.date | None
    deadline_text: str | None
    report_to: str | None
    addressed_as: str      # the name in "to:" through which the unit is concerned
    due: Deadline | None = None  # what the deadline means: a day, a period, recurring, an event

    @property
    def ref(self) -> str:
        """``103-TB/BCĐ 4.3``, ``... II.3.a.2``: notice, item and task."""
        return f"{self.notice} {self.conclusion}.{self.task}"

    @property
    def sort_key(self) -> tuple:
        return ref_sort_key(self.conclusion, self.task)


class Task(NamedTuple):
    """An Assignment but its unit: a task as a notice gives it to each unit concerned.

    A folder's tasks are kept so, each once for all its units (task_index.py);
    ``unit`` is None, the other fields and ``ref``, ``sort_key`` are Assignment's.
    """

    notice: str
    notice_date: dt.date
    conclusion: str
    task: str
    text: str
    deadline: dt.date | None
    deadline_text: str | None
    report_to: str | None
    addressed_as: str
    due: Deadline | None = None

    unit = None

    ref = Assignment.ref
    sort_key = Assignment.sort_key


def addressed_as(units: tuple[str, ...], directory: Directory, unit: Unit) -> str | None:
    """The first of ``units`` that names ``unit`` or a group of it."""
    for name in units:
        entity = directory.lookup(name)
        if entity is not None and unit in directory.members(entity):
            return name
    return None


def concerned(notice: Notice, directory: Directory, unit: Unit) -> list[tuple[Conclusion, str]]:
    """The items addressed to ``unit`` or a group of it (the item or one of its sub-items), with the name used."""
    out = []
    for conclusion in notice.conclusions:
        for units in (conclusion.units, *(p.units for p in conclusion.points)):
            name = addressed_as(units, directory, unit)
            if name is not None:
                out.append((conclusion, name))
                break
    return out


def assignments(notice: Notice, directory: Directory) -> list[Assignment]:
    """Every (unit, task) pair of ``notice``, in the directory's unit order.

    An item's own tasks go to the units of the item; a sub-item's tasks to the
    sub-item's (its own 'to:', else the item's). Assessments hold no task.
    """
    from .context import number_symbol

    symbol = number_symbol(notice)
    return [Assignment(unit=unit, notice=symbol, notice_date=notice.date, conclusion=conclusion.path,
                       task=task.ref, text=task.text.plain, deadline=task.deadline,
                       deadline_text=task.deadline_text, report_to=task.report_to, addressed_as=name,
                       due=task.due)
            for unit, conclusion, name, tasks in _given(notice, directory) for task in tasks]


@dataclass
class NoticeTasks:
    """A notice's assignments, each distinct task once: ``tasks``, and ``runs``, ``(unit, [k, ...])``
    in the notice's order: that unit owes ``tasks[k]`` for each k.

    Assignment(unit, *tasks[k]) for each run and k, in order, are the notice's assignments
    (a notice gives most of its tasks to several units: a folder of notices keeps them so).
    """

    tasks: list[Task]
    runs: list[tuple[Unit, list[int]]]

    def __len__(self) -> int:
        return sum(len(ks) for _, ks in self.runs)


def notice_tasks(notice: Notice, directory: Directory) -> NoticeTasks:
    """assignments(notice, directory), as NoticeTasks (made without an Assignment)."""
    from .context import number_symbol

    symbol = number_symbol(notice)
    index: dict[tuple[int, str], int] = {}
    tasks: list[Task] = []
    runs: list[tuple[Unit, list[int]]] = []
    for unit, conclusion, name, given in _given(notice, directory):
        if not runs or runs[-1][0] is not unit:
            runs.append((unit, []))
        ks = runs[-1][1]
        for task in given:
            k = index.get((id(task), name))
            if k is None:
                k = index[id(task), name] = len(tasks)
                tasks.append(Task(symbol, notice.date, conclusion.path, task.ref, task.text.plain, task.deadline,
                                  task.deadline_text, task.report_to, name, task.due))
            ks.append(k)
    return NoticeTasks(tasks, runs)


def _given(notice: Notice, directory: Directory) -> Iterator[tuple[Unit, Conclusion, str, list]]:
    """(unit, item, the name it is given them through, tasks) for each of the notice's task lists a
    unit is given, in the directory's unit order and the notice's."""
    scopes = []
    for conclusion in notice.conclusions:
        for units, tasks in [(conclusion.units, conclusion.tasks), *((p.units, p.all_tasks) for p in conclusion.points)]:
            if tasks:
                scopes.append((conclusion, tasks, _names_by_unit(units, directory)))
    for unit in directory.units:
        for conclusion, tasks, names in scopes:
            name = names.get(unit)
            if name is not None:
                yield unit, conclusion, name, tasks


def _names_by_unit(units: tuple[str, ...], directory: Directory) -> dict[Unit, str]:
    """addressed_as(units, directory, unit) of every unit it names (directly or through a group)."""
    out: dict[Unit, str] = {}
    for name in units:
        entity = directory.lookup(name)
        if entity is not None:
            for unit in directory.members(entity):
                out.setdefault(unit, name)
    return out


_CONCLUSION_REF = re.compile(r"^(?:([IVXLCDM]+)\.)?0*(\d+)$", re.IGNORECASE)
_TASK_REF = re.compile(r"^(?:0*(\d+)|([a-zđ])(?:\.0*(\d+))?)$", re.IGNORECASE)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int:
    total = 0
    for k, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[text[k + 1]] if k + 1 < len(text) else 0
        total += -value if value < nxt else value
    return total


def normal_conclusion(text: str) -> str | None:
    """"4", "II.3" (also "ii.3", "04"); None if it is not an item path."""
    m = _CONCLUSION_REF.match(text.strip())
    if not m or int(m.group(2)) < 1:
        return None
    part = m.group(1).upper() if m.group(1) else None
    if part is not None and roman(roman_value(part)) != part:
        return None
    return f"{part}.{int(m.group(2))}" if part else str(int(m.group(2)))


def normal_task(text: str) -> str | None:
    """"3", "a", "a.2" (also "03", "A.2"); None if it is not a task reference."""
    m = _TASK_REF.match(text.strip())
    if not m:
        return None
    if m.group(1) is not None:
        return str(int(m.group(1))) if int(m.group(1)) >= 1 else None
    letter = m.group(2).lower()
    if letter not in POINT_LETTERS:
        return None
    if m.group(3) is None:
        return letter
    return f"{letter}.{int(m.group(3))}" if int(m.group(3)) >= 1 else None


def ref_sort_key(conclusion: str, task: str) -> tuple:
    """Print order: part, item, then the item's own tasks before its sub-items a), b) ..."""
    m = _CONCLUSION_REF.match(conclusion)
    c_key = (roman_value(m.group(1).upper()) if m and m.group(1) else 0, int(m.group(2)) if m else 0)
    t = _TASK_REF.match(task)
    if t is None:
        return (*c_key, 2, 0, 0)
    if t.group(1) is not None:
        return (*c_key, 0, int(t.group(1)), 0)
    letter = t.group(2).lower()
    index = POINT_LETTERS.index(letter) if letter in POINT_LETTERS else len(POINT_LETTERS)
    return (*c_key, 1, index, int(t.group(3)) if t.group(3) else 0)


def safe_filename(text: str, max_len: int = 60) -> str:
    """An ASCII file name part that is safe on every OS, whatever ``text`` holds."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    slug = slug[:max_len].rstrip("-") or "unit"
    return f"u-{slug}" if _WINDOWS_RESERVED.match(slug) else slug
