"""The validator's findings for the clerk, each beside the field it is about.

The library says what is wrong through the one message catalog the command
line uses (generator/locale): the web app asks for Vietnamese (create_app
chooses it for every request and job), so a Problem arrives already in the
clerk's words. Here it is only placed and phrased for a form: the field path
becomes words ("conclusions[1].tasks[0]" -> "Kết luận 2, nhiệm vụ 1") and
the finding drops the file and line, which the editor does not show.
"""

from __future__ import annotations

import re

from ..errors import TOP_LEVEL, ImportFailure, Problem
from ..i18n import N_, _

LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# The fields of the source format, as the form labels them (translated where shown).
FIELD_NAMES = {
    "style": N_("Style"), "superior_body": N_("Superior body"), "issuing_body": N_("Issuing body"),
    "body_code": N_("Body code"), "number": N_("Number"), "type_code": N_("Document type code"),
    "document_type": N_("Document type"), "place": N_("Place"), "date": N_("Date of issue"),
    "subject": N_("Subject"), "opening": N_("Opening"), "closing": N_("Closing"),
    "recipients": N_("Recipients"), "signature": N_("Signature"), "footnotes": N_("Footnotes"),
    "conclusions": N_("Conclusions"), "parts": N_("Parts"), "numbering": N_("numbering"),
    "item_mark": N_("mark after the number"), "to": N_("units addressed"), "heading": N_("heading"),
    "text": N_("content"), "deadline": N_("deadline"), "report_to": N_("report to"),
    "paragraphs": N_("paragraphs"), "tasks": N_("tasks"), "details": N_("details"), "items": N_("sub-items"),
    "authority": N_("signing authority"), "title": N_("signer's title"), "name": N_("signer's name"),
}

# What "nothing there" looks like in a finding: the form says "not filled in".
_EMPTY = (N_("nothing (the field is missing)"), N_("an empty value"), N_("empty text"), N_("an empty list"),
          N_("nothing"))


def place(path: str) -> str:
    """``conclusions[1].tasks[0].deadline`` -> ``Kết luận 2, nhiệm vụ 1, thời hạn``."""
    if not path or path == TOP_LEVEL:
        return _("Document")
    words: list[str] = []
    previous = ""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            k = int(part[1:-1])
            if previous == "conclusions":
                words[-1] = _("Conclusion {n}").format(n=k + 1)
            elif previous == "parts":
                words[-1] = _("Part {n}").format(n=ROMAN[k] if k < len(ROMAN) else k + 1)
            elif previous == "items":
                words[-1] = _("sub-item {letter})").format(letter=LETTERS[k] if k < len(LETTERS) else k + 1)
            elif previous == "tasks":
                words[-1] = _("task {n}").format(n=k + 1)
            elif previous == "details":
                words[-1] = _("detail {n}").format(n=k + 1)
            elif previous == "recipients":
                words[-1] = _("Recipients, line {n}").format(n=k + 1)
            elif previous in ("opening", "closing", "paragraphs"):
                words[-1] = _("{field}, paragraph {n}").format(field=words[-1], n=k + 1)
            else:
                words[-1] = _("{field} (line {n})").format(field=words[-1], n=k + 1)
        elif previous == "footnotes":
            words[-1] = _("Footnote ({label})").format(label=part)
        else:
            words.append(_(FIELD_NAMES[part]) if part in FIELD_NAMES else part)
        previous = part if not part.startswith("[") else ""
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return ", ".join(words)


def message(problem: Problem) -> str:
    """The finding as one sentence for the form (without the file, line and place)."""
    if problem.found in {_(e) for e in _EMPTY}:
        return _("not filled in.")
    return _("found {found}, expected {expected}.").format(found=problem.found, expected=problem.expected)


def located(problem: Problem) -> dict:
    """What the editor shows: the field path, where in words, and the message."""
    return {"path": problem.field, "place": place(problem.field), "message": message(problem),
            "line": problem.line}


def full(problem: Problem) -> str:
    return f"{place(problem.field)}: {message(problem)}"


# -- uploads and the importer's notes and warnings ---------------------------------------------------------------------
# The importer runs in the clerk's language: its notes and warnings are the catalog's, shown as they come (as
# sentences). Only what the web says itself is here: the upload's summary, and why a file was refused, by the
# importer's reason, with what to do about it.

UPLOAD = {
    "damaged": "Tệp .{kind} tải lên bị hỏng hoặc không phải tệp Word/LibreOffice thật (nội dung không khớp với đuôi "
               "tệp). Hãy mở tệp trong Word, lưu lại rồi tải lên lần nữa.",
    "no_libreoffice": "Chưa nhận được tệp .{kind}: tệp .doc/.odt/.rtf phải được LibreOffice chuyển sang .docx trước, "
                      "nhưng máy chủ chưa cài LibreOffice. Hãy mở tệp trong Word hoặc LibreOffice, chọn Lưu thành "
                      "(Save As) dạng Word .docx rồi tải lên tệp .docx đó; hoặc nhờ người quản trị cài LibreOffice.",
    "failed": "Không đọc được bản thảo này thành thông báo: {reason}",
    "summary": "Đã nhập bản thảo {name}: {items} kết luận, {tasks} nhiệm vụ, {footnotes} chú thích; {guessed} "
               "(tô vàng bên cạnh từng ô).",
    "assumed": "máy tự đoán {n} giá trị",
    "check": "{n} chỗ cần anh/chị kiểm tra",
    "summary_clean": "Đã nhập bản thảo {name}: {items} kết luận, {tasks} nhiệm vụ, {footnotes} chú thích; "
                     "máy đọc được hết, không phải đoán giá trị nào.",
    "types": "Chỉ nhận tệp nguồn thông báo (.yaml), bản thảo Word (.docx, .doc), LibreOffice (.odt) hoặc .rtf; "
             "tệp '{name}' không được nhận.",
}

NOTE_KINDS = {"ASSUMED": "Máy tự đoán", "CHECK": "Cần kiểm tra"}

# Why the importer refused a file (ImportFailure.reason), said with what the clerk can do.
_FAILURES = {
    "not_notice": ("Tệp {name} không giống một thông báo: không thấy dòng số ('Số ...'), dòng ngày tháng, chữ "
                   "THÔNG BÁO, các mục đánh số hay phần 'Nơi nhận:'. Hãy chọn đúng tệp bản thảo thông báo."),
    "password": "Tệp {name} có đặt mật khẩu: hãy bỏ mật khẩu trong Word rồi tải lên lại.",
    "damaged": "Tệp {name} bị hỏng, không mở được: hãy mở tệp trong Word, lưu lại rồi tải lên lần nữa.",
    "empty": "Tệp {name} trống.",
    "too_big": "Tệp {name} quá lớn để là một thông báo.",
    "conversion": ("LibreOffice không chuyển được tệp {name} sang .docx (tệp hỏng hoặc LibreOffice gặp lỗi). Hãy mở "
                   "tệp trong Word, lưu thành .docx rồi tải lên tệp .docx đó."),
}


def import_failure(failure: ImportFailure, name: str) -> str:
    """Why the importer refused the file the clerk named ``name``: by its reason, else in the importer's words."""
    said = _FAILURES.get(failure.reason)
    return said.format(name=name) if said else UPLOAD["failed"].format(reason=failure.message)


def sentence(text: str) -> str:
    """A note or warning of the library as a sentence on the page: ends with a full stop."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


# -- the layout checker's findings (``thongbao check``), shown after "Thể thức:" in the preview ---------------------
# The library says them in English until the shared catalog lands; the place is named in Vietnamese, the
# common phrases translated, and anything else kept in the library's words inside a Vietnamese sentence.

LAYOUT_ELEMENTS = {
    "national heading": "Quốc hiệu/tiêu đề", "motto": "Tiêu ngữ", "paper": "Khổ giấy", "page numbers": "Số trang",
    "margins.top": "Lề trên", "margins.bottom": "Lề dưới", "margins.left": "Lề trái", "margins.right": "Lề phải",
    "font": "Phông chữ", "colour": "Màu chữ", "header": "Phần đầu", "number": "Số, ký hiệu",
    "issuing body": "Tên cơ quan ban hành", "superior body": "Tên cơ quan cấp trên", "place-date": "Địa danh, ngày tháng",
    "title": "Tên loại văn bản", "subject": "Trích yếu", "body": "Nội dung", "footnotes": "Chú thích",
    "closing": "Nơi nhận và chữ ký", "recipients": "Nơi nhận", "signature": "Chữ ký", "authority": "Thẩm quyền ký",
    "signer's name": "Họ tên người ký", "signer's title": "Chức vụ người ký",
}

_STYLES = {"party": "Đảng", "state": "Nhà nước", "Party": "Đảng", "State": "Nhà nước"}

_LAYOUT_PHRASES: list[tuple[str, str]] = [
    (r"\((\d+) places, first '", r"(\1 chỗ, chỗ đầu tiên '"),
    (r"\(in '", "(ở '"),
    (r"\bA4 portrait\b", "A4 khổ đứng"),
    (r"\blandscape\b", "khổ ngang"),
    (r"\btext in ([\d., ]+) pt\b", r"chữ cỡ \1 pt"),
    (r"' in ([\d., ]+) pt\b", r"' cỡ \1 pt"),
    (r"\b([\d.]+) pt between the title and the name\b", r"\1 pt giữa chức vụ và họ tên"),
    (r"\bof room for the signature\b", "để ký"),
    (r"\bnothing under the subject\b", "không có gì dưới trích yếu"),
    (r"\bunder the subject\b", "dưới trích yếu"),
    (r"\bunder the issuing body\b", "dưới tên cơ quan ban hành"),
    (r"\ba lower-case start\b", "chữ thường ở đầu"),
    (r"\bnot underlined\b", "không gạch chân"), (r"\bunderlined\b", "gạch chân"),
    (r"\bthe Tiêu ngữ\b", "Tiêu ngữ"),
    (r"\ba rule as long as the text \(about ([\d.]+) mm\)", r"đường kẻ dài bằng dòng chữ (khoảng \1 mm)"),
    (r"^no two-column table before the title$", "không có bảng hai cột trước tên loại văn bản"),
    (r"^the issuing body on the left, the national heading and the date on the right$",
     "tên cơ quan bên trái, quốc hiệu và ngày tháng bên phải"),
    (r"^no two-column table with 'Nơi nhận:' and the signature$", "không có bảng hai cột 'Nơi nhận:' và chữ ký"),
    (r"^'Nơi nhận:' and the recipients on the left, the signature block on the right$",
     "'Nơi nhận:' bên trái, chữ ký bên phải"),
    (r"^the closing may stand alone on a page", "phần nơi nhận và chữ ký có thể bị tách sang một trang riêng"),
    (r"\bis not kept with it\b", "không đi liền với nó"),
    (r"\bnote (\d+) in ([\d.]+) pt\b", r"chú thích \1 cỡ \2 pt"),
    (r"\bline spacing exactly\b", "giãn dòng đúng"),
    (r"\bline spacing at least\b", "giãn dòng ít nhất"),
    (r"\bline spacing ([\d.]+) lines\b", r"giãn dòng \1 dòng"),
    (r"\bexactly\b", "đúng"),
    (r"\bat least\b", "ít nhất"),
    (r"([\d.]+)-([\d.]+) lines\b", r"\1-\2 dòng"),
    (r"\b([\d.]+) pt between paragraphs\b", r"\1 pt giữa các đoạn"),
    (r"\bfirst-line indent\b", "thụt đầu dòng"),
    (r"\bparagraphs aligned (\w+)\b", r"đoạn căn \1"),
    (r"\baligned (\w+)\b", r"căn \1"),
    (r"\bcentred under the title\b", "căn giữa dưới tên loại văn bản"),
    (r"\bcentred under the subject\b", "căn giữa dưới trích yếu"),
    (r"\bcentred in the top margin\b", "căn giữa ở lề trên"),
    (r"\bcentred\b", "căn giữa"),
    (r"\bjustified\b", "căn đều hai bên"),
    (r"\bcăn left\b", "căn trái"), (r"\bcăn right\b", "căn phải"), (r"\bcăn center\b", "căn giữa"),
    (r"\bcăn both\b", "căn đều hai bên"),
    (r"\bupright, not bold\b", "chữ đứng, không đậm"),
    (r"\bupright, not italic\b", "chữ đứng, không nghiêng"),
    (r"\bnot bold\b", "không đậm"), (r"\bbold\b", "in đậm"),
    (r"\bnot in italic\b", "không nghiêng"), (r"\bnot italic\b", "không nghiêng"), (r"\bin italic\b", "in nghiêng"), (r"\bitalic\b", "in nghiêng"),
    (r"\bupper case\b", "chữ in hoa"),
    (r"\btext coloured\b", "chữ màu"), (r"\bblack text\b", "chữ đen"),
    (r"\ba rule ([\d.]+) mm long under it\b", r"đường kẻ dài \1 mm ở dưới"),
    (r"\ba short rule\b", "đường kẻ ngắn"),
    (r"\ba rule under the heading\b", "đường kẻ dưới quốc hiệu"),
    (r"\bno rule under\b", "không có đường kẻ dưới"),
    (r"\ba page number in the footer\b", "số trang ở chân trang"),
    (r"\ba page number on page 1\b", "có số trang ở trang 1"),
    (r"\bnumbers from page 2 on \(Word: Different First Page\)", "đánh số từ trang 2 (Word: Different First Page)"),
    (r"\bno page number field\b", "không có số trang"),
    (r"\bArabic page numbers\b", "số trang bằng chữ số Ả Rập"),
    (r"\bfrom page 2\b", "từ trang 2"),
    (r"\bthe form\b", "dạng"),
    (r"\((\w+) style\)", lambda m: f"(thể thức {_STYLES.get(m.group(1), m.group(1))})"),
    (r"\((\w+) style: ", lambda m: f"(thể thức {_STYLES.get(m.group(1), m.group(1))}: "),
    (r"\b(\w+) style\b", lambda m: f"thể thức {_STYLES.get(m.group(1), m.group(1))}"),
    (r"^neither (.+) nor (.+) with Vietnamese letters installed$",
     r"máy chủ chưa cài phông \1 hoặc \2 có đủ chữ tiếng Việt"),
    (r", or line breaks differ from Word$", "; nếu không, chỗ xuống dòng sẽ khác với Word"),
    (r"\bor\b", "hoặc"),
]


def _layout_words(text: str) -> str:
    for pattern, repl in _LAYOUT_PHRASES:
        text = re.sub(pattern, repl, text)
    return text


def layout_finding(problem: Problem) -> str:
    """One finding of ``check`` for the preview: ``Trích yếu: chữ cỡ 12 pt (cần 13-14 pt)``."""
    element = problem.field or ""
    where = LAYOUT_ELEMENTS.get(element, element or "Văn bản")
    return f"{where}: {_layout_words(problem.found)} (cần: {_layout_words(problem.expected)})"


# -- times ------------------------------------------------------------------------------------------------------------

def moment(iso: str) -> str:
    """``2026-11-25T20:56:39+00:00`` -> ``20:56 ngày 25/11/2026`` (a register's time of issue, as the pages show it)."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"
