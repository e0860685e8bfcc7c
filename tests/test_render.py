"""Render the example notice, reopen the .docx and check text, format and structure."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from generator import api
from generator.profile import PARTY

from .conftest import MINIMAL, ROOT, SEED, W, body_paragraphs, footnote_texts, part_xml

SEED_TEXT = ROOT / "tests" / "data" / "seed-103-TB-BCD.txt"
# The typos of the original that the example fixes (see its header comment).
TYPO_FIXES = [
    ("Đẳng ủy", "Đảng ủy"), ("BCD ", "BCĐ "), ("phân đấu", "phấn đấu"),
    ("thực hiện thực hiện", "thực hiện"),
]


def _seed_body_and_notes() -> tuple[list[str], list[str]]:
    text = SEED_TEXT.read_text(encoding="utf-8")
    text = text.replace("sang mô\n\nhình khác", "sang mô hình khác")  # page break of the extract
    for wrong, right in TYPO_FIXES:
        text = text.replace(wrong, right)
    text = text.replace("⁽¹⁾", "(1)").replace("⁽²⁾", "(2)").replace("**", "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Tại Hội nghị"))
    end = lines.index("Nơi nhận:")
    body = [ln for ln in lines[start:end] if not re.match(r"^\(\d\) ", ln)]
    notes = [ln for ln in lines[start:end] if re.match(r"^\(\d\) ", ln)]
    return body, notes


def test_every_paragraph_of_the_seed_is_present_in_order(seed_docx):
    expected, _ = _seed_body_and_notes()
    got = [p.text for p in body_paragraphs(seed_docx)]
    assert got == expected


def test_subject_title_and_number_are_in_place(seed_docx):
    document = docx.Document(str(seed_docx))
    texts = [p.text for p in document.paragraphs]
    assert "THÔNG BÁO" in texts
    subject = texts[texts.index("THÔNG BÁO") + 1]
    assert subject.startswith("kết luận Hội nghị giao ban Ban Chỉ đạo Cuộc vận động “Làm thay đổi")
    assert texts[texts.index("THÔNG BÁO") + 2] == "-----"


def test_deadlines_are_bold_and_the_rest_is_not(seed_docx):
    bold = [r.text for p in body_paragraphs(seed_docx) for r in p.runs if r.bold]
    assert bold == [
        "trước ngày 31/7/2023.", "trước ngày 20/7/2023.", "trước ngày 31/7/2023.",
        "trong tháng 8/2023", "trước ngày 07/9/2023", "trước ngày 31/7/2023",
    ]


def test_footnotes_are_native_word_footnotes(seed_docx):
    _, notes = _seed_body_and_notes()
    assert footnote_texts(seed_docx) == {"1": notes[0], "2": notes[1]}
    document = part_xml(seed_docx, "word/document.xml")
    refs = list(document.iter(f"{W}footnoteReference"))
    assert [r.get(f"{W}id") for r in refs] == ["1", "2"]
    for ref in refs:
        assert ref.get(f"{W}customMarkFollows") == "1"
        run = ref.getparent()
        assert run.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "FootnoteReference"
        assert run.find(f"{W}t").text == f"({ref.get(f'{W}id')})"
    # Separators, relationship, content type and superscript style are all there.
    notes_xml = part_xml(seed_docx, "word/footnotes.xml")
    kinds = [fn.get(f"{W}type") for fn in notes_xml.iter(f"{W}footnote")]
    assert kinds[:2] == ["separator", "continuationSeparator"]
    with zipfile.ZipFile(seed_docx) as z:
        assert "footnotes.xml" in z.read("word/_rels/document.xml.rels").decode()
        assert "wordprocessingml.footnotes+xml" in z.read("[Content_Types].xml").decode()
    style = docx.Document(str(seed_docx)).styles["Footnote Reference"]
    assert style.font.superscript is True
    settings = part_xml(seed_docx, "word/settings.xml")
    assert settings.find(f"{W}footnotePr") is not None


def test_no_superscript_text_fakes_a_footnote(seed_docx):
    for p in body_paragraphs(seed_docx):
        assert "⁽" not in p.text
        for r in p.runs:
            assert not r.font.superscript


def test_header_is_a_two_column_table_with_party_heading(seed_docx):
    document = docx.Document(str(seed_docx))
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "HUYỆN ỦY KON RẪY", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "*", "Số 103-TB/BCĐ",
    ]
    heading, date = [p for p in right.paragraphs if p.text]
    assert heading.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert heading.runs[0].bold and heading.runs[0].font.size == Pt(15)
    assert heading._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None  # the rule under it
    assert date.text == "Kon Rẫy, ngày 14 tháng 7 năm 2023"
    assert date.runs[0].italic
    body_name = next(p for p in left.paragraphs if p.text == "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG")
    assert body_name.runs[0].bold and body_name.runs[0].font.size == Pt(14)
    superior = next(p for p in left.paragraphs if p.text == "HUYỆN ỦY KON RẪY")
    assert not superior.runs[0].bold
    borders = header._tbl.tblPr.find(f"{W}tblBorders")
    assert all(b.get(f"{W}val") == "nil" for b in borders)


def test_closing_is_a_two_column_table_with_recipients_and_signature(seed_docx):
    closing = docx.Document(str(seed_docx)).tables[-1]
    left, right = closing.rows[0].cells
    lines = [p for p in left.paragraphs if p.text]
    assert lines[0].text == "Nơi nhận:" and lines[0].runs[0].underline
    assert [p.text for p in lines[1:]] == [
        "- BTV Huyện ủy (b/c),", "- UBND huyện,", "- BTGHU, BDVHU,", "- UBMTTQVN huyện,",
        "- Các TCCSĐ trực thuộc Huyện ủy,", "- Các cơ quan, ban, ngành huyện,",
        "- BCĐ CVĐ các xã, thị trấn,", "- Thành viên BCĐ CVĐ huyện,", "- Lưu VT.",
    ]
    assert all(p.runs[0].font.size == Pt(12) for p in lines[1:])
    sig = [p for p in right.paragraphs if p.text]
    assert [p.text for p in sig] == ["PHÓ BÍ THƯ TT HUYỆN ỦY", "kiêm", "TRƯỞNG BAN", "Đinh Thị Mỹ Hảo"]
    assert sig[-1].runs[0].bold and not sig[0].runs[0].bold
    assert len(right.paragraphs) - len(sig) >= 4  # room for the signature


def test_page_setup_fonts_and_body_format_follow_the_rules(seed_docx):
    document = docx.Document(str(seed_docx))
    s = document.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert 20 <= round(s.top_margin.mm) <= 25 and 20 <= round(s.bottom_margin.mm) <= 25
    assert 30 <= round(s.left_margin.mm) <= 35 and 15 <= round(s.right_margin.mm) <= 20
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.find(f"{W}rPr/{W}rFonts")
    assert {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
    for p in body_paragraphs(seed_docx):
        fmt = p.style.paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
        assert Mm(10) <= fmt.first_line_indent <= Mm(12.7)
        assert fmt.space_after >= Pt(6)
        assert p.style.font.size == Pt(14)
    title = next(p for p in document.paragraphs if p.text == "THÔNG BÁO")
    assert title.runs[0].bold and title.runs[0].font.size == Pt(PARTY.title_pt)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_page_numbers_start_on_page_two(seed_docx):
    s = docx.Document(str(seed_docx)).sections[0]
    assert s.different_first_page_header_footer
    assert "PAGE" in s.header._element.xml
    assert s.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in s.first_page_header._element.xml


def test_rendering_twice_gives_identical_bytes(tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    api.render_file(SEED, a)
    api.render_file(SEED, b)
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_zip_times_and_properties_come_from_the_notice(seed_docx):
    with zipfile.ZipFile(seed_docx) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 7, 14, 0, 0, 0)}
    props = docx.Document(str(seed_docx)).core_properties
    assert props.created.date().isoformat() == "2023-07-14"
    assert props.modified == props.created
    assert props.identifier == "Số 103-TB/BCĐ"
    assert props.author == "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG"


HOSTILE = "{{ 7*7 }} {% if x %}y{% endif %} {_{ z }_} & <b>AT&amp;T</b> \"q\" 'a' _x_ %}"


def test_user_text_is_printed_literally_never_executed(write_source, tmp_path):
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    src = MINIMAL.replace("Báo cáo **trước ngày 31/7/2023.**", f'"{escaped}"')
    src = src.replace("subject: kết luận Hội nghị giao ban", f'subject: "{escaped}"')
    src = src.replace("  - UBND huyện\n  - Lưu VT", f'  - "{escaped}"\n  - Lưu VT')
    src = src.replace("name: Nguyễn Văn A", f'name: "{escaped}"')
    out = tmp_path / "x.docx"
    api.render_file(write_source(src), out)
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert f"- {HOSTILE}" in texts
    assert HOSTILE in texts  # the subject
    left, right = document.tables[-1].rows[0].cells
    assert f"- {HOSTILE}," in [p.text for p in left.paragraphs]
    assert HOSTILE in [p.text for p in right.paragraphs]
    assert "49" not in "".join(texts)


def test_forbidden_xml_characters_are_stripped_with_a_warning(write_source, tmp_path):
    src = MINIMAL.replace("Hội nghị kết luận", "Hội nghị\x01 kết\x0b luận")
    out, warnings = api.render_file(write_source(src), tmp_path / "x.docx")
    assert len(warnings) == 1 and "U+0001" in str(warnings[0]) and "U+000B" in str(warnings[0])
    assert ":8:" in str(warnings[0])  # the opening line
    assert "Hội nghị kết luận như sau:" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_escaped_control_characters_in_quoted_yaml_are_stripped_with_a_warning(write_source, tmp_path):
    src = MINIMAL.replace("subject: kết luận Hội nghị giao ban", 'subject: "kết luận\\x07 Hội nghị"')
    out, warnings = api.render_file(write_source(src), tmp_path / "x.docx")
    assert any("U+0007" in str(w) and "subject" in str(w) for w in warnings)
    assert "kết luận Hội nghị" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_vietnamese_text_is_stored_nfc(write_source, tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hảo")
    src = MINIMAL.replace("Nguyễn Văn A", decomposed)
    out, _ = api.render_file(write_source(src), tmp_path / "x.docx")
    names = [p.text for p in docx.Document(str(out)).tables[-1].rows[0].cells[1].paragraphs]
    assert "Nguyễn Thị Hảo" in names
    assert unicodedata.is_normalized("NFC", "".join(names))


def test_inline_conclusions_carry_their_text_on_the_heading_line(seed_docx):
    texts = [p.text for p in body_paragraphs(seed_docx)]
    assert any(t.startswith("5. Các tổ chức chính trị - xã hội huyện: Khẩn trương rà soát") for t in texts)


def test_closing_paragraphs_and_multi_line_issuer_render(write_source, tmp_path):
    src = MINIMAL.replace("issuing_body: BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG",
                          "issuing_body:\n  - BAN CHỈ ĐẠO\n  - CUỘC VẬN ĐỘNG")
    src += "closing: Thường trực Ban Chỉ đạo thông báo để các đơn vị biết, thực hiện.\n"
    out, _ = api.render_file(write_source(src), tmp_path / "x.docx")
    document = docx.Document(str(out))
    assert body_paragraphs(out)[-1].text.startswith("Thường trực Ban Chỉ đạo thông báo")
    left = [p.text for p in document.tables[0].rows[0].cells[0].paragraphs if p.text]
    assert left == ["BAN CHỈ ĐẠO", "CUỘC VẬN ĐỘNG", "*", "Số 07-TB/BCĐ"]
    assert "word/footnotes.xml" not in zipfile.ZipFile(out).namelist()


@pytest.mark.parametrize("day,expected", [
    ("2023-02-05", "ngày 05 tháng 02 năm 2023"),
    ("2023-12-25", "ngày 25 tháng 12 năm 2023"),
    ("2023-07-09", "ngày 09 tháng 7 năm 2023"),
])
def test_place_date_line_uses_leading_zeros_as_the_rules_say(write_source, tmp_path, day, expected):
    src = MINIMAL.replace("date: 2023-07-14", f"date: {day}").replace("31/7/2023", "31/12/2023")
    out, _ = api.render_file(write_source(src), tmp_path / "x.docx")
    right = docx.Document(str(out)).tables[0].rows[0].cells[1]
    assert f"Kon Rẫy, {expected}" in [p.text for p in right.paragraphs]


def test_committed_template_is_what_the_builder_makes():
    from generator.docx.template_builder import build

    committed = ROOT / "templates" / "party.docx"
    assert committed.read_bytes() == build(PARTY), (
        "templates/party.docx is stale: run python -m generator.docx.template_builder"
    )


def test_template_keeps_user_adjustable_styles():
    document = docx.Document(str(ROOT / "templates" / "party.docx"))
    names = {s.name for s in document.styles}
    assert {"TB Body", "TB Conclusion", "TB Task", "Footnote Text", "Footnote Reference"} <= names
    assert "{{ body }}" in [p.text for p in document.paragraphs]


def test_source_with_windows_line_endings_and_bom_renders(write_source, tmp_path):
    data = b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8")
    out, _ = api.render_file(write_source(data), tmp_path / "x.docx")
    assert Path(out).stat().st_size > 0


def test_template_saved_by_word_with_lower_case_style_names_works(tmp_path, write_source):
    """Word writes built-in style names in lower case ("footnote text")."""
    from generator import api as api_mod

    src = ROOT / "templates" / "party.docx"
    patched = tmp_path / "word-saved.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(patched, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="Footnote Text"', b'w:val="footnote text"').replace(
                    b'w:val="Footnote Reference"', b'w:val="footnote reference"')
            zout.writestr(item, data)
    text = MINIMAL.replace("Báo cáo **", "Báo cáo[^a] **") + "footnotes:\n  a: Chú thích.\n"
    out, _ = api_mod.render_file(write_source(text), tmp_path / "x.docx", template=patched)
    assert footnote_texts(out) == {"1": "(1) Chú thích."}


def test_output_carries_no_template_thumbnail(seed_docx):
    with zipfile.ZipFile(seed_docx) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]
        assert "thumbnail" not in z.read("_rels/.rels").decode()
