"""Preview: the notice as its PDF will print, as PNG pages, with the layout checker's findings.

render (the library's, in memory) -> check the .docx -> PDF through LibreOffice
(generator/pdf_api) -> one PNG per page (pdftoppm). Runs as a background job.
"""

from __future__ import annotations

import dataclasses
import shutil
import struct
import subprocess
import tempfile
import threading
import zlib
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
    """PDFs for previews, through one LibreOffice kept running for the server's life.

    The library's long-lived converter (generator.docx.pdf.Warm: one
    LibreOffice with its UNO helper, jobs one at a time, each with the time
    limit; one that died or passed the limit is replaced at the next job) is
    started ahead (``warm``, when the editor opens) and serves every preview;
    ``close`` (the server's shutdown, and at exit) stops it. Disabled (the
    warm_pdf setting off), each preview converts with ``pdf_api.docx_to_pdf``.
    """

    def __init__(self, enabled: bool = True):
        from ..docx import pdf as pdf_mod

        self.warm_class = getattr(pdf_mod, "Warm", None) if enabled else None
        self.lock = threading.Lock()
        self.pdf = None
        self.closed = False

    def _converter(self):
        with self.lock:
            if self.pdf is None and self.warm_class is not None and not self.closed:
                self.pdf = self.warm_class()
            return self.pdf

    def warm(self) -> None:
        """Start LibreOffice for the coming previews, in the background (no wait)."""
        if self.warm_class is None or self.closed:
            return
        threading.Thread(target=self._start, daemon=True).start()

    def _start(self) -> None:
        converter = self._converter()
        if converter is None:
            return
        try:
            converter.start()
        except ThongbaoError:
            return   # said again, in the clerk's words, by the preview that needs it

    def convert(self, docx: Path, pdf: Path, style: str) -> list:
        converter = self._converter()
        if converter is None:
            return pdf_api.docx_to_pdf(docx, pdf, style=style)[1]
        profile = PROFILES.get(style, PROFILES["party"])
        return converter.convert(docx, pdf, font=profile.font, fallback=profile.font_fallback)

    def close(self) -> None:
        self.closed = True
        with self.lock:
            converter, self.pdf = self.pdf, None
        if converter is not None:
            converter.close()


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
    """One PNG per page of ``pdf`` in ``folder`` (trang-1.png, ...): pdftoppm draws the pages as raw
    pixels (PPM) and they are written as PNG here, some eight times faster than pdftoppm's own PNG
    writer (0.1 s against 0.8 s for the worked example's four pages) and smaller."""
    program = shutil.which("pdftoppm")
    if not program:
        raise ConversionError("pdftoppm: không tìm thấy (Debian: apt install poppler-utils)")
    try:
        subprocess.run([program, "-r", str(DPI), str(pdf), str(folder / "trang")],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ThongbaoError(f"pdftoppm: {exc}") from None
    pages = []
    for ppm in sorted(folder.glob("trang-*.ppm")):
        png = ppm.with_suffix(".png")
        png.write_bytes(ppm_to_png(ppm.read_bytes()))
        ppm.unlink()
        pages.append(png.name)
    return pages


def ppm_to_png(data: bytes) -> bytes:
    """A binary PPM (P6, 8 bits, as pdftoppm writes it) as a PNG: the rows unfiltered, deflated."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:   # magic, width, height, maxval: white space between, comments to the line end
        while at < len(data) and data[at:at + 1].isspace():
            at += 1
        if data[at:at + 1] == b"#":
            at = data.index(b"\n", at) + 1
            continue
        start = at
        while at < len(data) and not data[at:at + 1].isspace():
            at += 1
        fields.append(data[start:at])
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ThongbaoError(f"pdftoppm: found an image of kind {fields[0]!r}, maxval {fields[3]!r}, expected P6 with 255")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[at + 1:]
    stride = width * 3
    if len(pixels) < stride * height:
        raise ThongbaoError("pdftoppm: found a truncated page image, expected every row")
    raw = b"".join(b"\x00" + pixels[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def docx_pdf(docx: Path, out: Path, style: str) -> Path:
    path, _ = pdf_api.docx_to_pdf(docx, out, style=style)
    return path
