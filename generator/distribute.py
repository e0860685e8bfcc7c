"""Library entry points for sending: extracts per unit and the task files.

load notice + units -> check addressees -> render extracts and task files in
memory -> write them all (atomically, each) at the end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import source as source_mod
from .copies import DEFAULT_FORM, FORMS, TRICH_SAO, CopySettings, check_settings
from .errors import OutputError, Problem, SourceError
from .i18n import _
from .model import Notice
from .output import check_target, write_folder
from .tasks import Assignment, assignments, concerned
from .units import Directory, check_addressees, find_directory, load_directory
from .validate import build_notice

if TYPE_CHECKING:
    from .extracts import Extract

TASK_FILES = ("tasks.csv", "tasks.xlsx", "deadlines.ics")


@dataclass
class NoticeWithUnits:
    notice: Notice
    directory: Directory
    warnings: list[Problem]


def units_file_for(source: Path, units: str | Path | None) -> Path:
    if units:
        return Path(units)
    found = find_directory(source)
    if found is None:
        raise SourceError([Problem(
            str(source), None, "", _("no units.yaml in its folder or above"),
            _("a units directory (danh mục đơn vị) such as notices/units.yaml, or --units FILE"),
        )])
    return found


def load_with_units(source: str | Path, units: str | Path | None = None, *,
                    require_number: bool = True) -> NoticeWithUnits:
    """Load a notice and its units directory; every unit it names must be known.

    ``require_number=False`` accepts a draft without ``number:`` (issuing gives it).
    """
    source = Path(source)
    src = source_mod.load(source)
    notice = build_notice(src, require_number=require_number)
    directory = load_directory(units_file_for(source, units))
    return _addressed(notice, src, directory)


def load_with_directory(source: str | Path, directory: Directory, *, require_number: bool = True) -> NoticeWithUnits:
    """As load_with_units, with the units directory already read (a folder of notices shares one)."""
    src = source_mod.load(Path(source))
    return _addressed(build_notice(src, require_number=require_number), src, directory)


def _addressed(notice: Notice, src, directory: Directory) -> NoticeWithUnits:
    problems = check_addressees(notice, src, directory)
    if problems:
        raise SourceError(problems)
    return NoticeWithUnits(notice, directory, src.warnings)


@dataclass
class Sent:
    extracts: list[Extract]
    assignments: list[Assignment]
    files: list[Path]
    warnings: list[Problem]
    style: str = "party"   # the notice's rulebook (its PDF font)


def copy_settings(notice: Notice, source: Path, given: CopySettings | None = None,
                  config: str | Path | None = None) -> CopySettings:
    """thongbao.ini's [copies] with ``given`` (command-line options) over it; checked for ``notice``."""
    from .config import load_config

    cfg = load_config(config, near=source.parent)
    settings = cfg.copies_for(notice.body_code).merged(given or CopySettings())
    problems = check_settings(notice, settings, str(cfg.path or "thongbao.ini"))
    given = given or CopySettings()
    problems = [dataclasses.replace(p, file="command line", field="--copy-" + p.field.split(".")[-1])
                if getattr(given, p.field.split(".")[-1], None) not in ((), "", None) else p for p in problems]
    if problems:
        raise SourceError(problems)
    return settings


def write_extracts(source: str | Path, out_dir: str | Path, units: str | Path | None = None,
                   template: str | Path | None = None,
                   progress: Callable[[Iterable], Iterable] | None = None, *, force: bool = False,
                   pdf_targets: bool = False, form: str = DEFAULT_FORM, copy: CopySettings | None = None,
                   config: str | Path | None = None) -> Sent:
    """Render every unit's extract and the task files, then write them to ``out_dir``.

    All or nothing: the files go into a temporary folder beside ``out_dir`` and
    are moved in only when every one is written (generator.output.write_folder).
    A file already there is replaced only if thongbao made it, or with ``force``;
    with ``pdf_targets``, each extract's PDF beside it too (extracts --pdf).
    ``form``: "trich-sao" (a bản trích sao with its copy block, numbered by hand) or "trich".
    """
    # Rendering's modules load here, not with this module: 'thongbao tasks' needs only load_with_directory.
    from .api import template_for
    from .exports import deadlines_ics, tasks_csv, tasks_xlsx
    from .extracts import extract_filenames, render_extracts

    if form not in FORMS:
        raise SourceError([Problem("--form", None, "", f"'{form}'", " or ".join(FORMS))])
    out_dir = Path(out_dir)
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        check_target(out_dir, option="-o")
        raise OutputError(_("{out_dir}: found a file, expected a folder for the extracts").format(out_dir=out_dir))
    loaded = load_with_units(source, units)
    notice, directory = loaded.notice, loaded.directory
    settings = copy_settings(notice, Path(source), copy, config) if form == TRICH_SAO else None
    inputs = (source, template, directory.path)
    names = extract_filenames(notice, [u for u in directory.units if concerned(notice, directory, u)])
    for name in [*names.values(), *TASK_FILES]:  # refused before the work, not after
        header = tasks_csv([]) if name == "tasks.csv" else None
        check_target(out_dir / name, protect=inputs, force=force, new_data=header)
    for name in names.values() if pdf_targets else ():
        check_target((out_dir / name).with_suffix(".pdf"), protect=inputs, force=force, option="--pdf")
    extracts = render_extracts(notice, directory, template_for(notice, template), progress, form=form,
                               copy=settings)
    items = assignments(notice, directory)
    files: dict[str, bytes] = {e.filename: e.data for e in extracts}
    files["tasks.csv"] = tasks_csv(items)
    files["tasks.xlsx"] = tasks_xlsx(items, notice.date)
    files["deadlines.ics"] = deadlines_ics(items, notice.date)
    written = write_folder(out_dir, files)
    return Sent(extracts, items, written, loaded.warnings, notice.style)
