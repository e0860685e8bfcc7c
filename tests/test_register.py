"""The register: numbering series, numbers never given twice (also by parallel processes),
append-only rows, the settings file, and the register printed as .xlsx / .csv."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from openpyxl import load_workbook

from generator.archive.errors import ArchiveError, ConfigError, IssueError
from generator.archive.export import COLUMNS, entries, register_csv
from generator.archive.numbering import add_number_line
from generator.archive.register import Register
from generator.archive.verify import verify
from generator.cli_archive import register
from generator.config import Config, load_config

from .archive_helpers import cli_process, invoke, issue_in, notice, write

TERMS = "[party-terms]\nBCĐ = 2015-07-10, 2020-07-20\n"


def config(tmp_path, text: str = TERMS) -> Config:
    return load_config(write(tmp_path / "thongbao.ini", text))


# Numbering ----------------------------------------------------------------------------------------

def test_party_numbers_each_type_separately(tmp_path):
    archive, cfg = tmp_path / "a", config(tmp_path)
    got = [issue_in(archive, write(tmp_path / f"{k}.yaml", notice(subject=f"s {k}", type_code=t)), config=cfg).symbol
           for k, t in enumerate(["TB", "BC", "TB", "TB", "BC"])]
    assert got == ["01-TB/BCĐ", "01-BC/BCĐ", "02-TB/BCĐ", "03-TB/BCĐ", "02-BC/BCĐ"]


def test_party_numbers_run_over_the_years_of_a_term_and_restart_with_a_new_term(tmp_path):
    archive, cfg = tmp_path / "a", config(tmp_path)
    dates = ["2021-12-30", "2022-01-03", "2020-07-19", "2020-07-20", "2015-07-10"]
    got = [issue_in(archive, write(tmp_path / f"{k}.yaml", notice(subject=f"s {k}", date=d)), config=cfg).number
           for k, d in enumerate(dates)]
    # 2021 and 2022 are one term; 19/7/2020 ends the term begun on 10/7/2015.
    assert got == [1, 2, 1, 3, 2]


def test_the_term_set_for_every_body_applies_without_a_line_of_its_own(tmp_path):
    cfg = config(tmp_path, "[party-terms]\n* = 2020-07-20\n")
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "old.yaml", notice(number=200, date="2020-07-01", body_code="HU")), config=cfg)
    new = issue_in(archive, write(tmp_path / "new.yaml", notice(date="2020-08-01", body_code="HU")), config=cfg)
    assert new.symbol == "01-TB/HU"


def test_without_a_term_numbering_continues_and_warns(tmp_path):
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=9, date="2019-01-01")), config=Config())
    result = issue_in(archive, write(tmp_path / "b.yaml", notice(subject="x", date="2024-01-01")), config=Config())
    assert result.number == 10
    assert any("party-terms.BCĐ: found no term start" in w for w in result.warnings)


def test_state_numbers_all_types_from_01_each_calendar_year(tmp_path):
    archive = tmp_path / "a"

    def state(k, date, type_code="TB"):
        text = notice(subject=f"s {k}", date=date, style="state", body_code="UBND", type_code=type_code)
        return issue_in(archive, write(tmp_path / f"{k}.yaml", text.replace("Lưu VT", "Lưu: VT")), config=Config())

    got = [state(1, "2023-12-31").symbol, state(2, "2024-01-01").symbol, state(3, "2024-02-01", "BC").symbol,
           state(4, "2023-06-01").symbol]
    assert got == ["01/TB-UBND", "01/TB-UBND", "02/BC-UBND", "02/TB-UBND"]


def test_an_explicit_number_issued_in_another_term_is_a_new_document(tmp_path):
    archive, cfg = tmp_path / "a", config(tmp_path)
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5, date="2019-01-01")), config=cfg)
    result = issue_in(archive, write(tmp_path / "b.yaml", notice(number=5, date="2021-01-01", subject="x")), config=cfg)
    assert (result.status, result.version, result.folder.parent.name) == ("issued", 1, "00002-05-TB-BCD")


def test_twenty_processes_at_once_get_twenty_distinct_consecutive_numbers(tmp_path):
    archive = tmp_path / "archive"
    issue_in(archive, write(tmp_path / "first.yaml", notice(number=40)), config=Config())
    sources = [write(tmp_path / f"n{k:02d}.yaml", notice(subject=f"kết luận số {k}")) for k in range(20)]
    procs = [cli_process("issue", s, "--archive", archive, cwd=tmp_path) for s in sources]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, outputs
    numbers = sorted(int(re.match(r"Issued (\d+)-TB/BCĐ version 1", out).group(1)) for out, _ in outputs)
    assert numbers == list(range(41, 61))
    with Register(archive, create=False) as reg:
        assert sorted(d.number for d in reg.documents()) == [40, *range(41, 61)]
    assert verify(archive).ok


def test_the_same_source_issued_twice_at_once_gets_one_number(tmp_path):
    archive = tmp_path / "archive"
    source = write(tmp_path / "a.yaml", notice())
    procs = [cli_process("issue", source, "--archive", archive, cwd=tmp_path) for _ in range(4)]
    outputs = [p.communicate()[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(o.startswith("Issued 01-TB/BCĐ version 1") for o in outputs) == 1
    assert sum("unchanged since version 1" in o for o in outputs) == 3


# The register file --------------------------------------------------------------------------------

def test_register_rows_cannot_be_changed_or_deleted(tmp_path):
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)))
    conn = sqlite3.connect(archive / "register.sqlite3")
    for sql in ("UPDATE documents SET number = 6", "DELETE FROM versions", "UPDATE files SET sha256 = 'x'"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_the_same_number_cannot_enter_one_series_twice(tmp_path):
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)))
    conn = sqlite3.connect(archive / "register.sqlite3")
    row = conn.execute("SELECT series FROM documents").fetchone()
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO documents (style, body_code, type_code, issuing_body, number, symbol, series, "
                      "doc_date, folder, number_assigned, source_path) VALUES ('party', 'BCĐ', 'TB', 'X', 5, "
                      "'05-TB/BCĐ', ?, '2023-07-14', 'f', 0, 'p')", row)
    conn.close()


def test_a_file_that_is_not_a_register_is_one_line(tmp_path):
    write(tmp_path / "register.sqlite3", b"not a database" * 100)
    with pytest.raises(ArchiveError, match=r"register\.sqlite3: found a file that is not a usable register"):
        verify(tmp_path)


# Printing the register ----------------------------------------------------------------------------

@pytest.fixture
def two_years(tmp_path):
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=3, date="2023-07-14")))
    source = write(tmp_path / "b.yaml", notice(number=1, date="2024-01-05", subject="kết luận Hội nghị tháng 1"))
    issue_in(archive, source)
    write(source, notice(number=1, date="2024-01-05", subject="kết luận Hội nghị tháng 1/2024"))
    issue_in(archive, source, reason="Sửa trích yếu")
    return archive


def test_register_csv_has_the_official_columns_one_row_per_document(two_years, tmp_path):
    out = tmp_path / "register.csv"
    result = invoke(register, "--archive", two_years, "-o", out)
    assert result.exit_code == 0 and result.output == f"{out} (2 documents)\n"
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 4
    head = Register(two_years, create=False).last_link()
    assert rows[3][0] == f"Mã kiểm tra sổ (thongbao verify --head): {head.seq}:{head.hash[:12]}" and head.seq == 3
    first, second = dict(zip(COLUMNS, rows[1])), dict(zip(COLUMNS, rows[2]))
    assert first["Số, ký hiệu văn bản"] == "03-TB/BCĐ" and first["Ngày tháng văn bản"] == "14/07/2023"
    assert first["Tên loại và trích yếu nội dung văn bản"] == "Thông báo kết luận Hội nghị giao ban"
    assert first["Người ký"] == "Nguyễn Văn A"
    assert first["Nơi nhận văn bản"] == "UBND huyện" and first["Đơn vị, người nhận bản lưu"] == "VT"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", first["Ngày chuyển"]) and first["Ghi chú"] == ""
    assert second["Tên loại và trích yếu nội dung văn bản"].endswith("tháng 1/2024")
    assert second["Ghi chú"].startswith("Bản 2 (đính chính) ban hành ngày ") and second["Ghi chú"].endswith(
        ": Sửa trích yếu")


def test_register_year_filter(two_years):
    assert [e.document.symbol for e in entries(two_years, year=2024)] == ["01-TB/BCĐ"]
    assert register_csv(entries(two_years, year=2022)).count(b"\r\n") == 1


def test_register_xlsx_is_ready_to_print(two_years, tmp_path):
    out = tmp_path / "register.xlsx"
    result = invoke(register, "--archive", two_years, "--year", "2023", "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book["Sổ văn bản đi"]
    assert sheet["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and sheet["A2"].value == "Năm 2023"
    assert tuple(c.value for c in sheet[3]) == COLUMNS
    assert tuple(c.value for c in sheet[4]) == tuple(f"({k})" for k in range(1, 11))
    assert sheet["A5"].value == "03-TB/BCĐ" and sheet["A6"].value is None
    head = Register(two_years, create=False).last_link().head
    assert sheet["A7"].value.endswith(f": {head}") and sheet.oddFooter.left.text.endswith(f": {head}")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$4"
    versions = book["Phiên bản"]
    assert versions["A2"].value == "03-TB/BCĐ" and len(versions["H2"].value) == 64


def test_register_output_must_be_xlsx_or_csv(two_years, tmp_path):
    result = invoke(register, "--archive", two_years, "-o", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'r.pdf'}: -o: found a '.pdf' extension, expected a file ending .xlsx or .csv\n"


# Settings file ------------------------------------------------------------------------------------

def test_config_reads_archive_and_terms(tmp_path):
    cfg = config(tmp_path, "[archive]\npath = ../filed   ; beside the project\n\n" + TERMS + "* = 2020-07-01\n")
    assert cfg.archive == tmp_path / ".." / "filed"
    assert [d.isoformat() for d in cfg.party_terms["BCĐ"]] == ["2015-07-10", "2020-07-20"]
    import datetime as dt

    term = cfg.term("BCĐ", dt.date(2018, 1, 1))
    assert (term.start, term.end) == (dt.date(2015, 7, 10), dt.date(2020, 7, 20))
    assert cfg.term("HU", dt.date(2021, 1, 1)).start == dt.date(2020, 7, 1)


def test_config_is_found_above_the_source(tmp_path, monkeypatch):
    write(tmp_path / "thongbao.ini", TERMS)
    monkeypatch.chdir("/")
    cfg = load_config(near=tmp_path / "notices" / "2023")
    assert cfg.path == tmp_path / "thongbao.ini" and cfg.archive_dir() == tmp_path / "archive"


@pytest.mark.parametrize("text, message", [
    ("[archiv]\npath = x\n", r"thongbao\.ini:1: archiv: found unknown section \[archiv\], expected a known "
                             + r"section \(did you mean \[archive\]\?\)"),
    ("[archive]\nfolder = x\n", r"thongbao\.ini:2: archive\.folder: found unknown key 'folder', expected one of path"),
    ("[party-terms]\nBCĐ = 2020-02-30\n", r"thongbao\.ini:2: party-terms\.BCĐ: found '2020-02-30', expected "
                                          + "term start dates as YYYY-MM-DD"),
    ("[party-terms]\nBCĐ = 2020-01-01\nBCĐ = 2021-01-01\n",
     r"thongbao\.ini:3: party-terms\.BCĐ: found a second value for the same key"),
    ("path = x\n", r"thongbao\.ini:1: found a line before any \[section\]"),
    ("[archive]\npath\n", r"thongbao\.ini:2: found a line that is not 'key = value'"),
])
def test_config_errors_name_file_line_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        config(tmp_path, text)


def test_a_bad_config_stops_issue_with_one_line(tmp_path):
    write(tmp_path / "thongbao.ini", "[party-terms]\nBCĐ = soon\n")
    source = write(tmp_path / "a.yaml", notice())
    from generator.cli_archive import issue

    result = invoke(issue, source, "--archive", tmp_path / "a")
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'thongbao.ini'}:2: party-terms.BCĐ: found 'soon', expected term " \
                            "start dates as YYYY-MM-DD, separated by commas\n"


# The number line --------------------------------------------------------------------------------

@pytest.mark.parametrize("given, filed", [
    (b"# header\nstyle: party\n", b"# header\nnumber: 12\nstyle: party\n"),
    (b"\xef\xbb\xbfa: 1\r\nb: 2\r\n", b"\xef\xbb\xbfnumber: 12\r\na: 1\r\nb: 2\r\n"),
    (b"a: 1\nnumber:   # given at issue\nb: 2\n", b"a: 1\nnumber: 12  # given at issue\nb: 2\n"),
    (b"a: 1\nnumber: ~\n", b"a: 1\nnumber: 12\n"),
    (b"---\na: 1\n", b"---\nnumber: 12\na: 1\n"),
])
def test_the_number_line_is_added_and_nothing_else_changes(given, filed):
    assert add_number_line(given, 12, "n.yaml") == filed


@pytest.mark.parametrize("given", [b"{a: 1}\n", b"- a\n", b"a: 1\nnumber: [1]\n"])
def test_a_source_the_number_line_cannot_go_into_is_refused(given):
    with pytest.raises(IssueError, match=r"n\.yaml(:\d+)?: number: found"):
        add_number_line(given, 12, "n.yaml")


def test_an_empty_register_is_one_line(tmp_path):
    write(tmp_path / "register.sqlite3", b"")
    with pytest.raises(ArchiveError, match=r"register\.sqlite3: found an empty register"):
        verify(tmp_path)


def test_register_body_filter(tmp_path):
    archive = tmp_path / "a"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=3)))
    issue_in(archive, write(tmp_path / "b.yaml", notice(number=3, body_code="HU", issuing_body="HUYỆN ỦY")))
    assert [e.document.symbol for e in entries(archive, body="HU")] == ["03-TB/HU"]


def test_the_commands_run_on_their_own_as_a_module(tmp_path):
    proc = cli_process("--help", cwd=tmp_path)
    out, _ = proc.communicate()
    assert proc.returncode == 0
    assert [c for c in ("issue", "history", "diff", "verify", "register") if f"  {c} " in out] == [
        "issue", "history", "diff", "verify", "register"]


@pytest.mark.parametrize("name,found", [("r.txt", "a '.txt' extension"), ("r", "no extension")])
def test_an_output_that_is_no_xlsx_or_csv_is_said_in_the_runs_language(tmp_path, name, found):
    from click.testing import CliRunner

    from generator.cli import main

    issue_in(tmp_path / "archive", write(tmp_path / "a.yaml", notice()))
    out = tmp_path / name
    result = invoke(register, "-o", out, "--archive", tmp_path / "archive")
    assert result.exit_code == 1
    assert result.output == f"Error: {out}: -o: found {found}, expected a file ending .xlsx or .csv\n"
    vi = CliRunner().invoke(main, ["register", "-o", str(out), "--archive", str(tmp_path / "archive")],
                            env={"THONGBAO_LANG": "vi"})
    assert vi.output.startswith(f"Lỗi: {out}: -o: gặp ") and " extension" not in vi.output
    assert not out.exists()
