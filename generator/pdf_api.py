"""Library entry points for PDFs: a notice source, or a rendered .docx, to PDF.

The CLI's ``render --pdf`` calls ``render_pdf``; the conversion itself is
generator/docx/pdf.py (LibreOffice, headless).
"""

from __future__ import annotations

import os
from pathlib import Path

from .docx import pdf as pdf_mod
from .errors import Problem
from .i18n import N_
from .output import check_suffix, check_target, default_output, write_atomic
from .profile import PROFILES

# generator.api (docxtpl, python-docx, Jinja: about 0.1 s to import) is imported once LibreOffice is
# starting, so that its start overlaps the import as well as the render.


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


def docxs_to_pdfs(docxs: list[Path], *, style: str = "party", soffice: str | os.PathLike | None = None,
                  timeout: float | None = None) -> tuple[list[Path], list[Problem]]:
    """Convert several .docx files, each to a PDF beside it, with one LibreOffice start."""
    outs = [Path(d).with_suffix(".pdf") for d in docxs]
    profile = PROFILES.get(style, PROFILES["party"])
    warnings = pdf_mod.to_pdfs(list(zip(docxs, outs)), soffice=soffice, timeout=timeout, font=profile.font,
                               fallback=profile.font_fallback)
    return outs, warnings


def extracts_pdf(source: str | Path, out_dir: str | Path, units: str | Path | None = None,
                 template: str | Path | None = None, progress=None, *,
                 soffice: str | os.PathLike | None = None, timeout: float | None = None, force: bool = False,
                 **forms):
    """``write_extracts``, then every extract as PDF beside its .docx, all in one LibreOffice start.

    ``forms``: write_extracts' form, copy and config (a trích sao or the older form).

    LibreOffice is looked for before anything is written, and starts while the
    extracts are rendered; an existing PDF thongbao did not make is refused
    (unless ``force``) before anything is written (write_extracts' pdf_targets). Returns the Sent record with
    the PDFs added to its files.
    """
    from .distribute import write_extracts

    with pdf_mod.Batch(soffice=soffice, timeout=timeout) as batch:
        sent = write_extracts(source, out_dir, units, template, progress, force=force, pdf_targets=True, **forms)
        docxs = [Path(out_dir) / e.filename for e in sent.extracts]
        pdfs = [d.with_suffix(".pdf") for d in docxs]
        profile = PROFILES.get(sent.style, PROFILES["party"])
        warnings = batch.convert(list(zip(docxs, pdfs)), font=profile.font, fallback=profile.font_fallback)
    sent.files.extend(pdfs)
    sent.warnings.extend(warnings)
    return sent


def render_pdf(source: str | Path, output: str | Path | None = None, template: str | Path | None = None, *,
               pdf: str | Path | None = None, soffice: str | os.PathLike | None = None,
               timeout: float | None = None, force: bool = False) -> tuple[Path, Path, list[Problem]]:
    """Render ``source`` to .docx (as render_file) and that to PDF beside it (or ``pdf``).

    LibreOffice is looked for before anything is written, so a missing
    LibreOffice leaves no half result; it starts while the notice is rendered.
    Returns (docx, pdf, warnings).
    """
    source = Path(source)
    out = Path(output) if output else default_output(source)
    pdf_out = Path(pdf) if pdf else out.with_suffix(".pdf")
    check_target(out, protect=(source, template), force=force)
    check_suffix(out, (".docx",), N_("a file ending .docx"))
    check_target(pdf_out, protect=(source, template, out), force=force, option="--pdf")
    with pdf_mod.Batch(soffice=soffice, timeout=timeout) as batch:
        from . import api

        loaded = api.load_notice(source)
        data = api.render_notice(loaded.notice, template)
        write_atomic(out, data)
        profile = PROFILES.get(loaded.notice.style, PROFILES["party"])
        warnings = batch.convert([(out, pdf_out)], font=profile.font, fallback=profile.font_fallback)
    pdf_path = pdf_out
    return out, pdf_path, loaded.warnings + warnings
