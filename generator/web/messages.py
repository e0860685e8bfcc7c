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

from ..errors import TOP_LEVEL, Problem
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


# -- uploads and the importer's notes (``thongbao import`` writes them in English, as YAML comments) ------------------

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

_STYLES = {"party": "Đảng", "state": "Nhà nước", "Party": "Đảng", "State": "Nhà nước"}
_DATE_REASONS = {
    "the meeting's date (opening)": "tạm lấy ngày cuộc họp nêu ở phần mở đầu",
    "the earliest date in the text": "tạm lấy ngày sớm nhất có trong nội dung",
    "no date in the text: write the notice's date": "nội dung không có ngày nào: hãy ghi ngày ban hành",
}
_LOST = "mất dòng ở đầu văn bản"

# (pattern on the importer's note, Vietnamese, the field it is about when the comment cannot say it)
_NOTES: list[tuple[str, str, str | None]] = [
    (r"^no national heading; from the '\*' under the body$",
     "không có tiêu đề Đảng; thể thức Đảng đoán từ dấu '*' dưới tên cơ quan.", "style"),
    (r"^no national heading; from the motto$", "không có dòng quốc hiệu; thể thức Nhà nước đoán từ dòng tiêu ngữ.",
     "style"),
    (r"^no national heading; from the number's form$",
     "không có quốc hiệu hay tiêu đề Đảng; thể thức đoán từ cách ghi số văn bản.", "style"),
    (r"^no national heading and no number line: Party style assumed$",
     "không có quốc hiệu, tiêu đề và dòng số văn bản: tạm chọn thể thức Đảng.", "style"),
    (r"^the date line '(.+)' is not a real date$", "dòng ngày tháng '{g1}' không phải là một ngày có thật.", "date"),
    (r"^read '(.+)'$", "số văn bản đọc từ '{g1}': hãy kiểm tra lại.", None),
    (r"^read from '(.+)'; an abbreviation without '-' or '/' is expected$",
     "ký hiệu cơ quan đọc từ '{g1}'; chữ viết tắt không được có '-' hay '/'.", "body_code"),
    (r"^which header line is the superior body and which the issuing body was read from their order$",
     "cơ quan cấp trên và cơ quan ban hành được phân biệt theo thứ tự các dòng ở đầu văn bản: hãy kiểm tra lại.",
     "issuing_body"),
    (r"^a paragraph printed after the tasks in the original is printed before them here",
     ("một đoạn nằm sau các nhiệm vụ trong bản gốc được đặt lên trước các nhiệm vụ: nếu đoạn đó thuộc một nhiệm vụ, "
      "hãy chuyển vào nhiệm vụ đó."), None),
    (r"^a numbered item after the parts, outside any part$", "có một mục đánh số nằm sau các phần, ngoài mọi phần.",
     None),
    (r"^numbered (\d+) in the original, printed (\d+)$", "bản gốc đánh số {g1}, bản in ra sẽ đánh số {g2}.", None),
    (r"^lettered (.+)\) in the original, printed (.+)\)$", "bản gốc ghi {g1}), bản in ra sẽ ghi {g2}).", None),
    (r"^no opening paragraph was found before the first item$", "không thấy đoạn mở đầu trước mục thứ nhất.",
     "opening"),
    (r"^no numbered items: read as one conclusion",
     "bản gốc không có mục đánh số: đọc thành một kết luận in không đánh số.", None),
    (r"^read as addressed to the units its heading names, as its paragraphs hold deadlines$",
     "coi là giao cho các đơn vị nêu ở tiêu đề, vì nội dung có thời hạn.", None),
    (r"^addressed to the known units its heading names \((.+)\), as it holds deadlines$",
     "coi là giao cho các đơn vị trong danh mục được nêu ở tiêu đề ({g1}), vì nội dung có thời hạn.", None),
    (r"^addressed to '(.+)', read from the text$", "đơn vị được giao '{g1}' đọc ra từ nội dung.", None),
    (r"^'\+' lines under a line that is not a task: kept as paragraphs$",
     "các dòng '+' nằm dưới một dòng không phải nhiệm vụ: giữ thành các đoạn văn.", None),
    (r"^addressed to (.+) but no paragraph is marked as a task",
     "có nêu {g1} nhưng không đoạn nào được đánh dấu là nhiệm vụ: hãy chọn đơn vị được giao và tách các nhiệm vụ.",
     None),
    (r"^deadlines here but no unit named",
     "có thời hạn nhưng chưa có đơn vị được giao: nếu đây là nhiệm vụ, hãy chọn đơn vị được giao.", None),
    (r"^'(.+)' looks like a deadline the deadline reader cannot read",
     "'{g1}' giống một thời hạn nhưng máy không đọc được: hãy ghi thành ngày cụ thể, ví dụ 31/7/2023.", None),
    (r"^header line lost; the body the text names most$",
     _LOST + "; tên cơ quan ban hành lấy theo cơ quan được nhắc đến nhiều nhất trong nội dung.", "issuing_body"),
    (r"^header line lost; from the body code$", _LOST + "; tên cơ quan ban hành đoán từ ký hiệu cơ quan.",
     "issuing_body"),
    (r"^header line lost; write the body's name$", _LOST + ": hãy ghi tên cơ quan ban hành.", "issuing_body"),
    (r"^header line lost: none assumed; add 'superior_body:'",
     _LOST + ": chưa ghi cơ quan cấp trên; điền nếu có.", "superior_body"),
    (r"^no number line \('Số \.\.\.'\) was found$", "không thấy dòng số văn bản ('Số ...').", None),
    (r"^the number is left blank \(a draft\)",
     "số văn bản để trống (bản thảo): khi ban hành, máy sẽ cấp số tiếp theo.", "number"),
    (r"^no number line: TB \(thông báo\)$", "không thấy dòng số văn bản: tạm ghi TB (thông báo).", "type_code"),
    (r"^no document type line \(THÔNG BÁO\) was found$", "không thấy dòng tên loại văn bản (THÔNG BÁO).",
     "document_type"),
    (r"^header line lost \(date line\); from the units directory$",
     _LOST + " (địa danh, ngày tháng); địa danh lấy từ danh mục đơn vị.", "place"),
    (r"^header line lost \(date line\)", _LOST + " (địa danh, ngày tháng); địa danh là tạm đoán.", "place"),
    (r"^the day is left blank \(a draft\); (.+)$", "ngày ban hành để trống (bản thảo); {date_reason}.", "date"),
    (r"^header line lost; (the meeting's date|the earliest date|no date in the text)(.*)$",
     _LOST + " (ngày tháng); {date_reason}.", "date"),
    (r"^no subject line \(trích yếu\) was found", "không thấy trích yếu sau tên loại văn bản.", "subject"),
    (r"^no 'Nơi nhận:' list was found$", "không thấy phần 'Nơi nhận:'.", "recipients"),
    (r"^no numbered items were found$", "không thấy mục nào được đánh số.", "conclusions"),
    (r"^'(.+)' read as the known unit '(.+)'$", "'{g1}' được hiểu là đơn vị '{g2}' trong danh mục.", None),
    (r"^unknown unit '(.+)' \(closest known: '(.+)'\)$",
     "đơn vị '{g1}' không có trong danh mục đơn vị (gần nhất: '{g2}').", None),
    (r"^unknown unit '(.+)'$", "đơn vị '{g1}' không có trong danh mục đơn vị.", None),
    (r"^the last line is usually the file copy",
     "dòng cuối của Nơi nhận thường là dòng lưu ('Lưu VT' hoặc 'Lưu: VT, ...').", "recipients"),
    (r"^file copy line '(.+)' written '(.+)', as the (\w+) style has it$",
     "dòng lưu '{g1}' được ghi lại thành '{g2}' theo thể thức {style}.", "recipients"),
    (r"^'(.+)' left out \(the signed copy is signed by hand\)$", "đã bỏ '{g1}' (bản chính được ký tay).",
     "signature"),
    (r"^no signer's name found$", "không thấy họ tên người ký.", "signature"),
    (r"^'(.+)' written '(.+)', as the (\w+) style has it$", "'{g1}' được ghi lại thành '{g2}' theo thể thức {style}.",
     "signature"),
]


def _note_rule(text: str):
    for pattern, vietnamese_text, path in _NOTES:
        m = re.search(pattern, text)
        if m:
            return m, vietnamese_text, path
    return None, None, None


def import_note(text: str) -> str:
    """An importer's ASSUMED / CHECK note in Vietnamese (an unknown one keeps its words after a Vietnamese lead)."""
    m, out, _ = _note_rule(text)
    if m is None:
        return f"ghi chú của chức năng nhập: {text}"
    values = {f"g{i}": g for i, g in enumerate(m.groups(), 1)}
    values["style"] = next((_STYLES[g] for g in m.groups() if g in _STYLES), "")
    reason = next((v for k, v in _DATE_REASONS.items() if k in text), "hãy ghi ngày ban hành")
    values["date_reason"] = reason
    return out.format(**values)


def about_units(text: str) -> bool:
    """Whether a note on an item is about the units it is addressed to."""
    return bool(re.search(r"^(unknown unit|addressed to|read as addressed|'.+' read as the known unit)", text))


def note_field(text: str) -> str | None:
    """The field a note is about when its text says it (a comment standing where its field is not written)."""
    return _note_rule(text)[2]


_FAILURES: list[tuple[str, str]] = [
    (r"found nothing notice-like", ("Tệp {name} không giống một thông báo: không thấy dòng số ('Số ...'), dòng ngày "
                                    "tháng, chữ THÔNG BÁO, các mục đánh số hay phần 'Nơi nhận:'. Hãy chọn đúng tệp "
                                    "bản thảo thông báo.")),
    (r"password-protected", "Tệp {name} có đặt mật khẩu: hãy bỏ mật khẩu trong Word rồi tải lên lại."),
    (r"found a damaged file|not a Word document|damaged",
     "Tệp {name} bị hỏng, không mở được: hãy mở tệp trong Word, lưu lại rồi tải lên lần nữa."),
    (r"found an empty file", "Tệp {name} trống."),
    (r"bytes, expected a notice of at most", "Tệp {name} quá lớn để là một thông báo."),
    (r"LibreOffice|soffice", ("LibreOffice không chuyển được tệp {name} sang .docx (tệp hỏng hoặc LibreOffice gặp "
                              "lỗi). Hãy mở tệp trong Word, lưu thành .docx rồi tải lên tệp .docx đó.")),
]


def import_failure(message: str, name: str) -> str:
    """Why the importer refused a file, in Vietnamese."""
    for pattern, text in _FAILURES:
        if re.search(pattern, message):
            return text.format(name=name)
    return UPLOAD["failed"].format(reason=message)


_WARNINGS: list[tuple[str, str]] = [
    (r"^no national heading found$", "không thấy quốc hiệu hoặc tiêu đề Đảng."),
    (r"^no number line \('Số \.\.\.'\) found$", "không thấy dòng số văn bản ('Số ...')."),
    (r"^no date line found$", "không thấy dòng địa danh, ngày tháng."),
    (r"^no document type \(THÔNG BÁO\) found$", "không thấy tên loại văn bản (THÔNG BÁO)."),
    (r"^no numbered items found$", "không thấy mục nào được đánh số."),
    (r"^no 'Nơi nhận:' list found$", "không thấy phần 'Nơi nhận:'."),
    (r"^no signature found$", "không thấy phần chữ ký."),
    (r"^header line not understood, left out: '(.+)'$", "một dòng ở đầu văn bản không đọc được, đã bỏ: '{g1}'."),
    (r"^a paragraph starting with footnote mark \((.+)\) that no text refers to",
     "đoạn bắt đầu bằng dấu chú thích ({g1}) nhưng không chỗ nào dẫn tới: giữ thành văn bản thường."),
    (r"^a footnote reference without its note text \((.+)\)",
     "có chỗ chú thích ({g1}) nhưng không thấy nội dung chú thích: để trống nội dung."),
    (r"^a '(.)' line outside any numbered item, kept as a paragraph: '(.+)'$",
     "dòng '{g1}' nằm ngoài các mục đánh số, giữ thành đoạn văn: '{g2}'."),
    (r"^line (\d+): control character (.+) removed$", "dòng {g1}: đã bỏ ký tự điều khiển {g2}."),
]


def import_warning(text: str) -> str:
    """A warning of ``thongbao import`` in Vietnamese."""
    for pattern, out in _WARNINGS:
        m = re.search(pattern, text)
        if m:
            return out.format(**{f"g{i}": g for i, g in enumerate(m.groups(), 1)})
    return f"lưu ý của chức năng nhập: {text}"


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
