"""The marks, words and shapes of a notice's lines that the recognisers look for, and helpers on them.

Pure text: regular expressions for the header (national heading, number,
date line), the body (parts I., items 1., sub-items a), bullets -, details +),
the closing ("Nơi nhận:", authority forms) and the small functions that split
a paragraph into the pieces laid out with tabs or line breaks.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..dates import DAY_DATE
from ..deadlines import looks_like_deadline
from . import runs as R
from .document import Block, Run
from .draft import ItemDraft
from .phrases import deadline_spans

PARTY_HEADING = re.compile(r"^ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM$")
STATE_HEADING = re.compile(r"^CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM$")
MOTTO = re.compile(r"^Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc$", re.IGNORECASE)
NUMBER = re.compile(r"^Số\s*:?\s*(\d{1,5})\s*([-/])\s*([^\s/\-–]+)\s*([-/–])\s*(\S+?)\s*$")
DATE_LINE = re.compile(r"^(?P<place>[^,\d][^,]*?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\.?$",
                       re.IGNORECASE)
# A draft leaves the number and the day blank: "Số:      /TB-UBND", "Kon Rẫy, ngày    tháng    năm 2024".
NUMBER_BLANK = re.compile(r"^Số\s*:?\s*([-/])\s*([^\s/\-–]+)\s*([-/–])\s*(\S+?)\s*$")
DATE_BLANK = re.compile(r"^(?P<place>[^,\d][^,]*?)\s*,\s*ngày\s+tháng\s+năm\s+(?P<y>\d{4})\.?$", re.IGNORECASE)
DATE_ONLY = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
RULE_LINE = re.compile(r"^[\s\-_=*–—.…~]+$")
DOC_TYPES = re.compile(r"^(THÔNG BÁO|THÔNG BÁO KẾT LUẬN|KẾT LUẬN)$")
PART = re.compile(r"^(?P<n>[IVX]{1,5})\s*[.)\-–]\s*(?P<rest>\S.*)$")
ITEM = re.compile(r"^(?P<n>\d{1,2})\s*(?P<mark>[.)\-–])(?!\d)\s*(?P<rest>\S.*)$")
POINT = re.compile(r"^(?P<l>[a-zđ])\s*\)\s*(?P<rest>\S.*)$")
BULLET = re.compile(r"^[-–—•·−]\s*(?P<rest>\S.*)$")
DETAIL = re.compile(r"^\+\s*(?P<rest>\S.*)$")
RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?", re.IGNORECASE)
AUTHORITY = re.compile(r"^(T/M|TM\.|K/T|KT\.|T/L|TL\.|TUQ\.|Q\.|T\.M|K\.T)\s*(?P<rest>\S.*)$")
SIGNED = re.compile(r"^\(?\s*(đã\s+ký|ký\s+tên|ký,?\s+ghi\s+rõ|ký\s+và\s+đóng|đã\s+ký\s+và\s+đóng\s+dấu)[^)]*\)?\.?$",
                    re.IGNORECASE)
CLOSING_CUE = re.compile(r"thông báo (để|cho)|\./\.|biết,? (và )?thực hiện|để các .* biết|trân trọng", re.IGNORECASE)
UNIT_LEAD = re.compile(r"^(?:giao\s+(?:cho\s+)?|đề\s+nghị\s+|yêu\s+cầu\s+|chỉ\s+đạo\s+|phân\s+công\s+(?:cho\s+)?|"
                       r"đối\s+với\s+|nhiệm\s+vụ\s+của\s+|trách\s+nhiệm\s+của\s+)", re.IGNORECASE)
UNIT_WORD = re.compile(
    r"^(?:Các|Ban|BCĐ|Phòng|Sở|Ủy ban|Uỷ ban|UBND|UBMTTQ|MTTQ|Hội|Huyện|Tỉnh|Thị|Đảng|Đoàn|Văn phòng|Trung tâm|"
    r"Công an|Chi bộ|Chi cục|Cơ quan|Thường trực|Thường vụ|Liên đoàn|Tòa án|Viện|Kho bạc|Bệnh viện|Trường|Đài|Hạt|"
    r"Cục|Tổng|Bộ|Chủ tịch|Giám đốc|Thủ trưởng|Lãnh đạo|Đồng chí|TCCS|Quân sự|Ngân hàng|Bảo hiểm|Chi nhánh|"
    r"Chi hội|Công chức|Cán bộ|Trưởng|Bí thư|Tổ|Thôn|Xã|Trạm|Đội|Hợp tác xã|Doanh nghiệp|Người đứng đầu)\b")
TEXT_UNIT = re.compile(
    r"^(?:Giao|Đề nghị|Yêu cầu)\s+(?:cho\s+)?(?P<unit>.{3,100}?)\s+(?=(?:chủ trì|phối hợp|thực hiện|khẩn trương|"
    r"tổ chức|rà soát|kiểm tra|xây dựng|tham mưu|báo cáo|triển khai|tiếp tục|hướng dẫn|chỉ đạo|theo dõi|nghiên cứu|"
    r"có trách nhiệm|chịu trách nhiệm)\b)")
TRAILING_VERB = re.compile(r"\s+(?:cùng\s+)?(?:phối hợp(?: thực hiện)?|chủ trì|thực hiện|triển khai|"
                           r"có trách nhiệm|chịu trách nhiệm)$", re.IGNORECASE)
PLACE_SUFFIX = re.compile(r"^(?:huyện|tỉnh|thành phố|thị xã|quận|xã|phường|thị trấn)\b", re.IGNORECASE)
TERMINAL = tuple(".:;!?…")
ASSESSMENT = re.compile(r"^(?:Về\s+)?(?:Kết quả|Tồn tại|Hạn chế|Đánh giá|Ưu điểm|Khuyết điểm|Nguyên nhân|Bài học|"
                        r"Tình hình|Khó khăn)", re.IGNORECASE)
STYLE_ITEM = "TB Conclusion"  # the style thongbao prints items in (profile.STYLE_CONCLUSION)
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u",
           "v", "x", "y"]
# Issuing bodies behind the body codes met most often, for a header the text lost.
BODY_NAMES = {
    "BCĐ": "BAN CHỈ ĐẠO", "UBND": "ỦY BAN NHÂN DÂN", "HU": "HUYỆN ỦY", "TU": "TỈNH ỦY", "ĐU": "ĐẢNG ỦY",
    "VPHU": "VĂN PHÒNG HUYỆN ỦY", "VPTU": "VĂN PHÒNG TỈNH ỦY", "VP": "VĂN PHÒNG", "BTG": "BAN TUYÊN GIÁO",
    "BDV": "BAN DÂN VẬN", "BTC": "BAN TỔ CHỨC", "UBKT": "ỦY BAN KIỂM TRA", "HĐND": "HỘI ĐỒNG NHÂN DÂN",
    "MTTQ": "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "CB": "CHI BỘ",
}
REF = re.compile(r"\[\^([^\]\s]+)\]")
SUPER_NUMBER = re.compile(r"^\(?(\d{1,2})\)?\.?$")
TYPED_NOTE = re.compile(r"^\s*\((\d{1,2})\)\s+\S")
TYPED_REF = re.compile(r"(?<=[^\s(])\((\d{1,2})\)(?=[\s,.;:)”\"]|$)")


def place_line(first: str, second: str) -> bool:
    """"ỦY BAN NHÂN DÂN" / "HUYỆN KON RẪY": one body's name on two lines (not "HUYỆN ỦY ĐĂK HÀ", a body)."""
    return bool(re.match(r"^(?:ỦY|UỶ)\s+BAN|^HỘI\s+ĐỒNG", first)
                and re.match(r"^(?:HUYỆN|TỈNH|XÃ|THÀNH PHỐ|THỊ XÃ|QUẬN|PHƯỜNG|THỊ TRẤN)\s+(?!(?:ỦY|UỶ|ĐOÀN)\b)", second))


def split_breaks(blocks: list[Block]) -> list[Block]:
    """A paragraph whose line breaks (Shift+Enter) start marked lines is read as several paragraphs."""
    out = []
    for b in blocks:
        text = b.text if b.runs and "\n" in b.text else ""
        cuts = [m.start() + 1 for m in re.finditer(r"\n", text)
                if starts_structure(text[m.start() + 1:].split("\n", 1)[0].strip())]
        if not cuts:
            out.append(b)
            continue
        for a, z in zip([0, *cuts], [*cuts, None]):
            out.append(Block(R.cut(b.runs, a, z), b.cell, b.align, b.style, b.line, b.blank_before))
    return out


def header_like(seg: str) -> bool:
    return bool(NUMBER.match(seg) or DATE_LINE.match(seg) or PARTY_HEADING.match(seg) or STATE_HEADING.match(seg)
                or MOTTO.match(seg) or RULE_LINE.match(seg) or is_upper(seg))


# -- helpers -------------------------------------------------------------------
def relabel(text: str, renames: dict[str, str]) -> str:
    """``text`` with its footnote references renamed; escaped ``\\[^`` left alone (markup.parse's reading)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            continue
        m = REF.match(text, i) if text[i] == "[" else None
        if m:
            out.append(f"[^{renames.get(m.group(1), m.group(1))}]")
            i = m.end()
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def refs(text: str) -> list[str]:
    found: list[str] = []
    relabel(text, _Collect(found))
    return found


class _Collect(dict):
    """A renames mapping that records every label asked for."""

    def __init__(self, found: list[str]):
        super().__init__()
        self.found = found

    def get(self, key, default=None):
        self.found.append(key)
        return default


def item_texts(item: ItemDraft):
    for t in (item.heading, item.text, *item.text_details, *item.paragraphs):
        if t:
            yield t
    for task in item.tasks:
        yield task.text
        yield from task.details
    for p in item.points:
        for t in (p.heading, p.text, *p.text_details, *p.paragraphs):
            if t:
                yield t
        for task in p.tasks:
            yield task.text
            yield from task.details


def note_text(runs: list[Run]) -> list[Run]:
    """A note's text without the mark printed at its start ("(1) ", "1 ")."""
    runs = R.normalise(runs)
    if runs and runs[0].superscript and SUPER_NUMBER.match(runs[0].text.strip()):
        runs = runs[1:]
    text = R.text_of(runs)
    m = re.match(r"^\s*(?:\(\d{1,2}\)\s*)+", text)  # "(1) ", or "(1) (1) " after LibreOffice
    if m:
        runs = R.cut(runs, m.end())
    return R.strip(runs)


def segments(b: Block) -> list[str]:
    """The pieces of a paragraph's lines laid out with tabs (or long runs of spaces), each squashed."""
    return [s.lstrip("\t") for line in line_segments(b) for s in line]


def line_segments(b: Block) -> list[list[str]]:
    """Per line of the paragraph (line breaks), its pieces between tabs (left column first)."""
    text = re.sub(r"(Số\s*:?)[ .…_]{2,}(?=[-/])", r"\1 ", b.text)   # a draft's blank number
    text = re.sub(r"ngày[ .…_]{2,}tháng[ .…_]{2,}năm", "ngày tháng năm", text)
    out = []
    for line in text.split("\n"):
        pieces = [squash(p) for p in re.split(r"\t+| {4,}", line)]
        if any(pieces):
            lead = bool(re.match(r"^(\t| {8,})", line))
            out.append([("\t" if lead and k == 0 else "") + p for k, p in enumerate(pieces) if p]
                       if not lead else ["\t" + p for p in pieces if p])
    return out


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def starts_structure(text: str) -> bool:
    return bool(ITEM.match(text) or POINT.match(text) or BULLET.match(text) or DETAIL.match(text)
                or (PART.match(text) and is_upper(PART.match(text)["rest"])))


def split_heading(runs: list[Run], has_children: bool) -> tuple[list[Run], list[Run]]:
    """An item's line: the heading up to its colon, then the text printed on the same line."""
    runs = R.strip(runs)
    text = R.text_of(runs)
    for m in re.finditer(r":", text):
        k = m.end()
        if k > 250:
            break
        after = text[k:].lstrip()
        if not after:
            return runs, []
        if not re.match(r"[\s]", text[k:k + 1]):
            continue  # "8:30", "1:500"
        if not after[:1].islower():
            before = text[:k]
            if before.count("“") != before.count("”") or before.count("(") != before.count(")"):
                continue
            return R.strip(R.cut(runs, 0, k)), R.strip(R.cut(runs, k))
        break
    short = len(text) <= 160 and not text.rstrip().endswith((".", ";")) and not any(r.bold for r in runs)
    if has_children and short:
        return runs, []
    return [], runs


def join_units(units: list[str]) -> str:
    joined = units[0] if len(units) == 1 else ", ".join(units[:-1]) + " và " + units[-1]
    return joined + ":"


def capital(name: str) -> str:
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


def unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def recipient(line: str) -> str:
    line = re.sub(r"^[-–—•+]\s*", "", line.strip())
    return line.rstrip(",;.").strip()


def dates_in(text: str) -> list[dt.date]:
    out = []
    for m in DAY_DATE.finditer(text):
        try:
            out.append(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            pass
    return out


def has_deadline(item: ItemDraft) -> bool:
    texts = list(item_texts(item))
    bold = [m.group(1) for t in texts for m in re.finditer(r"\*\*(.+?)\*\*", t)]
    return any(looks_like_deadline(b) for b in bold) or any(deadline_spans(t.replace("**", "")) for t in texts)
