"""Every spreadsheet we write prints like the paper it stands for: the print settings in the .xlsx,
and, where LibreOffice Calc is installed, the pages of the PDF it prints to."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator import sheets
from generator.archive.export import (
    COLUMNS,
    VERSION_COLUMNS,
    Entry,
    entries,
    export_register,
    register_xlsx,
)
from generator.archive.issue import issue
from generator.config import Config
from generator.distribute import load_with_units
from generator.exports import HEADINGS, tasks_xlsx
from generator.tasks import assignments

from .conftest import SEED


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The register of the example notice (1 entry), of 40 entries, and the example's tasks.xlsx."""
    tmp = tmp_path_factory.mktemp("sheets")
    source = tmp / "103.yaml"
    shutil.copy(SEED, source)
    issue(source, archive=tmp / "archive", config=Config(), now=dt.datetime(2023, 7, 14, 9, 30).astimezone())
    export_register(tmp / "archive", tmp / "so1.xlsx", year=2023)
    (entry,) = entries(tmp / "archive")
    forty = [Entry(replace(entry.document, id=k, number=k, symbol=f"{k:02d}-TB/BCĐ"), entry.versions)
             for k in range(1, 41)]
    (tmp / "so40.xlsx").write_bytes(register_xlsx(forty, "Năm 2023", dt.date(2023, 7, 14)))
    loaded = load_with_units(SEED)
    items = assignments(loaded.notice, loaded.directory)
    (tmp / "tasks.xlsx").write_bytes(tasks_xlsx(items, loaded.notice.date))
    return {p.stem: p for p in tmp.glob("*.xlsx")}


def assert_prints_on_a4_landscape(sheet, title_rows: str) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # one page wide, as many tall as it takes
    assert sheet.print_title_rows == title_rows
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    assert sheet.page_margins.left >= 0.5 and sheet.page_margins.bottom >= 0.5
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[sheet.max_row]]
    # A4 landscape less the margins is about 137 characters of Times New Roman 11 at 100 %.
    assert 120 <= sum(widths) <= 138 and min(widths) >= 5, widths


def assert_text_is_11_pt_wrapped(sheet, first_row: int, last_row: int | None = None) -> None:
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row):
        for cell in row:
            assert (cell.font.name, cell.font.sz) == ("Times New Roman", 11), cell.coordinate
            assert cell.alignment.wrap_text, cell.coordinate
            assert cell.border.left.style == "thin", cell.coordinate


def test_register_prints_like_the_paper_register(files):
    book = load_workbook(files["so1"])
    sheet = book["Sổ văn bản đi"]
    assert_prints_on_a4_landscape(sheet, "$3:$4")
    assert_text_is_11_pt_wrapped(sheet, first_row=3, last_row=5)  # the column heads and the entry
    assert sheet["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and "A1:J1" in {r.coord for r in sheet.merged_cells.ranges}
    # Column widths are counted in the default font's characters: Times New Roman, as Excel and LibreOffice agree.
    assert book._named_styles["Normal"].font.name == "Times New Roman"
    # The row is as tall as its longest text: the seven lines of the example's 'Nơi nhận' and 'Trích yếu'.
    assert [sheets.line_count(sheet[f"{c}5"].value, sheet.column_dimensions[c].width) for c in "CE"] == [7, 7]
    assert sheet.row_dimensions[5].height >= 7 * 12.5


def test_the_versions_sheet_prints_too(files):
    sheet = load_workbook(files["so40"])["Phiên bản"]
    assert_prints_on_a4_landscape(sheet, "$1:$1")
    assert_text_is_11_pt_wrapped(sheet, first_row=1)
    assert sheet.oddHeader.center.text == "SỔ ĐĂNG KÝ VĂN BẢN ĐI: CÁC BẢN ĐÃ BAN HÀNH (Năm 2023)"
    assert sheet.max_row == 41 and all(sheet.row_dimensions[r].height >= 2 * 12.5 for r in range(2, 42))


def test_tasks_xlsx_prints_every_column_on_a4_landscape(files):
    sheet = load_workbook(files["tasks"]).active
    assert_prints_on_a4_landscape(sheet, "$1:$1")
    assert_text_is_11_pt_wrapped(sheet, first_row=1)
    assert sheet.oddHeader.center.text == "NHIỆM VỤ THEO THÔNG BÁO SỐ 103-TB/BCĐ NGÀY 14/07/2023"
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}" and sheet.freeze_panes == "A2"
    widths = dict(zip(HEADINGS, (sheet.column_dimensions[c.column_letter].width for c in sheet[1])))
    assert widths["Nội dung"] == max(widths.values())
    for row in sheet.iter_rows(min_row=2):
        lines = sheets.line_count(row[6].value, widths["Nội dung"])
        assert sheet.row_dimensions[row[0].row].height >= lines * 12.5, row[0].row


def test_a_row_is_as_tall_as_its_longest_wrapped_cell():
    one = sheets.row_height([("Đinh Thị Mỹ Hảo", 20), (None, 5), ("", 5)])
    assert one == sheets.row_height([]) and 12 < one < 20
    words = " ".join(["Nhiệm vụ"] * 40)  # 80 words, 6 to a line of 30 characters
    assert sheets.line_count(words, 30) == 14 == sheets.line_count(words + "\n" + "x", 30) - 1
    assert sheets.line_count("0" * 30, 10) == 4  # a word longer than the column breaks inside it: 165 pt in 51.75
    assert sheets.row_height([(words, 30), ("x", 10)]) > 11 * sheets.row_height([("x", 10)]) / 1.5


def test_tasks_xlsx_is_byte_identical_across_runs(files):
    loaded = load_with_units(SEED)
    items = assignments(loaded.notice, loaded.directory)
    assert tasks_xlsx(items, loaded.notice.date) == files["tasks"].read_bytes()
    assert load_workbook(io.BytesIO(files["tasks"].read_bytes())).properties.creator == "thongbao"


# The PDF that LibreOffice Calc prints -------------------------------------------------------------

def _calc_installed() -> bool:
    soffice = shutil.which("soffice")
    return bool(soffice) and any(Path(os.path.realpath(soffice)).parent.glob("*sclo.*"))


calc = pytest.mark.skipif(
    not (_calc_installed() and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice Calc (libreoffice-calc-nogui) or poppler-utils is not installed (.ci/run installs them)",
)


@pytest.fixture(scope="module")
def pdfs(files, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdf")
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, files.values())],
        check=True, capture_output=True, timeout=300,
    )
    return {name: out / f"{name}.pdf" for name in files}


def pages(pdf: Path) -> list[str]:
    """The text of each page, in the order LibreOffice wrote it, whitespace made single spaces."""
    count = int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", pdf), re.MULTILINE).group(1))
    text = _run("pdftotext", "-raw", pdf, "-").split("\f")[:count]
    return [" ".join(unicodedata.normalize("NFC", p).split()) for p in text]


def _run(*args) -> str:
    return subprocess.run([*map(str, args)], check=True, capture_output=True, text=True).stdout


def scale(pdf: Path, word: str, size: float = 11) -> float:
    """How large ``word`` printed, against its width in Times New Roman ``size`` (1.0: not shrunk)."""
    bbox = _run("pdftotext", "-bbox", pdf, "-")
    x0, x1 = next((float(a), float(b)) for a, b, w in re.findall(
        r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', bbox) if w == word)
    return (x1 - x0) / sheets.text_width(word, size)


def letters(text: str) -> Counter:
    return Counter(ch for ch in unicodedata.normalize("NFC", text) if ch.isalpha())


def printed_letters(sheet, page_count: int) -> Counter:
    """The letters a sheet prints on ``page_count`` pages: the title rows and header/footer on each, the rest once."""
    titles = {int(r) for r in re.findall(r"\d+", sheet.print_title_rows or "")}
    titles = set(range(min(titles), max(titles) + 1)) if titles else set()
    out = Counter()
    for row in sheet.iter_rows():
        text = letters(" ".join(str(c.value) for c in row if isinstance(c.value, str)))
        for _ in range(page_count if row[0].row in titles else 1):
            out += text
    margins = " ".join(re.sub(r"&[A-Z]", "", part.text or "").replace("&&", "&")
                       for side in (sheet.oddHeader, sheet.oddFooter) for part in (side.left, side.center, side.right))
    for _ in range(page_count):
        out += letters(margins)
    return out


@calc
def test_one_register_entry_prints_on_one_page_at_11_pt(files, pdfs):
    text = pages(pdfs["so1"])
    # Page 1 the register, page 2 its versions sheet with the hashes.
    assert len(text) == 2, [p[:80] for p in text]
    first = text[0]
    assert "Trang 1/2 " in first and "SỔ ĐĂNG KÝ VĂN BẢN ĐI Năm 2023 " in first
    assert all(name in first for name in COLUMNS), [n for n in COLUMNS if n not in first]
    assert all(f"({k})" in first for k in range(1, 11)) and "103-TB/BCĐ 14/07/2023" in first
    assert all(name in text[1] for name in VERSION_COLUMNS) and "CÁC BẢN ĐÃ BAN HÀNH" in text[1]
    assert 0.97 <= scale(pdfs["so1"], "14/07/2023") <= 1.03
    # Every letter of every cell printed, none clipped by a row too short for its text.
    book = load_workbook(files["so1"])
    assert letters("".join(text)) == printed_letters(book["Sổ văn bản đi"], 1) + printed_letters(book["Phiên bản"], 1)


@calc
def test_forty_entries_print_with_the_header_on_every_page(files, pdfs):
    text = pages(pdfs["so40"])
    register = [p for p in text if "Ký nhận" in p]
    versions = [p for p in text if "SHA-256 của manifest" in p]
    assert len(register) + len(versions) == len(text) and register == text[:len(register)]
    assert all(all(name in p for name in COLUMNS) and "(10)" in p for p in register)
    on_page = [re.findall(r"\b(\d\d)-TB/BCĐ 14/07/2023", p) for p in register]
    assert [int(n) for page in on_page for n in page] == list(range(1, 41))
    assert min(len(p) for p in on_page[:-1]) >= 3, [len(p) for p in on_page]  # not one entry a page
    assert 0.97 <= scale(pdfs["so40"], "14/07/2023") <= 1.03
    assert all(f"Trang {k}/{len(text)} " in p for k, p in enumerate(text, 1))
    book = load_workbook(files["so40"])
    assert letters("".join(text)) == (printed_letters(book["Sổ văn bản đi"], len(register))
                                      + printed_letters(book["Phiên bản"], len(versions)))


@calc
def test_tasks_xlsx_prints_every_column_on_every_page(files, pdfs):
    text = pages(pdfs["tasks"])
    header = "NHIỆM VỤ THEO THÔNG BÁO SỐ 103-TB/BCĐ NGÀY 14/07/2023"
    for k, page in enumerate(text, 1):
        assert page.startswith(f"{header} Trang {k}/{len(text)}"), page[:120]
        assert all(name in page for name in HEADINGS), (k, [n for n in HEADINGS if n not in page])
    assert 0.95 <= scale(pdfs["tasks"], "ubnd-huyen") <= 1.03
    sheet = load_workbook(files["tasks"]).active
    # All 154 rows, each cell whole: no column cut off, no text clipped.
    assert letters("".join(text)) == printed_letters(sheet, len(text))
    assert sum(p.count("14/07/2023") for p in text) == len(text) + sheet.max_row - 1
