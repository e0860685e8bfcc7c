"""Issue 8 §1: parts, assessment items, sub-items, "+" details, numbering and item marks.

Each test renders a source, reopens the .docx and checks the printed text, its
marks and its styles; or checks the one-line error a bad source gives.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from generator import api
from generator.errors import SourceError

from .conftest import MINIMAL, ROOT, W, part_xml

DATA = ROOT / "tests" / "data" / "structure"
STRUCTURED = DATA / "12-TB-VP.yaml"

# What the structure source prints, paragraph by paragraph, with each paragraph's style.
STRUCTURED_BODY = [
    ("TB Body", "Ngày 01/3/2024, Chủ tịch UBND tỉnh chủ trì cuộc họp giao ban. Chủ tịch UBND tỉnh kết luận như sau:"),
    ("TB Part", "I. ĐÁNH GIÁ CHUNG"),
    ("TB Body", "Thời gian qua, các sở, ngành đã triển khai tích cực các nhiệm vụ được giao(1)."),
    ("TB Conclusion", "1. Tồn tại: Một số nhiệm vụ chậm so với trước ngày 31/12/2023."),
    ("TB Task", "- Giải ngân vốn đầu tư công còn thấp."),
    ("TB Task", "- Sở Xây dựng chưa thẩm định kịp thời hồ sơ."),
    ("TB Part", "II. NHIỆM VỤ THỜI GIAN TỚI"),
    ("TB Conclusion", "1. Về công tác chung:"),
    ("TB Body", "Năm 2024 là năm có ý nghĩa quan trọng."),
    ("TB Conclusion", "2. Sở Tài chính: Tham mưu phân bổ vốn trước ngày 31/3/2024."),
    ("TB Task", "- Theo dõi tình hình thu ngân sách."),
    ("TB Point", "a) Rà soát nguồn vốn(1)."),
    ("TB Task", "- Báo cáo UBND tỉnh."),
    ("TB Detail", "+ Danh mục dự án trước ngày 15/3/2024."),
    ("TB Detail", "+ Nguồn vốn đối ứng."),
    ("TB Task", "- Tổng hợp ý kiến các sở."),
    ("TB Point", "b) Sở Xây dựng: Thẩm định thiết kế trước ngày 20/3/2024."),
    ("TB Conclusion", "3. Sở Tài chính và Sở Xây dựng phối hợp:"),
    ("TB Point", "a) Về vốn: Thống nhất danh mục."),
    ("TB Point", "b) Sở Nông nghiệp và Phát triển nông thôn: Hướng dẫn hồ sơ."),
    ("TB Part", "III. TỔ CHỨC THỰC HIỆN"),
    ("TB Conclusion", "Các đơn vị báo cáo kết quả trong tháng 4/2024."),
]


def styled_body(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph written with a TB style."""
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs
            if p.style.name.startswith("TB ") and p.text.strip()]


@pytest.fixture(scope="module")
def structured_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("structure") / "12.docx"
    api.render_file(STRUCTURED, out)
    return out


def errors_of(path: Path) -> list[str]:
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    return [str(p) for p in info.value.problems]


# --- printing ---------------------------------------------------------------

def test_parts_items_sub_items_and_details_print_with_their_marks_and_styles(structured_docx):
    assert styled_body(structured_docx) == STRUCTURED_BODY


def test_part_heading_style_is_bold_and_kept_with_the_next_paragraph(structured_docx):
    styles = docx.Document(str(structured_docx)).styles
    part = styles["TB Part"]
    assert part.font.bold is True
    assert part.paragraph_format.keep_with_next is True
    # The sub-item and "+" styles look like the item and task ones: same indent and size.
    for new, like in (("TB Point", "TB Conclusion"), ("TB Detail", "TB Task")):
        assert styles[new].paragraph_format.first_line_indent == styles[like].paragraph_format.first_line_indent
        assert styles[new].font.size == styles[like].font.size
        assert styles[new].font.bold is None


def test_deadlines_stay_bold_in_sub_items_and_details(structured_docx):
    paras = {p.text: p for p in docx.Document(str(structured_docx)).paragraphs}
    detail = paras["+ Danh mục dự án trước ngày 15/3/2024."]
    assert [r.text for r in detail.runs if r.bold] == ["trước ngày 15/3/2024"]
    point = paras["b) Sở Xây dựng: Thẩm định thiết kế trước ngày 20/3/2024."]
    assert [r.text for r in point.runs if r.bold] == ["trước ngày 20/3/2024"]


def test_item_mark_dash_prints_1_dash(write_source, tmp_path):
    text = MINIMAL.replace("conclusions:", 'item_mark: "-"\nconclusions:')
    text = text.replace("      - Báo cáo **trước ngày 31/7/2023.**\n",
                        "      - Báo cáo **trước ngày 31/7/2023.**\n  - to: UBND huyện\n    text: Rà soát.\n")
    out, _ = api.render_file(write_source(text), tmp_path / "x.docx")
    assert [t for s, t in styled_body(out) if s == "TB Conclusion"] == ["1- UBND huyện:", "2- UBND huyện: Rà soát."]


def test_numbering_none_prints_the_only_conclusion_without_a_number(write_source, tmp_path):
    text = MINIMAL.replace("conclusions:", "numbering: none\nconclusions:")
    out, _ = api.render_file(write_source(text), tmp_path / "x.docx")
    assert styled_body(out)[1:] == [("TB Conclusion", "UBND huyện:"), ("TB Task", "- Báo cáo trước ngày 31/7/2023.")]


def test_existing_flat_source_prints_as_before(write_source, tmp_path):
    out, _ = api.render_file(write_source(MINIMAL), tmp_path / "x.docx")
    assert styled_body(out) == [("TB Body", "Hội nghị kết luận như sau:"), ("TB Conclusion", "1. UBND huyện:"),
                                ("TB Task", "- Báo cáo trước ngày 31/7/2023.")]


def test_template_without_the_new_styles_falls_back_to_conclusion_and_task(tmp_path, structured_docx):
    """A clerk's own template made before TB Part/TB Point/TB Detail keeps working."""
    src = ROOT / "templates" / "state.docx"
    old = tmp_path / "old-template.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(old, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/styles.xml":
                from lxml import etree
                root = etree.fromstring(data)
                for style in list(root.iter(f"{W}style")):
                    name = style.find(f"{W}name")
                    if name is not None and name.get(f"{W}val") in ("TB Part", "TB Point", "TB Detail"):
                        root.remove(style)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    out, _ = api.render_file(STRUCTURED, tmp_path / "x.docx", template=old)
    fallback = {"TB Part": "TB Conclusion", "TB Point": "TB Conclusion", "TB Detail": "TB Task"}
    assert styled_body(out) == [(fallback.get(s, s), t) for s, t in STRUCTURED_BODY]
    headings = [p for p in docx.Document(str(out)).paragraphs if p.text == "II. NHIỆM VỤ THỜI GIAN TỚI"]
    assert all(r.bold for r in headings[0].runs)  # the heading keeps its bold in its runs


# --- model ------------------------------------------------------------------

def test_units_are_inherited_and_assessment_items_hold_no_task():
    notice = api.load_notice(STRUCTURED).notice
    assert [p.heading.plain for p in notice.parts] == ["ĐÁNH GIÁ CHUNG", "NHIỆM VỤ THỜI GIAN TỚI", "TỔ CHỨC THỰC HIỆN"]
    assert [c.path for c in notice.conclusions] == ["I.1", "II.1", "II.2", "II.3", "III.1"]
    assessment, general, finance, joint, closing = notice.conclusions
    assert assessment.units == () and assessment.tasks == () and assessment.all_tasks == ()
    assert [b.plain for b in assessment.bullets] == ["Giải ngân vốn đầu tư công còn thấp.",
                                                    "Sở Xây dựng chưa thẩm định kịp thời hồ sơ."]
    assert general.units == () and general.all_tasks == ()
    assert finance.units == ("Sở Tài chính",)
    assert [p.units for p in finance.points] == [("Sở Tài chính",), ("Sở Xây dựng",)]
    assert [p.units for p in joint.points] == [("Sở Tài chính", "Sở Xây dựng"), ("Sở Nông nghiệp và Phát triển nông thôn",)]
    assert closing.units == ("Sở Tài chính", "Sở Xây dựng") and not closing.numbered
    assert notice.parts[2].units == ("Sở Tài chính", "Sở Xây dựng")


def test_task_refs_count_own_tasks_then_sub_items():
    notice = api.load_notice(STRUCTURED).notice
    finance = notice.conclusions[2]
    assert [t.ref for t in finance.all_tasks] == ["1", "2", "a", "a.1", "a.2", "b"]
    assert [(c.path, t.ref) for c, t in notice.tasks][-3:] == [("II.3", "a"), ("II.3", "b"), ("III.1", "1")]
    assert len(notice.tasks) == 9


def test_a_task_takes_its_deadline_from_its_details_when_its_text_has_none():
    notice = api.load_notice(STRUCTURED).notice
    report = notice.conclusions[2].points[0].tasks[0]
    assert report.text.plain == "Báo cáo UBND tỉnh."
    assert [d.plain for d in report.details] == ["Danh mục dự án trước ngày 15/3/2024.", "Nguồn vốn đối ứng."]
    assert str(report.deadline) == "2024-03-15" and report.deadline_text == "trước ngày 15/3/2024"


def test_bold_deadline_in_an_assessment_is_just_bold():
    notice = api.load_notice(STRUCTURED).notice
    assert notice.conclusions[0].text.plain == "Một số nhiệm vụ chậm so với trước ngày 31/12/2023."
    assert all(t.deadline is None or t.deadline.year == 2024 for _, t in notice.tasks)


def test_every_structure_source_validates_with_counts(tmp_path):
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["validate", str(STRUCTURED)])
    assert result.exit_code == 0, result.output
    assert f"{STRUCTURED}: OK (3 parts, 5 conclusions, 9 tasks)" in result.output


# --- errors -----------------------------------------------------------------

ITEM = "  - to: UBND huyện\n    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n"
BAD = {
    "both conclusions and parts": (
        MINIMAL.replace("recipients:", "parts:\n  - heading: PHẦN MỘT\n    paragraphs: Đoạn.\nrecipients:"),
        [":14: parts: found both 'conclusions:' and 'parts:', expected one of them"]),
    "neither conclusions nor parts": (
        MINIMAL.replace("conclusions:\n" + ITEM, ""),
        [":1: conclusions: found nothing (the field is missing), expected a list of conclusions (or 'parts:'"]),
    "deadline in an assessment": (
        MINIMAL.replace(ITEM, "  - heading: Đánh giá\n    tasks:\n      - text: Đã làm tốt.\n        deadline: 2023-07-31\n"),
        [":13: conclusions[0].tasks[0].deadline: found a deadline in text that addresses no unit (an assessment), "
         "expected a deadline needs a unit: add 'to:'"]),
    "deadline beside an assessment item's text": (
        MINIMAL.replace(ITEM, "  - text: Đã làm tốt.\n    deadline: 2023-07-31\n"),
        [":11: conclusions[0].deadline: found a deadline in text that addresses no unit"]),
    "part heading not in upper case": (
        MINIMAL.replace("conclusions:\n" + ITEM, "parts:\n  - heading: Đánh giá chung\n    paragraphs: Đoạn.\n"),
        [":10: parts[0].heading: found 'Đánh giá chung', expected upper case, as the part heading prints it "
         "('ĐÁNH GIÁ CHUNG')"]),
    "part with nothing to print": (
        MINIMAL.replace("conclusions:\n" + ITEM, "parts:\n  - heading: ĐÁNH GIÁ CHUNG\n"),
        [":10: parts[0]: found a part with nothing to print, expected 'paragraphs:'"]),
    "unknown field names the new ones": (
        MINIMAL.replace("    tasks:", "    itmes: []\n    tasks:"),
        [":11: conclusions[0].itmes: found unknown field 'itmes', expected a known field (did you mean 'items'?)"]),
    "unknown field in a part lists the part's fields": (
        MINIMAL.replace("conclusions:\n" + ITEM, "parts:\n  - heading: ĐÁNH GIÁ\n    paragraphs: Đoạn.\n    xyz: 1\n"),
        [":12: parts[0].xyz: found unknown field 'xyz', expected one of heading, to, numbering, paragraphs, conclusions"]),
    "sub-item with nothing to print": (
        MINIMAL.replace("    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n",
                        "    text: Làm.\n    items:\n      - heading: Về vốn\n"),
        [":13: conclusions[0].items[0]: found a sub-item with nothing to print"]),
    "numbered item with nothing on its line": (
        MINIMAL.replace(ITEM, "  - paragraphs: Đoạn.\n"),
        [":10: conclusions[0]: found an item with nothing on its number's line, expected 'heading:' or 'text:'"]),
    "deadline without text": (
        MINIMAL.replace("    tasks:", "    deadline: 2023-07-31\n    tasks:"),
        [":11: conclusions[0].deadline: found 'deadline:' without 'text:'"]),
    "item mark not known": (
        MINIMAL.replace("conclusions:", "item_mark: ')'\nconclusions:"),
        [":9: item_mark: found ')', expected '.' or '-'"]),
    "numbering not known": (
        MINIMAL.replace("conclusions:", "numbering: roman\nconclusions:"),
        [":9: numbering: found 'roman', expected 'arabic' (1., 2., the default) or 'none'"]),
    "sub-item addressed to units with no task": (
        MINIMAL.replace("    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n",
                        "    text: Làm.\n    items:\n      - to: UBND huyện\n        paragraphs: Đoạn.\n"),
        [":13: conclusions[0].items[0].to: found a sub-item addressed to units with no task"]),
    "too many sub-items": (
        MINIMAL.replace("    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n",
                        "    text: Làm.\n    items:\n" + "      - text: Việc.\n" * 24),
        [":13: conclusions[0].items: found 24 sub-items, expected at most 23 (a) to y))"]),
    "details that are not a list": (
        MINIMAL.replace("      - Báo cáo **trước ngày 31/7/2023.**\n",
                        "      - text: Báo cáo.\n        details:\n          x: y\n"),
        [":14: conclusions[0].tasks[0].details: found a mapping, expected a list of '+' lines"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_structure_gives_one_line_with_line_and_field(case, write_source):
    text, expected = BAD[case]
    path = write_source(text)
    found = errors_of(path)
    assert len(found) == len(expected), found
    for line, want in zip(found, expected):
        assert line.startswith(f"{path}{want}"), (line, want)


# --- a footnote cited twice -----------------------------------------------------

def test_a_footnote_cited_twice_has_one_reference_and_a_noteref_field(structured_docx):
    document = part_xml(structured_docx, "word/document.xml")
    refs = list(document.iter(f"{W}footnoteReference"))
    assert [r.get(f"{W}id") for r in refs] == ["1"]
    # Word's form: a bookmark around the first mark ...
    start = refs[0].getparent().getprevious()
    end = refs[0].getparent().getnext()
    assert start.tag == f"{W}bookmarkStart" and end.tag == f"{W}bookmarkEnd"
    assert start.get(f"{W}id") == end.get(f"{W}id")
    name = start.get(f"{W}name")
    assert name.startswith("_Ref")
    # ... and a NOTEREF field to it at the later citation, showing the same mark in the mark's style.
    instr = [t.text for t in document.iter(f"{W}instrText")]
    assert instr == [f" NOTEREF {name} \\f \\h "]
    para = next(p for p in document.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith("a) Rà soát"))
    kinds = [c.get(f"{W}fldCharType") for c in para.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    shown = [r for r in para.iter(f"{W}r") if r.find(f"{W}t") is not None and r.find(f"{W}t").text == "(1)"]
    assert len(shown) == 1
    assert shown[0].find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "FootnoteReference"
    notes = part_xml(structured_docx, "word/footnotes.xml")
    assert len([n for n in notes.iter(f"{W}footnote") if not n.get(f"{W}type")]) == 1


def test_a_footnote_cited_once_has_no_bookmark_or_field(write_source, tmp_path):
    text = MINIMAL.replace("Báo cáo **", "Báo cáo[^a] **") + "footnotes:\n  a: Chú thích.\n"
    out, _ = api.render_file(write_source(text), tmp_path / "x.docx")
    document = part_xml(out, "word/document.xml")
    assert not list(document.iter(f"{W}bookmarkStart")) and not list(document.iter(f"{W}instrText"))


def test_check_accepts_the_cross_reference_and_still_rejects_a_typed_mark(structured_docx, tmp_path):
    from generator.check import check_file

    assert check_file(structured_docx).findings == []
    # The same "(1)" typed as superscript text, without the field, is still a fake mark.
    fake = tmp_path / "fake.docx"
    with zipfile.ZipFile(structured_docx) as zin, zipfile.ZipFile(fake, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"NOTEREF", b"PAGEREF")
            zout.writestr(item, data)
    assert any("'(1)' typed as text" in str(p) for p in check_file(fake).findings)


# --- extracts, tasks and their references -------------------------------------------

@pytest.fixture(scope="module")
def structured_sent(tmp_path_factory):
    from generator.distribute import write_extracts

    out = tmp_path_factory.mktemp("structure-extracts")
    return out, write_extracts(STRUCTURED, out)


def test_assessment_items_give_no_assignment(structured_sent):
    _, sent = structured_sent
    refs = [(a.unit.id, a.conclusion, a.task) for a in sent.assignments]
    assert refs == [
        ("stc", "II.2", "1"), ("stc", "II.2", "2"), ("stc", "II.2", "a"), ("stc", "II.2", "a.1"),
        ("stc", "II.2", "a.2"), ("stc", "II.3", "a"), ("stc", "III.1", "1"),
        ("sxd", "II.2", "b"), ("sxd", "II.3", "a"), ("sxd", "III.1", "1"),
        ("snn", "II.3", "b"),
    ]
    assert sent.assignments[3].ref == "12/TB-VP II.2.a.1"
    assert str(sent.assignments[3].deadline) == "2024-03-15"


def test_tasks_csv_carries_the_string_references(structured_sent):
    import csv
    import io

    out, _ = structured_sent
    rows = list(csv.DictReader(io.StringIO((out / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["unit_id"], r["conclusion"], r["task"]) for r in rows][:4] == [
        ("stc", "II.2", "1"), ("stc", "II.2", "2"), ("stc", "II.2", "a"), ("stc", "II.2", "a.1")]


def test_extract_keeps_part_headings_numbers_and_only_the_units_sub_items(structured_sent):
    out, _ = structured_sent
    assert styled_body(out / "12-tb-vp_snn.docx") == [   # a trích sao: no "Trích gửi" line
        ("TB Body", STRUCTURED_BODY[0][1]),
        ("TB Part", "II. NHIỆM VỤ THỜI GIAN TỚI"),
        ("TB Conclusion", "3. Sở Tài chính và Sở Xây dựng phối hợp:"),
        ("TB Point", "b) Sở Nông nghiệp và Phát triển nông thôn: Hướng dẫn hồ sơ."),
    ]


def test_extract_holds_an_assessment_only_where_it_names_the_unit(structured_sent):
    out, _ = structured_sent
    sxd = styled_body(out / "12-tb-vp_sxd.docx")
    assert sxd[1:] == [   # after the opening (a trích sao has no "Trích gửi" line)
        ("TB Part", "I. ĐÁNH GIÁ CHUNG"),
        ("TB Conclusion", "1. Tồn tại: Một số nhiệm vụ chậm so với trước ngày 31/12/2023."),
        ("TB Task", "- Giải ngân vốn đầu tư công còn thấp."),
        ("TB Task", "- Sở Xây dựng chưa thẩm định kịp thời hồ sơ."),
        ("TB Part", "II. NHIỆM VỤ THỜI GIAN TỚI"),
        ("TB Conclusion", "2. Sở Tài chính:"),       # the item's own task is Sở Tài chính's
        ("TB Point", "b) Sở Xây dựng: Thẩm định thiết kế trước ngày 20/3/2024."),
        ("TB Conclusion", "3. Sở Tài chính và Sở Xây dựng phối hợp:"),
        ("TB Point", "a) Về vốn: Thống nhất danh mục."),
        ("TB Part", "III. TỔ CHỨC THỰC HIỆN"),
        ("TB Conclusion", "Các đơn vị báo cáo kết quả trong tháng 4/2024."),
    ]
    stc = [t for _, t in styled_body(out / "12-tb-vp_stc.docx")]
    assert "I. ĐÁNH GIÁ CHUNG" not in stc and not any("Giải ngân" in t for t in stc)
    assert "1. Về công tác chung:" not in stc   # an assessment item that names no unit
    assert "b) Sở Xây dựng: Thẩm định thiết kế trước ngày 20/3/2024." not in stc


def test_extract_whose_first_citation_is_left_out_cites_the_note_for_real(structured_sent):
    out, _ = structured_sent
    path = out / "12-tb-vp_stc.docx"
    document = part_xml(path, "word/document.xml")
    refs = list(document.iter(f"{W}footnoteReference"))
    assert [r.get(f"{W}id") for r in refs] == ["1"]
    assert refs[0].getparent().find(f"{W}t").text == "(1)"
    assert not list(document.iter(f"{W}instrText"))
    assert "a) Rà soát nguồn vốn(1)." in [t for _, t in styled_body(path)]


def test_every_structure_output_passes_check(structured_sent, structured_docx):
    from generator.check import check_file

    out, sent = structured_sent
    for path in [structured_docx, *(out / e.filename for e in sent.extracts)]:
        assert check_file(path).findings == [], path


@pytest.fixture
def structured_folder(tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "units.yaml").write_bytes((DATA / "units.yaml").read_bytes())
    (folder / "12-TB-VP.yaml").write_bytes(STRUCTURED.read_bytes())
    return folder


def cli(*args: str):
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("task,recorded", [
    ("II.2", ["II.2.1", "II.2.2", "II.2.a", "II.2.a.1", "II.2.a.2"]),
    ("II.2.a", ["II.2.a", "II.2.a.1", "II.2.a.2"]),
    ("II.2.a.1", ["II.2.a.1"]),
    ("ii.2.2", ["II.2.2"]),
    ("III.1", ["III.1.1"]),
])
def test_tasks_done_takes_items_sub_items_and_their_tasks(structured_folder, task, recorded):
    result = cli("tasks", "--notices", str(structured_folder), "done", "--notice", "12",
                 "--unit", "stc", "--task", task, "--on", "2024-03-10")
    assert result.exit_code == 0, result.output
    assert [line.split()[3] for line in result.output.splitlines() if line.startswith("recorded:")] == recorded
    rows = (structured_folder / "received.csv").read_text(encoding="utf-8").splitlines()
    # received.csv: the item path and the task within it, as strings.
    first = recorded[0].split(".")
    item = ".".join(first[:2])
    assert rows[1] == f"12/TB-VP,{item},{'.'.join(first[2:])},stc,2024-03-10,"


@pytest.mark.parametrize("task,message", [
    ("II.9", "--task: found II.9, which 12/TB-VP does not give to Sở Tài chính"),
    ("I.1", "--task: found I.1, which 12/TB-VP does not give to Sở Tài chính"),   # an assessment
    ("II.2.b", "--task: found II.2.b, which 12/TB-VP does not give to Sở Tài chính"),  # Sở Xây dựng's
    ("II.2.f", "--task: found 'II.2.f', expected a conclusion and task number such as 4.3, or 4"),
    ("2.a.b", "--task: found '2.a.b', expected"),
])
def test_tasks_done_refuses_what_the_unit_does_not_owe(structured_folder, task, message):
    result = cli("tasks", "--notices", str(structured_folder), "done", "--notice", "12/TB-VP",
                 "--unit", "stc", "--task", task)
    assert result.exit_code == 1
    assert message in result.output


def test_tasks_done_reads_flat_sub_item_references(write_source, tmp_path):
    from generator.tracking import parse_task_ref

    assert parse_task_ref("4") == ("4", "") and parse_task_ref("4.3") == ("4", "3")
    assert parse_task_ref("2.a") == ("2", "a") and parse_task_ref("2.a.1") == ("2", "a.1")
    assert parse_task_ref("II.3") == ("II.3", "") and parse_task_ref("II.3.đ.2") == ("II.3", "đ.2")
    assert parse_task_ref("x") is None and parse_task_ref("4.3.2") is None
    folder = tmp_path / "flat"
    folder.mkdir()
    (folder / "units.yaml").write_text("units:\n  - {id: ubnd, name: UBND huyện}\n", encoding="utf-8")
    text = MINIMAL.replace("    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n",
                           "    text: Chỉ đạo.\n    items:\n      - text: Rà soát.\n        tasks: [Báo cáo., Tổng hợp.]\n"
                           "      - text: Kiểm tra.\n")
    (folder / "7.yaml").write_text(text, encoding="utf-8")
    result = cli("tasks", "--notices", str(folder), "done", "--notice", "7", "--unit", "ubnd", "--task", "1.a",
                 "--on", "2023-07-20")
    assert result.exit_code == 0, result.output
    assert [line.split()[3] for line in result.output.splitlines() if line.startswith("recorded:")] == [
        "1.a", "1.a.1", "1.a.2"]
    listing = cli("tasks", "--notices", str(folder), "--on", "2023-07-20")
    assert [line.split()[0] for line in listing.output.splitlines()[1:-1]] == ["07-TB/BCĐ"] * 5
    assert [line.split()[1] for line in listing.output.splitlines()[1:-1]] == ["1.1", "1.a", "1.a.1", "1.a.2", "1.b"]


def test_old_received_csv_with_numbers_reads_the_same(tmp_path):
    from generator.tracking import load_folder, select

    folder = tmp_path / "notices"
    (folder / "2023").mkdir(parents=True)
    (folder / "units.yaml").write_bytes((ROOT / "notices" / "units.yaml").read_bytes())
    (folder / "2023" / "103.yaml").write_bytes((ROOT / "notices" / "2023" / "103-TB-BCD.yaml").read_bytes())
    (folder / "received.csv").write_text(
        "notice,conclusion,task,unit_id,received_on,note\n103-TB/BCĐ,4,3,ubnd-huyen,2023-07-19,\n"
        "103-TB/BCĐ,04,01,ubnd-huyen,2023-07-20,số 0\n", encoding="utf-8")
    rows = select(load_folder(folder), unit="ubnd-huyen")
    received = {(r.assignment.conclusion, r.assignment.task): r.received.received_on.isoformat()
                for r in rows if r.received}
    assert received == {("4", "3"): "2023-07-19", ("4", "1"): "2023-07-20"}


def test_tasks_over_a_folder_whose_notices_keep_their_own_units(tmp_path):
    folder = tmp_path / "notices"
    for name, source, units in (("vp", STRUCTURED, DATA / "units.yaml"),
                                ("bcd", ROOT / "notices" / "2023" / "103-TB-BCD.yaml", ROOT / "notices" / "units.yaml")):
        (folder / name).mkdir(parents=True)
        (folder / name / source.name).write_bytes(source.read_bytes())
        (folder / name / "units.yaml").write_bytes(units.read_bytes())
    result = cli("tasks", "--notices", str(folder), "--on", "2024-01-01")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "165 tasks, 28 units"
    one = cli("tasks", "--notices", str(folder), "--unit", "Sở Xây dựng", "--on", "2024-01-01")
    assert one.output.splitlines()[-1] == "3 tasks, 1 unit"


# --- units and lint read the new shapes ----------------------------------------------

EARLY = """\
style: state
issuing_body: VĂN PHÒNG
body_code: VP
number: 3
place: Kon Tum
date: 2024-03-05
subject: kết luận
opening: "Kết luận như sau:"
parts:
  - heading: NHIỆM VỤ
    to: UBND huyện
    conclusions:
      - text: Làm việc **trước ngày 01/3/2024**.
        items:
          - text: Rà soát **trước ngày 02/3/2024**.
          - to: UBND huyen
            text: Kiểm tra.
recipients:
  - UBND huyện
  - "Lưu: VT"
signature:
  title: CHÁNH VĂN PHÒNG
  name: Nguyễn Văn A
"""


def test_early_deadlines_are_found_in_parts_and_sub_items(write_source):
    path = write_source(EARLY)
    warnings = [str(w) for w in api.load_notice(path).warnings]
    assert warnings == [
        f"{path}:13: parts[0].conclusions[0].text: found deadline 01/03/2024 ('trước ngày 01/3/2024'), "
        "expected a deadline on or after the notice date 05/03/2024",
        f"{path}:15: parts[0].conclusions[0].items[0].text: found deadline 02/03/2024 ('trước ngày 02/3/2024'), "
        "expected a deadline on or after the notice date 05/03/2024",
    ]


def test_every_to_is_checked_against_the_units_directory(write_source, tmp_path):
    from generator.distribute import load_with_units

    (tmp_path / "units.yaml").write_text("units:\n  - {id: ubnd, name: UBND huyện}\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_with_units(write_source(EARLY))
    assert [str(p).split(": ", 1)[1] for p in info.value.problems] == [
        "parts[0].conclusions[0].items[1].to: found unknown unit 'UBND huyen', expected a unit or group of "
        f"{tmp_path / 'units.yaml'} (closest: 'UBND huyện')"]
    assert info.value.problems[0].line == 16


def test_body_footnotes_and_cross_reference_are_valid_for_word(structured_docx, structured_sent):
    """The Open XML SDK and the ISO schemas find nothing in the notice and extracts this module writes."""
    from .test_ooxml import ooxml_findings

    out, sent = structured_sent
    assert ooxml_findings([structured_docx, *(out / e.filename for e in sent.extracts)]) == []
