"""Preview: the notice as its PDF will print, as PNG pages, with the layout checker's findings.

render (the library's, in memory) -> check the .docx -> PDF through LibreOffice
(generator/pdf_api) -> one PNG per page (pdftoppm). Runs as a background job.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import api, pdf_api
from ..check import check_file
from ..errors import ConversionError, ThongbaoError
from . import messages

DPI = 80


@dataclass
class Preview:
    folder: Path
    pages: list[str]
    findings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pdf: Path | None = None


def make_preview(source_bytes: bytes, name: str, work: Path, progress, next_number=None) -> Preview:
    """``next_number(notice)``: the number a draft without one would get (shown in its place)."""
    folder = Path(tempfile.mkdtemp(prefix="preview-", dir=work))
    source = folder / name
    source.write_bytes(source_bytes)
    progress(0.1, "Đang dựng văn bản .docx...")
    loaded = api.load_notice(source, require_number=False)
    if loaded.notice.number == 0:
        loaded.notice = dataclasses.replace(loaded.notice, number=next_number(loaded.notice) if next_number else 1)
    docx = folder / "thong-bao.docx"
    docx.write_bytes(api.render_notice(loaded.notice))
    progress(0.25, "Đang kiểm tra thể thức...")
    report = check_file(docx, loaded.notice.style)
    findings = [f"{p.field or 'văn bản'}: {p.found} (cần {p.expected})" for p in report.findings]
    progress(0.35, "Đang chuyển sang PDF bằng LibreOffice...")
    pdf, warnings = pdf_api.docx_to_pdf(docx, folder / "thong-bao.pdf", style=loaded.notice.style)
    progress(0.85, "Đang tạo ảnh các trang...")
    pages = pdf_pages(pdf, folder)
    return Preview(folder, pages, findings, [messages.full(w) for w in loaded.warnings] + [str(w) for w in warnings],
                   pdf)


def pdf_pages(pdf: Path, folder: Path) -> list[str]:
    program = shutil.which("pdftoppm")
    if not program:
        raise ConversionError("pdftoppm: không tìm thấy (Debian: apt install poppler-utils)")
    try:
        subprocess.run([program, "-r", str(DPI), "-png", str(pdf), str(folder / "trang")],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ThongbaoError(f"pdftoppm: {exc}") from None
    return sorted(p.name for p in folder.glob("trang-*.png"))


def docx_pdf(docx: Path, out: Path, style: str) -> Path:
    path, _ = pdf_api.docx_to_pdf(docx, out, style=style)
    return path
