"""The validator's findings in Vietnamese, located by field, for the clerk.

The library reports a Problem (file, line, field, found, expected) in English;
the web app says the same thing in Vietnamese beside the field it is about.
The field path names the place ("conclusions[1].tasks[0]" -> "Kết luận 2,
nhiệm vụ 1"); the known kinds of finding are recognised from ``found`` and
``expected`` and said in Vietnamese; an unknown kind keeps the library's words
after a Vietnamese lead, so that nothing is ever hidden.
"""

from __future__ import annotations

import re

from ..errors import Problem

LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

FIELD_NAMES = {
    "style": "Thể thức", "superior_body": "Cơ quan cấp trên", "issuing_body": "Cơ quan ban hành",
    "body_code": "Ký hiệu cơ quan", "number": "Số văn bản", "type_code": "Ký hiệu loại văn bản",
    "document_type": "Tên loại văn bản", "place": "Địa danh", "date": "Ngày ban hành", "subject": "Trích yếu",
    "opening": "Phần mở đầu", "closing": "Phần kết", "recipients": "Nơi nhận", "signature": "Chữ ký",
    "footnotes": "Chú thích", "conclusions": "Các kết luận", "parts": "Các phần", "numbering": "cách đánh số",
    "item_mark": "dấu sau số", "to": "đơn vị được giao", "heading": "tiêu đề", "text": "nội dung",
    "deadline": "thời hạn", "report_to": "báo cáo qua", "paragraphs": "đoạn văn", "tasks": "nhiệm vụ",
    "details": "ý", "items": "điểm", "authority": "thẩm quyền ký", "title": "chức vụ người ký",
    "name": "họ tên người ký",
}

_SEGMENT = re.compile(r"([A-Za-z_]+)|\[(\d+)\]|\.([^.\[\]]+)")


def place(path: str) -> str:
    """``conclusions[1].tasks[0].deadline`` -> ``Kết luận 2, nhiệm vụ 1, thời hạn``."""
    if not path or path == "(top level)":
        return "Văn bản"
    words: list[str] = []
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    previous = ""
    for part in parts:
        if part.startswith("["):
            k = int(part[1:-1])
            if previous == "conclusions":
                words[-1] = f"Kết luận {k + 1}"
            elif previous == "parts":
                words[-1] = f"Phần {ROMAN[k] if k < len(ROMAN) else k + 1}"
            elif previous == "items":
                words[-1] = f"điểm {LETTERS[k] if k < len(LETTERS) else k + 1})"
            elif previous == "tasks":
                words[-1] = f"nhiệm vụ {k + 1}"
            elif previous == "details":
                words[-1] = f"ý {k + 1}"
            elif previous == "recipients":
                words[-1] = f"Nơi nhận, dòng {k + 1}"
            elif previous in ("opening", "closing", "paragraphs"):
                words[-1] = f"{words[-1]}, đoạn {k + 1}"
            else:
                words[-1] = f"{words[-1]} (dòng {k + 1})"
        else:
            if previous == "footnotes":
                words[-1] = f"Chú thích ({part})"
            else:
                words.append(FIELD_NAMES.get(part, part))
        previous = part if not part.startswith("[") else ""
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return ", ".join(words)


def _q(text: str) -> str:
    m = re.search(r"'([^']*)'", text)
    return m.group(1) if m else text


# (pattern on "found", pattern on "expected", Vietnamese; {found} {expected} {q_found} {q_expected} {g1} {e1} groups)
_RULES: list[tuple[str, str, str]] = [
    (r"^(nothing|an empty value|empty text|an empty list)", r"", "chưa điền."),
    (r"", r"^a real date as", "'{q_found}' không phải là một ngày có thật; cần ngày dạng ngày/tháng/năm, ví dụ 14/7/2023."),
    (r"", r"^a real date \(day/month/year\)", "'{q_found}' không phải là một ngày có thật (ngày/tháng/năm)."),
    (r"", r"^a real month", "'{q_found}' không phải là một tháng có thật (tháng 1-12)."),
    (r"", r"^upper case, as the header prints it", "phải viết IN HOA như khi in ra: '{q_expected}'."),
    (r"", r"^an abbreviation without spaces", "'{q_found}': chữ viết tắt không được có dấu cách, '-' hay '/'."),
    (r"", r"^a whole number from 1", "'{q_found}': số văn bản phải là số nguyên từ 1, ví dụ 103 (ký hiệu ghi ở ô riêng)."),
    (r"", r"^one of: party, state", "chọn thể thức Đảng hoặc Nhà nước."),
    (r"", r"\(the file copy line of the (\w+) style\)", "dòng lưu văn bản phải viết theo thể thức: '{q_expected}'."),
    (r"^a conclusion with no task", r"", "kết luận chưa có nhiệm vụ nào: điền nội dung hoặc thêm nhiệm vụ."),
    (r"", r"^the date the text gives in bold", "thời hạn {found} khác với ngày in đậm trong nội dung ({expected_tail})."),
    (r"", r"around bold text in pairs", "dấu ** (chữ in đậm) phải đi thành cặp."),
    (r"^a reference to footnote \[\^(.+)\]", r"", "có chỗ chú thích [^{g1}] nhưng chưa có chú thích '{g1}' ở phần Chú thích."),
    (r"^footnote '(.+)' that no text references", r"",
     "chú thích '{g1}' chưa được nhắc đến: thêm [^{g1}] vào chỗ cần chú thích, hoặc xóa chú thích."),
    (r"^a footnote reference inside a footnote", r"", "chú thích không được chứa chỗ chú thích khác."),
    (r"^unknown unit '(.+)'", r"closest: '(.+)'", "đơn vị '{g1}' không có trong danh mục đơn vị (gần nhất: '{e1}')."),
    (r"^unknown unit '(.+)'", r"", "đơn vị '{g1}' không có trong danh mục đơn vị."),
    (r"^unknown field '(.+)'", r"", "trường '{g1}' không có trong mẫu thông báo."),
    (r"^only punctuation", r"", "chỉ có dấu câu, chưa có tên nơi nhận."),
    (r"", r"style: (.+)\)$", "'{q_found}' không đúng thể thức; cần: '{q_expected}'."),
    (r"", r"^one of .* \((\w+) style\), then the title", "'{q_found}' không đúng; cần T/M, K/T, T/L (Đảng) hoặc TM., KT., TL. (Nhà nước) rồi chức vụ viết hoa."),
    (r"\(a word repeated\)$", r"", "từ bị lặp: {q_found} (cần viết một lần: '{q_expected}')."),
    (r"beside '(.+)'", r"^one spelling of the abbreviation", "một chữ viết tắt viết hai cách: {found}; nên thống nhất '{q_expected}'."),
    (r"^deadline ", r"^a deadline on or after the notice date (.+)$", "thời hạn {found} sớm hơn ngày ban hành {e1}."),
    (r"as the last recipient$", r"", "dòng cuối của Nơi nhận nên là dòng lưu: '{q_expected}'."),
    (r"^text with ': '", r"", "nội dung có dấu ': ' (lỗi định dạng)."),
    (r"^a second value for the same field", r"", "trường này được ghi hai lần."),
]


def vietnamese(problem: Problem) -> str:
    """The finding as one Vietnamese sentence (without the place)."""
    found, expected = problem.found, problem.expected
    for fpat, epat, text in _RULES:
        fm = re.search(fpat, found) if fpat else None
        em = re.search(epat, expected) if epat else None
        if (fpat and not fm) or (epat and not em):
            continue
        values = {
            "found": found, "expected": expected, "q_found": _q(found), "q_expected": _q(expected),
            "expected_tail": expected.split("(", 1)[-1].rstrip(")"),
        }
        if fm:
            values.update({f"g{i}": g for i, g in enumerate(fm.groups(), 1)})
        if em:
            values.update({f"e{i}": g for i, g in enumerate(em.groups(), 1)})
        return text.format(**values)
    return f"chưa đúng: {found} (cần: {expected})."


def located(problem: Problem) -> dict:
    """What the editor shows: the field path, where in words, and the message."""
    return {"path": problem.field, "place": place(problem.field), "message": vietnamese(problem),
            "line": problem.line}


def full(problem: Problem) -> str:
    return f"{place(problem.field)}: {vietnamese(problem)}"
