"""The register as the official outgoing register (sổ đăng ký văn bản đi, NĐ 30 Phụ lục IV).

One row per document, with the latest version's data; corrections are noted
in the last column. The .xlsx prints like the paper register (A4 landscape at
11 pt, the column heads on each page: see sheets.py); a second sheet lists
every version with its hashes, a third the copies (bản trích sao) sent with
them, from the copy register.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from .. import sheets
from ..docx.package import reproducible_zip
from ..i18n import N_, _
from ..output import check_suffix, check_target, write_atomic
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
# Characters of Times New Roman 11: together one A4 landscape page wide at 100 %.
WIDTHS = (12, 12, 28, 12, 29, 9, 6, 12, 9, 9)
VERSION_COLUMNS = ("Số, ký hiệu văn bản", "Bản", "Thời điểm ban hành", "Lý do", "Trích yếu",
                   "Phiên bản thongbao", "Mẫu", "SHA-256 của manifest")
VERSION_WIDTHS = (12, 5, 25, 14, 29, 9, 10, 33)  # the SHA-256 wraps on two lines
COPY_COLUMNS = ("Số, ký hiệu bản sao", "Ngày sao", "Hình thức sao", "Văn bản được sao", "Bản", "Nơi nhận", "Tệp")
COPY_WIDTHS = (12, 11, 10, 12, 5, 50, 30)
COPY_TITLE = "SỔ BẢN SAO (TRÍCH SAO) ĐÃ GỬI"
TITLE = "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
# The chain head printed on the register: 'thongbao verify --head 12:3f9a0c1d2e4b' checks the archive against it.
HEAD_LABEL = "Mã kiểm tra sổ (thongbao verify --head)"


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


@guarded
def chain_head(archive: Path) -> str:
    """The register's last chain link, short: ``12:3f9a0c1d2e4b`` ('0:' for an empty chain)."""
    with Register(archive, create=False) as reg:
        link = reg.last_link()
    return link.head if link else "0:"


def head_line(head: str) -> str:
    return f"{HEAD_LABEL}: {head}"


def register_csv(items: list[Entry], head: str | None = None) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the Vietnamese letters; the chain head as the last row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(e.cells() for e in items)
    if head is not None:
        writer.writerow([head_line(head)] + [""] * (len(COLUMNS) - 1))
    return buf.getvalue().encode("utf-8-sig")


def register_xlsx(items: list[Entry], heading: str, stamp: dt.date, chain: str | None = None) -> bytes:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    font, bold = Font(name=sheets.FONT, size=sheets.SIZE), Font(name=sheets.FONT, size=sheets.SIZE, bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, horizontal="center", vertical="center")

    book = sheets.new_workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    last = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(name=sheets.FONT, size=14, bold=True)
    sheet["A1"].alignment = centre
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = heading
    sheet["A2"].font = Font(name=sheets.FONT, size=12, italic=True)
    sheet["A2"].alignment = centre
    sheet.append(COLUMNS)
    sheet.append([f"({col})" for col in range(1, len(COLUMNS) + 1)])
    sheets.styled((c for row in sheet.iter_rows(min_row=3) for c in row), font=bold, alignment=centre, border=box)
    for entry in items:
        sheet.append(entry.cells())
    sheets.styled((c for row in sheet.iter_rows(min_row=5) for c in row), font=font, alignment=wrap, border=box)
    sheets.set_widths(sheet, WIDTHS)
    sheet.row_dimensions[1].height, sheet.row_dimensions[2].height = 24, 20
    sheets.fit_rows(sheet, WIDTHS, first=3)
    sheet.freeze_panes = "A5"
    sheets.print_layout(sheet, title_rows="3:4")
    if chain is not None:  # under the table, and at the foot of every printed page
        below = sheet.cell(row=len(items) + 6, column=1, value=head_line(chain))
        below.font = Font(name=sheets.FONT, size=9, italic=True)
        left = sheet.oddFooter.left
        left.text, left.font, left.size = head_line(chain), f"{sheets.FONT},Italic", 8

    versions = book.create_sheet("Phiên bản")
    versions.append(VERSION_COLUMNS)
    sheets.styled(versions[1], font=bold, alignment=centre, border=box)
    for entry in items:
        for v in entry.versions:
            versions.append((entry.document.symbol, v.version, v.issued_at, v.reason or "", v.subject,
                             v.generator_version, v.template_name, v.manifest_sha256))
    sheets.styled((c for row in versions.iter_rows(min_row=2) for c in row), font=font, alignment=wrap, border=box)
    sheets.set_widths(versions, VERSION_WIDTHS)
    sheets.fit_rows(versions, VERSION_WIDTHS, first=1)
    versions.freeze_panes = "A2"
    sheets.print_layout(versions, title_rows="1:1", header=f"{TITLE}: CÁC BẢN ĐÃ BAN HÀNH ({heading})")

    rows = sorted((c for e in items for c in e.copies), key=lambda c: (c.style, c.code, c.copy_date, c.number))
    if rows:  # an archive with numbered copies (extracts issued as trích sao)
        _copies_sheet(book, rows, {e.document.id: e.document.symbol for e in items}, heading,
                      font=font, bold=bold, wrap=wrap, centre=centre, box=box)

    buf = io.BytesIO()
    book.save(buf)
    return reproducible_zip(buf.getvalue(), stamp, fix_core_dates=True)


def _copies_sheet(book, rows: list[CopyRow], symbols: dict[int, str], heading: str, **style) -> None:
    """The third sheet, "Bản sao": the copy register, printed like the others."""
    copies = book.create_sheet("Bản sao")
    copies.append(COPY_COLUMNS)
    sheets.styled(copies[1], font=style["bold"], alignment=style["centre"], border=style["box"])
    for c in rows:
        copies.append((c.symbol, f"{c.copy_date:%d/%m/%Y}", "Trích sao", symbols[c.document_id], c.version,
                       c.unit_name, c.file_name))
    sheets.styled((c for row in copies.iter_rows(min_row=2) for c in row), font=style["font"],
                  alignment=style["wrap"], border=style["box"])
    sheets.set_widths(copies, COPY_WIDTHS)
    sheets.fit_rows(copies, COPY_WIDTHS, first=1)
    copies.freeze_panes = "A2"
    sheets.print_layout(copies, title_rows="1:1", header=f"{COPY_TITLE} ({heading})")


@guarded
def export_register(archive: Path, output: Path, year: int | None = None, body: str | None = None,
                    force: bool = False) -> int:
    """Write the register to ``output`` (.xlsx or .csv); return the number of documents."""
    output = Path(output)
    check_suffix(output, (".xlsx", ".csv"), N_("a file ending .xlsx or .csv"))
    kind = output.suffix.lower()
    if output.resolve().is_relative_to(Path(archive).resolve()):
        raise ArchiveError(problem(output, "-o", _("a path inside the archive"), _("a file outside the archive folder")))
    check_target(output, force=force, new_data=register_csv([]))
    items = entries(archive, year, body)
    head = chain_head(archive)
    if kind == ".csv":
        data = register_csv(items, head)
    else:
        try:
            import openpyxl  # noqa: F401
        except ModuleNotFoundError:
            raise ArchiveError(problem(output, "-o", _("no openpyxl installed"),
                                       _("'pip install openpyxl', or a .csv file"))) from None
        heading = ", ".join(filter(None, (f"Năm {year}" if year else "", body or "")))
        stamp = max((e.versions[-1].doc_date for e in items), default=dt.date(1980, 1, 1))
        data = register_xlsx(items, heading or "Tất cả văn bản", stamp, head)
    write_atomic(output, data)
    return len(items)
