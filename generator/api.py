"""Library entry points: the CLI only calls these.

load -> validate -> build context -> render -> write; I/O only at the ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import source as source_mod
from .context import build_plan
from .docx import render_plan
from .docx.render import BODY_TOKEN
from .docx.template_builder import TEMPLATES_DIR
from .errors import Problem
from .model import Notice
from .output import check_target, write_atomic
from .profile import PROFILES
from .validate import build_notice


@dataclass
class Loaded:
    notice: Notice
    warnings: list[Problem]


def load_notice(path: str | Path, *, require_number: bool = True) -> Loaded:
    """Read and validate a notice source; raise SourceError on any problem.

    ``require_number=False`` accepts a source without ``number:`` (it is then
    0), for issuing, which gives the next number.
    """
    src = source_mod.load(path)
    return Loaded(build_notice(src, require_number=require_number), src.warnings)


def template_for(notice: Notice, template: str | Path | None = None) -> Path:
    return Path(template) if template else TEMPLATES_DIR / PROFILES[notice.style].template


def render_notice(notice: Notice, template: str | Path | None = None) -> bytes:
    """The notice as .docx bytes (pure apart from reading the template)."""
    return render_plan(build_plan(notice, BODY_TOKEN), template_for(notice, template))


def default_output(source: Path) -> Path:
    return source.with_suffix(".docx")


def render_file(source: str | Path, output: str | Path | None = None,
                template: str | Path | None = None, *, force: bool = False) -> tuple[Path, list[Problem]]:
    """Render ``source`` to ``output`` (default: beside it, .docx); return the path.

    Never over the source or the template, nor over a file thongbao did not
    make unless ``force`` (see generator.output.check_target).
    """
    source = Path(source)
    out = Path(output) if output else default_output(source)
    check_target(out, protect=(source, template), force=force)
    loaded = load_notice(source)
    data = render_notice(loaded.notice, template)
    write_atomic(out, data)
    return out, loaded.warnings


# Issuing and the archive (generator/archive/). Imported when called: the
# archive builds on the functions above.

def archive_dir(archive: str | Path | None = None, config: str | Path | None = None,
                near: Path | None = None) -> Path:
    """The archive folder: ``archive``, else thongbao.ini's setting, else archive/ beside it or here."""
    from .config import load_config

    return load_config(config, near=near).archive_dir(archive)


def issue_file(source: str | Path, *, archive: str | Path | None = None, config: str | Path | None = None,
               template: str | Path | None = None, units: str | Path | None = None,
               reason: str | None = None, new: bool = False):
    """Issue ``source``: number it if it has no number, render, file the version; see archive.issue."""
    from .archive.issue import issue

    return issue(source, archive=archive, config_path=config, template=template, units=units,
                 reason=reason, new=new)


def archive_history(number: str, *, archive: str | Path | None = None, config: str | Path | None = None,
                    year: int | None = None):
    from .archive.history import history

    return history(archive_dir(archive, config), number, year)


def archive_diff(number: str, old: int | None = None, new: int | None = None, *,
                 archive: str | Path | None = None, config: str | Path | None = None,
                 year: int | None = None) -> list[str]:
    from .archive.history import diff

    return diff(archive_dir(archive, config), number, old, new, year)


def verify_archive(*, archive: str | Path | None = None, config: str | Path | None = None,
                   head: str | None = None):
    from .archive.verify import verify

    return verify(archive_dir(archive, config), head)


def rebuild_register(*, archive: str | Path | None = None, config: str | Path | None = None) -> list[Path]:
    """Add the rows of every filed version the register lacks, from the manifests; return their folders."""
    from .archive.verify import rebuild_register as rebuild

    return rebuild(archive_dir(archive, config))


def export_register(output: str | Path, *, archive: str | Path | None = None, config: str | Path | None = None,
                    year: int | None = None, body: str | None = None, force: bool = False) -> int:
    from .archive.export import export_register as export

    return export(archive_dir(archive, config), Path(output), year, body, force)
