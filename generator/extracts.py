"""Per-unit extracts: each unit gets the conclusions addressed to it.

Two forms (generator/copies.py): the bản trích sao (default) recreates the
original in full format with the unit's part and adds the copy block; the older
"TRÍCH THÔNG BÁO" names the unit in a first line and is sent to it with a file
copy. Both keep the conclusions' original numbers and the original footnote
marks of the parts they hold.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import markup
from .context import build_plan, footnote_numbers, number_symbol
from .copies import DEFAULT_FORM, TRICH_SAO, CopySettings, copy_block
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


def copy_of(notice: Notice, part: Notice) -> Notice:
    """The trích sao's copied document: the original's own title, opening and Nơi nhận around the part."""
    return dataclasses.replace(part, document_type=notice.document_type, opening=notice.opening,
                               recipients=notice.recipients)


def render_extract(notice: Notice, directory: Directory, unit: Unit, template: Path, form: str = DEFAULT_FORM,
                   copy: CopySettings | None = None, copy_number: int | None = None) -> bytes | None:
    part = extract_notice(notice, directory, unit)
    if part is None:
        return None
    if form != TRICH_SAO:
        return render_plan(build_plan(part, BODY_TOKEN, footnote_numbers(notice)), template)
    plan = build_plan(copy_of(notice, part), BODY_TOKEN, footnote_numbers(notice))
    plan.copy = copy_block(notice, copy or CopySettings(), f"{unit.name} (t/h)", copy_number)
    return render_plan(plan, template)


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


def extract_units(notice: Notice, directory: Directory) -> list[Unit]:
    """The units the notice concerns, in the directory's order (one extract each)."""
    return [u for u in directory.units if concerned(notice, directory, u)]


def render_extracts(notice: Notice, directory: Directory, template: Path,
                    progress: Callable[[Iterable[Unit]], Iterable[Unit]] | None = None, *,
                    form: str = DEFAULT_FORM, copy: CopySettings | None = None,
                    copy_numbers: dict[str, int] | None = None) -> list[Extract]:
    """One extract per unit the notice concerns, in the directory's order.

    ``copy_numbers`` (unit id -> number) numbers the trích sao copies when issued; else the number is left blank.
    """
    units = extract_units(notice, directory)
    names = extract_filenames(notice, units)
    out = []
    for unit in progress(units) if progress else units:
        data = render_extract(notice, directory, unit, template, form, copy, (copy_numbers or {}).get(unit.id))
        assert data is not None
        out.append(Extract(unit, names[unit.id], data))
    return out
