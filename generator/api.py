"""Library entry points: the CLI only calls these.

load -> validate -> build context -> render -> write; I/O only at the ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .context import build_plan
from .docx import render_plan
from .docx.render import BODY_TOKEN
from .errors import Problem
from .i18n import N_
from .model import Notice
from .output import check_suffix, check_target, default_output, write_atomic
from .profile import PROFILES, TEMPLATES_DIR
from .records import record

if TYPE_CHECKING:
    from .archive.history import DiffLine


@record
class Loaded:
    notice: Notice
    warnings: list[Problem]


def load_notice(path: str | Path, *, require_number: bool = True) -> Loaded:
    """Read and validate a notice source; raise SourceError on any problem.

    ``require_number=False`` accepts a source without ``number:`` (it is then
    0), for issuing, which gives the next number.
    """
    from . import source as source_mod
    from .validate import build_notice

    src = source_mod.load(path)
    return Loaded(build_notice(src, require_number=require_number), src.warnings)


# The validated notice, kept in the user cache (generator/cache.py) between renders. A cold
# 'thongbao render' of an unchanged source then neither imports PyYAML nor reads and validates the
# source again (a tenth of the command). The entry of a source is keyed by its path (as given:
# problems name it so), the SHA-256 of the bytes that were validated and the generator's version;
# it holds the Notice and the warnings, printed the same from it. A source with errors is never
# kept (it is read, and reported, every time), nor one whose bytes changed while it was read.
NOTICE_CACHE = "notices"


def _notice_entry(path: Path, require_number: bool) -> str:
    import hashlib

    from . import __version__, i18n

    # The warnings kept with the notice are words of the run's language: one entry per language.
    key = "\0".join((__version__, i18n.language(), str(require_number), str(path), str(path.absolute())))
    return f"{NOTICE_CACHE}/{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()[:32]}"


def load_notice_cached(path: str | Path, *, require_number: bool = True) -> Loaded:
    """load_notice(path), from the user cache when the source's bytes are those validated last time."""
    import hashlib
    import pickle

    from . import cache

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    name = _notice_entry(path, require_number)
    digest = hashlib.sha256(data).hexdigest() if data is not None else None
    stored = cache.read_bytes(name) if data is not None else None
    if stored is not None and stored[:64].decode("ascii", "replace") == digest:
        try:
            found = _NoticeUnpickler(stored[64:]).load()
        except Exception:  # a damaged or foreign entry: read the source instead
            found = None
        if isinstance(found, Loaded) and isinstance(found.notice, Notice):
            return found
    loaded = load_notice(path, require_number=require_number)
    if data is not None and digest is not None:
        try:
            unchanged = path.read_bytes() == data  # nobody saved the source while it was read
            pickled = pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            unchanged = False
        if unchanged:
            cache.write_bytes(name, digest.encode("ascii") + pickled)
    return loaded


def _allowed(found: object) -> bool:
    import dataclasses
    import datetime as dt
    import enum

    if found in (dt.date, dt.time, dt.datetime):
        return True
    return isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum))


class _NoticeUnpickler:
    """pickle.Unpickler that makes only thongbao's dataclasses and enums, and dates (no other callables)."""

    def __init__(self, data: bytes):
        import io
        import pickle

        class Restricted(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> object:
                if module == "datetime" or module.startswith("generator."):
                    found = super().find_class(module, name)
                    if _allowed(found):
                        return found
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the notice cache")

        self._unpickler = Restricted(io.BytesIO(data))

    def load(self) -> object:
        return self._unpickler.load()


def template_for(notice: Notice, template: str | Path | None = None) -> Path:
    return Path(template) if template else TEMPLATES_DIR / PROFILES[notice.style].template


def render_notice(notice: Notice, template: str | Path | None = None) -> bytes:
    """The notice as .docx bytes (pure apart from reading the template)."""
    return render_plan(build_plan(notice, BODY_TOKEN), template_for(notice, template))


def render_file(source: str | Path, output: str | Path | None = None,
                template: str | Path | None = None, *, force: bool = False) -> tuple[Path, list[Problem]]:
    """Render ``source`` to ``output`` (default: beside it, .docx); return the path.

    Never over the source or the template, nor over a file thongbao did not
    make unless ``force`` (see generator.output.check_target).
    """
    source = Path(source)
    out = Path(output) if output else default_output(source)
    check_target(out, protect=(source, template), force=force)
    check_suffix(out, (".docx",), N_("a file ending .docx"))
    loaded = load_notice_cached(source)
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
                 year: int | None = None) -> list[DiffLine]:
    """What changed between two filed versions: lines with their kind (``.kind``) and words (``.text``)."""
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
