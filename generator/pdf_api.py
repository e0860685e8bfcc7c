"""Library entry points for PDFs: a notice source, or a rendered .docx, to PDF.

The CLI's ``render --pdf`` calls ``render_pdf``; the conversion itself is
generator/docx/pdf.py (LibreOffice, headless).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import api
from .docx import pdf as pdf_mod
from .errors import Problem
from .output import check_target
from .profile import PROFILES


def docx_to_pdf(docx: str | Path, pdf: str | Path | None = None, *, style: str = "party",
                soffice: str | os.PathLike | None = None, timeout: float | None = None,
                force: bool = False) -> tuple[Path, list[Problem]]:
    """Convert a rendered notice to PDF (default: beside it); return the PDF's path and warnings.

    Never over the .docx, nor over a file thongbao did not make unless ``force``.
    """
    docx = Path(docx)
    out = Path(pdf) if pdf else docx.with_suffix(".pdf")
    check_target(out, protect=(docx,), force=force, option="--pdf")
    profile = PROFILES.get(style, PROFILES["party"])
    warnings = pdf_mod.to_pdf(docx, out, soffice=soffice, timeout=timeout, font=profile.font,
                              fallback=profile.font_fallback)
    return out, warnings


def render_pdf(source: str | Path, output: str | Path | None = None, template: str | Path | None = None, *,
               pdf: str | Path | None = None, soffice: str | os.PathLike | None = None,
               timeout: float | None = None, force: bool = False) -> tuple[Path, Path, list[Problem]]:
    """Render ``source`` to .docx (as render_file) and that to PDF beside it (or ``pdf``).

    LibreOffice is looked for before anything is written, so a missing
    LibreOffice leaves no half result. Returns (docx, pdf, warnings).
    """
    pdf_mod.find_soffice(soffice)
    source = Path(source)
    out = Path(output) if output else api.default_output(source)
    pdf_out = Path(pdf) if pdf else out.with_suffix(".pdf")
    check_target(out, protect=(source, template), force=force)
    check_target(pdf_out, protect=(source, template, out), force=force, option="--pdf")
    loaded = api.load_notice(source)
    data = api.render_notice(loaded.notice, template)
    api.write_atomic(out, data)
    pdf_path, warnings = docx_to_pdf(out, pdf_out, style=loaded.notice.style, soffice=soffice, timeout=timeout,
                                     force=True)
    return out, pdf_path, loaded.warnings + warnings
