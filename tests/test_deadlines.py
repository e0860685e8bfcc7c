"""Deadlines as officials write them (issue 8 §2): each form, its date or kind, and its label."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from generator import markup
from generator.deadlines import Deadline, find, looks_like_deadline, read, unreported

NOTICE = dt.date(2023, 7, 14)  # a Friday
D = dt.date

# phrase -> (kind, date, label)
DATED = {
    "trước ngày 31/7/2023": ("day", D(2023, 7, 31), "31/07/2023"),
    "trước ngày 31/7/2023.": ("day", D(2023, 7, 31), "31/07/2023"),
    "trước 31/7/2023": ("day", D(2023, 7, 31), "31/07/2023"),
    "hoàn thành trước 31/12/2024": ("day", D(2024, 12, 31), "31/12/2024"),
    "xong trước 31/12/2024": ("day", D(2024, 12, 31), "31/12/2024"),
    "chậm nhất là ngày 05/08/2023": ("day", D(2023, 8, 5), "05/08/2023"),
    "muộn nhất ngày 07/9/2023": ("day", D(2023, 9, 7), "07/09/2023"),
    "đến hết ngày 15/8/2023": ("day", D(2023, 8, 15), "15/08/2023"),
    "trước ngày 5.8.2023": ("day", D(2023, 8, 5), "05/08/2023"),
    "trước ngày 5-8-2023": ("day", D(2023, 8, 5), "05/08/2023"),
    "ngày 20 tháng 4 năm 2022": ("day", D(2022, 4, 20), "20/04/2022"),
    "trước ngày 29/02/2024": ("day", D(2024, 2, 29), "29/02/2024"),
    "trước 17 giờ ngày 30/8/2021": ("day", D(2021, 8, 30), "17 giờ 30/08/2021"),
    "trước 17h00 ngày 30/8/2021": ("day", D(2021, 8, 30), "17 giờ 30/08/2021"),
    "trước 17 giờ 30 ngày 30/8/2021": ("day", D(2021, 8, 30), "17 giờ 30 phút 30/08/2021"),
    "trước 17h30 ngày 30/8/2021": ("day", D(2021, 8, 30), "17 giờ 30 phút 30/08/2021"),
    # no year: the notice's year (14/7/2023), the next if the day is already past
    "chậm nhất ngày 31/8": ("day", D(2023, 8, 31), "31/08/2023"),
    "chậm nhất ngày 30/6": ("day", D(2024, 6, 30), "30/06/2024"),
    "trước ngày 14/7": ("day", D(2023, 7, 14), "14/07/2023"),
    "ngày 20 tháng 9": ("day", D(2023, 9, 20), "20/09/2023"),
    "chậm nhất ngày 29/2": ("day", D(2024, 2, 29), "29/02/2024"),
    # months
    "trong tháng 4 năm 2022": ("month", D(2022, 4, 30), "tháng 4/2022"),
    "trong tháng 8/2023": ("month", D(2023, 8, 31), "tháng 8/2023"),
    "tháng 12/2023": ("month", D(2023, 12, 31), "tháng 12/2023"),
    "trong tháng 02/2024": ("month", D(2024, 2, 29), "tháng 2/2024"),
    "trong tháng 4": ("month", D(2024, 4, 30), "tháng 4/2024"),
    "trong tháng 7": ("month", D(2023, 7, 31), "tháng 7/2023"),
    "trước tháng 9/2023": ("day", D(2023, 8, 31), "31/08/2023"),
    "trong tháng": ("month", D(2023, 7, 31), "tháng 7/2023"),
    # quarters, halves, years
    "trong quý III/2024": ("quarter", D(2024, 9, 30), "quý III/2024"),
    "trong quý II năm 2022": ("quarter", D(2022, 6, 30), "quý II/2022"),
    "quý 4/2023": ("quarter", D(2023, 12, 31), "quý IV/2023"),
    "trong quý III": ("quarter", D(2023, 9, 30), "quý III/2023"),
    "trong quý I": ("quarter", D(2024, 3, 31), "quý I/2024"),
    "trước quý IV/2023": ("day", D(2023, 9, 30), "30/09/2023"),
    "6 tháng đầu năm 2024": ("half", D(2024, 6, 30), "6 tháng đầu năm 2024"),
    "trong 6 tháng cuối năm 2024": ("half", D(2024, 12, 31), "6 tháng cuối năm 2024"),
    "6 tháng cuối năm": ("half", D(2023, 12, 31), "6 tháng cuối năm 2023"),
    "trong năm 2024": ("year", D(2024, 12, 31), "năm 2024"),
    "trong năm": ("year", D(2023, 12, 31), "năm 2023"),
    "trước năm 2025": ("day", D(2024, 12, 31), "31/12/2024"),
    # spans from the notice date
    "trong tuần": ("day", D(2023, 7, 16), "16/07/2023"),
    "trong tuần tới": ("day", D(2023, 7, 23), "23/07/2023"),
    "trong 15 ngày": ("day", D(2023, 7, 29), "29/07/2023"),
    "trong thời hạn 10 ngày làm việc": ("day", D(2023, 7, 28), "28/07/2023"),
}

# phrase -> (every, day, month, label)
RECURRING = {
    "hằng ngày": ("day", None, None, "hằng ngày"),
    "hàng ngày": ("day", None, None, "hằng ngày"),
    "định kỳ hằng tuần": ("week", None, None, "hằng tuần"),
    "định kỳ hằng tuần (thứ Sáu)": ("week", 5, None, "hằng tuần, thứ Sáu"),
    "định kỳ hằng tháng (trước ngày 25)": ("month", 25, None, "hằng tháng, ngày 25"),
    "trước ngày 25 hàng tháng": ("month", 25, None, "hằng tháng, ngày 25"),
    "định kỳ hằng tháng": ("month", None, None, "hằng tháng"),
    "hằng quý": ("quarter", None, None, "hằng quý"),
    "trước ngày 07 của tháng cuối quý": ("quarter", 7, 3, "hằng quý, ngày 7 tháng cuối quý"),
    "hằng quý, trước ngày 10 tháng đầu quý": ("quarter", 10, 1, "hằng quý, ngày 10 tháng đầu quý"),
    "định kỳ 6 tháng (trước ngày 20)": ("half", 20, None, "định kỳ 6 tháng, ngày 20 tháng 6 và tháng 12"),
    "hằng năm (trước ngày 15/12)": ("year", 15, 12, "hằng năm, ngày 15/12"),
    "thường xuyên": ("continuous", None, None, "thường xuyên"),
}

EVENTS = ["trước Đại hội Đảng bộ xã", "trước khi khai giảng năm học mới", "trước Tết Nguyên đán 2024",
          "trước kỳ họp thứ 7 HĐND tỉnh"]

UNREADABLE = ["trước ngày 31/13/2023", "trong quý V/2024", "trước ngày 32/8", "chậm nhất ngày 30/2",
              "đầu năm 2024", "trước 25 giờ ngày 30/8/2021", "hằng tháng, ngày 40"]

NOT_DEADLINES = ["Ban Chỉ đạo", "trước mắt", "Trước tình hình đó", "Quyết định số 09/2019/NĐ-CP", "quý cơ quan", "UBND huyện"]


@pytest.mark.parametrize("phrase", list(DATED))
def test_reads_dated_forms(phrase):
    kind, date, label = DATED[phrase]
    d = read(phrase, NOTICE)
    assert d is not None
    assert (d.kind, d.date, d.label()) == (kind, date, label)
    assert d.text == phrase.rstrip(".")
    assert d.due_on(D(2030, 1, 1)) == date
    assert looks_like_deadline(phrase)


def test_keeps_the_hour():
    assert read("trước 17 giờ ngày 30/8/2021", NOTICE).time == dt.time(17, 0)
    assert read("trước 17 giờ 30 ngày 30/8/2021", NOTICE).time == dt.time(17, 30)
    assert read("trước 16h30 ngày 30/8/2021", NOTICE).time == dt.time(16, 30)
    assert read("trước ngày 30/8/2021", NOTICE).time is None


@pytest.mark.parametrize("phrase", list(RECURRING))
def test_reads_recurring_forms(phrase):
    every, day, month, label = RECURRING[phrase]
    d = read(phrase, NOTICE)
    assert d is not None
    assert (d.kind, d.date, d.every, d.day, d.month, d.label()) == ("recurring", None, every, day, month, label)


@pytest.mark.parametrize("phrase", EVENTS)
def test_reads_events_as_written(phrase):
    d = read(phrase, NOTICE)
    assert d is not None and (d.kind, d.date, d.label(), d.text) == ("event", None, phrase, phrase)
    assert d.due_on(NOTICE) is None


@pytest.mark.parametrize("phrase", UNREADABLE)
def test_unreadable_phrase_looks_like_a_deadline_but_reads_as_none(phrase):
    assert looks_like_deadline(phrase)
    assert read(phrase, NOTICE) is None


@pytest.mark.parametrize("phrase", NOT_DEADLINES)
def test_other_bold_text_is_no_deadline(phrase):
    assert not looks_like_deadline(phrase)
    assert read(phrase, NOTICE) is None


def test_reads_decomposed_unicode_and_capitals():
    phrase = unicodedata.normalize("NFD", "Trong Quý III/2024")
    d = read(phrase, NOTICE)
    assert d is not None and d.kind == "quarter" and d.date == D(2024, 9, 30)
    assert d.text == "Trong Quý III/2024"  # kept as written, in NFC


def test_monthly_due_day_is_the_latest_one_come():
    d = read("định kỳ hằng tháng (trước ngày 25)", NOTICE)
    assert d.due_on(D(2023, 7, 20)) == D(2023, 7, 25)  # the first after the notice (14/7)
    assert d.due_on(D(2023, 8, 24)) == D(2023, 7, 25)
    assert d.due_on(D(2023, 8, 25)) == D(2023, 8, 25)
    assert d.due_on(D(2023, 8, 26)) == D(2023, 8, 25)
    assert d.next_due(D(2023, 8, 25)) == D(2023, 9, 25)
    assert list(d.due_days(D(2023, 10, 1))) == [D(2023, 7, 25), D(2023, 8, 25), D(2023, 9, 25)]


def test_due_day_31_falls_on_the_month_end():
    d = read("hằng tháng, chậm nhất ngày 31", NOTICE)
    assert list(d.due_days(D(2023, 12, 1))) == [D(2023, 7, 31), D(2023, 8, 31), D(2023, 9, 30), D(2023, 10, 31),
                                               D(2023, 11, 30)]


def test_quarterly_weekly_and_yearly_due_days():
    quarter = read("trước ngày 07 của tháng cuối quý", NOTICE)
    assert list(quarter.due_days(D(2024, 4, 1))) == [D(2023, 9, 7), D(2023, 12, 7), D(2024, 3, 7)]
    week = read("hằng tuần (thứ Sáu)", NOTICE)
    assert list(week.due_days(D(2023, 7, 31))) == [D(2023, 7, 14), D(2023, 7, 21), D(2023, 7, 28)]
    assert week.due_on(D(2023, 7, 27)) == D(2023, 7, 21)
    year = read("hằng năm (trước ngày 15/12)", NOTICE)
    assert year.due_on(D(2025, 1, 10)) == D(2024, 12, 15)
    half = read("định kỳ 6 tháng (trước ngày 20)", NOTICE)
    assert list(half.due_days(D(2024, 7, 1))) == [D(2023, 12, 20), D(2024, 6, 20)]


def test_recurring_without_a_day_has_no_due_day():
    for phrase in ("thường xuyên", "hằng ngày", "hằng quý"):
        d = read(phrase, NOTICE)
        assert d.due_on(D(2024, 1, 1)) is None and not d.dated
        assert unreported(d, [], D(2024, 1, 1)) is None


def test_unreported_matches_reports_to_due_days_in_order():
    d = read("hằng tháng (trước ngày 25)", NOTICE)
    assert unreported(d, [], D(2023, 7, 24)) is None
    assert unreported(d, [], D(2023, 7, 26)) == D(2023, 7, 25)
    assert unreported(d, [D(2023, 7, 20)], D(2023, 8, 26)) == D(2023, 8, 25)
    # a late report clears the month it was late for, not the next one too
    assert unreported(d, [D(2023, 8, 2)], D(2023, 8, 24)) is None
    assert unreported(d, [D(2023, 8, 2)], D(2023, 8, 26)) == D(2023, 8, 25)
    # two reports in one month cover one month only
    assert unreported(d, [D(2023, 7, 20), D(2023, 7, 22)], D(2023, 8, 26)) == D(2023, 8, 25)
    assert unreported(d, [D(2023, 7, 20), D(2023, 8, 3), D(2023, 8, 30)], D(2023, 9, 30)) is None


def test_unreported_single_date():
    d = read("trước ngày 31/7/2023", NOTICE)
    assert unreported(d, [], D(2023, 7, 30)) is None
    assert unreported(d, [], D(2023, 7, 31)) == D(2023, 7, 31)
    assert unreported(d, [D(2023, 8, 9)], D(2023, 9, 1)) is None


def test_find_takes_the_first_readable_bold_phrase_and_names_unreadable_ones():
    text = markup.parse("**Ban Chỉ đạo** giao báo cáo **trong quý V/2024**, xong **trong quý III/2024** "
                        "và **trước ngày 31/12/2024**")
    found, messages = find(text, NOTICE)
    assert found == Deadline("trong quý III/2024", "quarter", D(2024, 9, 30))
    assert messages == [("'trong quý V/2024' in bold, which looks like a deadline but cannot be read", "trong quý V/2024")]


def test_find_without_bold_deadline():
    assert find(markup.parse("Báo cáo trước ngày 31/7/2023."), NOTICE) == (None, [])


# --- in a notice source -------------------------------------------------------

TASK = "      - Báo cáo **trước ngày 31/7/2023.**\n"


def _task_of(write_source, task_yaml):
    from generator import api

    from .conftest import MINIMAL

    loaded = api.load_notice(write_source(MINIMAL.replace(TASK, task_yaml)))
    return loaded.notice.conclusions[0].tasks[0], loaded.warnings


@pytest.mark.parametrize("phrase, date, label", [
    ("chậm nhất ngày 31/8", D(2023, 8, 31), "31/08/2023"),
    ("trong quý III/2024", D(2024, 9, 30), "quý III/2024"),
    ("định kỳ hằng tháng (trước ngày 25)", None, "hằng tháng, ngày 25"),
    ("trước Đại hội Đảng bộ xã", None, "trước Đại hội Đảng bộ xã"),
])
def test_task_deadline_is_the_bold_phrase_in_any_form(write_source, phrase, date, label):
    task, warnings = _task_of(write_source, f"      - Báo cáo kết quả **{phrase}**.\n")
    assert (task.deadline, task.deadline_text, task.due.label()) == (date, phrase, label)
    assert warnings == []


def test_unreadable_bold_deadline_is_a_warning_naming_file_and_line(write_source):
    task, warnings = _task_of(write_source, "      - >-\n        Báo cáo kết quả\n        **trong quý V/2024**.\n")
    assert task.due is None
    path = warnings[0].file
    assert [str(w) for w in warnings] == [
        f"{path}:14: conclusions[0].tasks[0]: found 'trong quý V/2024' in bold, which looks like a deadline but "
        "cannot be read, expected a deadline in a form thongbao reads (README, 'Deadlines are data'), "
        "or a 'deadline:' field beside the text"]


def test_validate_prints_the_unreadable_deadline_warning(write_source):
    from click.testing import CliRunner

    from generator.cli import main

    from .conftest import MINIMAL

    path = write_source(MINIMAL.replace("trước ngày 31/7/2023.", "chậm nhất ngày 31/2"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Warning: {path}:12: conclusions[0].tasks[0]: found 'chậm nhất ngày 31/2' in bold" in result.output


def test_explicit_deadline_field_takes_a_phrase(write_source):
    task, _ = _task_of(write_source, "      - text: Báo cáo định kỳ.\n        deadline: hằng quý (trước ngày 20 tháng cuối quý)\n")
    assert (task.deadline, task.deadline_text, task.due.every, task.due.day) == (
        None, "hằng quý (trước ngày 20 tháng cuối quý)", "quarter", 20)
    task, _ = _task_of(write_source, "      - text: Báo cáo.\n        deadline: trong tháng 8/2023\n")
    assert task.deadline == D(2023, 8, 31)


def test_explicit_deadline_field_that_is_no_deadline_is_an_error(write_source):
    from generator import api
    from generator.errors import SourceError

    from .conftest import MINIMAL

    path = write_source(MINIMAL.replace(TASK, "      - text: Báo cáo.\n        deadline: sớm\n"))
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    assert f"{path}:13: conclusions[0].tasks[0].deadline: found 'sớm', expected a date (YYYY-MM-DD or D/M/YYYY) " \
           "or a deadline as officials write it" in info.value.format_message()


@pytest.mark.parametrize("explicit, ok", [("2023-09-30", False), ("2024-09-30", True),
                                          ("trong quý III/2024", True), ("hằng quý", False)])
def test_explicit_deadline_must_agree_with_the_bold_text(write_source, explicit, ok):
    from generator import api
    from generator.errors import SourceError

    from .conftest import MINIMAL

    path = write_source(MINIMAL.replace(TASK, f"      - text: Báo cáo **trong quý III/2024**.\n        deadline: {explicit}\n"))
    if ok:
        task = api.load_notice(path).notice.conclusions[0].tasks[0]
        assert task.deadline_text == "trong quý III/2024" and task.due.kind == "quarter"
        return
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    assert "expected the " in info.value.format_message()
    assert "'trong quý III/2024' = " in info.value.format_message()


# --- tracking: thongbao tasks ---------------------------------------------------

FORMS_NOTICE = """\
style: party
issuing_body: BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG
body_code: BCĐ
number: 9
place: Kon Rẫy
date: 2023-07-14
subject: kết luận Hội nghị giao ban
opening: "Hội nghị kết luận như sau:"
conclusions:
  - to: UBND huyện
    tasks:
      - Rà soát, báo cáo **chậm nhất ngày 31/8**.
      - Hoàn thành **trong quý III**.
      - Báo cáo tiến độ **định kỳ hằng tháng (trước ngày 25)**.
      - Theo dõi **thường xuyên**.
      - Tổng kết **trước Đại hội Đảng bộ xã**.
      - Xây dựng kế hoạch **trong quý IV/2023**.
recipients:
  - UBND huyện
  - Lưu VT
signature:
  title: TRƯỞNG BAN
  name: Nguyễn Văn A
"""


@pytest.fixture
def forms_folder(tmp_path):
    from .conftest import ROOT

    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "units.yaml").write_text("units:\n  - id: ubnd-huyen\n    name: Ủy ban nhân dân huyện Kon Rẫy\n"
                                       "    aliases: [UBND huyện]\n", encoding="utf-8")
    (folder / "09.yaml").write_text(FORMS_NOTICE, encoding="utf-8")
    assert (ROOT / "notices").is_dir()
    return folder


def _tasks(folder, *args):
    from click.testing import CliRunner

    from generator.cli import main

    result = CliRunner().invoke(main, ["tasks", "--notices", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _csv_rows(output):
    import csv
    import io

    return [(r["task"], r["deadline"], r["status"]) for r in csv.DictReader(io.StringIO(output))]


def test_overdue_finds_yearless_quarter_and_monthly_deadlines(forms_folder):
    assert _csv_rows(_tasks(forms_folder, "--overdue", "--on", "2023-08-20", "--csv")) == [
        ("3", "hằng tháng, ngày 25", "quá hạn 26 ngày (hạn 25/07/2023)")]
    assert _csv_rows(_tasks(forms_folder, "--overdue", "--on", "2023-10-02", "--csv")) == [
        ("3", "hằng tháng, ngày 25", "quá hạn 69 ngày (hạn 25/07/2023)"),  # by the first unreported due day
        ("1", "2023-08-31", "quá hạn 32 ngày"),
        ("2", "2023-09-30", "quá hạn 2 ngày"),
    ]


def test_task_list_shows_every_kind(forms_folder):
    rows = _csv_rows(_tasks(forms_folder, "--on", "2023-07-20", "--csv"))
    assert rows == [
        ("3", "hằng tháng, ngày 25", "còn 5 ngày (hạn 25/07/2023)"),
        ("1", "2023-08-31", "còn 42 ngày"),
        ("2", "2023-09-30", "còn 72 ngày"),
        ("6", "2023-12-31", "còn 164 ngày"),
        ("4", "thường xuyên", "chưa báo cáo"),
        ("5", "trước Đại hội Đảng bộ xã", "chưa báo cáo"),
    ]
    table = _tasks(forms_folder, "--on", "2023-07-20")
    assert "09-TB/BCĐ 1.2" in table and "quý III/2023" in table and "hằng tháng, ngày 25" in table
    assert "trước Đại hội Đảng bộ xã" in table and "còn 5 ngày (hạn 25/07/2023)" in table


def test_monthly_reports_are_recorded_each_month_and_clear_their_month(forms_folder):
    for day in ("2023-07-24", "2023-08-28"):
        out = _tasks(forms_folder, "done", "--notice", "09", "--unit", "ubnd-huyen", "--task", "1.3", "--on", day)
        assert "recorded:" in out
    again = _tasks(forms_folder, "done", "--notice", "09", "--unit", "ubnd-huyen", "--task", "1.3", "--on", "2023-08-28")
    assert "1 already recorded" in again
    rows = dict((t, s) for t, _, s in _csv_rows(_tasks(forms_folder, "--on", "2023-09-10", "--csv")))
    assert rows["3"] == "còn 15 ngày (hạn 25/09/2023)"  # July on time, August late but received
    assert _csv_rows(_tasks(forms_folder, "--overdue", "--on", "2023-09-26", "--csv")) == [
        ("1", "2023-08-31", "quá hạn 26 ngày"), ("3", "hằng tháng, ngày 25", "quá hạn 1 ngày (hạn 25/09/2023)")]
    # a one-off task is recorded once
    _tasks(forms_folder, "done", "--notice", "09", "--unit", "ubnd-huyen", "--task", "1.1", "--on", "2023-08-01")
    again = _tasks(forms_folder, "done", "--notice", "09", "--unit", "ubnd-huyen", "--task", "1.1", "--on", "2023-08-02")
    assert "1 already recorded" in again


def test_task_files_show_labels_and_ics_repeats_monthly(forms_folder, tmp_path):
    import csv
    import io

    icalendar = pytest.importorskip("icalendar")
    from generator.distribute import write_extracts

    out = tmp_path / "out"
    write_extracts(forms_folder / "09.yaml", out)
    rows = list(csv.DictReader(io.StringIO((out / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["deadline"], r["deadline_text"]) for r in rows] == [
        ("2023-08-31", "chậm nhất ngày 31/8"), ("2023-09-30", "trong quý III"),
        ("hằng tháng, ngày 25", "định kỳ hằng tháng (trước ngày 25)"), ("thường xuyên", "thường xuyên"),
        ("trước Đại hội Đảng bộ xã", "trước Đại hội Đảng bộ xã"), ("2023-12-31", "trong quý IV/2023")]
    cal = icalendar.Calendar.from_ical((out / "deadlines.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 4  # the dated three and the monthly one; not "thường xuyên", not the event
    monthly = [e for e in events if "RRULE" in e]
    assert len(monthly) == 1 and monthly[0].decoded("DTSTART") == D(2023, 7, 25)
    assert monthly[0]["RRULE"]["FREQ"] == ["MONTHLY"] and monthly[0]["RRULE"]["BYMONTHDAY"] == [25]


def test_deadline_of_a_sub_item_and_of_details(write_source):
    from generator import api

    from .conftest import MINIMAL

    items = ("    text: Làm.\n    items:\n"
             "      - text: Rà soát nguồn vốn.\n        deadline: trong quý II/2024\n"
             "      - tasks:\n          - text: Báo cáo UBND tỉnh.\n            details:\n"
             "              - Danh mục dự án **trong quý V/2024**.\n"
             "              - Nguồn vốn **hằng tháng (trước ngày 20)**.\n")
    path = write_source(MINIMAL.replace("    tasks:\n" + TASK, items))
    loaded = api.load_notice(path)
    tasks = {t.ref: t for t in loaded.notice.conclusions[0].all_tasks}
    assert (tasks["a"].deadline, tasks["a"].due.label()) == (D(2024, 6, 30), "quý II/2024")
    assert tasks["b.1"].due.label() == "hằng tháng, ngày 20"
    assert tasks["b.1"].deadline_text == "hằng tháng (trước ngày 20)"
    assert [(w.line, w.found) for w in loaded.warnings] == [
        (18, "'trong quý V/2024' in bold, which looks like a deadline but cannot be read")]


def test_bold_deadline_in_an_assessment_is_just_bold(write_source):
    from generator import api

    from .conftest import MINIMAL

    path = write_source(MINIMAL.replace("  - to: UBND huyện\n    tasks:\n" + TASK,
                                        "  - text: Kết quả **trong quý V/2024** còn thấp.\n"
                                        "  - to: UBND huyện\n    tasks:\n" + TASK))
    loaded = api.load_notice(path)
    assert loaded.warnings == []
    assert loaded.notice.conclusions[0].all_tasks == ()


def test_due_before_takes_periods_and_monthly_due_days(forms_folder):
    rows = _csv_rows(_tasks(forms_folder, "--due-before", "2023-08-01", "--on", "2023-07-20", "--csv"))
    assert rows == [("3", "hằng tháng, ngày 25", "còn 5 ngày (hạn 25/07/2023)")]
    rows = _csv_rows(_tasks(forms_folder, "--due-before", "2023-10-01", "--on", "2023-07-20", "--csv"))
    assert [t for t, _, _ in rows] == ["3", "1", "2"]


def test_recurring_sub_item_task_is_recorded_each_month_by_its_reference(forms_folder):
    source = FORMS_NOTICE.replace("number: 9", "number: 10").replace(
        "    tasks:\n", "    items:\n      - text: Báo cáo tình hình **hằng tháng, trước ngày 25**.\n"
                       "    tasks:\n", 1)
    (forms_folder / "10.yaml").write_text(source, encoding="utf-8")
    for day in ("2023-07-25", "2023-08-24"):
        assert "recorded: ubnd-huyen 10-TB/BCĐ 1.a" in _tasks(
            forms_folder, "done", "--notice", "10", "--unit", "ubnd-huyen", "--task", "1.a", "--on", day)
    rows = [r for r in _csv_rows(_tasks(forms_folder, "--overdue", "--on", "2023-09-26", "--csv")) if r[0] == "a"]
    assert rows == [("a", "hằng tháng, ngày 25", "quá hạn 1 ngày (hạn 25/09/2023)")]
