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
