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
# The checker runs in the clerk's language: the element and the finding are the catalog's; only the sentence's
# shape is the page's.

def layout_finding(problem: Problem) -> str:
    """One finding of ``check`` for the preview: ``Trích yếu: 'Về ...' cỡ 12 pt (cần: 13-14 pt)``."""
    where = problem.field or _("Document")
    return f"{where[:1].upper()}{where[1:]}: {problem.found} (cần: {problem.expected})"


# -- times ------------------------------------------------------------------------------------------------------------

def moment(iso: str) -> str:
    """``2026-11-25T20:56:39+00:00`` -> ``20:56 ngày 25/11/2026`` (a register's time of issue, as the pages show it)."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return f"{t:%H:%M} ngày {t:%d/%m/%Y}"
