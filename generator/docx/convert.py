"""Old Word (.doc), OpenDocument (.odt) and RTF files -> .docx bytes, through LibreOffice.

The same handling as the PDF conversion (pdf.py): LibreOffice found on PATH
or through THONGBAO_SOFFICE, a private profile per run, a time limit
(THONGBAO_PDF_TIMEOUT) after which the whole process group is stopped.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from ..errors import ConversionError
from .pdf import _convert, find_soffice, run_group, timeout_setting

DOCX_FILTER = "docx:MS Word 2007 XML"


def to_docx(path: str | Path, *, soffice: str | None = None, timeout: float | None = None) -> bytes:
    """The .docx bytes of ``path``; raise ConversionError (one line) when LibreOffice cannot."""
    path = Path(path)
    program = find_soffice(soffice)
    limit = timeout_setting(timeout)
    deadline = time.monotonic() + limit
    with tempfile.TemporaryDirectory(prefix="thongbao-import-") as tmp:
        work = Path(tmp)
        source = work / "in" / ("document" + path.suffix.lower())
        source.parent.mkdir()
        shutil.copyfile(path, source)
        out = _convert(program, work / "profile", source, DOCX_FILTER, work / "out", deadline, limit, path)
        return out.read_bytes()


def to_docx_many(paths: list[Path], *, soffice: str | None = None, timeout: float | None = None) -> dict[Path, bytes]:
    """The .docx bytes of each of ``paths`` that LibreOffice could convert, in one run of it.

    One LibreOffice start for a whole archive instead of one per file; the time
    limit grows with the number of files (the setting per 20 files). A file it
    could not convert is simply missing from the result (the caller converts
    it alone, to get its own error).
    """
    if not paths:
        return {}
    program = find_soffice(soffice)
    limit = timeout_setting(timeout) * (1 + len(paths) // 20)
    deadline = time.monotonic() + limit
    out: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="thongbao-import-") as tmp:
        work = Path(tmp)
        inbox = work / "in"
        inbox.mkdir()
        names = {}
        for k, path in enumerate(paths):
            name = f"f{k:05d}{path.suffix.lower()}"  # unique, so two "103.doc" of two years do not collide
            shutil.copyfile(path, inbox / name)
            names[name] = path
        outdir = work / "out"
        try:
            _convert_all(program, work / "profile", sorted(inbox.iterdir()), outdir, deadline, limit, paths[0])
        except ConversionError:
            pass  # whatever was converted before the failure is used; the rest goes one by one
        for name, path in names.items():
            produced = outdir / (Path(name).stem + ".docx")
            if produced.is_file():
                out[path] = produced.read_bytes()
    return out


def _convert_all(program: str, profile: Path, sources: list[Path], outdir: Path, deadline: float, limit: float,
                 shown: Path) -> None:
    cmd = [program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--nodefault", "--convert-to", DOCX_FILTER, "--outdir", str(outdir),
           *(str(s) for s in sources)]
    run_group(cmd, max(deadline - time.monotonic(), 1), limit, shown, program)
