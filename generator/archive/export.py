"""The register as the official outgoing register (sổ đăng ký văn bản đi, NĐ 30 Phụ lục IV).

One row per document, with the latest version's data; corrections are noted
in the last column. The .xlsx is laid out to print (A4 landscape, the header
repeated on each page); a second sheet lists every version with its hashes, a
third the copies (bản trích sao) sent with them, from the copy register.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..docx.package import reproducible_zip
from ..output import write_atomic
from .errors import ArchiveError, problem
from .register import CopyRow, DocumentRow, Register, VersionRow, guarded

COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
WIDTHS = (16, 12, 48, 18, 36, 14, 8, 12, 12, 30)
VERSION_COLUMNS = ("Số, ký hiệu văn bản", "Bản", "Thời điểm ban hành", "Lý do", "Trích yếu",
                   "Phiên bản thongbao", "Mẫu", "SHA-256 của manifest")
COPY_COLUMNS = ("Số, ký hiệu bản sao", "Ngày sao", "Hình thức sao", "Văn bản được sao", "Bản", "Nơi nhận", "Tệp")
TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"


@dataclass(frozen=True)
class Entry:
    document: DocumentRow
    versions: list[VersionRow]
    copies: list[CopyRow] = field(default_factory=list)   # every version's, from the copy register

    def cells(self) -> tuple[str, ...]:
        latest, first = self.versions[-1], self.versions[0]
        sent = [r for r in latest.recipients if not _is_file_copy(r)]
        kept = [_file_copy(r) for r in latest.recipients if _is_file_copy(r)]
        notes = [f"Bản {v.version} (đính chính) ban hành ngày {_day(v.issued_at)}: {v.reason}" for v in self.versions[1:]]
        return (
            self.document.symbol,
            f"{latest.doc_date:%d/%m/%Y}",
            f"{latest.document_type.capitalize()} {latest.subject}",
            latest.signer,
            "; ".join(sent),
            "; ".join(kept),
            "",  # số lượng bản: counted by the clerk
            _day(first.issued_at),
            "",  # ký nhận: signed on paper
            "\n".join(notes),
        )


def _is_file_copy(recipient: str) -> bool:
    return recipient.casefold().startswith("lưu")


def _file_copy(recipient: str) -> str:
    return recipient[3:].lstrip(" :").rstrip(" .;,") or recipient


def _day(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y")


@guarded
def entries(archive: Path, year: int | None = None, body: str | None = None) -> list[Entry]:
    """The register's documents, by date and number; ``year`` of the document date, ``body`` its code."""
    with Register(archive, create=False) as reg:
        docs = [d for d in reg.documents()
                if (year is None or d.doc_date.year == year) and (body is None or d.body_code == body)]
        out = []
        for d in docs:
            versions = reg.versions(d.id)
            out.append(Entry(d, versions, [c for v in versions for c in reg.copies(d.id, v.version)]))
    return sorted(out, key=lambda e: (e.versions[-1].doc_date, e.document.number, e.document.id))


def register_csv(items: list[Entry]) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Vietnamese letters."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(e.cells() for e in items)
    return buf.getvalue().encode("utf-8-sig")


def register_xlsx(items: list[Entry], heading: str, stamp: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    font, bold = Font(name="Times New Roman", size=11), Font(name="Times New Roman", size=11, bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, horizontal="center", vertical="center")

    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    last = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    sheet["A1"].alignment = centre
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = heading
    sheet["A2"].font = Font(name="Times New Roman", size=12, italic=True)
    sheet["A2"].alignment = centre
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS), 1):
        head = sheet.cell(row=3, column=col, value=name)
        mark = sheet.cell(row=4, column=col, value=f"({col})")
        for cell in (head, mark):
            cell.font, cell.alignment, cell.border = bold, centre, box
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row, entry in enumerate(items, 5):
        for col, value in enumerate(entry.cells(), 1):
            cell = sheet.cell(row=row, column=col, value=value)
            cell.font, cell.alignment, cell.border = font, wrap, box
    sheet.print_title_rows = "3:4"
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P/&N"

    versions = book.create_sheet("Phiên bản")
    versions.append(VERSION_COLUMNS)
    for cell in versions[1]:
        cell.font, cell.alignment = bold, centre
    for entry in items:
        for v in entry.versions:
            versions.append((entry.document.symbol, v.version, v.issued_at, v.reason or "", v.subject,
                             v.generator_version, v.template_name, v.manifest_sha256))
    for col, width in enumerate((16, 6, 26, 40, 48, 10, 14, 66), 1):
        versions.column_dimensions[get_column_letter(col)].width = width

    copies = book.create_sheet("Bản sao")
    copies.append(COPY_COLUMNS)
    for cell in copies[1]:
        cell.font, cell.alignment = bold, centre
    rows = sorted((c for e in items for c in e.copies), key=lambda c: (c.style, c.code, c.copy_date, c.number))
    symbols = {e.document.id: e.document.symbol for e in items}
    for c in rows:
        copies.append((c.symbol, f"{c.copy_date:%d/%m/%Y}", "Trích sao", symbols[c.document_id], c.version,
                       c.unit_name, c.file_name))
    for col, width in enumerate((16, 12, 12, 16, 6, 48, 30), 1):
        copies.column_dimensions[get_column_letter(col)].width = width

    buf = io.BytesIO()
    book.save(buf)
    return reproducible_zip(buf.getvalue(), stamp, fix_core_dates=True)


@guarded
def export_register(archive: Path, output: Path, year: int | None = None, body: str | None = None) -> int:
    """Write the register to ``output`` (.xlsx or .csv); return the number of documents."""
    output = Path(output)
    kind = output.suffix.lower()
    if kind not in (".xlsx", ".csv"):
        raise ArchiveError(problem(output, "-o", f"a '{kind or 'no'}' extension", "a file ending .xlsx or .csv"))
    items = entries(archive, year, body)
    if kind == ".csv":
        data = register_csv(items)
    else:
        try:
            import openpyxl  # noqa: F401
        except ModuleNotFoundError:
            raise ArchiveError(problem(output, "-o", "no openpyxl installed",
                                       "'pip install openpyxl', or a .csv file")) from None
        heading = ", ".join(filter(None, (f"Năm {year}" if year else "", body or "")))
        stamp = max((e.versions[-1].doc_date for e in items), default=dt.date(1980, 1, 1))
        data = register_xlsx(items, heading or "Tất cả văn bản", stamp)
    write_atomic(output, data)
    return len(items)
