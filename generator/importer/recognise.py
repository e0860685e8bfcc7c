"""Document (paragraphs of runs) -> Draft (a notice source still to be written).

The recognisers read what a clerk reads: the national heading gives the
style, "Số 103-TB/BCĐ" the number and codes, the date line the place and
date, THÔNG BÁO the document type; then the subject, the opening, parts
(I., II.), items (1., 2.), sub-items (a), b)), bullets (-) and details (+);
the closing sentence, "Nơi nhận:" and its list, the signature. They work on
the text and its marks, so a draft typed with tabs, tables or plain
paragraphs reads the same. Whatever had to be guessed carries an ASSUMED
note, whatever is doubtful a CHECK note.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ..dates import DAY_DATE
from ..units import Directory, name_key
from . import runs as R
from .document import Block, Document, Run
from .draft import Draft, ItemDraft, Note, PartDraft, PointDraft, TaskDraft
from ..deadlines import looks_like_deadline
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
_REF = re.compile(r"\[\^([^\]\s]+)\]")
_SUPER_NUMBER = re.compile(r"^\(?(\d{1,2})\)?\.?$")
_TYPED_NOTE = re.compile(r"^\s*\((\d{1,2})\)\s+\S")
_TYPED_REF = re.compile(r"(?<=[^\s(])\((\d{1,2})\)(?=[\s,.;:)”\"]|$)")


@dataclass
class Line:
    """A body paragraph: its runs with spaces normalised, and its text."""

    runs: list[Run]
    block: Block

    @property
    def text(self) -> str:
        return R.text_of(self.runs)


class Recogniser:
    def __init__(self, doc: Document, directory: Directory | None):
        self.doc = doc
        self.directory = directory
        self.draft = Draft()
        self.warnings: list[str] = list(doc.warnings)
        self.labels: dict[str, str] = {}       # note id -> label printed in the source
        self.notes: dict[str, list[Run]] = {}  # note id -> its text runs
        self.found: set[str] = set()           # what notice-like things were seen

    # -- the whole --------------------------------------------------------
    def run(self) -> Draft:
        blocks = [b for b in self.doc.blocks if b.text.strip() or any(r.note for r in b.runs)]
        blocks = self._footnotes(blocks)
        title = self._title(blocks)
        if title is None:  # no document type: the header is what reads like one at the top
            top = 0
            while top < len(blocks) and all(_header_like(seg) for seg in _segments(blocks[top])):
                top += 1
            header, rest = blocks[:top], blocks[top:]
        else:
            header, rest = blocks[:title], blocks[title + 1:]
        self._header(header)
        subject_end = self._subject(rest, title is not None)
        body_blocks = rest[subject_end:]
        end = self._closing_start(body_blocks)
        self._body(body_blocks[:end])
        self._closing(body_blocks[end:])
        self._assume()
        self._labels_in_order()
        return self.draft

    # -- footnotes --------------------------------------------------------
    def _footnotes(self, blocks: list[Block]) -> list[Block]:
        """Native notes as they are; typed notes (superscript or "(1)" marks, text at the end) made native."""
        for nid, runs in self.doc.notes.items():
            self.notes[nid] = _note_text(runs)
        referenced = {r.note for b in blocks for r in b.runs if r.note is not None}
        for nid in list(self.notes):
            if nid not in referenced:
                del self.notes[nid]
        # Typed note bodies: a paragraph that starts with a superscript number or "(n) ".
        bodies: dict[str, int] = {}
        for k, b in enumerate(blocks):
            first = b.runs[0] if b.runs else None
            if first is not None and first.superscript and first.note is None and _SUPER_NUMBER.match(first.text.strip()):
                bodies.setdefault(_SUPER_NUMBER.match(first.text.strip()).group(1), k)
            else:
                m = _TYPED_NOTE.match(b.text)
                if m:
                    bodies.setdefault(m.group(1), k)
        if not bodies:
            return blocks
        used: dict[str, int] = {}
        out_blocks: list[Block] = []
        for k, b in enumerate(blocks):
            if k in bodies.values():
                out_blocks.append(b)
                continue
            new: list[Run] = []
            for r in b.runs:
                number = _SUPER_NUMBER.match(r.text.strip()) if r.superscript and r.note is None else None
                if number and number.group(1) in bodies:
                    used[number.group(1)] = bodies[number.group(1)]
                    new.append(Run("", note=f"typed-{number.group(1)}"))
                    continue
                if r.note is None and "(" in r.text:
                    pos = 0
                    for m in _TYPED_REF.finditer(r.text):
                        if m.group(1) in bodies and bodies[m.group(1)] > k:
                            new.append(Run(r.text[pos:m.start()], r.bold, r.superscript))
                            new.append(Run("", note=f"typed-{m.group(1)}"))
                            used[m.group(1)] = bodies[m.group(1)]
                            pos = m.end()
                    new.append(Run(r.text[pos:], r.bold, r.superscript))
                    continue
                new.append(r)
            out_blocks.append(Block([x for x in new if x.text or x.note], b.cell, b.align, b.style, b.line,
                                    b.blank_before))
        drop = set()
        for number, k in used.items():
            body = out_blocks[k]
            runs = list(body.runs)
            if runs and runs[0].superscript:
                runs = runs[1:]
            else:
                runs = R.cut(runs, _TYPED_NOTE.match(body.text).end() - 1)
            self.notes[f"typed-{number}"] = R.normalise(runs)
            drop.add(k)
        for number, k in bodies.items():
            if number not in used:
                self.warnings.append(f"a paragraph starting with footnote mark ({number}) that no text refers to: "
                                     "kept as text")
        return [b for k, b in enumerate(out_blocks) if k not in drop]

    def _labels_in_order(self) -> None:
        """Footnotes are labelled 1, 2 ... in the order the text refers to them (as they print)."""
        seen: list[str] = []
        for text in self._texts():
            for label in _refs(text):
                if label not in seen:
                    seen.append(label)
        self.draft.footnotes = {}
        for k, placeholder in enumerate(seen, 1):
            nid = placeholder[len("id:"):]
            self.draft.footnotes[str(k)] = R.markup(self.notes.get(nid, []), {})
        renames = {p: str(k) for k, p in enumerate(seen, 1)}

        def relabel(text: str | None) -> str | None:
            if text is None:
                return None
            return _relabel(text, renames)

        d = self.draft
        d.opening = [relabel(t) for t in d.opening]
        d.closing = [relabel(t) for t in d.closing]
        for part in d.parts:
            part.paragraphs = [relabel(t) for t in part.paragraphs]
        for item in d.all_items:
            item.heading, item.text = relabel(item.heading), relabel(item.text)
            item.text_details = [relabel(t) for t in item.text_details]
            item.paragraphs = [relabel(t) for t in item.paragraphs]
            for task in item.tasks:
                task.text, task.details = relabel(task.text), [relabel(t) for t in task.details]
            for p in item.points:
                p.heading, p.text = relabel(p.heading), relabel(p.text)
                p.text_details = [relabel(t) for t in p.text_details]
                p.paragraphs = [relabel(t) for t in p.paragraphs]
                for task in p.tasks:
                    task.text, task.details = relabel(task.text), [relabel(t) for t in task.details]
        missing = [p for p in seen if p[len("id:"):] not in self.notes]
        for p in missing:
            self.warnings.append(f"a footnote reference without its note text ({p[3:]}): the note is left empty")

    def _texts(self):
        d = self.draft
        yield from d.opening
        for part in d.parts:
            yield part.heading
            yield from part.paragraphs
            for item in part.items:
                yield from _item_texts(item)
        for item in d.items:
            yield from _item_texts(item)
        yield from d.closing

    def _markup(self, runs: list[Run]) -> str:
        return R.markup(runs, {nid: f"id:{nid}" for nid in self.notes})

    # -- header -----------------------------------------------------------
    def _title(self, blocks: list[Block]) -> int | None:
        limit = min(len(blocks), 30)
        for k in range(limit):
            if DOC_TYPES.match(_squash(blocks[k].text)):
                return k
        last_marker = None
        for k in range(limit):
            for seg in _segments(blocks[k]):
                if NUMBER.match(seg) or DATE_LINE.match(seg) or PARTY_HEADING.match(seg) or STATE_HEADING.match(seg):
                    last_marker = k
        if last_marker is not None:
            for k in range(last_marker + 1, limit):
                text = _squash(blocks[k].text)
                if _is_upper(text) and len(text.split()) <= 8 and not MOTTO.match(text):
                    return k
        return None

    def _header(self, header: list[Block]) -> None:
        d = self.draft
        bodies: list[tuple[str, bool]] = []
        style_hint = None
        for b in header:
            bold = R.all_bold(b.runs)
            for seg in _segments(b):
                if PARTY_HEADING.match(seg):
                    d.style = "party"
                    self.found.add("heading")
                elif STATE_HEADING.match(seg):
                    d.style = "state"
                    self.found.add("heading")
                elif MOTTO.match(seg):
                    style_hint = "state"
                elif seg == "*":
                    style_hint = style_hint or "party"
                elif RULE_LINE.match(seg):
                    continue
                elif NUMBER.match(seg):
                    self._number(seg)
                elif NUMBER_BLANK.match(seg):
                    sep1, first, _, second = NUMBER_BLANK.match(seg).groups()
                    d.type_code, d.body_code = first, second
                    self._number_form = "party" if sep1 == "-" else "state"
                    self.blank_number = True
                    self.found.add("number")
                elif DATE_BLANK.match(seg):
                    d.place = " ".join(DATE_BLANK.match(seg)["place"].split())
                    self.blank_date = int(DATE_BLANK.match(seg)["y"])
                    self.found.add("date")
                elif DATE_LINE.match(seg):
                    m = DATE_LINE.match(seg)
                    try:
                        d.date = dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
                    except ValueError:
                        d.note("date", "CHECK", f"the date line '{seg}' is not a real date")
                    d.place = " ".join(m["place"].split())
                    self.found.add("date")
                elif _is_upper(seg):
                    bodies.append((seg, bold))
                else:
                    self.warnings.append(f"header line not understood, left out: '{_short(seg)}'")
        if d.style is None:
            style = style_hint or self._style_from_number()
            if style:
                d.style = style
                how = "no national heading; from " + (
                    "the '*' under the body" if style_hint == "party" else
                    "the motto" if style_hint == "state" else "the number's form")
                d.note("style", "ASSUMED", how)
        self._bodies(bodies)

    def _number(self, seg: str) -> None:
        d = self.draft
        m = NUMBER.match(seg)
        number, sep1, first, sep2, second = m.groups()
        d.number = int(number)
        self.found.add("number")
        self._number_form = "party" if (sep1 == "-" and sep2 == "/") else "state" if (sep1 == "/") else None
        if sep1 == "-":          # Party: 103-TB/BCĐ
            d.type_code, d.body_code = first, second
        else:                    # State: 12/TB-UBND (the body code may hold more "-")
            d.type_code, d.body_code = first, second
        if d.number <= 0:
            d.note("number", "CHECK", f"read '{seg}'")
        if "-" in d.body_code or "/" in d.body_code:
            d.note("body_code", "CHECK", f"read from '{seg}'; an abbreviation without '-' or '/' is expected")

    def _style_from_number(self) -> str | None:
        return getattr(self, "_number_form", None)

    def _bodies(self, bodies: list[tuple[str, bool]]) -> None:
        """Superior and issuing body: the bold lines are the issuing body, the plain ones above it the superior."""
        d = self.draft
        if not bodies:
            return
        if any(b for _, b in bodies) and not all(b for _, b in bodies):
            first_bold = next(k for k, (_, b) in enumerate(bodies) if b)
            superior = [t for t, _ in bodies[:first_bold]]
            issuing = [t for t, _ in bodies[first_bold:]]
        elif len(bodies) >= 2 and not _place_line(bodies[0][0], bodies[1][0]) \
                and not (d.style == "state" and len(bodies) == 2):
            superior, issuing = [bodies[0][0]], [t for t, _ in bodies[1:]]
        else:
            superior, issuing = [], [t for t, _ in bodies]
        if superior and issuing and _place_line(superior[-1], issuing[0]):
            issuing = [superior.pop()] + issuing  # "ỦY BAN NHÂN DÂN / HUYỆN KON RẪY": one name on two lines
        if superior:
            d.superior_body = " ".join(superior)
        d.issuing_body = issuing
        if not any(b for _, b in bodies) and len(bodies) >= 2:
            d.note("issuing_body", "CHECK", "which header line is the superior body and which the issuing body "
                   "was read from their order")

    # -- subject ----------------------------------------------------------
    def _subject(self, rest: list[Block], has_title: bool) -> int:
        d = self.draft
        if not has_title or not rest:
            return 0
        self.found.add("title")
        k = 0
        parts: list[str] = []
        centered = rest[0].align == "center"
        while k < len(rest):
            b = rest[k]
            text = _squash(b.text)
            if RULE_LINE.match(text):
                k += 1
                break
            if parts and (not centered or b.align != "center" or _starts_structure(text)):
                break
            parts.append(text)
            k += 1
            if not centered:
                break
        while k < len(rest) and RULE_LINE.match(_squash(rest[k].text)):
            k += 1
        if parts:
            d.subject = " ".join(parts)
        return k

    # -- where the body ends ----------------------------------------------
    def _closing_start(self, blocks: list[Block]) -> int:
        seen_item = False
        body_cell = blocks[0].cell if blocks else None
        for k, b in enumerate(blocks):
            text = _squash(b.text)
            first = _segments(b)[0] if _segments(b) else ""
            if RECIPIENTS.match(first) or AUTHORITY.match(first):
                return k
            if ITEM.match(text) or PART.match(text):
                seen_item = True
                continue
            if b.cell is not None and b.cell != body_cell and seen_item and self._closing_table(blocks, b.cell[0]):
                return k
            if seen_item and _is_upper(first) and not PART.match(text) and len(first.split()) <= 10:
                return k
        return len(blocks)

    @staticmethod
    def _closing_table(blocks: list[Block], table: int) -> bool:
        """A table that holds "Nơi nhận:" or a signature's authority or title (not a table of figures)."""
        for b in blocks:
            if b.cell is not None and b.cell[0] == table:
                for seg in _segments(b):
                    if RECIPIENTS.match(seg) or AUTHORITY.match(seg) or (_is_upper(seg) and len(seg.split()) <= 8):
                        return True
        return False

    # -- body -------------------------------------------------------------
    def _body(self, blocks: list[Block]) -> None:
        d = self.draft
        lines = self._lines(blocks)
        has_bold = any(r.bold for ln in lines for r in ln.runs)
        self.bold_from_phrases = not has_bold and self.doc.kind == "text"
        part: PartDraft | None = None
        item: ItemDraft | None = None
        point: PointDraft | None = None
        task: TaskDraft | None = None
        heads: dict[int, list[Run]] = {}          # id(item/point) -> its number line's runs
        # Unmarked paragraphs after an item's or sub-item's line, placed when the next mark (or the end) shows
        # whether they are its paragraphs or the closing.
        pending: list[tuple[ItemDraft | PointDraft, list[Run], bool]] = []
        marks: list[str] = []

        def flush_pending() -> None:
            for it, runs, after_children in pending:
                it.paragraphs.append(self._markup(runs))
                if after_children:
                    it.notes.append(Note("CHECK", "a paragraph printed after the tasks in the original is printed "
                                                  "before them here: move it into the task it belongs to if so"))
            pending.clear()

        for ln in lines:
            text = ln.text
            m_part = PART.match(text)
            m_item = ITEM.match(text)
            m_point = POINT.match(text) if item is not None else None
            m_bullet = BULLET.match(text)
            m_detail = DETAIL.match(text)
            if m_part and _is_upper(m_part["rest"]):
                flush_pending()
                part = PartDraft(heading=" ".join(m_part["rest"].split()))
                d.parts.append(part)
                item = point = task = None
                continue
            if m_item:
                flush_pending()
                container = part.items if part is not None else d.items
                if part is None and d.parts:
                    d.note("parts", "CHECK", "a numbered item after the parts, outside any part")
                number = int(m_item["n"])
                item = ItemDraft(number=number)
                expected = len(container) + 1
                if number != expected:
                    item.notes.append(Note("CHECK", f"numbered {number} in the original, printed {expected}"))
                marks.append(m_item["mark"])
                heads[id(item)] = R.cut(ln.runs, m_item.start("rest"))
                container.append(item)
                point = task = None
                self.found.add("items")
                continue
            if m_point and item is not None:
                flush_pending()
                letter = m_point["l"]
                point = PointDraft(letter=letter)
                expected = LETTERS[len(item.points)] if len(item.points) < len(LETTERS) else "?"
                if letter != expected:
                    point.notes.append(Note("CHECK", f"lettered {letter}) in the original, printed {expected})"))
                heads[id(point)] = R.cut(ln.runs, m_point.start("rest"))
                item.points.append(point)
                task = None
                continue
            if m_bullet and item is not None:
                flush_pending()
                task = TaskDraft(text=self._markup(R.cut(ln.runs, m_bullet.start("rest"))))
                (point.tasks if point is not None else item.tasks).append(task)
                continue
            if m_detail and task is not None:
                flush_pending()
                task.details.append(self._markup(R.cut(ln.runs, m_detail.start("rest"))))
                continue
            owner = point if point is not None else item
            if m_detail and owner is not None and not owner.paragraphs and not pending \
                    and not getattr(owner, "tasks", None) and not (point is None and item.points):
                # "+" lines right under the number's line: details of the text printed on it.
                owner.text_details.append(self._markup(R.cut(ln.runs, m_detail.start("rest"))))
                continue
            if ln.block.style == STYLE_ITEM and not (m_bullet or m_detail) and (d.parts or item is not None
                                                                                 or d.opening):
                # thongbao's own item style without a number: an item of a list printed without numbers.
                flush_pending()
                container = part.items if part is not None else d.items
                item = ItemDraft(number=len(container) + 1, numbered=False)
                heads[id(item)] = ln.runs
                container.append(item)
                point = task = None
                self.found.add("items")
                continue
            # An unmarked paragraph (or a mark with nothing to hang on).
            if m_bullet or m_detail:
                self.warnings.append(f"a '{text[0]}' line outside any numbered item, kept as a paragraph: "
                                     f"'{_short(text)}'")
            if point is not None:
                pending.append((point, ln.runs, bool(point.tasks)))
            elif item is not None:
                pending.append((item, ln.runs, bool(item.tasks or item.points)))
            elif part is not None:
                part.paragraphs.append(self._markup(ln.runs))
            else:
                d.opening.append(self._markup(ln.runs))
        # Trailing paragraphs after the last item: the closing when they read like one.
        if pending:
            # After the last item's tasks, or from a sentence that reads like one: the closing.
            first_cue = next((k for k, (_, runs, after) in enumerate(pending)
                              if after or CLOSING_CUE.search(R.text_of(runs))), None)
            if first_cue is not None:
                d.closing = [self._markup(runs) for _, runs, _ in pending[first_cue:]]
                del pending[first_cue:]
            flush_pending()
        if not d.parts and not d.items and d.opening:
            self._unnumbered()
        if marks and all(m in "-–" for m in marks):
            d.item_mark = "-"
        for it in d.all_items:
            self._finish_item(it, heads)
        if not d.opening:
            d.note("opening", "CHECK", "no opening paragraph was found before the first item")

    def _lines(self, blocks: list[Block]) -> list[Line]:
        """Body paragraphs, whole-bold paragraphs unbolded, page-break splits joined."""
        out: list[Line] = []
        for b in _split_breaks(blocks):
            runs = R.normalise(b.runs)
            if not runs:
                continue
            text = R.text_of(runs)
            if RULE_LINE.match(text):
                continue
            if R.all_bold(runs):
                runs = R.unbold(runs)  # a heading typed bold: formatting of the line, not a deadline
            prev = out[-1] if out else None
            if (prev is not None and text[:1].islower() and not _starts_structure(text)
                    and not prev.text.rstrip().endswith(TERMINAL)):
                prev.runs = prev.runs + [Run(" ")] + runs
                continue
            out.append(Line(runs, b))
        return out

    def _unnumbered(self) -> None:
        """A notice of one conclusion, printed without "1.": the paragraphs after the opening."""
        d = self.draft
        cue = next((k for k, t in enumerate(d.opening) if k >= 2 and CLOSING_CUE.search(t)), None)
        if cue is not None:
            d.closing, d.opening = d.opening[cue:], d.opening[:cue]
        if len(d.opening) < 2:
            return
        first, *rest = d.opening[1:]
        d.opening = d.opening[:1]
        item = ItemDraft(number=1, numbered=False, text=first, paragraphs=list(rest))
        item.notes.append(Note("CHECK", "no numbered items: read as one conclusion printed without a number "
                                        "(numbering: none)"))
        d.items.append(item)

    def _finish_item(self, item: ItemDraft, heads: dict[int, list[Run]]) -> None:
        for point in item.points:
            pruns = heads.get(id(point))
            if pruns is None:
                continue
            heading, text = _split_heading(pruns, bool(point.tasks or point.paragraphs))
            point.heading = self._markup(heading) if heading else None
            point.text = self._markup(text) if text else None
            if heading and self.directory is not None:
                to, notes = self._addressees(R.text_of(heading), known_only=True)
                if to:
                    point.to, point.notes = to, point.notes + notes
        runs = heads.get(id(item))
        if runs is not None:
            has_children = bool(item.tasks or item.points or item.paragraphs)
            heading, text = _split_heading(runs, has_children)
            item.heading = self._markup(heading) if heading else None
            item.text = self._markup(text) if text else None
            item.to, notes = self._addressees(R.text_of(heading) if heading else "")
            if (not item.to and heading and _has_deadline(item) and not re.match(r"^Về\b", R.text_of(heading))
                    and len(re.findall(r"(?:^|\s)[A-ZĐ]", R.text_of(heading))) >= 2):
                item.to, notes = self._addressees(R.text_of(heading), force=True)
                if item.to:
                    notes.insert(0, Note("CHECK", "read as addressed to the units its heading names, "
                                                  "as its paragraphs hold deadlines"))
            if not item.to and heading and _has_deadline(item):
                item.to = self._mentioned(R.text_of(heading))
                if item.to:
                    notes.insert(0, Note("CHECK", "addressed to the known units its heading names ("
                                                  + ", ".join(item.to) + "), as it holds deadlines"))
            item.notes.extend(notes)
        if not item.to and not item.heading and item.text:
            m = TEXT_UNIT.match(item.text)
            if m and "**" not in item.text[:m.end("unit")]:
                item.to, notes = self._addressees(m["unit"], force=True)
                if item.to:
                    # "Giao X" becomes the heading: without one, 'to:' would print its own "X:".
                    item.heading, item.text = item.text[:m.end("unit")].rstrip(), item.text[m.end("unit"):].lstrip()
                    item.notes.extend([Note("CHECK", f"addressed to '{m['unit']}', read from the text"), *notes])
        for owner in (item, *item.points):
            if owner.text_details and (not owner.text or not (item.to or getattr(owner, "to", None))):
                owner.paragraphs = [f"+ {t}" for t in owner.text_details] + owner.paragraphs
                owner.text_details = []
                owner.notes.append(Note("CHECK", "'+' lines under a line that is not a task: kept as paragraphs"))
        if item.to and item.task_count() == 0:
            # Units named, but nothing marked as a task: unmarked paragraphs are never tasks.
            item.notes.append(Note("CHECK", f"addressed to {', '.join(item.to)} but no paragraph is marked as a "
                                            "task ('- ' or on the number's line): add 'to:' and mark the tasks"))
            item.notes = [n for n in item.notes if not n.text.startswith("unknown unit")]
            item.to = []
        addressed = bool(item.to)
        if item.heading and item.to and item.heading == _join_units(item.to):
            item.heading = None  # printed the same from 'to:'
        if self.bold_from_phrases:
            self._bold_deadlines(item, addressed)
        if not addressed and _has_deadline(item) and not ASSESSMENT.match(item.heading or ""):
            item.notes.append(Note("CHECK", "deadlines here but no unit named: add 'to:' if these are tasks"))

    def _bold_deadlines(self, item: ItemDraft, addressed: bool) -> None:
        """Text without bold: the deadline phrases of tasks are made bold, as the notice prints them."""

        on = dt.date.fromisoformat(self.draft.date) if self.draft.date else None

        def bold(text: str | None) -> str | None:
            if not text or "**" in text:
                return text
            out, pos = [], 0
            for a, b, readable in deadline_spans(text, on):
                out.append(text[pos:a] + "**" + text[a:b] + "**")
                pos = b
                if not readable:
                    item.notes.append(Note("CHECK", f"'{text[a:b]}' looks like a deadline the deadline reader "
                                                    "cannot read: write it as a date"))
            return "".join(out) + text[pos:]

        if not addressed and not any(p.to for p in item.points):
            return
        item.text = bold(item.text)
        item.text_details = [bold(t) for t in item.text_details]
        for task in item.tasks:
            task.text = bold(task.text)
            task.details = [bold(t) for t in task.details]
        for p in item.points:
            p.text = bold(p.text)
            p.text_details = [bold(t) for t in p.text_details]
            for task in p.tasks:
                task.text = bold(task.text)
                task.details = [bold(t) for t in task.details]

    # -- addressees ---------------------------------------------------------
    def _addressees(self, heading: str, known_only: bool = False,
                    force: bool = False) -> tuple[list[str], list[Note]]:
        """The units a heading names, resolved against the directory; [] for an assessment heading."""
        text = " ".join(heading.split()).rstrip(":").strip()
        text = re.sub(r"\s*\([^()]*\)\s*$", "", text)  # "(cơ quan thường trực ...)"
        text = TRAILING_VERB.sub("", text)  # "Sở Tài chính và Sở Xây dựng phối hợp"
        lead = UNIT_LEAD.match(text)
        if lead:
            text = text[lead.end():]
        if not text or len(text) > 250:
            return [], []
        pieces = [p for p in re.split(r"(,\s*|\s+và\s+|;\s*)", text)]
        frags = pieces[0::2]
        seps = pieces[1::2]
        n = len(frags)

        def joined(i: int, j: int) -> str:
            return "".join(frags[k] + (seps[k] if k < j - 1 else "") for k in range(i, j))

        # best[j] = (matched fragments, -segments, segmentation) over frags[:j]
        best: list[tuple[int, int, list[tuple[int, int, str | None, str]]]] = [(0, 0, [])] + [(-1, 0, [])] * n
        for j in range(1, n + 1):
            candidates = []
            for i in range(j):
                if best[i][0] < 0:
                    continue
                name = joined(i, j)
                how, known = self._match(name)
                if known is not None:
                    candidates.append((best[i][0] + (j - i), best[i][1] - 1, best[i][2] + [(i, j, known, how)]))
                if j - i == 1:
                    candidates.append((best[i][0], best[i][1] - 1, best[i][2] + [(i, j, None, "")]))
            best[j] = max(candidates, key=lambda c: (c[0], c[1]))
        segments = best[n][2]
        matched = any(known is not None for _, _, known, _ in segments)
        if not matched and not force and (known_only or not (lead or UNIT_WORD.match(text))):
            return [], []
        names: list[str] = []
        notes: list[Note] = []
        unknown: list[tuple[int, int]] = []
        for i, j, known, how in segments:
            if known is not None:
                names.append(_capital(joined(i, j)) if how == "exact" else known)
                if how == "close":
                    notes.append(Note("CHECK", f"'{joined(i, j)}' read as the known unit '{known}'"))
                continue
            # Unknown: a fragment starting lower-case continues the one before ("..., thị trấn").
            # An unknown piece that does not start a name ("thị trấn", "Thông tin") continues the one before.
            if (unknown and unknown[-1][1] == i and not UNIT_WORD.match(frags[i])
                    and not frags[i].lower().startswith("các ") and segments_prev_unknown(segments, i)):
                unknown[-1] = (unknown[-1][0], j)
                names[-1] = _capital(joined(*unknown[-1]))
                continue
            unknown.append((i, j))
            names.append(_capital(joined(i, j)))
        for name in names:
            if self.directory is not None and self.directory.lookup(name) is None and not any(
                    n.text.endswith(f"'{name}'") for n in notes):
                close = self.directory.closest(name)
                self.draft.unknown_units[name] = close
                notes.append(Note("CHECK", f"unknown unit '{name}'" + (f" (closest known: '{close}')" if close else "")))
        return _unique(names), notes

    def _mentioned(self, text: str) -> list[str]:
        """Known units (by any of their names) written inside ``text``, longest names first, in text order."""
        if self.directory is None:
            return []
        key = name_key(text)
        found: list[tuple[int, int, str]] = []
        index = self.directory._index  # the directory's own name index
        for name in sorted(index, key=len, reverse=True):
            if len(name) < 4:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", key):
                if not any(a <= m.start() < b or a < m.end() <= b for a, b, _ in found):
                    entity = index[name]
                    written = next(n for n in (entity.name, *entity.aliases) if name_key(n) == name)
                    found.append((m.start(), m.end(), written))
        return _unique([w for _, _, w in sorted(found)])

    def _match(self, name: str) -> tuple[str, str | None]:
        """('exact' | 'prefix' | 'close', the directory's name) for a name, or ('', None)."""
        if self.directory is None or not name.strip():
            return "", None
        found = self.directory.lookup(name)
        if found is not None:
            return "exact", found.name
        key = name_key(name)
        index = self.directory._index  # the directory's own name index
        for k, entity in index.items():
            if k.startswith(key + " ") and PLACE_SUFFIX.match(k[len(key) + 1:]) and len(key) >= 8:
                return "prefix", next(n for n in (entity.name, *entity.aliases) if name_key(n) == k)
        if len(key) >= 12:
            import difflib

            close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.92)
            if close:
                entity = index[close[0]]
                return "close", next(n for n in (entity.name, *entity.aliases) if name_key(n) == close[0])
        return "", None

    # -- closing: recipients, signature -------------------------------------
    def _closing(self, blocks: list[Block]) -> None:
        d = self.draft
        left: list[str] = []
        right: list[str] = []
        in_recipients = False
        for b in blocks:
            for segs in _line_segments(b):
                self._closing_line(b, segs, left, right, in_recipients)
                in_recipients = in_recipients or any(RECIPIENTS.match(s.lstrip("\t")) for s in segs)
        d.recipients = [_recipient(s) for s in left if _recipient(s)]
        self._signature(right)
        if d.recipients and d.style:
            self._file_copy()

    def _closing_line(self, b: Block, segs: list[str], left: list[str], right: list[str],
                      in_recipients: bool) -> None:
        """One line of the closing: pieces left of a tab are recipients, right of it the signature."""
        for k, seg in enumerate(segs):
            starts_tab = seg.startswith("\t")
            seg = seg.lstrip("\t")
            column = 1 if (starts_tab or k > 0) else (b.cell[2] if b.cell is not None else None)
            if RECIPIENTS.match(seg):
                in_recipients = True
                self.found.add("recipients")
                tail = RECIPIENTS.sub("", seg).strip()
                if tail:
                    left.append(tail)
                continue
            recipient_like = BULLET.match(seg) or (in_recipients and seg.endswith((",", ";", "."))
                                                    and not _is_upper(seg))
            if column == 0 or (column is None and recipient_like):
                left.append(seg)
            else:
                right.append(seg)

    def _file_copy(self) -> None:
        d = self.draft
        last = d.recipients[-1]
        m = re.match(r"^Lưu\s*:?\s*(.*)$", last, re.IGNORECASE)
        if not m:
            d.note("recipients", "CHECK", "the last line is usually the file copy ('Lưu VT' / 'Lưu: VT, ...')")
            return
        want = f"Lưu {m.group(1)}".strip() if d.style == "party" else f"Lưu: {m.group(1)}".strip()
        if want != last:
            d.recipients[-1] = want
            d.note("recipients", "CHECK", f"file copy line '{last}' written '{want}', as the {d.style} style has it")

    def _signature(self, lines: list[str]) -> None:
        d = self.draft
        lines = [" ".join(s.split()) for s in lines if s.strip()]
        kept: list[str] = []
        for s in lines:
            if SIGNED.match(s):
                d.note("signature", "CHECK", f"'{s}' left out (the signed copy is signed by hand)")
                continue
            kept.append(s)
        if not kept:
            return
        self.found.add("signature")
        name_at = None
        for k in range(len(kept) - 1, -1, -1):
            if not _is_upper(kept[k]) and kept[k] not in ("kiêm",) and not AUTHORITY.match(kept[k]):
                name_at = k
                break
        if name_at is not None and name_at == len(kept) - 1:
            d.name = kept[name_at]
            head = kept[:name_at]
        else:
            head = kept
            d.note("signature", "CHECK", "no signer's name found")
        for s in head:
            m = AUTHORITY.match(s)
            if m and not d.title:
                form = m.group(1).replace("T.M", "T/M").replace("K.T", "K/T")
                d.authority.append(f"{form} {m['rest'].strip()}" if form.endswith(".") or "/" in form else s)
            else:
                d.title.append(s)
        self._authority_forms()

    def _authority_forms(self) -> None:
        d = self.draft
        twins = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}
        party = d.style == "party"
        fixed = []
        for line in d.authority:
            head, _, rest = line.partition(" ")
            if (party and head in ("TM.", "KT.", "TL.")) or (d.style == "state" and head in ("T/M", "K/T", "T/L")):
                new = f"{twins[head]} {rest}"
                d.note("signature", "CHECK", f"'{line}' written '{new}', as the {d.style} style has it")
                line = new
            fixed.append(line)
        d.authority = fixed

    # -- what had to be assumed ---------------------------------------------
    def _assume(self) -> None:
        d = self.draft
        lost = "header line lost"
        if d.style is None:
            d.style = "party"
            d.note("style", "ASSUMED", "no national heading and no number line: Party style assumed")
        if not d.issuing_body:
            guess = BODY_NAMES.get(d.body_code or "", "CƠ QUAN BAN HÀNH")
            named = self._body_in_text(guess) if d.body_code in BODY_NAMES else None
            d.issuing_body = [named or guess]
            d.note("issuing_body", "ASSUMED", f"{lost}; the body the text names most" if named else
                   f"{lost}; from the body code" if d.body_code in BODY_NAMES else f"{lost}; write the body's name")
            if d.superior_body is None:
                d.note("superior_body", "ASSUMED", f"{lost}: none assumed; add 'superior_body:' if it has one")
        if d.body_code is None:
            d.body_code = "XX"
            d.note("body_code", "ASSUMED", "no number line ('Số ...') was found")
        if d.number is None and getattr(self, "blank_number", False):
            d.note("number", "CHECK", "the number is left blank (a draft): 'thongbao issue' gives the next one")
        elif d.number is None:
            d.number = 1
            d.note("number", "ASSUMED", "no number line ('Số ...') was found")
        if d.type_code is None:
            d.type_code = "TB"
        if d.place is None:
            d.place = self._guess_place()
            d.note("place", "ASSUMED", f"{lost} (date line)" + self._place_reason)
        if d.date is None and getattr(self, "blank_date", None):
            d.date = self._guess_date()
            d.note("date", "ASSUMED", "the day is left blank (a draft); " + self._date_reason)
        elif d.date is None:
            d.date = self._guess_date()
            d.note("date", "ASSUMED", f"{lost}; " + self._date_reason)
        if d.subject is None:
            d.note("subject", "CHECK", "no subject line (trích yếu) was found after the document type")
        if not d.recipients:
            d.note("recipients", "CHECK", "no 'Nơi nhận:' list was found")
        if not d.all_items:
            d.note("conclusions", "CHECK", "no numbered items were found")

    def _body_in_text(self, kind: str) -> str | None:
        """The body the text names most often that starts as the body code says ("Ban Chỉ đạo Cuộc vận động")."""
        stop = {"huyện", "tỉnh", "xã", "thị", "thành", "quận", "phường", "về", "của", "và", "đã", "đến", "tại",
                "trong", "theo", "với", "để", "các", "cấp", "chủ", "kết", "thường"}
        counts: dict[str, int] = {}
        pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in kind.split()) + r"((?:\s+[^\s,.;:()“”\"]+){0,4})",
                             re.IGNORECASE)
        for text in [*self.draft.opening, *self._texts()]:
            for m in pattern.finditer(text.replace("**", "")):
                words = m.group(1).split()
                if not words or not words[0][:1].isupper():
                    continue
                kept = []
                for word in words:
                    if word.lower() in stop:
                        break
                    kept.append(word)
                name = " ".join([kind, *kept]).upper()
                counts[name] = counts.get(name, 0) + 1
        return max(counts, key=lambda n: (counts[n], len(n))) if counts else None

    def _guess_place(self) -> str:
        if self.directory is not None:
            counts: dict[str, int] = {}
            for u in self.directory.units:
                m = re.search(r"\b(?:huyện|tỉnh|thành phố|thị xã|quận)\s+((?:[A-ZĐÂĂÊÔƠƯ][^\s,]*\s?){1,3})$", u.name)
                if m:
                    counts[m.group(1).strip()] = counts.get(m.group(1).strip(), 0) + 1
            if counts:
                self._place_reason = "; from the units directory"
                return max(counts, key=counts.get)
        body = " ".join(self.draft.issuing_body + ([self.draft.superior_body] if self.draft.superior_body else []))
        m = re.search(r"\b(?:HUYỆN|TỈNH|THÀNH PHỐ|THỊ XÃ|QUẬN|XÃ)\s+(.+)$", body)
        if m:
            return " ".join(w.capitalize() for w in m.group(1).split())
        return "Chưa rõ"

    def _guess_date(self) -> str:
        """The latest date the opening names (the meeting), else the earliest in the text, else today's year."""
        dates: list[dt.date] = []
        for text in self.draft.opening:
            dates.extend(_dates_in(text))
        if dates:
            self._date_reason = "the meeting's date (opening)"
            return max(dates).isoformat()
        every = [x for t in self._texts() for x in _dates_in(t)]
        if every:
            self._date_reason = "the earliest date in the text"
            return min(every).isoformat()
        self._date_reason = "no date in the text: write the notice's date"
        return dt.date(dt.date.today().year, 1, 1).isoformat()

    _date_reason = ""
    _place_reason = ""


def _place_line(first: str, second: str) -> bool:
    """"ỦY BAN NHÂN DÂN" / "HUYỆN KON RẪY": one body's name on two lines (not "HUYỆN ỦY ĐĂK HÀ", a body)."""
    return bool(re.match(r"^(?:ỦY|UỶ)\s+BAN|^HỘI\s+ĐỒNG", first)
                and re.match(r"^(?:HUYỆN|TỈNH|XÃ|THÀNH PHỐ|THỊ XÃ|QUẬN|PHƯỜNG|THỊ TRẤN)\s+(?!(?:ỦY|UỶ|ĐOÀN)\b)", second))


def _split_breaks(blocks: list[Block]) -> list[Block]:
    """A paragraph whose line breaks (Shift+Enter) start marked lines is read as several paragraphs."""
    out = []
    for b in blocks:
        text = b.text if b.runs and "\n" in b.text else ""
        cuts = [m.start() + 1 for m in re.finditer(r"\n", text)
                if _starts_structure(text[m.start() + 1:].split("\n", 1)[0].strip())]
        if not cuts:
            out.append(b)
            continue
        for a, z in zip([0, *cuts], [*cuts, None]):
            out.append(Block(R.cut(b.runs, a, z), b.cell, b.align, b.style, b.line, b.blank_before))
    return out


def _header_like(seg: str) -> bool:
    return bool(NUMBER.match(seg) or DATE_LINE.match(seg) or PARTY_HEADING.match(seg) or STATE_HEADING.match(seg)
                or MOTTO.match(seg) or RULE_LINE.match(seg) or _is_upper(seg))


def segments_prev_unknown(segments, i: int) -> bool:
    prev = next((s for s in segments if s[1] == i), None)
    return prev is not None and prev[2] is None


def recognise(doc: Document, directory: Directory | None = None) -> tuple[Draft, list[str], set[str]]:
    """The draft of ``doc``, warnings, and what notice-like things were found."""
    r = Recogniser(doc, directory)
    draft = r.run()
    return draft, r.warnings, r.found


# -- helpers -------------------------------------------------------------------
def _relabel(text: str, renames: dict[str, str]) -> str:
    """``text`` with its footnote references renamed; escaped ``\\[^`` left alone (markup.parse's reading)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            continue
        m = _REF.match(text, i) if text[i] == "[" else None
        if m:
            out.append(f"[^{renames.get(m.group(1), m.group(1))}]")
            i = m.end()
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _refs(text: str) -> list[str]:
    found: list[str] = []
    _relabel(text, _Collect(found))
    return found


class _Collect(dict):
    """A renames mapping that records every label asked for."""

    def __init__(self, found: list[str]):
        super().__init__()
        self.found = found

    def get(self, key, default=None):
        self.found.append(key)
        return default


def _item_texts(item: ItemDraft):
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


def _note_text(runs: list[Run]) -> list[Run]:
    """A note's text without the mark printed at its start ("(1) ", "1 ")."""
    runs = R.normalise(runs)
    if runs and runs[0].superscript and _SUPER_NUMBER.match(runs[0].text.strip()):
        runs = runs[1:]
    text = R.text_of(runs)
    m = re.match(r"^\s*(?:\(\d{1,2}\)\s*)+", text)  # "(1) ", or "(1) (1) " after LibreOffice
    if m:
        runs = R.cut(runs, m.end())
    return R.strip(runs)


def _segments(b: Block) -> list[str]:
    """The pieces of a paragraph's lines laid out with tabs (or long runs of spaces), each squashed."""
    return [s.lstrip("\t") for line in _line_segments(b) for s in line]


def _line_segments(b: Block) -> list[list[str]]:
    """Per line of the paragraph (line breaks), its pieces between tabs (left column first)."""
    text = re.sub(r"(Số\s*:?)[ .…_]{2,}(?=[-/])", r"\1 ", b.text)   # a draft's blank number
    text = re.sub(r"ngày[ .…_]{2,}tháng[ .…_]{2,}năm", "ngày tháng năm", text)
    out = []
    for line in text.split("\n"):
        pieces = [_squash(p) for p in re.split(r"\t+| {4,}", line)]
        if any(pieces):
            lead = bool(re.match(r"^(\t| {8,})", line))
            out.append([("\t" if lead and k == 0 else "") + p for k, p in enumerate(pieces) if p]
                       if not lead else ["\t" + p for p in pieces if p])
    return out


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _starts_structure(text: str) -> bool:
    return bool(ITEM.match(text) or POINT.match(text) or BULLET.match(text) or DETAIL.match(text)
                or (PART.match(text) and _is_upper(PART.match(text)["rest"])))


def _split_heading(runs: list[Run], has_children: bool) -> tuple[list[Run], list[Run]]:
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


def _join_units(units: list[str]) -> str:
    joined = units[0] if len(units) == 1 else ", ".join(units[:-1]) + " và " + units[-1]
    return joined + ":"


def _capital(name: str) -> str:
    name = " ".join(name.split())
    return name[:1].upper() + name[1:]


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        if n and n not in out:
            out.append(n)
    return out


def _recipient(line: str) -> str:
    line = re.sub(r"^[-–—•+]\s*", "", line.strip())
    return line.rstrip(",;.").strip()


def _dates_in(text: str) -> list[dt.date]:
    out = []
    for m in DAY_DATE.finditer(text):
        try:
            out.append(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        except ValueError:
            pass
    return out


def _has_deadline(item: ItemDraft) -> bool:
    texts = list(_item_texts(item))
    bold = [m.group(1) for t in texts for m in re.finditer(r"\*\*(.+?)\*\*", t)]
    return any(looks_like_deadline(b) for b in bold) or any(deadline_spans(t.replace("**", "")) for t in texts)
