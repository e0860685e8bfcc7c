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

from .pdf import _convert, find_soffice, timeout_setting

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
