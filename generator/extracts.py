"""Per-unit extracts: each unit gets the conclusions addressed to it.

Two forms (generator/copies.py): the bản trích sao (default) recreates the
original in full format with the unit's part and adds the copy block; the older
"TRÍCH THÔNG BÁO" names the unit in a first line and is sent to it with a file
copy. Both keep the conclusions' original numbers (and the part headings and
sub-item letters) and the original footnote marks of the parts they hold.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import markup
from .context import build_plan, footnote_numbers, number_symbol
from .copies import DEFAULT_FORM, TRICH_SAO, CopySettings, copy_block
from .docx import render_plan
from .docx.render import BODY_TOKEN
from .model import Conclusion, Notice, Point, Text
from .tasks import addressed_as, concerned, safe_filename
from .units import Directory, Unit

EXTRACT_PREFIX = "TRÍCH "


@dataclass(frozen=True)
class Extract:
    unit: Unit
    filename: str
    data: bytes


def extract_notice(notice: Notice, directory: Directory, unit: Unit) -> Notice | None:
    """The notice cut down to what concerns ``unit``; None if nothing does.

    Items keep their numbers, sub-items their letters, parts their Roman
    numbers; a part heading comes only with something for the unit under it.
    Sub-items addressed by their own 'to:' to other units are left out, and so
    are assessments (items, paragraphs with no unit) that do not name the unit.
    """
    if not concerned(notice, directory, unit):
        return None
    names = _name_pattern(unit)
    kept = {c.path: k for c in notice.conclusions if (k := _item_for(c, directory, unit, names)) is not None}
    parts = []
    for part in notice.parts:
        conclusions = tuple(kept[c.path] for c in part.conclusions if c.path in kept)
        paragraphs = tuple(t for t in part.paragraphs if names.search(t.plain))
        if conclusions or paragraphs:
            parts.append(dataclasses.replace(part, conclusions=conclusions, paragraphs=paragraphs))
    conclusions = tuple(kept[c.path] for c in notice.conclusions if c.path in kept)
    texts = [*notice.opening, *notice.closing, *(t for p in parts for t in (p.heading, *p.paragraphs)),
             *(t for c in conclusions for t in conclusion_texts(c))]
    labels = {label for t in texts for label in t.footnote_labels}
    lead = markup.parse(f"Trích gửi: {_literal(unit.name)}.")
    file_copy = notice.recipients[-1] if notice.recipients[-1].casefold().startswith("lưu") else "Lưu VT"
    return dataclasses.replace(
        notice,
        document_type=EXTRACT_PREFIX + notice.document_type,
        opening=(lead, *notice.opening),
        conclusions=conclusions,
        parts=tuple(parts),
        footnotes=tuple(f for f in notice.footnotes if f.label in labels),
        recipients=(f"{unit.name} (t/h)", file_copy),
    )


def conclusion_texts(c: Conclusion) -> list[Text]:
    """Every text an item prints, its sub-items' included."""
    out = [t for t in (c.heading, c.text) if t is not None]
    out += [x for t in c.tasks for x in (t.text, *t.details)]
    out += [*c.paragraphs, *c.bullets, *(d for ds in c.bullet_details for d in ds)]
    for p in c.points:
        out += [t for t in (p.heading, p.text) if t is not None]
        out += [*p.paragraphs, *(x for t in p.tasks for x in (t.text, *t.details))]
        if p.text_task is not None:
            out += p.text_task.details
    return out


def _name_pattern(unit: Unit) -> re.Pattern[str]:
    """The unit's name or an alias, as a whole phrase, any case."""
    names = sorted({" ".join(n.split()) for n in (unit.name, *unit.aliases)}, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _point_for(p: Point, directory: Directory, unit: Unit, names: re.Pattern[str]) -> bool:
    """A sub-item goes in the unit's extract when addressed to it (its own 'to:' or its
    item's), or, an assessment sub-item, when it names the unit."""
    if p.units:
        return addressed_as(p.units, directory, unit) is not None
    texts = [t for t in (p.heading, p.text) if t is not None]
    texts += [*p.paragraphs, *(x for t in p.tasks for x in (t.text, *t.details))]
    return any(names.search(t.plain) for t in texts)


def _item_for(c: Conclusion, directory: Directory, unit: Unit, names: re.Pattern[str]) -> Conclusion | None:
    """``c`` as the unit's extract shows it, or None if it has nothing for the unit."""
    if c.assessment:
        return c if any(names.search(t.plain) for t in conclusion_texts(c)) else None
    mine = addressed_as(c.units, directory, unit) is not None
    points = tuple(p for p in c.points if _point_for(p, directory, unit, names))
    if not mine and not any(p.units for p in points):
        return None
    if mine:
        return dataclasses.replace(c, points=points)
    # Only sub-items concern the unit: the item's own tasks belong to others; its
    # number and heading stay (the sub-items' context), its other lines only if they name the unit.
    kept = [(b, d) for b, d in zip(c.bullets, c.bullet_details or [()] * len(c.bullets)) if names.search(b.plain)]
    return dataclasses.replace(
        c, points=points, tasks=(), inline=False,
        paragraphs=tuple(t for t in c.paragraphs if names.search(t.plain)),
        bullets=tuple(b for b, _ in kept), bullet_details=tuple(d for _, d in kept),
    )


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")


def copy_of(notice: Notice, part: Notice) -> Notice:
    """The trích sao's copied document: the original's own title, opening and Nơi nhận around the part."""
    return dataclasses.replace(part, document_type=notice.document_type, opening=notice.opening,
                               recipients=notice.recipients)


def render_extract(notice: Notice, directory: Directory, unit: Unit, template: Path, form: str = DEFAULT_FORM,
                   copy: CopySettings | None = None, copy_number: int | None = None,
                   numbers: dict[str, int] | None = None) -> bytes | None:
    """``numbers``: footnote_numbers(notice), when the caller renders several extracts of it."""
    part = extract_notice(notice, directory, unit)
    if part is None:
        return None
    marks = footnote_numbers(notice) if numbers is None else numbers
    if form != TRICH_SAO:
        return render_plan(build_plan(part, BODY_TOKEN, marks), template)
    plan = build_plan(copy_of(notice, part), BODY_TOKEN, marks)
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
    numbers = footnote_numbers(notice)  # the whole notice's marks: computed once, not per extract
    out = []
    for unit in progress(units) if progress else units:
        data = render_extract(notice, directory, unit, template, form, copy, (copy_numbers or {}).get(unit.id),
                              numbers)
        assert data is not None
        out.append(Extract(unit, names[unit.id], data))
    return out
