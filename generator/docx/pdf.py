"""A rendered notice as PDF, through LibreOffice in headless mode.

LibreOffice is found on PATH, or through the THONGBAO_SOFFICE setting. Every
run gets a private profile directory, so parallel runs do not collide, and a
time limit (THONGBAO_PDF_TIMEOUT, seconds), after which the whole process
group is stopped.

The .docx stays as Word wants it. LibreOffice 7.4 prints our custom footnote
marks twice ("(1)(1)"), so the conversion goes docx -> odt, removes the
repeated literal mark beside each note (the note's citation already carries
the label "(1)"), then odt -> pdf. The notice's font is used where it is
installed, otherwise its metric-compatible twin, so line breaks match Word.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import ConversionError, Problem
from ..output import write_atomic

ENV_SOFFICE = "THONGBAO_SOFFICE"
ENV_TIMEOUT = "THONGBAO_PDF_TIMEOUT"
DEFAULT_TIMEOUT_S = 180.0
SOFFICE_NAMES = ("soffice", "libreoffice")
VIETNAMESE_PROBE = "1ed8"  # Ộ: a font without it prints Vietnamese in another font

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


def find_soffice(setting: str | os.PathLike | None = None) -> str:
    """The LibreOffice program: ``setting``, else $THONGBAO_SOFFICE, else PATH."""
    chosen = str(setting) if setting else os.environ.get(ENV_SOFFICE, "")
    if chosen:
        found = shutil.which(chosen)
        if not found:
            where = "the soffice setting" if setting else ENV_SOFFICE
            raise ConversionError(
                f"{where}: found '{chosen}', which is not an executable program, "
                "expected the path of LibreOffice's soffice (e.g. /usr/bin/soffice)"
            )
        return found
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        f"LibreOffice: found no 'soffice' on PATH and {ENV_SOFFICE} is not set, expected LibreOffice "
        f"installed (Debian: apt install libreoffice-writer-nogui) or {ENV_SOFFICE}=/path/to/soffice"
    )


def timeout_setting(value: float | None = None) -> float:
    """The time limit in seconds: ``value``, else $THONGBAO_PDF_TIMEOUT, else the default."""
    if value is not None:
        return float(value)
    raw = os.environ.get(ENV_TIMEOUT, "")
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise ConversionError(f"{ENV_TIMEOUT}: found '{raw}', expected a number of seconds above 0")
    return seconds


def pdf_font(font: str, fallback: str) -> tuple[str | None, list[str]]:
    """The font the PDF will use for ``font`` and what is wrong about it, if anything.

    Returns (None, []) when fontconfig is not there to ask (LibreOffice then
    substitutes by itself).
    """
    if not shutil.which("fc-list"):
        return None, []
    for family in (font, fallback):
        if _has_font(family):
            return family, []
    return None, [f"neither {font} nor {fallback} with Vietnamese letters installed"]


def _has_font(family: str) -> bool:
    try:
        out = subprocess.run(["fc-list", f"{family}:charset={VIETNAMESE_PROBE}", "family"],
                             check=False, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(family in line.split(",") for line in out.splitlines())


def to_pdf(docx: str | os.PathLike, pdf: str | os.PathLike, *, soffice: str | os.PathLike | None = None,
           timeout: float | None = None, font: str = "Times New Roman",
           fallback: str = "Liberation Serif") -> list[Problem]:
    """Convert ``docx`` to ``pdf`` (written atomically); return warnings.

    Raises ConversionError when LibreOffice is missing, fails or passes the
    time limit; nothing is written then.
    """
    docx, pdf = Path(docx), Path(pdf)
    program = find_soffice(soffice)
    limit = timeout_setting(timeout)
    if not docx.is_file():
        raise ConversionError(f"{docx}: found no such file, expected a .docx to convert")
    used, font_problems = pdf_font(font, fallback)
    warnings = [Problem(str(pdf), None, "font", f, f"{font} or {fallback} (Debian: fonts-liberation2), "
                        "or line breaks differ from Word") for f in font_problems]
    deadline = time.monotonic() + limit
    with tempfile.TemporaryDirectory(prefix="thongbao-pdf-") as tmp:
        work = Path(tmp)
        source = work / "in" / "notice.docx"
        source.parent.mkdir()
        shutil.copyfile(docx, source)
        profile = work / "profile"
        odt = _convert(program, profile, source, "odt", work / "odt", deadline, limit, docx)
        fixed = work / "fixed" / "notice.odt"
        fixed.parent.mkdir()
        fixed.write_bytes(fix_odt(odt.read_bytes(), font=font, use=used))
        result = _convert(program, profile, fixed, "pdf:writer_pdf_Export", work / "pdf", deadline, limit, docx)
        write_atomic(pdf, result.read_bytes())
    return warnings


def _convert(program: str, profile: Path, source: Path, target: str, outdir: Path,
             deadline: float, limit: float, shown: Path) -> Path:
    cmd = [program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(outdir), str(source)]
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _too_slow(shown, limit)
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        raise ConversionError(f"{program}: found {exc.strerror or exc}, expected LibreOffice to start") from None
    try:
        out, err = proc.communicate(timeout=remaining)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise _too_slow(shown, limit) from None
    produced = outdir / (source.stem + "." + target.split(":")[0])
    if proc.returncode != 0 or not produced.is_file():
        said = " ".join((err or out or b"").decode("utf-8", "replace").split())[-200:] or "no message"
        raise ConversionError(
            f"{shown}: found LibreOffice exit code {proc.returncode} without a {target.split(':')[0]} "
            f"file ({said}), expected a converted file"
        )
    return produced


def _stop(proc: subprocess.Popen) -> None:
    """Stop the conversion and whatever LibreOffice started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.communicate()


def _too_slow(shown: Path, limit: float) -> ConversionError:
    return ConversionError(
        f"{shown}: found LibreOffice still converting after {limit:g} s (stopped), expected a PDF within "
        f"the time limit (set {ENV_TIMEOUT} to allow more)"
    )


def fix_odt(data: bytes, *, font: str = "Times New Roman", use: str | None = None) -> bytes:
    """Remove the doubled footnote marks; print ``font`` as ``use`` if that differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "meta.xml":
                blob = mark_meta(blob)
            elif info.filename in ("content.xml", "styles.xml"):
                root = etree.fromstring(blob)
                if info.filename == "content.xml":
                    single_note_marks(root)
                if use and use != font:
                    _replace_font(root, font, use)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            # The mimetype entry must stay first and uncompressed.
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, blob, compress_type=kind)
    return out.getvalue()


OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
PDF_MARK = "thongbao"


def mark_meta(blob: bytes) -> bytes:
    """Add the keyword ``thongbao``, which the PDF's Keywords carry: how a later write knows the PDF is ours."""
    root = etree.fromstring(blob)
    meta = root.find(f"{{{OFFICE_NS}}}meta")
    if meta is None:
        meta = etree.SubElement(root, f"{{{OFFICE_NS}}}meta")
    keyword = etree.SubElement(meta, f"{{{META_NS}}}keyword")
    keyword.text = PDF_MARK
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def single_note_marks(root: etree._Element) -> int:
    """Drop the literal "(1)" after each note and at the start of its body; return how many notes."""
    count = 0
    for note in root.iter(f"{{{TEXT_NS}}}note"):
        citation = note.find(f"{{{TEXT_NS}}}note-citation")
        label = citation.get(f"{{{TEXT_NS}}}label") if citation is not None else None
        if not label:
            continue  # an auto-numbered note prints once already
        _strip_following(note, label)
        body = note.find(f"{{{TEXT_NS}}}note-body")
        first = body.find(f"{{{TEXT_NS}}}p") if body is not None else None
        if first is not None:
            _strip_leading(first, label)
            _keep_leading_space(first)
        count += 1
    return count


def _keep_leading_space(para: etree._Element) -> None:
    """ODF drops a space at the start of a paragraph; the note's text keeps it as <text:s/>."""
    if (para.text or "").startswith(" "):
        space = etree.Element(f"{{{TEXT_NS}}}s")
        space.tail = para.text.lstrip(" ")
        para.text = None
        para.insert(0, space)


def _strip_following(note: etree._Element, label: str) -> None:
    _mend_bookmark_end(note, label)
    if note.tail and note.tail.startswith(label):
        note.tail = note.tail[len(label):]
        return
    nxt = note.getnext()
    if not (note.tail or "").strip() and nxt is not None and (nxt.text or "").startswith(label):
        nxt.text = nxt.text[len(label):]
        _drop_if_empty(nxt)


def _mend_bookmark_end(note: etree._Element, label: str) -> None:
    """A note cited again has a bookmark around its mark (for the NOTEREF of the later
    citations); LibreOffice ends it one character early, "(1<bookmark-end/>)": end it after the mark."""
    nxt = note.getnext()
    tail = note.tail or ""
    if nxt is None or nxt.tag != f"{{{TEXT_NS}}}bookmark-end" or not tail or tail == label or not label.startswith(tail):
        return
    rest = label[len(tail):]
    if (nxt.tail or "").startswith(rest):
        note.tail = label
        nxt.tail = nxt.tail[len(rest):]  # type: ignore[index]


def _strip_leading(para: etree._Element, label: str) -> None:
    if (para.text or "").startswith(label):
        para.text = para.text[len(label):]
        return
    first = para[0] if len(para) else None
    if not (para.text or "").strip() and first is not None and (first.text or "").startswith(label):
        first.text = first.text[len(label):]
        _drop_if_empty(first)


def _drop_if_empty(el: etree._Element) -> None:
    """Remove a span left empty, keeping the text that follows it."""
    if el.text or len(el):
        return
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _replace_font(root: etree._Element, font: str, use: str) -> None:
    family = f"{{{SVG_NS}}}font-family"
    for face in root.iter(f"{{{STYLE_NS}}}font-face"):
        if face.get(family, "").strip("'\"") == font:
            face.set(family, f"'{use}'")
