"""Preview: the notice as its PDF will print, as PNG pages, with the layout checker's findings.

render (the library's, in memory) -> check the .docx -> PDF through LibreOffice
(generator/pdf_api) -> one PNG per page (pdftoppm). Runs as a background job.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import api, pdf_api
from ..check import check_file
from ..errors import ConversionError, Problem, ThongbaoError
from ..profile import PROFILES
from . import messages

DPI = 80


@dataclass
class Preview:
    folder: Path
    pages: list[str]
    findings: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pdf: Path | None = None


class Converter:
    """PDFs for previews, with one LibreOffice kept started for the next one.

    With a batch converter in the library (generator.docx.pdf.Batch: one
    LibreOffice start per batch, through UNO) a batch is opened ahead of time,
    so the next preview finds LibreOffice already running, however long the
    clerk took to get there: LibreOffice waits for its jobs, and the batch's time
    limit is counted again from the moment it is used (it bounds the conversion,
    not the wait). So there is always one LibreOffice started and waiting; a
    preview takes it and the next one is started. A waiting LibreOffice that
    died meanwhile costs one retry with a fresh one. Without a batch converter,
    each preview converts with ``pdf_api.docx_to_pdf`` (two starts).
    """

    def __init__(self, enabled: bool = True):
        from ..docx import pdf as pdf_mod

        self.batch_class = getattr(pdf_mod, "Batch", None) if enabled else None
        self.lock = threading.Lock()
        self.ready = None
        self.opened = 0.0
        self.closed = False

    def warm(self) -> None:
        """Start LibreOffice for the next conversion, in the background (no wait)."""
        if self.batch_class is None or self.closed:
            return
        threading.Thread(target=self._open, daemon=True).start()

    def _open(self) -> None:
        with self.lock:
            if self.ready is not None or self.closed:
                return
            try:
                batch = self.batch_class()
                batch.__enter__()
            except ThongbaoError:
                return
            self.ready, self.opened = batch, time.monotonic()

    def _take(self):
        """The waiting batch (its time limit counted from now), else a new one; and whether it waited."""
        with self.lock:
            batch, self.ready = self.ready, None
        if batch is not None:
            if hasattr(batch, "deadline"):
                batch.deadline = time.monotonic() + batch.limit
            return batch, True
        batch = self.batch_class()
        batch.__enter__()
        return batch, False

    def convert(self, docx: Path, pdf: Path, style: str) -> list:
        if self.batch_class is None:
            return pdf_api.docx_to_pdf(docx, pdf, style=style)[1]
        profile = PROFILES.get(style, PROFILES["party"])
        try:
            for attempt in (1, 2):
                batch, waited = self._take()
                try:
                    return batch.convert([(docx, pdf)], font=profile.font, fallback=profile.font_fallback)
                except ConversionError:
                    if not waited or attempt == 2:   # a LibreOffice that waited may have died: one fresh try
                        raise
                finally:
                    batch.__exit__(None, None, None)
            raise AssertionError("unreachable")
        finally:
            self.warm()

    def close(self) -> None:
        self.closed = True
        with self.lock:
            batch, self.ready = self.ready, None
        if batch is not None:
            batch.__exit__(None, None, None)


def make_preview(source_bytes: bytes, name: str, work: Path, progress, next_number=None,
                 converter: Converter | None = None) -> Preview:
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
    findings = [messages.layout_finding(p) for p in report.findings]
    progress(0.35, "Đang chuyển sang PDF bằng LibreOffice...")
    pdf = folder / "thong-bao.pdf"
    if converter is not None:
        warnings = converter.convert(docx, pdf, loaded.notice.style)
    else:
        pdf, warnings = pdf_api.docx_to_pdf(docx, pdf, style=loaded.notice.style)
    progress(0.85, "Đang tạo ảnh các trang...")
    pages = pdf_pages(pdf, folder)
    said = [messages.layout_finding(w) if isinstance(w, Problem) else str(w) for w in warnings]  # the PDF's font
    return Preview(folder, pages, findings, [messages.full(w) for w in loaded.warnings] + said, pdf)


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
