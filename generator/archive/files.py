"""The files filed for one version of a notice: this is the one place that decides them.

Names come from the number and symbol only (``103-TB-BCD.docx``), never
from free text; what an extract is for is kept in the manifest instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..api import render_notice, template_for
from ..context import number_symbol
from ..copies import CopySettings, copy_code, copy_symbol
from ..errors import TemplateError
from ..model import Notice
from ..names import ascii_fold

# Roles: what went out (source, notice, extracts) and what made it (template, units).
SOURCE, NOTICE, EXTRACT, TEMPLATE, UNITS = "source", "notice", "extract", "template", "units"
OUTGOING = (NOTICE, EXTRACT)


@dataclass(frozen=True)
class OutFile:
    name: str
    role: str
    data: bytes
    about: dict[str, str] = field(default_factory=dict)  # an extract's unit, its name as sent

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def slug(text: str) -> str:
    """ASCII letters, digits and '-' only: ``103-TB/BCĐ`` -> ``103-TB-BCD``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_fold(text)).strip("-") or "X"


def file_stem(notice: Notice) -> str:
    return slug(number_symbol(notice))


def read_template(notice: Notice, template: str | Path | None) -> tuple[Path, bytes]:
    path = template_for(notice, template)
    try:
        return path, path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: found {exc.strerror or exc}, expected a readable .docx template") from None


def outgoing_files(notice: Notice, source_bytes: bytes, template: str | Path | None = None,
                   units: Path | None = None, *, copy: CopySettings | None = None,
                   copy_numbers: dict[str, int] | None = None) -> list[OutFile]:
    """Every file filed for a version of ``notice`` (numbered), in a fixed order.

    The source as filed, the notice .docx, one extract per unit concerned when
    a units directory is given (each a bản trích sao numbered by ``copy_numbers``,
    unit id -> number of the copy register), and copies of the template and units file that
    made them, so that the .docx can be made again from the archive alone.
    """
    stem = file_stem(notice)
    template_path, template_bytes = read_template(notice, template)
    files = [
        OutFile(f"{stem}.yaml", SOURCE, source_bytes),
        OutFile(f"{stem}.docx", NOTICE, render_notice(notice, template_path)),
    ]
    if units is not None:
        numbers = copy_numbers or {}
        for k, (unit_id, unit_name, sent_as, data) in enumerate(
                _extracts(notice, units, template_path, copy, numbers), 1):
            about = {"unit": unit_id, "unit_name": unit_name, "sent_as": sent_as}
            if unit_id in numbers:
                about["copy_number"] = copy_symbol(notice.style, copy_code(notice, copy or CopySettings()),
                                                   numbers[unit_id])
                about["copy_no"] = str(numbers[unit_id])
            files.append(OutFile(f"{stem}.extract-{k:02d}.docx", EXTRACT, data, about))
        files.append(OutFile(f"{stem}.units.yaml", UNITS, units.read_bytes()))
    files.append(OutFile(f"{stem}.template.docx", TEMPLATE, template_bytes, {"original": template_path.name}))
    return files


def extracts_available() -> bool:
    """Whether the per-unit extracts (generator.extracts, generator.units) are installed."""
    try:
        from .. import extracts, units  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name in ("generator.extracts", "generator.units"):
            return False
        raise
    return True


def _extracts(notice: Notice, units: Path, template: Path, copy: CopySettings | None,
              copy_numbers: dict[str, int]) -> list[tuple[str, str, str, bytes]]:
    """(unit id, unit name, file name as sent, bytes) of each extract (a bản trích sao), from generator.extracts."""
    from ..extracts import render_extracts
    from ..units import load_directory

    directory = load_directory(units)
    return [(e.unit.id, e.unit.name, e.filename, e.data)
            for e in render_extracts(notice, directory, template, copy=copy, copy_numbers=copy_numbers)]
