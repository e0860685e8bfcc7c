"""Per-unit task lists, extracts, task files and deadline tracking for the example."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator import api, units
from generator.cli import main
from generator.distribute import load_with_units, write_extracts
from generator.errors import SourceError
from generator.tasks import assignments, safe_filename

from .conftest import ROOT, SEED, W, footnote_texts, part_xml

UNITS = ROOT / "notices" / "units.yaml"


@pytest.fixture(scope="module")
def seed_tasks():
    loaded = load_with_units(SEED)
    by_unit: dict[str, list] = {}
    for a in assignments(loaded.notice, loaded.directory):
        by_unit.setdefault(a.unit.id, []).append(a)
    return by_unit


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    out = tmp_path_factory.mktemp("extracts")
    return out, write_extracts(SEED, out)


@pytest.fixture(scope="module")
def sent_trich(tmp_path_factory):
    """The older form, TRÍCH THÔNG BÁO (--form trich)."""
    out = tmp_path_factory.mktemp("extracts-trich")
    return out, write_extracts(SEED, out, form="trich")


def refs(items):
    return [(a.conclusion, a.task, a.deadline and a.deadline.isoformat()) for a in items]


def test_ubnd_huyen_owes_conclusion_4_and_as_a_district_body_conclusion_1(seed_tasks):
    items = seed_tasks["ubnd-huyen"]
    assert refs(items) == [
        ("1", "1", None), ("1", "2", None), ("1", "3", "2023-07-31"), ("1", "4", "2023-07-20"),
        ("4", "1", "2023-08-31"), ("4", "2", None), ("4", "3", "2023-09-07"), ("4", "4", None),
    ]
    assert items[4].deadline_text == "trong tháng 8/2023"
    assert items[6].report_to == "Ủy ban MTTQ Việt Nam huyện"
    assert items[4].addressed_as == "UBND huyện" and items[0].addressed_as == "Các cơ quan, ban, ngành cấp huyện"


def test_mttq_owes_conclusions_1_and_3(seed_tasks):
    assert [(a.conclusion, a.task) for a in seed_tasks["ubmttq-huyen"]] == [
        ("1", "1"), ("1", "2"), ("1", "3"), ("1", "4"), ("3", "1"), ("3", "2")]


def test_ban_dan_van_owes_conclusions_1_and_6(seed_tasks):
    assert [(a.conclusion, a.task) for a in seed_tasks["ban-dan-van"]] == [("1", "1"), ("1", "2"), ("1", "3"), ("1", "4"), ("6", "1")]


def test_a_communes_steering_committee_owes_conclusions_1_and_2(seed_tasks):
    assert refs(seed_tasks["bcd-dak-to-lung"]) == [
        ("1", "1", None), ("1", "2", None), ("1", "3", "2023-07-31"), ("1", "4", "2023-07-20"),
        ("2", "1", None), ("2", "2", "2023-07-31"), ("2", "3", None),
    ]


def test_political_social_organisations_owe_conclusion_5(seed_tasks):
    assert [(a.conclusion, a.task) for a in seed_tasks["hoi-nong-dan"]][-1] == ("5", "1")
    assert all(a.conclusion != "5" for a in seed_tasks["ubnd-huyen"])


def _body(path: Path) -> list[str]:
    paras = docx.Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == "-----")
    return [p.text for p in paras[start + 1:] if p.text.strip()]


def test_extract_holds_exactly_the_units_conclusions(sent_trich):
    out, _ = sent_trich
    path = out / "103-tb-bcd_ubnd-huyen.docx"
    texts = _body(path)
    headings = [t.split(".")[0] for t in texts if t[:2] in {f"{n}." for n in range(1, 10)}]
    assert headings == ["1", "4"]
    assert texts[0] == "Trích gửi: Ủy ban nhân dân huyện Kon Rẫy."
    assert sum(t.startswith("- ") for t in texts) == 8
    document = docx.Document(str(path))
    assert "TRÍCH THÔNG BÁO" in [p.text for p in document.paragraphs]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold and "ngày" in r.text or
            r.bold and "tháng" in r.text]
    assert "trong tháng 8/2023" in bold and "trước ngày 07/9/2023" in bold
    assert footnote_texts(path).keys() == {"1", "2"}
    left, right = document.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "Nơi nhận:", "- Ủy ban nhân dân huyện Kon Rẫy (t/h),", "- Lưu VT."]
    assert [p.text for p in right.paragraphs if p.text][-1] == "Đinh Thị Mỹ Hảo"
    assert "Số 103-TB/BCĐ" in [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]


def test_extract_of_a_unit_without_footnoted_parts_has_only_its_footnotes(sent):
    out, _ = sent
    path = out / "103-tb-bcd_ban-dan-van.docx"
    texts = _body(path)
    assert [t[:2] for t in texts if t[:2] in ("1.", "2.", "3.", "4.", "5.", "6.")] == ["1.", "6."]
    assert list(footnote_texts(path)) == ["1"]


OTHER_ADDRESSEES = [
    "Các TCCS Đảng", "Các cơ quan, ban, ngành cấp huyện", "Ban Chỉ đạo Cuộc vận động các xã, thị trấn",
    "Đảng ủy các xã, thị trấn", "Ủy ban MTTQ Việt Nam huyện", "Các tổ chức chính trị - xã hội huyện",
    "Ban Dân vận Huyện ủy",
]


def units_yaml(units_lines: str, skip: tuple[str, ...] = ()) -> str:
    """A units file that knows every addressee of the seed: these as empty groups."""
    groups = "".join(f'  - {{id: g{k}, name: "{n}"}}\n' for k, n in enumerate(OTHER_ADDRESSEES) if n not in skip)
    return f"groups:\n{groups}units:\n{units_lines}"


def test_extract_keeps_the_original_footnote_marks(tmp_path):
    units_file = tmp_path / "units.yaml"
    units_file.write_text(units_yaml("  - id: ubnd\n    name: UBND huyện\n"), encoding="utf-8")
    result = write_extracts(SEED, tmp_path / "out", units_file)
    path = tmp_path / "out" / "103-tb-bcd_ubnd.docx"
    assert [e.filename for e in result.extracts] == [path.name]
    document = part_xml(path, "word/document.xml")
    marks = [r.getparent().find(f"{W}t").text for r in document.iter(f"{W}footnoteReference")]
    assert marks == ["(2)"]
    assert footnote_texts(path)["2"].startswith("(2) Chương trình mục tiêu quốc gia")


def test_one_extract_per_concerned_unit_plus_task_files(sent):
    out, result = sent
    names = sorted(p.name for p in out.iterdir())
    directory = units.load_directory(UNITS)
    assert len(result.extracts) == len(directory.units) == 25
    assert {"tasks.csv", "tasks.xlsx", "deadlines.ics"} <= set(names)
    assert len(names) == 28


def test_tasks_csv_and_xlsx_list_every_unit_task(sent):
    out, result = sent
    rows = list(csv.DictReader(io.StringIO((out / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(result.assignments) == 154
    ubnd = [r for r in rows if r["unit_id"] == "ubnd-huyen" and r["conclusion"] == "4"]
    assert [r["deadline"] for r in ubnd] == ["2023-08-31", "", "2023-09-07", ""]
    assert ubnd[2]["report_to"] == "Ủy ban MTTQ Việt Nam huyện"
    assert rows[0]["notice"] == "103-TB/BCĐ" and rows[0]["notice_date"] == "2023-07-14"
    from openpyxl import load_workbook

    ws = load_workbook(out / "tasks.xlsx").active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][:3] == ("Mã đơn vị", "Đơn vị", "Số, ký hiệu")
    assert len(values) == 155
    first_dated = next(v for v in values[1:] if v[7])
    assert isinstance(first_dated[7], dt.datetime)


def test_deadlines_ics_is_valid_icalendar(sent):
    icalendar = pytest.importorskip("icalendar")
    out, result = sent
    raw = (out / "deadlines.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    dated = [a for a in result.assignments if a.deadline]
    assert len(events) == len(dated) == 71
    assert len({str(e["UID"]) for e in events}) == len(events)
    ubnd = [e for e in events if str(e["SUMMARY"]).startswith("UBND huyện: 103-TB/BCĐ mục 4")]
    assert sorted(e.decoded("DTSTART") for e in ubnd) == [dt.date(2023, 8, 31), dt.date(2023, 9, 7)]


def test_extracts_are_reproducible(tmp_path):
    a = write_extracts(SEED, tmp_path / "a")
    write_extracts(SEED, tmp_path / "b")
    for name in [p.name for p in a.files]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("name,expected", [
    ("../../x", "x"), ("CON", "u-con"), ("lpt1", "u-lpt1"), ("Ủy ban MTTQ Việt Nam huyện", "uy-ban-mttq-viet-nam-huyen"),
    ("Đảng ủy xã Đăk Tơ Lung", "dang-uy-xa-dak-to-lung"), ("///", "unit"), ("a" * 300, "a" * 60),
    ("nul.txt", "nul-txt"), ("C:\\Windows\\system32", "c-windows-system32"),
])
def test_file_name_parts_are_safe(name, expected):
    assert safe_filename(name) == expected


def test_hostile_unit_names_give_safe_distinct_files_inside_the_folder(tmp_path):
    units_file = tmp_path / "units.yaml"
    long = "Ủy ban " + "x" * 300
    units_file.write_text(units_yaml(
        '  - {name: "../../x", groups: [g1]}\n  - {name: CON, groups: [g1]}\n'
        f'  - {{name: "{long}", groups: [g1]}}\n  - {{name: "..\\\\..\\\\x", groups: [g1]}}\n'
        "  - {name: UBND huyện}\n"), encoding="utf-8")
    out = tmp_path / "out"
    result = write_extracts(SEED, out, units_file)
    names = sorted(e.filename for e in result.extracts)
    assert names == sorted(["103-tb-bcd_x.docx", "103-tb-bcd_u-con.docx", f"103-tb-bcd_uy-ban-{'x' * 53}.docx",
                            "103-tb-bcd_x-2.docx", "103-tb-bcd_ubnd-huyen.docx"])
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, "tasks.csv", "tasks.xlsx", "deadlines.ics"])
    assert all(len(n) < 100 for n in names)
    assert not (tmp_path / "x.docx").exists()


def test_unknown_unit_is_named_with_the_closest_known(tmp_path):
    src = tmp_path / "n.yaml"
    src.write_text(SEED.read_text(encoding="utf-8").replace("  - to: UBND huyện", "  - to: UBND huyen"),
                   encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_with_units(src, UNITS)
    message = info.value.format_message()
    assert message.startswith(f"{src}:122: conclusions[3].to: found unknown unit 'UBND huyen'")
    assert "(closest: 'UBND huyện')" in message


@pytest.mark.parametrize("text,expected", [
    ("units:\n  - {name: A, groups: [nhom]}\ngroups:\n  - {id: nhóm, name: Nhóm}\n",
     ":2: units[0].groups: found unknown group 'nhom', expected a group id of this file (closest: 'nhóm')"),
    ('units:\n  - {name: Các cơ quan, aliases: [ban]}\n', ":2: units[0].aliases: found alias 'ban' starting lower-case"),
    ("units:\n  - {name: A}\n  - {name: B, aliases: [A]}\n", "units: found name 'A' given to both 'A' and 'B'"),
    ("units:\n  - {name: A, grups: [x]}\n", ":2: units[0].grups: found unknown field 'grups', expected a known field (did you mean 'groups'?)"),
    ("units:\n  - {id: a}\n", ":2: units[0]: found no 'name:'"),
    ("unit: []\n", ":1: unit: found unknown field 'unit'"),
    # These said "expected a notice source" / "such as 'number:' and 'subject:'" of a units file.
    ("", ":1: found an empty file, expected a units directory ('units:' and 'groups:')"),
    ("- a\n- b\n", ":1: (top level): found a list, expected a mapping of 'units:' and 'groups:'"),
])
def test_bad_units_file_gives_clear_lines(tmp_path, text, expected):
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        units.load_directory(path)
    assert expected in info.value.format_message()


def test_a_units_file_that_is_missing_is_named_as_one(tmp_path):
    result = cli("tasks", "--notices", str(ROOT / "notices"), "--units", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'nope.yaml'}: found no such file, "
                             "expected a units directory (units.yaml)\n")


def test_validate_checks_units_when_a_directory_is_near(tmp_path):
    (tmp_path / "units.yaml").write_text("units:\n  - {name: UBND huyện}\n", encoding="utf-8")
    src = tmp_path / "n.yaml"
    src.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(src)])
    assert result.exit_code == 1
    assert "found unknown unit 'Các TCCS Đảng'" in result.output


# --- the commands -------------------------------------------------------------------------


@pytest.fixture
def notices(tmp_path):
    folder = tmp_path / "notices"
    (folder / "2023").mkdir(parents=True)
    (folder / "units.yaml").write_bytes(UNITS.read_bytes())
    (folder / "2023" / "103-TB-BCD.yaml").write_bytes(SEED.read_bytes())
    return folder


def cli(*args):
    return CliRunner().invoke(main, list(args))


def test_extracts_command_writes_everything_and_prints_paths(tmp_path):
    result = cli("extracts", str(SEED), "-o", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    assert "25 extracts, 154 tasks (71 with a deadline)" in result.output
    assert (tmp_path / "x" / "deadlines.ics").is_file()
    assert zipfile.is_zipfile(tmp_path / "x" / "103-tb-bcd_bcd-dak-to-lung.docx")


def test_extracts_without_units_file_is_a_clear_error(tmp_path):
    src = tmp_path / "n.yaml"
    src.write_bytes(SEED.read_bytes())
    result = cli("extracts", str(src), "-o", str(tmp_path / "x"))
    assert result.exit_code == 1
    assert "found no units.yaml in its folder or above" in result.output
    assert not (tmp_path / "x").exists()


def test_overdue_tasks_on_a_day_are_listed_by_unit(notices):
    result = cli("tasks", "--notices", str(notices), "--overdue", "--on", "2023-08-01")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("Ủy ban nhân dân huyện Kon Rẫy (ubnd-huyen)")
    assert lines[start + 1].split()[:5] == ["103-TB/BCĐ", "1.4", "20/07/2023", "overdue", "12"]
    assert lines[start + 2].split()[:3] == ["103-TB/BCĐ", "1.3", "31/07/2023"]
    assert lines[start + 3].endswith(")")  # the next unit: 4.1 (due 31/8) is not overdue yet
    assert "4.3" not in result.output.split("(ubmttq-huyen)")[0]
    assert lines[-1] == "69 tasks, 25 units"


def test_tasks_csv_for_one_unit_due_before_a_day(notices):
    result = cli("tasks", "--notices", str(notices), "--unit", "UBND huyện", "--due-before", "2023-09-01",
                 "--on", "2023-08-15", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["conclusion"], r["task"], r["deadline"], r["status"]) for r in rows] == [
        ("1", "4", "2023-07-20", "overdue 26 days"), ("1", "3", "2023-07-31", "overdue 15 days"),
        ("4", "1", "2023-08-31", "16 days left"),
    ]


def test_recorded_report_leaves_the_overdue_view(notices):
    result = cli("tasks", "--notices", str(notices), "done", "--notice", "103-TB/BCD", "--unit", "ubnd-huyen",
                 "--task", "1", "--on", "2023-07-19", "--note", "Báo cáo số 12/BC-UBND")
    assert result.exit_code == 0, result.output
    assert result.output.count("recorded:") == 4
    again = cli("tasks", "--notices", str(notices), "done", "--notice", "103", "--unit", "UBND huyện",
                "--task", "1.3", "--on", "2023-07-19")
    assert "1 already recorded" in again.output
    overdue = cli("tasks", "--notices", str(notices), "--overdue", "--on", "2023-08-01", "--unit", "ubnd-huyen")
    assert overdue.output.strip() == "No tasks."
    listing = cli("tasks", "--notices", str(notices), "--unit", "ubnd-huyen", "--on", "2023-08-01")
    assert "reported 19/07/2023" in listing.output
    received = (notices / "received.csv").read_text(encoding="utf-8").splitlines()
    assert received[0] == "notice,conclusion,task,unit_id,received_on,note"
    assert received[1] == "103-TB/BCĐ,1,1,ubnd-huyen,2023-07-19,Báo cáo số 12/BC-UBND"


@pytest.mark.parametrize("args,message", [
    (["--task", "7.1", "--unit", "ubnd-huyen"], "--task: found 7.1, which 103-TB/BCĐ does not give to"),
    (["--task", "x", "--unit", "ubnd-huyen"], "--task: found 'x', expected a conclusion and task number"),
    (["--task", "4", "--unit", "UBND huyen"], "found unknown unit 'UBND huyen', expected a unit id or name (closest: 'UBND huyện')"),
])
def test_bad_done_arguments_are_clear_errors(notices, args, message):
    result = cli("tasks", "--notices", str(notices), "done", "--notice", "103-TB/BCĐ", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert not (notices / "received.csv").exists()


def test_bad_dates_and_unknown_notice_are_clear_errors(notices):
    result = cli("tasks", "--notices", str(notices), "--overdue", "--on", "2023-02-30")
    assert result.exit_code == 1 and "--on: found '2023-02-30', expected a real date" in result.output
    result = cli("tasks", "--notices", str(notices), "done", "--notice", "99-TB/BCĐ", "--unit", "ubnd-huyen",
                 "--task", "1")
    assert result.exit_code == 1 and "--notice: found '99-TB/BCĐ' (no such notice" in result.output


def test_api_unit_lookup_by_alias_and_case():
    directory = units.load_directory(UNITS)
    assert directory.unit("ủy ban mttq việt nam  huyện").id == "ubmttq-huyen"
    assert directory.lookup("Các cơ quan, ban, ngành cấp huyện:").id == "co-quan-huyen"
    assert api.load_notice(SEED).notice.number == 103


@pytest.mark.parametrize("row,message", [
    ("103-TB/BCĐ,x,1,ubnd-huyen,2023-07-19,", "received.csv:2: conclusion: found 'x', expected an item number such as 4, or II.3"),
    ("103-TB/BCĐ,1,1,ubnd-huyen,19/7/2023,", "received.csv:2: received_on: found '19/7/2023', expected a date as YYYY-MM-DD"),
    (",1,1,ubnd-huyen,2023-07-19,", "received.csv:2: notice: found nothing, expected a value"),
])
def test_a_bad_line_in_received_csv_is_named(notices, row, message):
    (notices / "received.csv").write_text(f"notice,conclusion,task,unit_id,received_on,note\n{row}\n", encoding="utf-8")
    result = cli("tasks", "--notices", str(notices))
    assert result.exit_code == 1
    assert message in result.output


def test_a_missing_value_in_received_csv_is_said_in_vietnamese(notices):
    (notices / "received.csv").write_text("notice,conclusion,task,unit_id,received_on,note\n,1,1,ubnd-huyen,2023-07-19,\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(main, ["tasks", "--notices", str(notices)], env={"THONGBAO_LANG": "vi"})
    assert result.exit_code == 1
    assert result.output == f"Lỗi: {notices / 'received.csv'}:2: notice: gặp giá trị trống, cần một giá trị\n"


@pytest.mark.parametrize("content,message", [
    # A quote never closed runs over the csv module's field limit: was a traceback (_csv.Error).
    ('103-TB/BCĐ,1,1,ubnd-huyen,2023-07-19,"' + "x" * 200_000 + '"',
     "received.csv:2: found a line the CSV reader cannot read, expected one report per line, each quote closed"),
    (None, "received.csv: found a directory, expected a UTF-8 CSV file"),  # was read as no report at all
    ("", "received.csv:1: header: found nothing, expected notice,conclusion,task,unit_id,received_on,note"),
], ids=["quote never closed", "directory", "empty"])
def test_an_unreadable_received_csv_is_one_line(notices, content, message):
    path = notices / "received.csv"
    if content is None:
        path.mkdir()
    else:
        path.write_text("" if not content else f"notice,conclusion,task,unit_id,received_on,note\n{content}\n",
                        encoding="utf-8")
    for args in (("tasks", "--notices", str(notices)),
                 ("tasks", "--notices", str(notices), "done", "--notice", "103-TB/BCĐ", "--unit", "ubnd-huyen",
                  "--task", "1.1")):
        result = cli(*args)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output == f"Error: {notices}/{message}\n"
