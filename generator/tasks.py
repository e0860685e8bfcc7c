"""Who owes what: the tasks of a notice per unit, read through the units directory."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .context import number_symbol
from .model import Conclusion, Notice
from .names import ascii_fold
from .units import Directory, Unit

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


@dataclass(frozen=True, slots=True)  # slots: a folder of a thousand notices holds 150,000 of them
class Assignment:
    """One task one unit owes, with where it comes from."""

    unit: Unit
    notice: str            # number and symbol, "103-TB/BCĐ"
    notice_date: dt.date
    conclusion: int        # the conclusion's number in the notice
    task: int              # the task's place in its conclusion, from 1
    text: str
    deadline: dt.date | None
    deadline_text: str | None
    report_to: str | None
    addressed_as: str      # the name in "to:" through which the unit is concerned

    @property
    def ref(self) -> str:
        """``103-TB/BCĐ 4.3``: notice, conclusion and task."""
        return f"{self.notice} {self.conclusion}.{self.task}"


def concerned(notice: Notice, directory: Directory, unit: Unit) -> list[tuple[Conclusion, str]]:
    """The conclusions addressed to ``unit`` or a group of it, with the name used."""
    out = []
    for conclusion in notice.conclusions:
        for name in conclusion.units:
            entity = directory.lookup(name)
            if entity is not None and unit in directory.members(entity):
                out.append((conclusion, name))
                break
    return out


def assignments(notice: Notice, directory: Directory) -> list[Assignment]:
    """Every (unit, task) pair of ``notice``, in the directory's unit order."""
    symbol = number_symbol(notice)
    out = []
    for unit in directory.units:
        for conclusion, name in concerned(notice, directory, unit):
            for k, task in enumerate(conclusion.tasks, 1):
                out.append(Assignment(
                    unit=unit, notice=symbol, notice_date=notice.date, conclusion=conclusion.number,
                    task=k, text=task.text.plain, deadline=task.deadline,
                    deadline_text=task.deadline_text, report_to=task.report_to, addressed_as=name,
                ))
    return out


def safe_filename(text: str, max_len: int = 60) -> str:
    """An ASCII file name part that is safe on every OS, whatever ``text`` holds."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    slug = slug[:max_len].rstrip("-") or "unit"
    return f"u-{slug}" if _WINDOWS_RESERVED.match(slug) else slug
