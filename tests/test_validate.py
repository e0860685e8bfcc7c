"""Every bad source gives one clear line per problem: file, line, field, found, expected."""

from __future__ import annotations

import pytest

from generator import api
from generator.errors import SourceError

from .conftest import MINIMAL, SEED

TASK = "      - Báo cáo **trước ngày 31/7/2023.**\n"

CASES = {
    "missing number": (MINIMAL.replace("number: 7\n", ""),
                       [":1: number: found nothing (the field is missing), expected the notice number"]),
    "missing signer": (MINIMAL.replace("  name: Nguyễn Văn A\n", ""),
                       [":17: signature.name: found nothing (the field is missing), expected the signer's full name"]),
    "date that does not exist": (MINIMAL.replace("date: 2023-07-14", "date: 31/02/2023"),
                                 [":6: date: found '31/02/2023', expected a real date"]),
    "deadline in the text that is not a date": (MINIMAL.replace("31/7/2023", "31/02/2023"),
                                                [":12: conclusions[0].tasks[0]: found '31/02/2023', expected a real date"]),
    "month that does not exist": (MINIMAL.replace("trước ngày 31/7/2023.", "trong tháng 13/2023"),
                                  [":12: conclusions[0].tasks[0]: found 'tháng 13/2023', expected a real month"]),
    "footnote referenced, not defined": (MINIMAL.replace("Báo cáo", "Báo cáo[^1]"),
                                         [":12: conclusions[0].tasks[0]: found a reference to footnote [^1], expected a footnote '1'"]),
    "footnote defined, never referenced": (MINIMAL + "footnotes:\n  1: Chú thích.\n",
                                           [":20: footnotes.1: found footnote '1' that no text references"]),
    "empty conclusion": (MINIMAL.replace("    tasks:\n" + TASK, ""),
                         [":10: conclusions[0]: found a conclusion with no task, expected 'text:'"]),
    "empty task list": (MINIMAL.replace(TASK, ""),
                        [":11: conclusions[0].tasks: found an empty value, expected a list of tasks"]),
    "unknown key (typo)": (MINIMAL.replace("subject:", "subjet:"),
                           [":7: subjet: found unknown field 'subjet', expected a known field (did you mean 'subject'?)",
                            "subject: found nothing (the field is missing)"]),
    "unknown key in a task": (MINIMAL.replace(TASK, "      - text: Báo cáo\n        dealine: 2023-07-31\n"),
                              [":13: conclusions[0].tasks[0].dealine: found unknown field 'dealine', expected a known field (did you mean 'deadline'?)"]),
    "non-mapping top level": ("- a\n- b\n", [":1: (top level): found a list, expected a mapping of fields"]),
    "YAML syntax error": (MINIMAL.replace("place: Kon Rẫy", "place: [Kon Rẫy"),
                          [":6: found YAML syntax error ("]),
    "bold never closed": (MINIMAL.replace("31/7/2023.**", "31/7/2023."),
                          [":12: conclusions[0].tasks[0]: found '**' opened at character 9 and never closed"]),
    "field given twice": (MINIMAL + "number: 8\n",
                          [":19: number: found a second value for the same field, expected each field once (first on line 4)"]),
    "explicit deadline disagrees with the text": (
        MINIMAL.replace(TASK, "      - text: Báo cáo **trước ngày 31/7/2023.**\n        deadline: 2023-07-30\n"),
        [":12: conclusions[0].tasks[0].deadline: found 30/07/2023, expected the date the text gives in bold"]),
    "number that is not a number": (MINIMAL.replace("number: 7", "number: 103-TB"),
                                    [":4: number: found '103-TB', expected a whole number"]),
    "symbol with a slash": (MINIMAL.replace("body_code: BCĐ", "body_code: BCĐ/HU"),
                            [":3: body_code: found 'BCĐ/HU', expected an abbreviation without spaces"]),
    "empty recipient list": (MINIMAL.replace("  - UBND huyện\n  - Lưu VT\n", ""),
                             [":13: recipients: found an empty value, expected the recipient list (nơi nhận)"]),
    "signature as text": (MINIMAL.replace("  title: TRƯỞNG BAN\n  name: Nguyễn Văn A\n", "").replace("signature:", "signature: Nguyễn Văn A"),
                          [":16: signature: found 'Nguyễn Văn A', expected the signature block (a mapping of fields)"]),
    "unknown style": (MINIMAL.replace("style: party", "style: partie"),
                      [":1: style: found 'partie', expected one of: party"]),
    "YAML alias": (MINIMAL.replace("subject: kết luận Hội nghị giao ban", "subject: &s kết luận").replace(
        "  - UBND huyện\n  - Lưu VT", "  - *s\n  - Lưu VT"), [": recipients[0]: found a YAML alias"]),
    "empty file": ("", [":1: found an empty file"]),
    # Year 9999 passed and then broke render (a zip cannot date a file after 2107); year 1 printed "năm 1".
    "date in year 9999": (MINIMAL.replace("date: 2023-07-14", "date: 9999-12-01"),
                          [":6: date: found '9999-12-01', expected a notice date from year 1900 to 2099"]),
    "date in year 1": (MINIMAL.replace("date: 2023-07-14", "date: 0001-01-01"),
                       [":6: date: found '0001-01-01', expected a notice date from year 1900 to 2099"]),
    "footnote with no text": (MINIMAL.replace("Báo cáo", "Báo cáo[^1]") + "footnotes:\n  1:\n",
                              [":20: footnotes.1: found an empty value, expected the footnote's text"]),
    "task text with ': ' read as a field": (
        MINIMAL.replace(TASK, "      - Nhiệm vụ 1: rà soát và báo cáo.\n"),
        [":12: conclusions[0].tasks[0]: found text with ': ' after 'Nhiệm vụ 1', which YAML reads as a field name, "
         "expected the whole text in quotes"]),
    "subject with ': ' read as a field": (
        MINIMAL.replace("subject: kết luận Hội nghị giao ban", "subject: kết luận Hội nghị: giao ban"),
        [":7: found YAML syntax error (mapping values are not allowed here), expected valid YAML: text holding "
         "': ' goes in quotes"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_source_gives_one_line_per_problem(write_source, name):
    text, expected = CASES[name]
    path = write_source(text)
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    lines = str(info.value.format_message()).splitlines()
    assert len(lines) == len(expected), lines
    for line, want in zip(lines, expected):
        assert line.startswith(str(path)), line
        assert want in line, line


def test_file_that_is_not_utf8_names_the_line(write_source):
    path = write_source(MINIMAL.encode("cp1258", errors="replace"))
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    message = info.value.format_message()
    assert message.startswith(f"{path}:2: found byte 0x")
    assert "expected a file saved as UTF-8" in message


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        api.load_notice(tmp_path / "nope.yaml")


def test_all_problems_are_reported_at_once(write_source):
    text = MINIMAL.replace("number: 7\n", "").replace("date: 2023-07-14", "date: 2023-02-30")
    with pytest.raises(SourceError) as info:
        api.load_notice(write_source(text))
    assert len(info.value.problems) == 2


def test_seed_is_valid_and_its_deadlines_are_data():
    notice = api.load_notice(SEED).notice
    by_conclusion = {c.number: [t.deadline and t.deadline.isoformat() for t in c.tasks] for c in notice.conclusions}
    assert by_conclusion == {
        1: [None, None, "2023-07-31", "2023-07-20"],
        2: [None, "2023-07-31", None],
        3: [None, None],
        4: ["2023-08-31", None, "2023-09-07", None],
        5: ["2023-07-31"],
        6: [None],
    }
    task = notice.conclusions[3].tasks[2]
    assert task.deadline_text == "trước ngày 07/9/2023"
    assert task.report_to == "Ủy ban MTTQ Việt Nam huyện"
    assert notice.conclusions[0].units == (
        "Các TCCS Đảng", "Các cơ quan, ban, ngành cấp huyện", "Ban Chỉ đạo Cuộc vận động các xã, thị trấn",
    )


def test_explicit_deadline_without_bold_text_is_kept(write_source):
    text = MINIMAL.replace(TASK, "      - text: Báo cáo định kỳ.\n        deadline: 5/8/2023\n        report_to: Văn phòng\n")
    task = api.load_notice(write_source(text)).notice.conclusions[0].tasks[0]
    assert task.deadline.isoformat() == "2023-08-05" and task.report_to == "Văn phòng"


def test_heading_defaults_to_the_units_addressed(write_source):
    text = MINIMAL.replace("  - to: UBND huyện", "  - to: [UBND huyện, Phòng Dân tộc]")
    conclusion = api.load_notice(write_source(text)).notice.conclusions[0]
    assert conclusion.heading.plain == "UBND huyện và Phòng Dân tộc:"


def test_yes_no_and_numbers_stay_text(write_source):
    text = MINIMAL.replace("  - UBND huyện\n", "  - yes\n  - 2023\n")
    assert api.load_notice(write_source(text)).notice.recipients[:2] == ("yes", "2023")


@pytest.mark.parametrize("broken,said", [
    ("place: [Kon Rẫy", "cần ',' hoặc ']' nhưng gặp '<cuối tệp>'"),
    ("place: \"Kon Rẫy", "tệp kết thúc giữa chừng (còn dấu ngoặc chưa đóng)"),
    ("place: \"Kon \\q Rẫy\"", "ký tự thoát 'q' không hợp lệ trong ngoặc kép"),
])
def test_yaml_syntax_errors_are_said_in_vietnamese(write_source, broken, said):
    # PyYAML's own words were printed in English inside the Vietnamese line.
    from click.testing import CliRunner

    from generator.cli import main

    path = write_source(MINIMAL.replace("place: Kon Rẫy", broken).split(broken)[0] + broken + "\n")
    result = CliRunner().invoke(main, ["validate", str(path)], env={"THONGBAO_LANG": "vi"})
    assert result.exit_code == 1
    line, = result.output.splitlines()
    assert line.startswith(f"Lỗi: {path}:") and f"gặp lỗi cú pháp YAML ({said}), cần YAML hợp lệ" in line
    english = CliRunner().invoke(main, ["validate", str(path)])
    assert "found YAML syntax error (" in english.output and "Lỗi" not in english.output


def test_a_huge_value_is_quoted_short_in_its_error(write_source):
    # The whole 100 KB value was printed in the line.
    path = write_source(MINIMAL.replace("style: party", "style: " + "dài " * 25_000))
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    line, = info.value.format_message().splitlines()
    assert line.startswith(f"{path}:1: style: found 'dài dài") and line.endswith("dài', expected one of: party, state")
    assert "..." in line and len(line) < len(str(path)) + 220
