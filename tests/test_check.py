"""`thongbao check`: our notices pass in both styles; planted defects give the right lines."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt

from generator import api
from generator.check import check_file
from generator.cli_layout import check
from generator.errors import LayoutError

from .conftest import MINIMAL, ROOT, damage_deflate

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"


@pytest.fixture(scope="module")
def state_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("state") / "05.docx"
    api.render_file(STATE_EXAMPLE, out)
    return out


def run(*args: str):
    return CliRunner().invoke(check, [str(a) for a in args])


def planted(src: Path, dst: Path, *edits: tuple[str, str], part: str = "word/document.xml") -> Path:
    """A copy of ``src`` with text replacements in one XML part (each must apply)."""
    with zipfile.ZipFile(src) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info, blob in entries:
            if info.filename == part:
                text = blob.decode("utf-8")
                for old, new in edits:
                    assert old in text, old
                    text = text.replace(old, new, 1)
                blob = text.encode("utf-8")
            out.writestr(info, blob)
    return dst


def findings(path: Path, style: str | None = None) -> list[str]:
    return [str(p) for p in check_file(path, style).findings]


# -- our own outputs ---------------------------------------------------------------

def test_party_and_state_outputs_pass(seed_docx, state_docx):
    result = run(seed_docx, state_docx)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{seed_docx}: OK (party style)", f"{state_docx}: OK (state style)"]


def test_minimal_notices_of_both_styles_pass(write_source, tmp_path):
    from .test_state_style import STATE_MINIMAL

    for name, text in (("p", MINIMAL), ("s", STATE_MINIMAL)):
        out, _ = api.render_file(write_source(text, f"{name}.yaml"), tmp_path / f"{name}.docx")
        assert findings(out) == []


def test_wrong_style_is_named_with_the_hint(seed_docx):
    result = run(seed_docx, "--style", "state")
    assert result.exit_code == 1
    assert (f"{seed_docx}: national heading: found 'ĐẢNG CỘNG SẢN VIỆT NAM', expected 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
            "VIỆT NAM' (a party notice: check it with --style party)") in result.output


# -- planted defects ---------------------------------------------------------------

def test_wrong_margin_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "m.docx", ('w:left="1701"', 'w:left="1417"'))
    result = run(bad)
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: {bad}: margins.left: found 25.0 mm, expected 30-35 mm"]


def test_wrong_font_size_of_the_heading_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "s.docx",
                  ('<w:sz w:val="30"/></w:rPr><w:t>ĐẢNG', '<w:sz w:val="28"/></w:rPr><w:t>ĐẢNG'))
    assert findings(bad) == [f"{bad}: national heading: found 'ĐẢNG CỘNG SẢN VIỆT NAM' in 14 pt, expected 15 pt"]


def test_missing_rule_under_the_party_heading_is_found(seed_docx, tmp_path):
    xml = zipfile.ZipFile(seed_docx).read("word/document.xml").decode()
    border = re.search(r"<w:pBdr>.*?</w:pBdr>", xml).group(0)
    bad = planted(seed_docx, tmp_path / "r.docx", (border, ""))
    assert findings(bad) == [
        f"{bad}: national heading: found no rule under 'ĐẢNG CỘNG SẢN VIỆT NAM', expected a rule under the heading"]


def test_missing_rule_under_the_motto_is_found(state_docx, tmp_path):
    xml = zipfile.ZipFile(state_docx).read("word/document.xml").decode()
    motto = re.search(r'<w:p><w:pPr>(?:(?!</w:p>).)*?Độc lập - Tự do - Hạnh phúc', xml).group(0)
    border = re.search(r"<w:pBdr>.*?</w:pBdr>", motto).group(0)
    bad = planted(state_docx, tmp_path / "r.docx", (motto, motto.replace(border, "")))
    assert findings(bad) == [f"{bad}: motto: found no rule under the Tiêu ngữ, expected a rule as long as the text "
                             "(about 60 mm)"]


def test_motto_rule_much_longer_than_the_text_is_found(state_docx, tmp_path):
    xml = zipfile.ZipFile(state_docx).read("word/document.xml").decode()
    ind = re.search(r'<w:ind w:firstLine="0" w:left="(\d+)" w:right="\1"/>', xml).group(0)
    bad = planted(state_docx, tmp_path / "l.docx", (ind, '<w:ind w:firstLine="0" w:left="0" w:right="0"/>'))
    assert findings(bad) == [f"{bad}: motto: found a rule 99 mm long under it, expected a rule as long as the text "
                             "(about 60 mm)"]


def test_number_with_a_colon_in_a_party_notice_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "n.docx", (">Số 103-TB/BCĐ<", ">Số: 103-TB/BCĐ<"))
    result = run(bad)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {bad}: number: found 'Số: 103-TB/BCĐ', expected the form 'Số 103-TB/BCĐ' (party style: 'Số' "
        "without a colon, '-' before the type, '/' before the body's abbreviation, two digits at least)"]


def test_date_without_its_leading_zero_or_with_a_wrong_one_is_found(state_docx, seed_docx, tmp_path):
    bad = planted(state_docx, tmp_path / "d.docx", ("ngày 05 tháng 02 năm 2024", "ngày 5 tháng 2 năm 2024"))
    assert findings(bad) == [
        f"{bad}: place-date: found 'ngày 5 tháng 2 năm 2024', expected 'ngày 05 tháng 02 năm 2024' (a day below 10 "
        "and the months 1 and 2 take a leading zero, other months none)"]
    bad = planted(seed_docx, tmp_path / "d2.docx", ("tháng 7 năm 2023", "tháng 07 năm 2023"))
    assert findings(bad)[0].endswith("found 'ngày 14 tháng 07 năm 2023', expected 'ngày 14 tháng 7 năm 2023' (a day "
                                     "below 10 and the months 1 and 2 take a leading zero, other months none)")


def test_state_recipients_with_party_punctuation_and_authority_are_found(state_docx, tmp_path):
    bad = planted(state_docx, tmp_path / "p.docx", ("- Như trên;", "- Như trên,"), ("KT. CHỦ TỊCH", "K/T CHỦ TỊCH"))
    assert findings(bad) == [
        f"{bad}: authority: found 'K/T CHỦ TỊCH', expected 'KT.' (state style: TM., KT., TL., TUQ., Q.)",
        f"{bad}: recipients: found a line ending ',' (in '- Như trên,'), expected ';' at the end (state style: ';' "
        "after each line, '.' after the last)",
    ]


def test_body_defects_are_grouped_into_one_line_each(seed_docx, tmp_path):
    spacing = ('w:lineRule="exact" w:line="360"', 'w:lineRule="auto" w:line="276"')
    bad = planted(seed_docx, tmp_path / "b.docx", *[spacing] * 3, part="word/styles.xml")  # TB Body, Conclusion, Task
    lines = findings(bad)
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}: body: found line spacing 1.15 lines (")
    assert "places, first 'Tại Hội nghị giao ban Ban Chỉ đạo Cuộc…'), expected exactly 18-22 pt (party style)" in lines[0]


def test_page_number_on_page_one_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "pg.docx", ("<w:titlePg/>", ""))
    assert findings(bad) == [f"{bad}: page numbers: found a page number on page 1, expected numbers from page 2 on "
                             "(Word: Different First Page)"]


def test_footnote_typed_as_superscript_text_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "f.docx", ("cuối quý)", "cuối quý⁽³⁾)"))
    assert findings(bad) == [f"{bad}: footnotes: found '⁽³⁾' typed as text in '- Đến nay, một số cơ quan, đơn vị chưa…', expected a real "
                             "footnote (Word: References > Insert Footnote) with the mark (1)"]


def test_automatic_footnote_number_is_found(seed_docx, tmp_path):
    bad = planted(seed_docx, tmp_path / "a.docx", ('w:customMarkFollows="1" w:id="2"', 'w:id="2"'))
    assert f"{bad}: footnotes: found the mark '' for note 2" not in findings(bad)
    assert any(f.startswith(f"{bad}: footnotes: found an automatic number for note 2 in '- Tiếp tục triển khai thực")
               and f.endswith("expected the custom mark '(2)'") for f in findings(bad))


def test_not_a_docx_is_one_clear_line(tmp_path):
    path = tmp_path / "x.docx"
    path.write_text("hello")
    result = run(path)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: found a file that is not a zip, expected a Word document (.docx)\n"
    assert "Traceback" not in result.output



def test_a_docx_damaged_inside_the_zip_is_one_clear_line(seed_docx, tmp_path):
    # The zip's directory reads but a part does not unpack (zlib.error): was a traceback.
    path = damage_deflate(seed_docx, tmp_path / "x.docx")
    result = run(path)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}: found a damaged file (not a readable zip), "
                             "expected a Word document (.docx)\n")


def test_a_document_xml_of_another_shape_is_one_line(tmp_path):
    # Well-formed XML with no w:body was an AttributeError traceback.
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<a/>")
    result = run(path)
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}: found a word/document.xml that is not a Word document, "
                             "expected a Word document (.docx)\n")


def test_broken_xml_is_one_line(seed_docx, tmp_path):
    # lxml's message for a name over its 10 MB limit spans two lines; the finding stays one.
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(seed_docx) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            huge = b"<" + b"a" * 11_000_000
            out.writestr(info.filename, huge if info.filename == "word/document.xml" else src.read(info))
    result = run(path)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {path}: found broken XML (")


# -- a notice typed by hand -----------------------------------------------------------

def _typed_by_hand(path: Path, *, body_font: str = "Times New Roman", closing_kept: bool = True) -> Path:
    """A Party notice as a clerk types it in Word: direct formatting, a drawn line, no styles of ours.

    ``closing_kept``: the clerk has kept the closing whole and with the body (row not breaking across
    pages, last paragraph "Keep with next") and ended the document in a 1 pt paragraph.
    """
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    rfonts = normal.element.rPr.rFonts
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(docx.oxml.ns.qn(attr), "Times New Roman")
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin = s.bottom_margin = Mm(20)
    s.left_margin, s.right_margin = Mm(30), Mm(15)
    s.different_first_page_header_footer = True
    hp = s.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    hp._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>'))

    def para(container, text, size=14, bold=False, italic=False, underline=False, align=WD_ALIGN_PARAGRAPH.CENTER):
        p = container.add_paragraph()
        p.alignment = align
        if text:
            r = p.add_run(text)
            r.font.size, r.bold, r.italic, r.underline = Pt(size), bold, italic, underline
        return p

    header = d.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].add_run("HUYỆN ỦY KON RẪY").font.size = Pt(14)
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para(left, "BAN TUYÊN GIÁO", bold=True)
    para(left, "*")
    para(left, "Số 12-TB/BTG")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = right.paragraphs[0].add_run("Đảng cộng sản Việt Nam")
    run.font.size, run.bold, run.font.all_caps = Pt(15), True, True
    line = para(right, "")
    line._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:line from="40pt,2pt" to="190pt,2pt"/></w:pict></w:r>'))
    para(right, "Kon Rẫy, ngày 03 tháng 3 năm 2023", italic=True)
    para(d, "THÔNG BÁO", size=16, bold=True)
    para(d, "kết luận của Trưởng ban về công tác tuyên truyền quý I/2023", bold=True)
    para(d, "-----")
    for text in ("Ngày 01/3/2023, Ban Tuyên giáo Huyện ủy họp giao ban; Trưởng ban kết luận như sau:",
                 "1. Các chi bộ trực thuộc: tổ chức tuyên truyền trước ngày 31/3/2023.",
                 "2. Văn phòng: tổng hợp, báo cáo kết quả."):
        p = para(d, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        p.runs[0].font.name = body_font
        f = p.paragraph_format
        f.first_line_indent, f.space_after = Mm(12.7), Pt(6)
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(18)
    p.paragraph_format.keep_with_next = closing_kept
    closing = d.add_table(rows=1, cols=2)
    if closing_kept:
        closing.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    left, right = closing.rows[0].cells
    r = left.paragraphs[0].add_run("Nơi nhận:")
    r.font.size, r.underline = Pt(14), True
    for text in ("- BTV Huyện ủy (b/c),", "- Các chi bộ trực thuộc,", "- Lưu VT."):
        para(left, text, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run("TRƯỞNG BAN").font.size = Pt(14)
    for _ in range(4):
        para(right, "")
    para(right, "Nguyễn Văn An", bold=True)
    if closing_kept:
        end = para(d, "")
        end.paragraph_format.line_spacing_rule, end.paragraph_format.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
        end.paragraph_format.space_after = Pt(0)
    d.save(str(path))
    return path


def test_a_notice_typed_by_hand_passes(tmp_path):
    path = _typed_by_hand(tmp_path / "typed.docx")
    assert findings(path) == []


def test_a_closing_that_may_split_stand_alone_or_leave_a_blank_page_is_found(tmp_path):
    path = _typed_by_hand(tmp_path / "typed.docx", closing_kept=False)
    assert findings(path) == [
        f"{path}: closing: found a closing row that may break across pages, expected the signature block whole "
        "on one page (Word: Table Properties > Row, 'Allow row to break across pages' off)",
        f"{path}: closing: found the closing may stand alone on a page ('2. Văn phòng: tổng hợp, báo cáo kết quả.' "
        "is not kept with it), expected the body's last paragraph and any empty one after it kept with the closing "
        "(Keep with next)",
        f"{path}: closing: found the document ending in the closing table, expected a last empty paragraph of at "
        "most 2 pt with no spacing after the table (Word adds a full-size one, which can fall onto a blank page)",
    ]


def test_a_full_size_paragraph_after_the_closing_is_found(seed_docx, tmp_path):
    end_mark = ('<w:spacing w:before="0" w:after="0" w:lineRule="exact" w:line="20"/><w:ind w:firstLine="0"/>'
                '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>')
    bad = planted(seed_docx, tmp_path / "end.docx", (end_mark, '<w:ind w:firstLine="0"/>'))
    assert findings(bad) == [
        f"{bad}: closing: found a paragraph 16 pt high after the closing table, which can fall onto a blank page, "
        "expected nothing after it but one empty paragraph of at most 2 pt with no spacing"]


def test_a_notice_typed_by_hand_with_a_foreign_font_is_found(tmp_path):
    path = _typed_by_hand(tmp_path / "typed.docx", body_font="Arial")
    assert findings(path) == [f"{path}: font: found 'Arial' (3 places, first 'Ngày 01/3/2023, Ban Tuyên giáo Huyện ủ…'), "
                              "expected Times New Roman"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (.ci/run installs it)")
def test_outputs_saved_again_by_libreoffice_still_pass(seed_docx, state_docx, tmp_path):
    for src in (seed_docx, state_docx):
        subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), str(src)],
                       check=True, capture_output=True, timeout=300)
        saved = tmp_path / "lo" / src.name
        assert saved.read_bytes() != src.read_bytes()
        assert findings(saved) == []


def test_layout_error_is_a_click_error_with_exit_1():
    err = LayoutError([])
    assert err.exit_code == 1
