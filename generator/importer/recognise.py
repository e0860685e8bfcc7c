"""Document (paragraphs of runs) -> Draft (a notice source still to be written).

The recognisers read what a clerk reads: the national heading gives the
style, "Số 103-TB/BCĐ" the number and codes, the date line the place and
date, THÔNG BÁO the document type; then the subject, the opening, parts
(I., II.), items (1., 2.), sub-items (a), b)), bullets (-) and details (+);
the closing sentence, "Nơi nhận:" and its list, the signature. They work on
the text and its marks, so a draft typed with tabs, tables or plain
paragraphs reads the same. Whatever had to be guessed carries an ASSUMED
note, whatever is doubtful a CHECK note.

Here: footnotes, the header, the subject and the body's structure; the
addressees are resolved in addressees.py, the closing read in closing.py,
the patterns they all look for are in patterns.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..i18n import _
from ..units import Directory
from . import patterns as P
from . import runs as R
from .addressees import Addressees
from .closing import ClosingReader
from .document import Block, Document, Run
from .draft import Draft, ItemDraft, Note, PartDraft, PointDraft, TaskDraft
from .phrases import deadline_spans


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
        self.notes: dict[str, list[Run]] = {}  # note id -> its text runs
        self.found: set[str] = set()           # what notice-like things were seen
        self.units = Addressees(directory)
        self.number_form: str | None = None  # "party" (103-TB/BCĐ) or "state" (12/TB-UBND), from the number line
        self.blank_number = False            # a draft's "Số:    /TB-UBND"
        self.blank_date: int | None = None   # a draft's "ngày  tháng  năm 2024": the year
        self.bold_from_phrases = False       # plain text without bold: deadlines made bold from their phrases
        self.date_reason = ""
        self.place_reason = ""

    # -- the whole --------------------------------------------------------
    def run(self) -> Draft:
        blocks = [b for b in self.doc.blocks if b.text.strip() or any(r.note for r in b.runs)]
        blocks = self._footnotes(blocks)
        title = self._title(blocks)
        if title is None:  # no document type: the header is what reads like one at the top
            top = 0
            while top < len(blocks) and all(P.header_like(seg) for seg in P.segments(blocks[top])):
                top += 1
            header, rest = blocks[:top], blocks[top:]
        else:
            header, rest = blocks[:title], blocks[title + 1:]
            self.draft.document_type = P.squash(blocks[title].text)
        self._header(header)
        subject_end = self._subject(rest, title is not None)
        body_blocks = rest[subject_end:]
        end = self._closing_start(body_blocks)
        self._body(body_blocks[:end])
        ClosingReader(self.draft, self.found).read(body_blocks[end:])
        self._assume()
        self._labels_in_order()
        self.draft.unknown_units = dict(self.units.unknown)
        return self.draft

    # -- footnotes --------------------------------------------------------
    def _footnotes(self, blocks: list[Block]) -> list[Block]:
        """Native notes as they are; typed notes (superscript or "(1)" marks, text at the end) made native."""
        for nid, runs in self.doc.notes.items():
            self.notes[nid] = P.note_text(runs)
        referenced = {r.note for b in blocks for r in b.runs if r.note is not None}
        for nid in list(self.notes):
            if nid not in referenced:
                del self.notes[nid]
        # Typed note bodies: a paragraph that starts with a superscript number or "(n) ".
        bodies: dict[str, int] = {}
        cuts: dict[int, int] = {}  # a body typed "1. text" at the end: where its text starts
        for k, b in enumerate(blocks):
            first = b.runs[0] if b.runs else None
            if first is not None and first.superscript and first.note is None and P.SUPER_NUMBER.match(first.text.strip()):
                bodies.setdefault(P.SUPER_NUMBER.match(first.text.strip()).group(1), k)
            else:
                m = P.TYPED_NOTE.match(b.text)
                if m:
                    bodies.setdefault(m.group(1), k)
                    cuts[k] = m.end() - 1
        # After "Nơi nhận:", a paragraph "1. ..." or "1 ..." is the text of a note marked by a superscript 1.
        sup_refs = {r.text.strip() for b in blocks for r in b.runs[1:] if r.superscript and r.text.strip().isdigit()}
        tail = max((k for k, b in enumerate(blocks) if any(P.RECIPIENTS.match(s) for s in P.segments(b))), default=None)
        for k in range(tail + 1 if tail is not None else len(blocks), len(blocks)):
            m = re.match(r"^\s*(\d{1,2})[.)]?\s+\S", blocks[k].text)
            if m and m.group(1) in sup_refs and m.group(1) not in bodies:
                bodies[m.group(1)] = k
                cuts[k] = m.end() - 1
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
                number = P.SUPER_NUMBER.match(r.text.strip()) if r.superscript and r.note is None else None
                if number and number.group(1) in bodies:
                    used[number.group(1)] = bodies[number.group(1)]
                    new.append(Run("", note=f"typed-{number.group(1)}"))
                    continue
                if r.note is None and "(" in r.text:
                    pos = 0
                    for m in P.TYPED_REF.finditer(r.text):
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
            runs = R.cut(runs, cuts[k]) if k in cuts else runs[1:]
            self.notes[f"typed-{number}"] = R.normalise(runs)
            drop.add(k)
        for number, k in bodies.items():
            if number not in used:
                self.warnings.append(_("a paragraph starting with footnote mark ({number}) that no text refers to: kept as text").format(number=number))
        return [b for k, b in enumerate(out_blocks) if k not in drop]

    def _labels_in_order(self) -> None:
        """Footnotes are labelled 1, 2 ... in the order the text refers to them (as they print)."""
        seen: list[str] = []
        for text in self._texts():
            for label in P.refs(text):
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
            return P.relabel(text, renames)

        d = self.draft
        d.opening = [relabel(t) for t in d.opening]
        d.closing = [relabel(t) for t in d.closing]
        for part in d.parts:
            part.paragraphs = [relabel(t) for t in part.paragraphs]

        def relabel_body(x: ItemDraft | PointDraft) -> None:   # the fields an item and a sub-item share
            x.heading, x.text = relabel(x.heading), relabel(x.text)
            x.text_details = [relabel(t) for t in x.text_details]
            x.paragraphs = [relabel(t) for t in x.paragraphs]
            for task in x.tasks:
                task.text, task.details = relabel(task.text), [relabel(t) for t in task.details]

        for item in d.all_items:
            relabel_body(item)
            for p in item.points:
                relabel_body(p)
        missing = [p for p in seen if p[len("id:"):] not in self.notes]
        for p in missing:
            self.warnings.append(_("a footnote reference without its note text ({p}): the note is left empty").format(p=p[3:]))

    def _texts(self):
        d = self.draft
        yield from d.opening
        for part in d.parts:
            yield part.heading
            yield from part.paragraphs
            for item in part.items:
                yield from P.item_texts(item)
        for item in d.items:
            yield from P.item_texts(item)
        yield from d.closing

    def _markup(self, runs: list[Run]) -> str:
        return R.markup(runs, {nid: f"id:{nid}" for nid in self.notes})

    # -- header -----------------------------------------------------------
    def _title(self, blocks: list[Block]) -> int | None:
        limit = min(len(blocks), 30)
        for k in range(limit):
            if P.DOC_TYPES.match(P.squash(blocks[k].text)):
                return k
        last_marker = None
        for k in range(limit):
            for seg in P.segments(blocks[k]):
                if P.NUMBER.match(seg) or P.DATE_LINE.match(seg) or P.PARTY_HEADING.match(seg) or P.STATE_HEADING.match(seg):
                    last_marker = k
        if last_marker is not None:
            for k in range(last_marker + 1, limit):
                text = P.squash(blocks[k].text)
                if P.is_upper(text) and len(text.split()) <= 8 and not P.MOTTO.match(text):
                    return k
        return None

    def _header(self, header: list[Block]) -> None:
        d = self.draft
        bodies: list[tuple[str, bool]] = []
        style_hint = None
        for b in header:
            bold = R.all_bold(b.runs)
            for seg in P.segments(b):
                if P.PARTY_HEADING.match(seg):
                    d.style = "party"
                    self.found.add("heading")
                elif P.STATE_HEADING.match(seg):
                    d.style = "state"
                    self.found.add("heading")
                elif P.MOTTO.match(seg):
                    style_hint = "state"
                elif seg == "*":
                    style_hint = style_hint or "party"
                elif P.RULE_LINE.match(seg):
                    continue
                elif P.NUMBER.match(seg):
                    self._number(seg)
                elif P.NUMBER_BLANK.match(seg):
                    sep1, first, _sep2, second = P.NUMBER_BLANK.match(seg).groups()
                    d.type_code, d.body_code = first, second
                    self.number_form = "party" if sep1 == "-" else "state"
                    self.blank_number = True
                    self.found.add("number")
                elif P.DATE_BLANK.match(seg):
                    d.place = " ".join(P.DATE_BLANK.match(seg)["place"].split())
                    self.blank_date = int(P.DATE_BLANK.match(seg)["y"])
                    self.found.add("date")
                elif P.DATE_LINE.match(seg):
                    m = P.DATE_LINE.match(seg)
                    try:
                        d.date = dt.date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
                    except ValueError:
                        d.note("date", "CHECK", _("the date line '{seg}' is not a real date").format(seg=seg))
                    d.place = " ".join(m["place"].split())
                    self.found.add("date")
                elif P.is_upper(seg):
                    bodies.append((seg, bold))
                else:
                    self.warnings.append(_("header line not understood, left out: '{seg}'").format(seg=P.short(seg)))
        if d.style is None:
            style = style_hint or self.number_form
            if style:
                d.style = style
                how = (_("no national heading; from the '*' under the body") if style_hint == "party" else
                       _("no national heading; from the motto") if style_hint == "state" else
                       _("no national heading; from the number's form"))
                d.note("style", "ASSUMED", how)
        self._bodies(bodies)

    def _number(self, seg: str) -> None:
        d = self.draft
        m = P.NUMBER.match(seg)
        number, sep1, first, sep2, second = m.groups()
        d.number = int(number)
        self.found.add("number")
        self.number_form = "party" if (sep1 == "-" and sep2 == "/") else "state" if (sep1 == "/") else None
        if sep1 == "-":          # Party: 103-TB/BCĐ
            d.type_code, d.body_code = first, second
        else:                    # State: 12/TB-UBND (the body code may hold more "-")
            d.type_code, d.body_code = first, second
        if d.number <= 0:
            d.note("number", "CHECK", _("read '{seg}'").format(seg=seg))
        if "-" in d.body_code or "/" in d.body_code:
            d.note("body_code", "CHECK", _("read from '{seg}'; an abbreviation without '-' or '/' is expected").format(seg=seg))

    def _bodies(self, bodies: list[tuple[str, bool]]) -> None:
        """Superior and issuing body: the bold lines are the issuing body, the plain ones above it the superior."""
        d = self.draft
        if not bodies:
            return
        if any(b for _, b in bodies) and not all(b for _, b in bodies):
            first_bold = next(k for k, (_, b) in enumerate(bodies) if b)
            superior = [t for t, _ in bodies[:first_bold]]
            issuing = [t for t, _ in bodies[first_bold:]]
        elif len(bodies) >= 2 and not P.place_line(bodies[0][0], bodies[1][0]) \
                and not (d.style == "state" and len(bodies) == 2):
            superior, issuing = [bodies[0][0]], [t for t, _ in bodies[1:]]
        else:
            superior, issuing = [], [t for t, _ in bodies]
        if superior and issuing and P.place_line(superior[-1], issuing[0]):
            issuing = [superior.pop()] + issuing  # "ỦY BAN NHÂN DÂN / HUYỆN KON RẪY": one name on two lines
        if superior:
            d.superior_body = " ".join(superior)
        d.issuing_body = issuing
        if not any(b for _, b in bodies) and len(bodies) >= 2:
            d.note("issuing_body", "CHECK", _("which header line is the superior body and which the issuing body was read from their order"))

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
            text = P.squash(b.text)
            if P.RULE_LINE.match(text):
                k += 1
                break
            if parts and (not centered or b.align != "center" or P.starts_structure(text)):
                break
            parts.append(text)
            k += 1
            if not centered:
                break
        while k < len(rest) and P.RULE_LINE.match(P.squash(rest[k].text)):
            k += 1
        if parts:
            d.subject = " ".join(parts)
        return k

    # -- where the body ends ----------------------------------------------
    def _closing_start(self, blocks: list[Block]) -> int:
        seen_item = False
        body_cell = blocks[0].cell if blocks else None
        for k, b in enumerate(blocks):
            text = P.squash(b.text)
            first = P.segments(b)[0] if P.segments(b) else ""
            if P.RECIPIENTS.match(first) or P.AUTHORITY.match(first):
                return k
            if P.ITEM.match(text) or P.PART.match(text):
                seen_item = True
                continue
            if b.cell is not None and b.cell != body_cell and seen_item and self._closing_table(blocks, b.cell[0]):
                return k
            if seen_item and P.is_upper(first) and not P.PART.match(text) and len(first.split()) <= 10:
                return k
        return len(blocks)

    @staticmethod
    def _closing_table(blocks: list[Block], table: int) -> bool:
        """A table that holds "Nơi nhận:" or a signature's authority or title (not a table of figures)."""
        for b in blocks:
            if b.cell is not None and b.cell[0] == table:
                for seg in P.segments(b):
                    if P.RECIPIENTS.match(seg) or P.AUTHORITY.match(seg) or (P.is_upper(seg) and len(seg.split()) <= 8):
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
                    it.notes.append(Note("CHECK", _("a paragraph printed after the tasks in the original is printed before them here: move it into the task it belongs to if so")))
            pending.clear()

        for ln in lines:
            text = ln.text
            m_part = P.PART.match(text)
            m_item = P.ITEM.match(text)
            m_point = P.POINT.match(text) if item is not None else None
            m_bullet = P.BULLET.match(text)
            m_detail = P.DETAIL.match(text)
            if m_part and P.is_upper(m_part["rest"]):
                flush_pending()
                part = PartDraft(heading=" ".join(m_part["rest"].split()))
                d.parts.append(part)
                item = point = task = None
                continue
            if m_item:
                flush_pending()
                container = part.items if part is not None else d.items
                if part is None and d.parts:
                    d.note("parts", "CHECK", _("a numbered item after the parts, outside any part"))
                number = int(m_item["n"])
                item = ItemDraft(number=number)
                expected = len(container) + 1
                if number != expected:
                    item.notes.append(Note("CHECK", _("numbered {number} in the original, printed {expected}").format(number=number, expected=expected)))
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
                expected = P.LETTERS[len(item.points)] if len(item.points) < len(P.LETTERS) else "?"
                if letter != expected:
                    point.notes.append(Note("CHECK", _("lettered {letter}) in the original, printed {expected})").format(letter=letter, expected=expected)))
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
            if ln.block.style == P.STYLE_ITEM and not (m_bullet or m_detail) and (d.parts or item is not None
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
                self.warnings.append(_("a '{text}' line outside any numbered item, kept as a paragraph: '{short}'").format(text=text[0], short=P.short(text)))
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
                              if after or P.CLOSING_CUE.search(R.text_of(runs))), None)
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
            d.note("opening", "CHECK", _("no opening paragraph was found before the first item"))

    def _lines(self, blocks: list[Block]) -> list[Line]:
        """Body paragraphs, whole-bold paragraphs unbolded, page-break splits joined."""
        out: list[Line] = []
        for b in P.split_breaks(blocks):
            runs = R.normalise(b.runs)
            if not runs:
                continue
            text = R.text_of(runs)
            if P.RULE_LINE.match(text):
                continue
            if R.all_bold(runs):
                runs = R.unbold(runs)  # a heading typed bold: formatting of the line, not a deadline
            prev = out[-1] if out else None
            if (prev is not None and text[:1].islower() and not P.starts_structure(text)
                    and not prev.text.rstrip().endswith(P.TERMINAL)):
                prev.runs = prev.runs + [Run(" ")] + runs
                continue
            out.append(Line(runs, b))
        return out

    def _unnumbered(self) -> None:
        """A notice of one conclusion, printed without "1.": the paragraphs after the opening."""
        d = self.draft
        cue = next((k for k, t in enumerate(d.opening) if k >= 2 and P.CLOSING_CUE.search(t)), None)
        if cue is not None:
            d.closing, d.opening = d.opening[cue:], d.opening[:cue]
        if len(d.opening) < 2:
            return
        first, *rest = d.opening[1:]
        d.opening = d.opening[:1]
        item = ItemDraft(number=1, numbered=False, text=first, paragraphs=list(rest))
        item.notes.append(Note("CHECK", _("no numbered items: read as one conclusion printed without a number (numbering: none)")))
        d.items.append(item)

    def _finish_item(self, item: ItemDraft, heads: dict[int, list[Run]]) -> None:
        for point in item.points:
            pruns = heads.get(id(point))
            if pruns is None:
                continue
            heading, text = P.split_heading(pruns, bool(point.tasks or point.paragraphs))
            point.heading = self._markup(heading) if heading else None
            point.text = self._markup(text) if text else None
            if heading and self.directory is not None:
                to, notes = self.units.resolve(R.text_of(heading), known_only=True)
                if to:
                    point.to, point.notes = to, point.notes + notes
        runs = heads.get(id(item))
        if runs is not None:
            has_children = bool(item.tasks or item.points or item.paragraphs)
            heading, text = P.split_heading(runs, has_children)
            item.heading = self._markup(heading) if heading else None
            item.text = self._markup(text) if text else None
            item.to, notes = self.units.resolve(R.text_of(heading) if heading else "")
            if (not item.to and heading and P.has_deadline(item) and not re.match(r"^Về\b", R.text_of(heading))
                    and len(re.findall(r"(?:^|\s)[A-ZĐ]", R.text_of(heading))) >= 2):
                item.to, notes = self.units.resolve(R.text_of(heading), force=True)
                if item.to:
                    notes.insert(0, Note("CHECK", _("read as addressed to the units its heading names, as its paragraphs hold deadlines"), "to"))
            if not item.to and heading and P.has_deadline(item):
                item.to = self.units.mentioned(R.text_of(heading))
                if item.to:
                    notes.insert(0, Note("CHECK", _("addressed to the known units its heading names ({units}), "
                                                    "as it holds deadlines").format(units=", ".join(item.to)), "to"))
            item.notes.extend(notes)
        if not item.to and not item.heading and item.text:
            m = P.TEXT_UNIT.match(item.text)
            if m and "**" not in item.text[:m.end("unit")]:
                item.to, notes = self.units.resolve(m["unit"], force=True)
                if item.to:
                    # "Giao X" becomes the heading: without one, 'to:' would print its own "X:".
                    item.heading, item.text = item.text[:m.end("unit")].rstrip(), item.text[m.end("unit"):].lstrip()
                    item.notes.extend([Note("CHECK", _("addressed to '{unit}', read from the text").format(unit=m['unit']), "to"), *notes])
        for owner in (item, *item.points):
            if owner.text_details and (not owner.text or not (item.to or getattr(owner, "to", None))):
                owner.paragraphs = [f"+ {t}" for t in owner.text_details] + owner.paragraphs
                owner.text_details = []
                owner.notes.append(Note("CHECK", _("'+' lines under a line that is not a task: kept as paragraphs")))
        if item.to and item.task_count() == 0:
            # Units named, but nothing marked as a task: unmarked paragraphs are never tasks.
            item.notes.append(Note("CHECK", _("addressed to {to} but no paragraph is marked as a task ('- ' or on the number's line): add 'to:' and mark the tasks").format(to=', '.join(item.to)), "to"))
            unknown = _("unknown unit '{name}'").partition("{name}")[0]
            item.notes = [n for n in item.notes if not n.text.startswith(unknown)]
            item.to = []
        addressed = bool(item.to)
        if item.heading and item.to and item.heading == P.join_units(item.to):
            item.heading = None  # printed the same from 'to:'
        if self.bold_from_phrases:
            self._bold_deadlines(item, addressed)
        if not addressed and P.has_deadline(item) and not P.ASSESSMENT.match(item.heading or ""):
            item.notes.append(Note("CHECK", _("deadlines here but no unit named: add 'to:' if these are tasks")))

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
                    item.notes.append(Note("CHECK", _("'{b}' looks like a deadline the deadline reader cannot read: write it as a date").format(b=text[a:b])))
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
    # -- what had to be assumed ---------------------------------------------
    def _assume(self) -> None:
        d = self.draft
        lost = _("header line lost")
        if d.style is None:
            d.style = "party"
            d.note("style", "ASSUMED", _("no national heading and no number line: Party style assumed"))
        if not d.issuing_body:
            guess = P.BODY_NAMES.get(d.body_code or "", "CƠ QUAN BAN HÀNH")
            named = self._body_in_text(guess) if d.body_code in P.BODY_NAMES else None
            d.issuing_body = [named or guess]
            d.note("issuing_body", "ASSUMED", _("{lost}; the body the text names most").format(lost=lost) if named else
                   _("{lost}; from the body code").format(lost=lost) if d.body_code in P.BODY_NAMES
                   else _("{lost}; write the body's name").format(lost=lost))
            if d.superior_body is None:
                d.note("superior_body", "ASSUMED", _("{lost}: none assumed; add 'superior_body:' if it has one").format(lost=lost))
        if d.body_code is None:
            d.body_code = "XX"
            d.note("body_code", "ASSUMED", _("no number line ('Số ...') was found"))
        if d.number is None and self.blank_number:
            d.note("number", "CHECK", _("the number is left blank (a draft): 'thongbao issue' gives the next one"))
        elif d.number is None:
            d.number = 1
            d.note("number", "ASSUMED", _("no number line ('Số ...') was found"))
        if d.type_code is None:
            d.type_code = "TB"
            d.note("type_code", "ASSUMED", _("no number line: TB (thông báo)"))
        if d.document_type is None:
            d.document_type = "THÔNG BÁO"
            d.note("document_type", "ASSUMED", _("no document type line (THÔNG BÁO) was found"))
        if d.place is None:
            d.place = self._guess_place()
            d.note("place", "ASSUMED", _("{lost} (date line)").format(lost=lost) + self.place_reason)
        if d.date is None and self.blank_date:
            d.date = self._guess_date()
            d.note("date", "ASSUMED", _("the day is left blank (a draft); ") + self.date_reason)
        elif d.date is None:
            d.date = self._guess_date()
            d.note("date", "ASSUMED", _("{lost}; {reason}").format(lost=lost, reason=self.date_reason))
        if d.subject is None:
            d.note("subject", "CHECK", _("no subject line (trích yếu) was found after the document type"))
        if not d.recipients:
            d.note("recipients", "CHECK", _("no 'Nơi nhận:' list was found"))
        if not d.all_items:
            d.note("conclusions", "CHECK", _("no numbered items were found"))

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
                self.place_reason = _("; from the units directory")
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
            dates.extend(P.dates_in(text))
        if dates:
            self.date_reason = _("the meeting's date (opening)")
            return max(dates).isoformat()
        every = [x for t in self._texts() for x in P.dates_in(t)]
        if every:
            self.date_reason = _("the earliest date in the text")
            return min(every).isoformat()
        self.date_reason = _("no date in the text: write the notice's date")
        return dt.date(dt.date.today().year, 1, 1).isoformat()


def recognise(doc: Document, directory: Directory | None = None) -> tuple[Draft, list[str], set[str]]:
    """The draft of ``doc``, warnings, and what notice-like things were found."""
    r = Recogniser(doc, directory)
    draft = r.run()
    return draft, r.warnings, r.found
