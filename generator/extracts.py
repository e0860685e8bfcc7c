"""Per-unit extracts (trích thông báo): each unit gets the conclusions addressed to it.

An extract keeps the notice's header, number, subject and signature, names the
unit, keeps the conclusions' original numbers and the original footnote marks
of the parts it holds, and is sent to the unit with a file copy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import markup
from .context import build_plan, footnote_numbers, number_symbol
from .docx import render_plan
from .docx.render import BODY_TOKEN
from .model import Notice
from .tasks import concerned, safe_filename
from .units import Directory, Unit

EXTRACT_PREFIX = "TRÍCH "


@dataclass(frozen=True)
class Extract:
    unit: Unit
    filename: str
    data: bytes


def extract_notice(notice: Notice, directory: Directory, unit: Unit) -> Notice | None:
    """The notice cut down to what concerns ``unit``; None if nothing does."""
    parts = [c for c, _ in concerned(notice, directory, unit)]
    if not parts:
        return None
    labels = {label for c in parts for t in (c.heading, *(x.text for x in c.tasks)) for label in t.footnote_labels}
    labels |= {label for t in (*notice.opening, *notice.closing) for label in t.footnote_labels}
    lead = markup.parse(f"Trích gửi: {_literal(unit.name)}.")
    file_copy = notice.recipients[-1] if notice.recipients[-1].casefold().startswith("lưu") else "Lưu VT"
    return dataclasses.replace(
        notice,
        document_type=EXTRACT_PREFIX + notice.document_type,
        opening=(lead, *notice.opening),
        conclusions=tuple(parts),
        footnotes=tuple(f for f in notice.footnotes if f.label in labels),
        recipients=(f"{unit.name} (t/h)", file_copy),
    )


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")


def render_extract(notice: Notice, directory: Directory, unit: Unit, template: Path,
                   numbers: dict[str, int] | None = None) -> bytes | None:
    """``numbers``: footnote_numbers(notice), when the caller renders several extracts of it."""
    part = extract_notice(notice, directory, unit)
    if part is None:
        return None
    return render_plan(build_plan(part, BODY_TOKEN, footnote_numbers(notice) if numbers is None else numbers),
                       template)


def extract_filenames(notice: Notice, units: Iterable[Unit]) -> dict[str, str]:
    """Unit id -> file name, unique and safe whatever the ids and names hold."""
    prefix = safe_filename(number_symbol(notice), 30)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for unit in units:
        stem = f"{prefix}_{safe_filename(unit.id)}"
        name, k = f"{stem}.docx", 2
        while name.lower() in taken:
            name, k = f"{stem}-{k}.docx", k + 1
        taken.add(name.lower())
        out[unit.id] = name
    return out


def render_extracts(notice: Notice, directory: Directory, template: Path,
                    progress: Callable[[Iterable[Unit]], Iterable[Unit]] | None = None) -> list[Extract]:
    """One extract per unit the notice concerns, in the directory's order."""
    units = [u for u in directory.units if concerned(notice, directory, u)]
    names = extract_filenames(notice, units)
    numbers = footnote_numbers(notice)  # the whole notice's marks: computed once, not per extract
    out = []
    for unit in progress(units) if progress else units:
        data = render_extract(notice, directory, unit, template, numbers)
        assert data is not None
        out.append(Extract(unit, names[unit.id], data))
    return out
