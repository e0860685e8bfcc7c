"""Content lint: likely slips in a notice's text are warnings with their line, never errors."""

from __future__ import annotations

from click.testing import CliRunner

from generator import api
from generator.cli import main

from .conftest import MINIMAL, ROOT, SEED

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"
TASK = "      - Báo cáo **trước ngày 31/7/2023.**\n"


def _original_text() -> str:
    """The worked example with the slips of the original notice put back (see its header comment)."""
    text = SEED.read_text(encoding="utf-8")
    for fixed, original in (
        ('heading: "Đảng ủy, BCĐ Cuộc', 'heading: "Đảng ủy, BCD Cuộc'),
        ("đánh giá về BCĐ Cuộc", "đánh giá về BCD Cuộc"),
        ("Thường trực BCĐ Cuộc vận\n", "Thường trực BCD Cuộc vận\n"),
        ("về BCĐ Cuộc vận động huyện (qua", "về BCD Cuộc vận động huyện (qua"),
        ("kết quả thực hiện các nhiệm vụ", "kết quả thực hiện thực hiện các nhiệm vụ"),
    ):
        assert fixed in text, fixed
        text = text.replace(fixed, original, 1)
    return text


def _line_of(text: str, phrase: str) -> int:
    at = text.index(phrase, text.index("conclusions:"))  # the header comment quotes the slips too
    return text[:at].count("\n") + 1


def warnings_of(path) -> list[str]:
    return [str(w) for w in api.load_notice(path).warnings]


def test_the_examples_have_no_warnings():
    assert warnings_of(SEED) == []
    assert warnings_of(STATE_EXAMPLE) == []


def test_the_original_seed_text_shows_the_repeated_words_and_the_two_spellings(write_source):
    text = _original_text()
    path = write_source(text)
    assert warnings_of(path) == [
        f"{path}:{_line_of(text, 'thực hiện thực hiện')}: conclusions[3].tasks[1]: found 'thực hiện thực hiện' "
        "(a word repeated), expected the words once ('thực hiện')",
        f"{path}:{_line_of(text, 'BCD Cuộc')}: conclusions[1].heading: found 'BCD' (4 times) beside 'BCĐ' "
        "(6 times), expected one spelling of the abbreviation ('BCĐ')",
    ]


def test_repeat_across_a_line_break_names_the_line_where_it_starts(write_source):
    src = MINIMAL.replace(TASK, "      - >-\n        Báo cáo kết quả thực hiện\n        thực hiện nhiệm vụ.\n")
    path = write_source(src)
    assert warnings_of(path) == [f"{path}:13: conclusions[0].tasks[0]: found 'thực hiện thực hiện' (a word repeated), "
                                 "expected the words once ('thực hiện')"]


def test_deadline_before_the_notice_date_is_a_warning(write_source):
    path = write_source(MINIMAL.replace("31/7/2023", "10/7/2023"))
    loaded = api.load_notice(path)  # a warning, not an error: the notice still loads
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:12: conclusions[0].tasks[0]: found deadline 10/07/2023 ('trước ngày 10/7/2023'), expected a deadline "
        "on or after the notice date 14/07/2023"]


def test_recipient_list_without_the_file_copy_last_is_a_warning(write_source):
    path = write_source(MINIMAL.replace("  - UBND huyện\n  - Lưu VT\n", "  - Lưu VT\n  - UBND huyện\n"))
    assert warnings_of(path) == [f"{path}:15: recipients[1]: found 'UBND huyện' as the last recipient, expected the "
                                 "file copy last ('Lưu VT')"]


def test_abbreviation_in_the_body_code_counts(write_source):
    path = write_source(MINIMAL.replace("Hội nghị kết luận", "BCD kết luận"))
    assert warnings_of(path) == [f"{path}:8: opening: found 'BCD' (once) beside 'BCĐ' (once), expected one "
                                 "spelling of the abbreviation ('BCĐ')"]


def test_vietnamese_doublings_and_names_are_not_slips(write_source):
    text = ("Tại buổi giao ban Ban Chỉ đạo, người người, nhà nhà tham gia gia cố nhà ở; làm tốt, tốt hơn nữa; "
            "năm 2023 2023 là số")
    path = write_source(MINIMAL.replace('"Hội nghị kết luận như sau:"', f'"{text}"'))
    assert warnings_of(path) == []


def test_doubled_function_word_is_a_slip(write_source):
    path = write_source(MINIMAL.replace('"Hội nghị kết luận như sau:"', '"Hội nghị của của huyện kết luận:"'))
    assert warnings_of(path) == [f"{path}:8: opening: found 'của của' (a word repeated), expected the words once "
                                 "('của')"]


def test_validate_prints_lint_as_warnings_and_exits_0(write_source):
    path = write_source(MINIMAL.replace("31/7/2023", "10/7/2023"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}:12: conclusions[0].tasks[0]: found deadline 10/07/2023" in result.output
    assert f"{path}: OK (1 conclusion, 1 task)" in result.output


def test_lint_never_hides_a_real_error(write_source):
    path = write_source(MINIMAL.replace("31/7/2023", "10/7/2023").replace("date: 2023-07-14", "date: 2023-02-30"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "Warning:" not in result.output  # the source is invalid: no lint on a notice that does not exist
