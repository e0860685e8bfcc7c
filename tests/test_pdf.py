"""PDF through LibreOffice: the pages are read back (text and position of the header blocks, the rules,
the footnote marks, the fonts) to prove the layout; errors are one line, never a traceback."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import click
import pytest
from click.testing import CliRunner
from lxml import etree

from generator import pdf_api
from generator.docx import pdf as pdf_mod
from generator.errors import ConversionError
from generator.profile import MM_PER_PT, MOTTO_BOLD_EM, STATE

from .conftest import ROOT, SEED

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"
HAVE_TOOLS = all(shutil.which(t) for t in ("soffice", "pdftotext", "pdftoppm", "pdffonts"))
needs_libreoffice = pytest.mark.skipif(
    not HAVE_TOOLS, reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)")
PT_PER_MM = 72 / 25.4
TEXT_LEFT = 30 * PT_PER_MM            # the left margin
TEXT_RIGHT = (210 - 15) * PT_PER_MM   # page width less the right margin


class Word(NamedTuple):
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def words(pdf: Path, page: int) -> tuple[list[Word], float, float]:
    """The words of one page with their boxes (points from the top left), and the page size."""
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         check=True, capture_output=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    page_el = next(root.iter("{*}page"))
    found = [Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for w in root.iter("{*}word")]
    return found, float(page_el.get("width")), float(page_el.get("height"))


def phrase(ws: list[Word], text: str) -> Word:
    """The box of a phrase: consecutive words of one line that spell it (ignoring spaces)."""
    target = text.replace(" ", "")
    for i in range(len(ws)):
        acc, j = "", i
        while j < len(ws) and len(acc) < len(target) and abs(ws[j].y0 - ws[i].y0) < 2:
            acc += ws[j].text
            j += 1
            if acc == target:
                part = ws[i:j]
                return Word(text, min(w.x0 for w in part), min(w.y0 for w in part),
                            max(w.x1 for w in part), max(w.y1 for w in part))
    raise AssertionError(f"{text!r} not on the page")


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def gray_page(pdf: Path, page: int, dpi: int, tmp: Path) -> tuple[int, int, bytes]:
    """Page ``page`` as 8-bit gray pixels (PGM)."""
    base = tmp / f"page{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(base)], check=True, capture_output=True)
    data = (tmp / f"page{page}.pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m
    width, height = int(m.group(1)), int(m.group(2))
    return width, height, data[m.end():]


def longest_dark_run(px: tuple[int, int, bytes], dpi: int, x0: float, x1: float, y0: float, y1: float) -> float:
    """The longest horizontal run of dark pixels (points) in the box x0..x1, y0..y1 (points)."""
    width, height, data = px
    scale = dpi / 72
    best = 0
    for row in range(int(y0 * scale), min(int(y1 * scale) + 1, height)):
        run = 0
        for col in range(int(x0 * scale), min(int(x1 * scale) + 1, width)):
            if data[row * width + col] < 128:
                run += 1
                best = max(best, run)
            else:
                run = 0
    return best / scale


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    if not HAVE_TOOLS:
        pytest.skip("LibreOffice and poppler-utils are not installed")
    if pdf_mod.pdf_font(STATE.font, STATE.font_fallback)[1]:
        pytest.skip("no Times New Roman or Liberation Serif 2 with Vietnamese letters (fonts-liberation2)")
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for name, src in (("party", SEED), ("state", STATE_EXAMPLE)):
        docx_path, pdf_path, warnings = pdf_api.render_pdf(src, out / f"{name}.docx")
        assert pdf_path == out / f"{name}.pdf" and docx_path.is_file()
        assert warnings == []
        result[name] = pdf_path
    return result


# -- the pages, read back -----------------------------------------------------------

@needs_libreoffice
def test_state_header_blocks_sit_in_their_columns(pdfs):
    ws, page_w, _ = words(pdfs["state"], 1)
    issuing = phrase(ws, "ỦY BAN NHÂN DÂN")
    heading = phrase(ws, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = phrase(ws, "Độc lập - Tự do - Hạnh phúc")
    number = phrase(ws, "Số: 05/TB-UBND")
    date = phrase(ws, "Kon Rẫy, ngày 05 tháng 02 năm 2024")
    title = phrase(ws, "THÔNG BÁO")
    # Two columns: the issuing body left, the national heading right, on the same first line.
    assert issuing.x1 < heading.x0 and abs(issuing.y0 - heading.y0) < 1
    assert heading.x1 <= page_w and heading.x0 > page_w * 0.4
    # The motto is one line under the heading, centred on it; the date under the motto.
    assert heading.y1 <= motto.y0 + 3 and motto.y1 < date.y0
    assert abs((motto.x0 + motto.x1) / 2 - (heading.x0 + heading.x1) / 2) < 3
    # The number under the issuing body, centred on it; the title under both columns, centred on the text area.
    assert number.y0 > phrase(ws, "HUYỆN KON RẪY").y1
    assert abs((number.x0 + number.x1) / 2 - (issuing.x0 + issuing.x1) / 2) < 3
    assert title.y0 > max(number.y1, date.y1)
    assert abs((title.x0 + title.x1) / 2 - (TEXT_LEFT + TEXT_RIGHT) / 2) < 3


@needs_libreoffice
def test_state_rules_are_drawn_where_the_rules_want_them(pdfs, tmp_path):
    ws, _, _ = words(pdfs["state"], 1)
    dpi = 150
    px = gray_page(pdfs["state"], 1, dpi, tmp_path)
    motto = phrase(ws, "Độc lập - Tự do - Hạnh phúc")
    # Under the letters (the box reaches below the baseline): glyphs give short runs, the rule a long one.
    below = longest_dark_run(px, dpi, motto.x0 - 20, motto.x1 + 20, motto.y1 - 3, motto.y1 + 8)
    text_width = motto.x1 - motto.x0
    assert text_width == pytest.approx(MOTTO_BOLD_EM * STATE.motto_pt, rel=0.02)  # the measured metrics hold
    assert 0.95 <= below / text_width <= 1.1, (below, text_width)  # as long as the text
    town = phrase(ws, "HUYỆN KON RẪY")
    short = longest_dark_run(px, dpi, town.x0 - 20, town.x1 + 20, town.y1 - 3, town.y1 + 10)
    assert short == pytest.approx(STATE.issuing_rule_mm * PT_PER_MM, abs=2)
    subject_end = phrase(ws, "cứu nạn năm 2024")  # the end of the subject (the opening has "2024.")
    rule = longest_dark_run(px, dpi, TEXT_LEFT, TEXT_RIGHT, subject_end.y1 - 3, subject_end.y1 + 12)
    assert rule == pytest.approx(STATE.subject_rule_mm * PT_PER_MM, abs=2)


@needs_libreoffice
def test_party_header_blocks_sit_in_their_columns(pdfs):
    ws, page_w, _ = words(pdfs["party"], 1)
    superior = phrase(ws, "HUYỆN ỦY KON RẪY")
    heading = phrase(ws, "ĐẢNG CỘNG SẢN VIỆT NAM")
    number = phrase(ws, "Số 103-TB/BCĐ")
    star = next(w for w in ws if w.text == "*")
    date = phrase(ws, "Kon Rẫy, ngày 14 tháng 7 năm 2023")
    assert superior.x1 < heading.x0 and abs(superior.y0 - heading.y0) < 2
    assert superior.y0 < phrase(ws, "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG").y0 < star.y0 < number.y0
    assert heading.y1 < date.y0 and date.x0 > page_w * 0.4
    assert phrase(ws, "THÔNG BÁO").y0 > number.y1
    assert "Số:" not in pdf_text(pdfs["party"])


@needs_libreoffice
def test_footnote_marks_print_once_and_notes_sit_at_the_page_foot(pdfs):
    text = pdf_text(pdfs["state"])
    assert text.count("(1)") == 2 and "(1)(1)" not in text  # once in the text, once at the foot
    party = pdf_text(pdfs["party"])
    assert party.count("(1)") == 2 and party.count("(2)") == 2 and "(1)(1)" not in party
    ws, _, page_h = words(pdfs["state"], 1)
    note = phrase(ws, "Theo kết quả rà soát năm")
    assert note.y0 > page_h * 0.8
    ref = phrase(ws, "suối lớn")
    assert ref.y1 < note.y0


@needs_libreoffice
def test_pdf_fonts_are_times_or_its_metric_twin(pdfs):
    for pdf in pdfs.values():
        listing = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
        names = [ln.split()[0].split("+")[-1] for ln in listing.splitlines()[2:] if ln.strip()]
        assert names and all(n.startswith(("LiberationSerif", "TimesNewRoman")) for n in names), names


@needs_libreoffice
def test_page_numbers_and_closing_on_the_pages(pdfs):
    pages = pdf_text(pdfs["state"]).split("\f")
    assert len([p for p in pages if p.strip()]) == 2
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert not pages[0].strip().splitlines()[0].strip().isdigit()
    ws, page_w, _ = words(pdfs["state"], 2)
    recipients = phrase(ws, "Nơi nhận:")
    authority = phrase(ws, "KT. CHỦ TỊCH")
    assert recipients.x1 < authority.x0 and abs(recipients.y0 - authority.y0) < 3
    assert phrase(ws, "Trần Văn Bình").y0 - phrase(ws, "PHÓ CHỦ TỊCH").y1 > 40  # room to sign
    assert phrase(ws, "- Lưu: VT, NN.").x0 < page_w / 2


@needs_libreoffice
def test_parallel_conversions_do_not_collide(pdfs, tmp_path):
    docx_path = pdfs["state"].with_suffix(".docx")
    targets = [tmp_path / f"p{k}.pdf" for k in range(3)]
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda t: pdf_mod.to_pdf(docx_path, t), targets))
    for t in targets:
        assert "Độc lập - Tự do - Hạnh phúc" in pdf_text(t)


# -- errors, with or without LibreOffice ------------------------------------------------

def test_missing_libreoffice_is_one_clear_line_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("THONGBAO_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    src = tmp_path / "n.yaml"
    shutil.copy(STATE_EXAMPLE, src)
    with pytest.raises(ConversionError) as info:
        pdf_api.render_pdf(src)
    message = info.value.format_message()
    assert message == ("LibreOffice: found no 'soffice' on PATH and THONGBAO_SOFFICE is not set, expected LibreOffice "
                       "installed (Debian: apt install libreoffice-writer-nogui) or THONGBAO_SOFFICE=/path/to/soffice")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.yaml"]

    @click.command()
    def shell() -> None:
        pdf_api.render_pdf(src)

    result = CliRunner().invoke(shell, [])
    assert result.exit_code == 1 and result.output == f"Error: {message}\n"


def test_soffice_setting_that_is_not_a_program_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("THONGBAO_SOFFICE", str(tmp_path / "nope" / "soffice"))
    with pytest.raises(ConversionError, match=r"^THONGBAO_SOFFICE: found '.*nope/soffice', which is not an executable"):
        pdf_mod.find_soffice()


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_libreoffice_over_the_time_limit_is_stopped(tmp_path, seed_docx):
    fake = _fake_soffice(tmp_path, "sleep 60")
    with pytest.raises(ConversionError) as info:
        pdf_mod.to_pdf(seed_docx, tmp_path / "x.pdf", soffice=fake, timeout=0.5)
    assert info.value.format_message() == (
        f"{seed_docx}: found LibreOffice still converting after 0.5 s (stopped), expected a PDF within the time "
        "limit (set THONGBAO_PDF_TIMEOUT to allow more)")
    assert not (tmp_path / "x.pdf").exists()


def test_libreoffice_failing_is_one_line(tmp_path, seed_docx):
    fake = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 3")
    with pytest.raises(ConversionError, match=r"found LibreOffice exit code 3 without a (?:odt|pdf) file \(Error: source file "
                                              r"could not be loaded\), expected a converted file$"):
        pdf_mod.to_pdf(seed_docx, tmp_path / "x.pdf", soffice=fake, timeout=30)


def test_bad_time_limit_setting_is_named(monkeypatch):
    monkeypatch.setenv("THONGBAO_PDF_TIMEOUT", "soon")
    with pytest.raises(ConversionError, match="THONGBAO_PDF_TIMEOUT: found 'soon', expected a number of seconds"):
        pdf_mod.timeout_setting()


# -- the ODT repair, on LibreOffice's own output shape -----------------------------------

ODT_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">'
    '<office:font-face-decls><style:font-face style:name="Times New Roman" svg:font-family="&apos;Times New '
    'Roman&apos;"/></office:font-face-decls><office:body><office:text>'
    '<text:p>quý)<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation text:label="(1)">(1)'
    '</text:note-citation><text:note-body><text:p text:style-name="Footnote"><text:span '
    'text:style-name="Footnote_20_Symbol">(1)</text:span> Có danh sách.</text:p></text:note-body></text:note>(1); '
    'chưa<text:note text:id="ftn2" text:note-class="footnote"><text:note-citation text:label="(2)">(2)'
    '</text:note-citation><text:note-body><text:p>(2) Hai.</text:p></text:note-body></text:note>'
    '<text:span text:style-name="T1">(2)</text:span> xong.</text:p>'
    '</office:text></office:body></office:document-content>'
)


def _odt(content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("styles.xml", '<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return out.getvalue()


def _texts(data: bytes) -> str:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("content.xml"))
    body = next(root.iter("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"))
    return "".join(body.itertext())


def test_odt_repair_leaves_each_mark_once():
    before = _texts(_odt(ODT_CONTENT))
    assert before.count("(1)") == 3 and before.count("(2)") == 3
    fixed = pdf_mod.fix_odt(_odt(ODT_CONTENT))
    after = _texts(fixed)
    # Each citation keeps its label and nothing else repeats it; the space after the mark in the note
    # is an ODF space element, which a paragraph does not drop.
    assert after == "quý)(1)Có danh sách.; chưa(2)Hai. xong."
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(fixed)).read("content.xml"))
    spaces = root.findall(".//{urn:oasis:names:tc:opendocument:xmlns:text:1.0}note-body/"
                          "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}p/"
                          "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}s")
    assert [s.tail for s in spaces] == ["Có danh sách.", "Hai."]
    with zipfile.ZipFile(io.BytesIO(fixed)) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_odt_repair_prints_the_font_as_its_twin_when_asked():
    fixed = pdf_mod.fix_odt(_odt(ODT_CONTENT), font="Times New Roman", use="Liberation Serif")
    content = zipfile.ZipFile(io.BytesIO(fixed)).read("content.xml").decode()
    assert "svg:font-family=\"'Liberation Serif'\"" in content
    assert "svg:font-family=\"'Times New Roman'\"" not in content
    unchanged = pdf_mod.fix_odt(_odt(ODT_CONTENT), font="Times New Roman", use="Times New Roman")
    assert "'Times New Roman'" in zipfile.ZipFile(io.BytesIO(unchanged)).read("content.xml").decode()


def test_motto_metrics_match_the_profile():
    # The template's rule length comes from this constant; keep it tied to the profile.
    assert STATE.motto_width_mm == pytest.approx(MOTTO_BOLD_EM * 14 * MM_PER_PT)


# -- one LibreOffice start for a batch ----------------------------------------------------

def _counting_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A soffice that logs each start, then runs the real one."""
    log = tmp_path / "starts.log"
    real = shutil.which("soffice")
    return _fake_soffice(tmp_path, f'echo start >> "{log}"\nexec "{real}" "$@"'), log


def _marks_once(pdf: Path, marks: set[str]) -> None:
    text = pdf_text(pdf)
    for mark in marks:
        assert text.count(mark) == 2, (pdf.name, mark)      # once in the text, once at the foot
        assert mark + mark not in text, (pdf.name, mark)


@needs_libreoffice
def test_extract_pdfs_are_made_in_one_libreoffice_start_with_each_mark_once(tmp_path, monkeypatch):
    if pdf_mod.uno_python(shutil.which("soffice")) is None:
        pytest.skip("no Python with LibreOffice's UNO bridge (Debian: python3-uno)")
    fake, log = _counting_soffice(tmp_path)
    monkeypatch.setenv("THONGBAO_SOFFICE", str(fake))
    sent = pdf_api.extracts_pdf(SEED, tmp_path / "out")
    assert log.read_text().count("start") == 1
    pdfs = [p for p in sent.files if p.suffix == ".pdf"]
    assert len(pdfs) == len(sent.extracts) > 20
    for extract, pdf in zip(sent.extracts, pdfs):
        assert pdf == (tmp_path / "out" / extract.filename).with_suffix(".pdf")
        text = pdf_text(pdf)
        # A bản trích sao (the default form): its copy block sends it to the unit.
        assert "TRÍCH SAO" in text and " ".join(f"- {extract.unit.name} (t/h),".split()) in " ".join(text.split())
        found = {m for m in ("(1)", "(2)") if m in text}
        _marks_once(pdf, found)
    assert any("(1)" in pdf_text(p) for p in pdfs) and any("(2)" in pdf_text(p) for p in pdfs)


@needs_libreoffice
def test_render_pdf_starts_libreoffice_once(tmp_path, monkeypatch):
    if pdf_mod.uno_python(shutil.which("soffice")) is None:
        pytest.skip("no Python with LibreOffice's UNO bridge (Debian: python3-uno)")
    fake, log = _counting_soffice(tmp_path)
    _, pdf, _ = pdf_api.render_pdf(SEED, tmp_path / "n.docx", soffice=fake)
    assert log.read_text().count("start") == 1
    _marks_once(pdf, {"(1)", "(2)"})


@needs_libreoffice
def test_without_a_uno_bridge_the_marks_are_fixed_in_two_starts(tmp_path, monkeypatch):
    fake, log = _counting_soffice(tmp_path)
    monkeypatch.setattr(pdf_mod, "uno_python", lambda program: None)
    _, pdf, _ = pdf_api.render_pdf(STATE_EXAMPLE, tmp_path / "s.docx", soffice=fake)
    assert log.read_text().count("start") == 2
    _marks_once(pdf, {"(1)"})


def test_font_twin_is_named_in_the_docx_handed_to_libreoffice(seed_docx):
    data = pdf_mod.replace_docx_font(seed_docx.read_bytes(), "Times New Roman", "Liberation Serif")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
        assert 'w:ascii="Liberation Serif"' in styles and "Times New Roman" not in styles
        assert z.read("word/document.xml") == zipfile.ZipFile(seed_docx).read("word/document.xml") or \
            b"Times New Roman" not in z.read("word/document.xml")


# -- one LibreOffice kept for the server's life (pdf.Warm) ---------------------------------

def _group(pgid: int) -> list[int]:
    """The processes still in process group ``pgid`` (the helper's: it and its LibreOffice)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _docx(source: Path, out: Path) -> Path:
    from generator import api

    out.write_bytes(api.render_notice(api.load_notice(source).notice))
    return out


needs_uno = pytest.mark.skipif(
    not HAVE_TOOLS or pdf_mod.uno_python(shutil.which("soffice") or "soffice") is None,
    reason="LibreOffice, poppler-utils and a Python with LibreOffice's UNO bridge (Debian: python3-uno) are needed")


@needs_uno
def test_warm_converter_converts_one_document_after_another_in_one_start_and_leaves_nothing(tmp_path):
    fake, log = _counting_soffice(tmp_path)
    warm = pdf_mod.Warm(soffice=fake)
    sources = [(SEED, {"(1)", "(2)"}), (STATE_EXAMPLE, {"(1)"}), (SEED, {"(1)", "(2)"})]
    try:
        for k, (source, marks) in enumerate(sources):
            pdf = tmp_path / f"{k}.pdf"
            assert warm.convert(_docx(source, tmp_path / f"{k}.docx"), pdf) == []
            _marks_once(pdf, marks)
        assert log.read_text().count("start") == 1
        helper = warm.proc.pid
        assert len(_group(helper)) >= 2                 # the helper and its LibreOffice, still running
    finally:
        warm.close()
    assert _group(helper) == []
    with pytest.raises(ConversionError):
        warm.convert(tmp_path / "0.docx", tmp_path / "late.pdf")


@needs_uno
def test_warm_converter_replaces_a_killed_libreoffice_for_the_next_job(tmp_path):
    import os
    import signal

    fake, log = _counting_soffice(tmp_path)
    warm = pdf_mod.Warm(soffice=fake)
    docx = _docx(STATE_EXAMPLE, tmp_path / "s.docx")
    try:
        warm.convert(docx, tmp_path / "a.pdf")
        first = warm.proc.pid
        for pid in _group(first):
            if pid != first:
                os.kill(pid, signal.SIGKILL)              # LibreOffice dies between two previews
        warm.convert(docx, tmp_path / "b.pdf")
        assert log.read_text().count("start") == 2
        assert warm.proc.pid != first and _group(first) == []
        _marks_once(tmp_path / "b.pdf", {"(1)"})
    finally:
        warm.close()


def test_warm_converter_over_the_time_limit_is_stopped_whole(tmp_path, seed_docx):
    if pdf_mod.uno_python("/usr/bin/soffice") is None:
        pytest.skip("no Python with LibreOffice's UNO bridge (Debian: python3-uno)")
    fake = _fake_soffice(tmp_path, "sleep 60")
    warm = pdf_mod.Warm(soffice=fake, timeout=2)
    try:
        with pytest.raises(ConversionError, match="still converting after 2 s"):
            warm.convert(seed_docx, tmp_path / "n.pdf")
        assert warm.proc is None and not (tmp_path / "n.pdf").exists()
        left = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if str(fake).encode() in cmdline.read_bytes():
                    left.append(cmdline.parent.name)
            except OSError:
                pass
        assert left == []                                  # the helper and the hung "LibreOffice" both stopped
    finally:
        warm.close()


# -- LibreOffice first, the rendering while it starts; what a run leaves behind --------------

def _logging_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A soffice that writes its arguments (one a line) to a log, then runs the real one."""
    log = tmp_path / "args.log"
    real = shutil.which("soffice")
    return _fake_soffice(tmp_path, f'printf "%s\\n" "$@" >> "{log}"\nexec "{real}" "$@"'), log


def _running_with(text: str) -> list[str]:
    """The live processes whose command line holds ``text`` (a zombie's is empty)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


def _pipes_of(args: list[str]) -> list[Path]:
    """The two sockets LibreOffice makes in /tmp for these arguments: its --accept pipe and its
    single-instance pipe (named after the MD5 of the profile's URL, as pdf.remove_pipes says)."""
    import hashlib
    import os

    url = next(a.split("=", 1)[1] for a in args if a.startswith("-env:UserInstallation="))
    pipe = next(a.split("name=", 1)[1].split(";")[0] for a in args if a.startswith("--accept="))
    ipc = "SingleOfficeIPC_" + "".join(f"{b:x}" for b in hashlib.md5(url.encode("utf-16-le")).digest())
    return [Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{name}" for name in (pipe, ipc)]


@needs_uno
def test_a_bad_source_after_libreoffice_started_stops_it_and_writes_nothing(tmp_path, monkeypatch):
    """render --pdf starts LibreOffice before it renders: a source that fails then leaves no LibreOffice,
    no pipe, no .docx and no PDF, and the command exits non-zero with one line."""
    import time

    from generator import api
    from generator.cli import main

    fake, log = _logging_soffice(tmp_path)
    monkeypatch.setenv("THONGBAO_SOFFICE", str(fake))
    src = tmp_path / "bad.yaml"
    src.write_text(SEED.read_text(encoding="utf-8").replace("number: 103", "number: [103"), encoding="utf-8")
    real_load = api.load_notice

    def load_once_libreoffice_runs(*args, **kwargs):
        deadline = time.monotonic() + 60
        while not (log.exists() and "--headless" in log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        args_seen = log.read_text().splitlines()
        while not _running_with(args_seen[0]) and time.monotonic() < deadline:  # LibreOffice itself is up
            time.sleep(0.05)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(api, "load_notice", load_once_libreoffice_runs)
    result = CliRunner().invoke(main, ["render", str(src), "--pdf"])
    assert result.exit_code != 0 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    args = log.read_text().splitlines()
    profile = args[0]                                       # -env:UserInstallation=file:///.../profile
    assert profile.startswith("-env:UserInstallation=") and _running_with(profile) == []
    assert [p for p in _pipes_of(args) if p.exists()] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["bad.yaml", fake.name, log.name])


@needs_uno
def test_a_batch_leaves_no_libreoffice_and_no_pipe_and_keeps_its_seed(tmp_path, monkeypatch):
    """The batch stops LibreOffice at once when it has its PDFs: nothing of it runs after, its sockets are
    removed, and its seed (first-start files, the version setting) is kept for the next private profile,
    which then converts as well."""
    from generator import cache

    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    fake, log = _logging_soffice(tmp_path)
    docx = _docx(SEED, tmp_path / "n.docx")
    assert pdf_mod.to_pdfs([(docx, tmp_path / "a.pdf")], soffice=fake) == []
    args = log.read_text().splitlines()
    assert _running_with(args[0]) == [] and [p for p in _pipes_of(args) if p.exists()] == []
    seed = cache.read_tree(pdf_mod._seed_name(str(fake)))
    assert seed is not None and sorted(p.name for p in seed.iterdir()) == ["extensions", "registrymodifications.xcu"]
    assert sorted(p.name for p in (seed / "extensions").iterdir()) == sorted(pdf_mod.SEED_FILES)
    version = subprocess.run([shutil.which("soffice"), "--version"], capture_output=True, text=True).stdout.split()[1]
    settings = etree.parse(str(seed / "registrymodifications.xcu")).getroot()
    assert [(item.get("{http://openoffice.org/2001/registry}path"), [v.text for v in item.iter("value")])
            for item in settings] == [("/org.openoffice.Setup/Product", [".".join(version.split(".")[:2])])]
    # The next run starts from them (a copy: the kept files stay as they were).
    kept = {p: p.read_bytes() for p in seed.rglob("*") if p.is_file()}
    log.unlink()
    assert pdf_mod.to_pdfs([(docx, tmp_path / "b.pdf")], soffice=fake) == []
    assert {p: p.read_bytes() for p in seed.rglob("*") if p.is_file()} == kept
    for pdf in ("a.pdf", "b.pdf"):
        _marks_once(tmp_path / pdf, {"(1)", "(2)"})
        assert pdf_mod.PDF_MARK in subprocess.run(["pdfinfo", str(tmp_path / pdf)], capture_output=True,
                                                   text=True).stdout
    args = log.read_text().splitlines()
    assert _running_with(args[0]) == [] and [p for p in _pipes_of(args) if p.exists()] == []


@needs_uno
def test_a_damaged_seed_still_converts(tmp_path, monkeypatch):
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    seed = tmp_path / "cache" / pdf_mod._seed_name("/usr/bin/soffice")
    for name in pdf_mod.SEED_FILES:
        (seed / "extensions" / name).mkdir(parents=True)
    (seed / "extensions" / "buildid").rmdir()
    (seed / "extensions" / "buildid").write_text("not LibreOffice's\n")
    (seed / "registrymodifications.xcu").write_text("<not settings")
    docx = _docx(STATE_EXAMPLE, tmp_path / "s.docx")
    assert pdf_mod.to_pdfs([(docx, tmp_path / "s.pdf")], soffice="/usr/bin/soffice") == []
    _marks_once(tmp_path / "s.pdf", {"(1)"})


@needs_uno
def test_a_seeded_profile_skips_libreoffices_graphics_self_test(tmp_path, monkeypatch):
    """LibreOffice tests its screen drawing at every headless start in a new profile (it writes
    GraphicsRenderTests.log there); a profile from the seed has its "last version" setting and skips it."""
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    docx = _docx(STATE_EXAMPLE, tmp_path / "s.docx")
    logs = []
    for k in range(2):
        warm = pdf_mod.Warm(soffice="/usr/bin/soffice")
        try:
            warm.convert(docx, tmp_path / f"w{k}.pdf")
            logs.append((Path(warm.tmp.name) / "profile" / "user" / "GraphicsRenderTests.log").exists())
        finally:
            warm.close()
        _marks_once(tmp_path / f"w{k}.pdf", {"(1)"})
    assert logs == [True, False]                         # the first converter kept the seed the second used


@needs_uno
def test_the_warm_converter_removes_the_pipes_of_its_libreoffice(tmp_path):
    fake, log = _logging_soffice(tmp_path)
    warm = pdf_mod.Warm(soffice=fake)
    try:
        warm.convert(_docx(STATE_EXAMPLE, tmp_path / "s.docx"), tmp_path / "s.pdf")
        pipes = _pipes_of(log.read_text().splitlines())
        assert all(p.exists() for p in pipes)           # the names are LibreOffice's own
    finally:
        warm.close()
    assert [p for p in pipes if p.exists()] == []


@needs_uno
def test_the_batch_in_libreoffice_basic_and_step_by_step_make_the_same_pdfs(tmp_path, monkeypatch):
    docxs = [_docx(SEED, tmp_path / "n.docx"), _docx(STATE_EXAMPLE, tmp_path / "s.docx")]
    texts = {}
    for steps in ("", "1"):
        monkeypatch.setenv("THONGBAO_UNO_STEPS", steps)
        pdfs = [tmp_path / f"{d.stem}{steps}.pdf" for d in docxs]
        pdf_mod.to_pdfs(list(zip(docxs, pdfs)))
        texts[steps] = [pdf_text(p) for p in pdfs]
        _marks_once(pdfs[0], {"(1)", "(2)"})
        _marks_once(pdfs[1], {"(1)"})
        for pdf in pdfs:
            assert pdf_mod.PDF_MARK in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert texts[""] == texts["1"]


@needs_uno
@pytest.mark.parametrize("steps", ["", "1"])
def test_a_document_that_fails_in_the_batch_is_named(tmp_path, steps):
    """uno_convert.py on its own: the job that fails is named, exit 2, the jobs before it are done."""
    import json
    import os

    python = pdf_mod.uno_python(shutil.which("soffice"))
    docx = _docx(STATE_EXAMPLE, tmp_path / "s.docx")
    (tmp_path / "a-file").write_text("")
    jobs = [[str(docx), str(tmp_path / "first.pdf")], [str(docx), str(tmp_path / "a-file" / "x.pdf")]]
    proc = subprocess.run([python, str(pdf_mod.UNO_SCRIPT), shutil.which("soffice"), str(tmp_path / "profile")],
                          input=json.dumps(jobs) + "\n", capture_output=True, text=True, timeout=180,
                          env={**os.environ, "THONGBAO_UNO_STEPS": steps})
    said = json.loads(proc.stdout.splitlines()[-1])
    assert proc.returncode == 2 and said["docx"] == str(docx) and "a-file/x.pdf" in said["error"]
    assert not said["error"].startswith("An exception occurred")
    assert (tmp_path / "first.pdf").is_file()
    assert _running_with(str(tmp_path / "profile")) == []


# -- the copy LibreOffice converts -----------------------------------------------------------

def _styles_docx(tmp_path: Path) -> Path:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    styles = (
        f'<w:styles xmlns:w="{w}">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:basedOn w:val="Base"/><w:next w:val="Next"/>'
        '<w:rPr><w:rFonts w:ascii="Times New Roman"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Base"/><w:style w:type="paragraph" w:styleId="Next"/>'
        '<w:style w:type="character" w:styleId="Mark"><w:link w:val="Linked"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Linked"/>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"/>'
        '<w:style w:type="table" w:styleId="Grid"/><w:style w:type="table" w:styleId="Unused1"/>'
        '<w:style w:type="paragraph" w:styleId="Unused2"><w:basedOn w:val="Base"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="InHeader"/><w:style w:type="paragraph" w:styleId="InList"/>'
        '</w:styles>')
    document = (f'<w:document xmlns:w="{w}"><w:body><w:p><w:pPr><w:pStyle w:val="Body"/></w:pPr><w:r><w:rPr>'
                '<w:rStyle w:val="Mark"/></w:rPr><w:t>x</w:t></w:r></w:p><w:tbl><w:tblPr><w:tblStyle w:val="Grid"/>'
                '</w:tblPr></w:tbl></w:body></w:document>')
    header = f'<w:hdr xmlns:w="{w}"><w:p><w:pPr><w:pStyle w:val="InHeader"/></w:pPr></w:p></w:hdr>'
    numbering = f'<w:numbering xmlns:w="{w}"><w:abstractNum><w:lvl><w:pStyle w:val="InList"/></w:lvl></w:abstractNum></w:numbering>'
    path = tmp_path / "styles.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in (("word/document.xml", document), ("word/styles.xml", styles),
                           ("word/header1.xml", header), ("word/numbering.xml", numbering)):
            z.writestr(name, text)
    return path


def test_the_copy_for_libreoffice_leaves_out_only_the_styles_nothing_uses(tmp_path):
    path = _styles_docx(tmp_path)
    data = path.read_bytes()
    out = pdf_mod.for_libreoffice(data, "Times New Roman", "Liberation Serif")
    with zipfile.ZipFile(io.BytesIO(out)) as z, zipfile.ZipFile(path) as before:
        root = etree.fromstring(z.read("word/styles.xml"))
        kept = [s.get(f"{{{pdf_mod.W_NS}}}styleId") for s in root]
        assert kept == ["Normal", "Body", "Base", "Next", "Mark", "Linked", "TableNormal", "Grid", "InHeader", "InList"]
        assert b'w:ascii="Liberation Serif"' in z.read("word/styles.xml")
        assert z.read("word/document.xml") == before.read("word/document.xml")
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
    assert path.read_bytes() == data                     # the .docx itself is untouched
    assert pdf_mod.for_libreoffice(b"not a zip", "Times New Roman", None) == b"not a zip"
    # Without a font to replace, only the unused styles go; a memo gives the same result again.
    memo: dict = {}
    assert pdf_mod.for_libreoffice(data, "Times New Roman", None, memo=memo) == \
        pdf_mod.for_libreoffice(data, "Times New Roman", None, memo=memo)


def test_a_private_profile_takes_from_the_seed_only_the_first_start_files_and_the_version(tmp_path, monkeypatch):
    """Whatever else the seed folder holds (a macro, a user extension, a setting that lowers macro
    security), the private profile gets only the extension registries and the one version setting."""
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    seed = tmp_path / "cache" / pdf_mod._seed_name("/usr/bin/soffice")
    for name in pdf_mod.SEED_FILES:
        (seed / "extensions" / name / "registry").mkdir(parents=True)
        (seed / "extensions" / name / "registry" / "db.xml").write_text(name)
    (seed / "extensions" / "user" / "hostile.oxt").mkdir(parents=True)
    (seed / "basic" / "Standard").mkdir(parents=True)
    (seed / "basic" / "Standard" / "Module1.xba").write_text("Sub Main : Shell(\"x\") : End Sub")
    (seed / "registrymodifications.xcu").write_text(pdf_mod.SEED_SETTINGS.format(version="7.4"))
    profile = tmp_path / "profile"
    assert pdf_mod.seed_profile("/usr/bin/soffice", profile)
    made = sorted(str(p.relative_to(profile)) for p in profile.rglob("*") if p.is_file())
    assert made == sorted([f"user/extensions/{name}/registry/db.xml" for name in pdf_mod.SEED_FILES]
                          + ["user/registrymodifications.xcu"])
    assert (profile / "user" / "registrymodifications.xcu").read_text() == pdf_mod.SEED_SETTINGS.format(version="7.4")


@pytest.mark.parametrize("settings", [
    "<not settings",
    pdf_mod.SEED_SETTINGS.format(version="7.4 & more"),
    pdf_mod.SEED_SETTINGS.format(version="7.4").replace(
        "</oor:items>", '<item oor:path="/org.openoffice.Office.Common/Security/Scripting">'
        '<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>0</value></prop></item>\n</oor:items>'),
], ids=["damaged", "not-a-version", "another-setting"])
def test_a_seed_whose_settings_are_not_the_version_alone_is_not_used(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    seed = tmp_path / "cache" / pdf_mod._seed_name("/usr/bin/soffice")
    for name in pdf_mod.SEED_FILES:
        (seed / "extensions" / name).mkdir(parents=True)
    (seed / "registrymodifications.xcu").write_text(settings)
    assert not pdf_mod.seed_profile("/usr/bin/soffice", tmp_path / "profile")
    assert not (tmp_path / "profile").exists()
