"""Notices typed by hand the way clerks type them, built with python-docx (not with our template).

Each builder writes a .docx to the path it is given: tabs instead of tables,
direct formatting instead of styles, numbering typed as text (or Word's
automatic lists), "Nơi nhận:" and the signature in a table or after tabs,
footnotes typed as superscript numbers with the note text at the end.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _para(doc, *pieces, align=None, bold=False):
    """A paragraph of pieces: a str, or (text, 'b') bold, or (text, 's') superscript."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    for piece in pieces:
        text, kind = (piece, "") if isinstance(piece, str) else piece
        run = p.add_run(text)
        run.font.size = Pt(14)
        run.font.name = "Times New Roman"
        run.bold = bold or kind == "b"
        if kind == "s":
            run.font.superscript = True
    return p


def _cell(cell, *lines, bold_lines=()):
    cell.paragraphs[0].text = ""
    for k, line in enumerate(lines):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        p.alignment = CENTER
        run = p.add_run(line)
        run.bold = k in bold_lines


def tabbed_party(path: Path) -> None:
    """Party notice, header and closing laid out with tabs; headings typed bold; bold deadlines."""
    doc = docx.Document()
    _para(doc, "HUYỆN ỦY ĐĂK HÀ\t\t\t", ("ĐẢNG CỘNG SẢN VIỆT NAM", "b"))
    _para(doc, ("VĂN PHÒNG", "b"))
    _para(doc, "*\t\t\tĐăk Hà, ngày 10 tháng 3 năm 2024")
    _para(doc, "Số 45-TB/VPHU")
    _para(doc, "")
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "kết luận của Thường trực Huyện ủy tại buổi làm việc", align=CENTER, bold=True)
    _para(doc, "với Ban Thường vụ Huyện đoàn", align=CENTER, bold=True)
    _para(doc, "-----", align=CENTER)
    _para(doc, "\tNgày 08/3/2024, Thường trực Huyện ủy làm việc với Ban Thường vụ Huyện đoàn. "
               "Sau khi nghe báo cáo, Thường trực Huyện ủy kết luận như sau:", align=JUSTIFY)
    _para(doc, "\t1. Giao Huyện đoàn:", bold=True)
    _para(doc, "\t- Xây dựng kế hoạch tổ chức Tháng Thanh niên năm 2024, báo cáo Thường trực Huyện ủy ",
          ("trước ngày 20/3/2024", "b"), ".")
    _para(doc, "\t- Phối hợp với Hội LHPN huyện tổ chức các hoạt động tình nguyện hè.")
    _para(doc, "\t2. Ban Tuyên giáo Huyện ủy: Hướng dẫn tuyên truyền kỷ niệm Ngày thành lập Đoàn ",
          ("trong tháng 3/2024", "b"), ".")
    _para(doc, "")
    _para(doc, "Nơi nhận:\t\t\tT/L BAN THƯỜNG VỤ")
    _para(doc, "- Thường trực Huyện ủy,\t\t\tCHÁNH VĂN PHÒNG")
    _para(doc, "- Huyện đoàn,")
    _para(doc, "- Ban Tuyên giáo Huyện ủy,")
    _para(doc, "- Lưu Văn phòng Huyện ủy.")
    _para(doc, "")
    _para(doc, "\t\t\t\tNguyễn Văn Nam")
    doc.save(path)


def tables_state(path: Path) -> None:
    """State notice: header and closing in two-column tables, parts, sub-items, '+' details,
    a footnote typed as a superscript with its text at the end."""
    doc = docx.Document()
    t = doc.add_table(rows=1, cols=2)
    _cell(t.cell(0, 0), "ỦY BAN NHÂN DÂN", "XÃ ĐĂK RUỒNG", "Số: 12/TB-UBND", bold_lines=(0, 1))
    _cell(t.cell(0, 1), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Đăk Ruồng, ngày 05 tháng 4 năm 2024", bold_lines=(0, 1))
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3/2024", align=CENTER, bold=True)
    _para(doc, "Ngày 01/4/2024, Chủ tịch UBND xã chủ trì cuộc họp giao ban. Chủ tịch UBND xã kết luận như sau:",
          align=JUSTIFY)
    _para(doc, "I. ĐÁNH GIÁ CHUNG", bold=True)
    _para(doc, "Trong tháng 3/2024, các ban, ngành của xã đã hoàn thành cơ bản nhiệm vụ", ("1", "s"),
          "; công tác thu ngân sách còn chậm.")
    _para(doc, "II. NHIỆM VỤ THỜI GIAN TỚI", bold=True)
    _para(doc, "1. Công chức Địa chính - Xây dựng:")
    _para(doc, "a) Rà soát hiện trạng sử dụng đất các thôn, hoàn thành ", ("trước ngày 20/4/2024", "b"), ".")
    _para(doc, "b) Phối hợp với các thôn:")
    _para(doc, "- Kiểm tra các công trình xây dựng trái phép:")
    _para(doc, "+ Thôn 1 và thôn 2;")
    _para(doc, "+ Thôn 3.")
    _para(doc, "2. Công an xã: Tăng cường tuần tra, bảo đảm an ninh trật tự trong dịp lễ.")
    _para(doc, "Ủy ban nhân dân xã thông báo để các ban, ngành, thôn biết, thực hiện./.")
    t2 = doc.add_table(rows=1, cols=2)
    _cell(t2.cell(0, 0), "Nơi nhận:", "- Như trên;", "- TT Đảng ủy xã (b/c);", "- Lưu: VT.")
    _cell(t2.cell(0, 1), "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "", "Y Bình", bold_lines=(0, 1, 4))
    _para(doc, ("1", "s"), " Theo báo cáo của Văn phòng - Thống kê xã ngày 31/3/2024.")
    doc.save(path)


def plain_paragraphs(path: Path) -> None:
    """Everything as plain paragraphs (no tables, no tabs); items '1-'; a note typed '(1)'."""
    doc = docx.Document()
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY XÃ TÂN LẬP", "CHI BỘ THÔN 2", "*", "Số 07-TB/CB",
                 "Tân Lập, ngày 02 tháng 02 năm 2024"):
        _para(doc, line, align=CENTER, bold=line.startswith("CHI BỘ"))
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "kết luận của Chi bộ tại kỳ sinh hoạt tháng 01/2024", align=CENTER, bold=True)
    _para(doc, "Tại kỳ sinh hoạt ngày 31/01/2024, Chi bộ thôn 2 kết luận như sau:")
    _para(doc, "1- Ban Công tác Mặt trận thôn: Vận động Nhân dân vệ sinh môi trường(1), hoàn thành ",
          ("trước ngày 08/02/2024", "b"), ".")
    _para(doc, "2- Chi hội Nông dân thôn: Hướng dẫn hội viên chăm sóc cà phê sau thu hoạch.")
    _para(doc, "Nơi nhận:")
    _para(doc, "- Đảng ủy xã (b/c),")
    _para(doc, "- Lưu Chi bộ.")
    _para(doc, "T/M CHI BỘ", align=CENTER, bold=True)
    _para(doc, "BÍ THƯ", align=CENTER, bold=True)
    _para(doc, "A Thuận", align=CENTER, bold=True)
    _para(doc, "(1) Trọng tâm là khu vực chợ và nhà văn hóa thôn.")
    doc.save(path)


def word_lists(path: Path) -> None:
    """Items and bullets made with Word's automatic lists (List Number, List Bullet styles)."""
    doc = docx.Document()
    t = doc.add_table(rows=1, cols=2)
    _cell(t.cell(0, 0), "HUYỆN ỦY KON RẪY", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "*", "Số 110-TB/BCĐ", bold_lines=(1,))
    _cell(t.cell(0, 1), "ĐẢNG CỘNG SẢN VIỆT NAM", "Kon Rẫy, ngày 20 tháng 10 năm 2023", bold_lines=(0,))
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "kết luận Hội nghị giao ban quý III/2023", align=CENTER, bold=True)
    _para(doc, "-----", align=CENTER)
    _para(doc, "Hội nghị giao ban ngày 18/10/2023 kết luận như sau:")
    doc.add_paragraph("UBND huyện:", style="List Number")
    b = doc.add_paragraph("Hoàn thiện mô hình nhà vườn, báo cáo ", style="List Bullet")
    b.add_run("trước ngày 15/11/2023").bold = True
    doc.add_paragraph("Chỉ đạo Phòng Dân tộc theo dõi tiến độ.", style="List Bullet")
    doc.add_paragraph("Ban Dân vận Huyện ủy:", style="List Number")
    doc.add_paragraph("Tổng hợp kết quả các xã.", style="List Bullet")
    t2 = doc.add_table(rows=1, cols=2)
    _cell(t2.cell(0, 0), "Nơi nhận:", "- BTV Huyện ủy (b/c),", "- UBND huyện,", "- Lưu VT.")
    _cell(t2.cell(0, 1), "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "", "Lê Văn Hùng")
    doc.save(path)


def one_conclusion(path: Path) -> None:
    """A State notice of one conclusion, unnumbered; subject on two lines; signature after tabs."""
    doc = docx.Document()
    _para(doc, "ỦY BAN NHÂN DÂN\t\t", ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b"))
    _para(doc, ("HUYỆN KON RẪY", "b"), "\t\t", ("Độc lập - Tự do - Hạnh phúc", "b"))
    _para(doc, "Số: 31/TB-UBND\t\tKon Rẫy, ngày 15 tháng 5 năm 2024")
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "Ý kiến kết luận của Chủ tịch UBND huyện", align=CENTER, bold=True)
    _para(doc, "về công tác phòng cháy rừng", align=CENTER, bold=True)
    _para(doc, "Ngày 14/5/2024, Chủ tịch UBND huyện họp về công tác phòng cháy rừng và kết luận như sau:")
    _para(doc, "Giao Hạt Kiểm lâm huyện chủ trì kiểm tra các vùng rừng trọng điểm, báo cáo kết quả ",
          ("trước ngày 31/5/2024", "b"), ".")
    _para(doc, "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.")
    _para(doc, "Nơi nhận:\t\tKT. CHỦ TỊCH")
    _para(doc, "- Hạt Kiểm lâm huyện;\t\tPHÓ CHỦ TỊCH")
    _para(doc, "- Lưu: VT.")
    _para(doc, "\t\tTrần Văn Bình")
    doc.save(path)


def not_a_notice(path: Path) -> None:
    """A report, not a notice: a number line and prose, no items, no Nơi nhận."""
    doc = docx.Document()
    _para(doc, "Số: 5/BC-UBND")
    _para(doc, "Báo cáo tình hình thời tiết tuần qua: trời nắng, không có mưa lớn.")
    doc.save(path)


def prose(path: Path) -> None:
    doc = docx.Document()
    _para(doc, "Danh sách món ăn cho buổi liên hoan cuối năm.")
    _para(doc, "Bánh chưng, giò lụa, canh măng.")
    doc.save(path)


def textbox_header(path: Path) -> None:
    """The header typed in two text boxes (VML, as older Word saves them), the rest as plain paragraphs."""
    from docx.oxml import parse_xml

    doc = docx.Document()

    def box(lines: list[tuple[str, bool]]) -> str:
        paras = "".join(
            f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}'
            f"<w:t>{text}</w:t></w:r></w:p>" for text, bold in lines)
        return (f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                f'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:80pt">'
                f"<v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")

    anchor = doc.add_paragraph()
    anchor._p.append(parse_xml(box([("HUYỆN ỦY KON RẪY", False), ("BAN DÂN VẬN", True), ("*", False),
                                    ("Số 21-TB/BDVHU", False)])))
    anchor._p.append(parse_xml(box([("ĐẢNG CỘNG SẢN VIỆT NAM", True),
                                    ("Kon Rẫy, ngày 03 tháng 6 năm 2024", False)])))
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "kết luận buổi làm việc với Hội Nông dân huyện", align=CENTER, bold=True)
    _para(doc, "Ngày 31/5/2024, Ban Dân vận Huyện ủy làm việc với Hội Nông dân huyện và kết luận như sau:")
    _para(doc, "1. Hội Nông dân huyện: Tổng kết mô hình liên kết sản xuất, báo cáo ", ("trước ngày 30/6/2024", "b"),
          ".")
    _para(doc, "Nơi nhận:")
    _para(doc, "- Hội Nông dân huyện,")
    _para(doc, "- Lưu VT.")
    _para(doc, "T/M BAN DÂN VẬN", align=CENTER, bold=True)
    _para(doc, "TRƯỞNG BAN", align=CENTER, bold=True)
    _para(doc, "Y Hà", align=CENTER, bold=True)
    doc.save(path)


def blank_draft(path: Path) -> None:
    """A draft before issuing: the number and the day left blank, spaces instead of tabs."""
    doc = docx.Document()
    _para(doc, "ỦY BAN NHÂN DÂN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    _para(doc, ("HUYỆN KON RẪY", "b"), "                ", ("Độc lập - Tự do - Hạnh phúc", "b"))
    _para(doc, "Số:       /TB-UBND            Kon Rẫy, ngày      tháng      năm 2024")
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "Kết luận của Chủ tịch UBND huyện tại cuộc họp về giải ngân vốn", align=CENTER, bold=True)
    _para(doc, "Ngày 20/6/2024, Chủ tịch UBND huyện chủ trì cuộc họp về giải ngân vốn đầu tư công và kết luận:")
    _para(doc, "1. Phòng Tài chính - Kế hoạch: Tổng hợp tiến độ giải ngân, báo cáo ", ("trước ngày 05/7/2024", "b"),
          ".")
    _para(doc, "2. UBND các xã, thị trấn: Đẩy nhanh giải phóng mặt bằng.")
    _para(doc, "Nơi nhận:                     KT. CHỦ TỊCH")
    _para(doc, "- Như trên;                   PHÓ CHỦ TỊCH")
    _para(doc, "- Lưu: VT, TCKH.")
    _para(doc, "                              Trần Văn Bình")
    doc.save(path)


def line_breaks(path: Path) -> None:
    """Header, tasks and the closing typed as lines of one paragraph (Shift+Enter)."""
    doc = docx.Document()
    p = _para(doc, "HUYỆN ỦY KON RẪY\nBAN CHỈ ĐẠO CUỘC VẬN ĐỘNG\n*\nSố 120-TB/BCĐ", align=CENTER)
    _para(doc, "ĐẢNG CỘNG SẢN VIỆT NAM\nKon Rẫy, ngày 02 tháng 11 năm 2023", align=CENTER)
    _para(doc, "THÔNG BÁO", align=CENTER, bold=True)
    _para(doc, "kết luận Hội nghị giao ban tháng 10/2023", align=CENTER, bold=True)
    _para(doc, "Hội nghị kết luận như sau:")
    _para(doc, "1. UBND huyện:\n- Tổng hợp kết quả, báo cáo ", ("trước ngày 15/11/2023", "b"),
          ".\n- Chỉ đạo các xã thực hiện.")
    _para(doc, "Nơi nhận:\n- UBND huyện,\n- Lưu VT.")
    _para(doc, "TRƯỞNG BAN\n\n\nNguyễn Văn A", align=CENTER)
    del p
    doc.save(path)
